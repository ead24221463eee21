from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "qaward.web.policies"
    label = "policies"
    verbose_name = "管理办法 Policies"
