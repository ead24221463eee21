from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "qaward.web.experts"
    label = "experts"
    verbose_name = "专家库 Expert pool"
