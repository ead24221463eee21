from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "qaward.web.recommendations"
    label = "recommendations"
    verbose_name = "推荐 Recommendations"
