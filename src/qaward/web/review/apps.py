from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "qaward.web.review"
    label = "review"
    verbose_name = "专家评审 Expert review"
