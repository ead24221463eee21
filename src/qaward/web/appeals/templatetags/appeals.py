"""The appeals' part of the application pages of cycles (``{% load appeals %}``): the
applicant's filing form while the time limit runs, the appeals and, for the policy's decider,
the form to decide an open one. The cycles app names the tag, so it does not import this app."""

from __future__ import annotations

from typing import Any

from django import template

from qaward.web.accounts import rules
from qaward.web.appeals.services import appeal_deadline_for

register = template.Library()


def application_appeals(context: template.Context) -> dict[str, Any]:
    app = context["app"]
    user = context["request"].user
    own = rules.is_own_applicant(user, app)
    return {"app": app, "appeals": app.appeals.order_by("pk"),
            "deadline": appeal_deadline_for(app) if own else None,
            "can_decide": rules.reads_application_as_staff(user, app),
            "csrf_token": context.get("csrf_token")}


register.inclusion_tag("appeals/_application_appeals.html", takes_context=True)(
    application_appeals)
