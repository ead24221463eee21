from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "qaward.web.demo"
    label = "demo"
    verbose_name = "Demo data"
