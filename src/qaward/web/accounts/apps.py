from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "qaward.web.accounts"
    label = "accounts"
    verbose_name = "辖区与角色 Jurisdictions and roles"
