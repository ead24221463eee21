"""The refusals every service raises: a message that says what is wrong, the rule or article,
and what to do (shown on the field it names, or as the API's ``{"detail", "field",
"article"}``)."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from qaward.core.errors import QawardError
from qaward.core.schedule import Decision


def in_language(zh: str, en: str) -> str:
    """One of the core's bilingual messages (``reason_zh``/``reason_en``,
    ``message_zh``/``message_en``) in the reader's language."""
    return en if (get_language() or "zh-hans").startswith("en") else zh


class ServiceError(QawardError):
    """A user-facing refusal: says what is wrong, the rule or article, and what to do."""

    def __init__(self, message: str, *, field: str | None = None, article: str | None = None):
        self.field = field
        self.article = article
        super().__init__(message + (_("（%(article)s）") % {"article": article} if article
                                    else ""))


class StaleVersion(ServiceError):
    def __init__(self) -> None:
        super().__init__(_("该申报已被他人修改，请刷新页面后重试。"))


def refusal(decision: Decision) -> ServiceError:
    """A ServiceError from a date rule's refusal or sign-off (``qaward.core.schedule``): its
    reasons in the reader's language, the field of the first reason, the article attached."""
    field = decision.reasons[0].field if decision.reasons else None
    return ServiceError(reasons_text(decision), field=field, article=decision.article)


def reasons_text(decision: Decision) -> str:
    """The reasons of a date rule's decision, in the reader's language, without the article."""
    return " ".join(in_language(r.message_zh, r.message_en) for r in decision.reasons)
