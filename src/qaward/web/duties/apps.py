from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "qaward.web.duties"
    label = "duties"
    verbose_name = "工作清单 Duties"
