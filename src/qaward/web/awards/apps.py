from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "qaward.web.awards"
    label = "awards"
    verbose_name = "质量奖 Quality award"
