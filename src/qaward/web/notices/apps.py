from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "qaward.web.notices"
    label = "notices"
    verbose_name = "公示与异议 Notices and objections"
