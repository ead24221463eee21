from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "qaward.web.appeals"
    label = "appeals"
    verbose_name = "申诉 Appeals"
