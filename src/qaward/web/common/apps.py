from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "qaward.web.common"
    label = "common"
    verbose_name = "Shared view helpers, templates and static files"
