"""The refusals every service raises: a message that says what is wrong, the rule or article,
and what to do (shown on the field it names, or as the API's ``{"detail", "field",
"article"}``)."""

from __future__ import annotations

from qaward.core.errors import QawardError


class ServiceError(QawardError):
    """A user-facing refusal: says what is wrong, the rule or article, and what to do."""

    def __init__(self, message: str, *, field: str | None = None, article: str | None = None):
        self.field = field
        self.article = article
        super().__init__(message + (f"（{article}）" if article else ""))


class StaleVersion(ServiceError):
    def __init__(self) -> None:
        super().__init__("该申报已被他人修改，请刷新页面后重试。"
                         " / This application was changed by someone else: reload and try again.")
