"""The pool's parts of other apps' pages (``{% load experts %}``): links to the pool and the
cycle's conflicts for the office, and an office member's own recusal from an application
(where the policy makes staff recuse). The cycles app includes them without importing this
app."""

from __future__ import annotations

from typing import Any

from django import template

from qaward.core.policy.model import Cited
from qaward.core.review.conflicts import field_text
from qaward.web.accounts import rules
from qaward.web.common.errors import in_language
from qaward.web.experts.services import staff_recused
from qaward.web.policies.services import policy_of

register = template.Library()


def pool_links(context: template.Context) -> dict[str, Any]:
    cycle = context.get("cycle")
    user = context["request"].user
    return {"cycle": cycle, "show": cycle is not None and rules.can_manage_pool(user, cycle)}


def staff_recusal(context: template.Context) -> dict[str, Any]:
    app = context.get("app")
    user = context["request"].user
    rule = policy_of(app.cycle).reviewers.staff_recuse_too if app is not None else None
    offered = (app is not None and rules.is_office(user, app) and isinstance(rule, Cited)
               and bool(rule.value))
    return {"app": app, "offered": offered,
            "article": rule.cite if isinstance(rule, Cited) else "",
            "recused": offered and staff_recused(user, app),
            "csrf_token": context.get("csrf_token")}


register.inclusion_tag("experts/_pool_links.html", takes_context=True)(pool_links)
register.inclusion_tag("experts/_staff_recusal.html", takes_context=True)(staff_recusal)


def evidence_field(path: str) -> str:
    """An evidence field path in the reader's language (``employer.code`` →
    工作单位统一社会信用代码)."""
    return in_language(*field_text(str(path)))


register.filter("evidence_field", evidence_field)
