from django.apps import AppConfig


class CyclesConfig(AppConfig):
    name = "qaward.web.cycles"
    label = "cycles"
    verbose_name = "评选周期与申报 Cycles and applications"
