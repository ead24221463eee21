from django.apps import AppConfig


class TokensConfig(AppConfig):
    name = "qaward.web.tokens"
    label = "tokens"
    verbose_name = "API tokens"
