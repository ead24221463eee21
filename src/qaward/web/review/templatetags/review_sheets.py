"""The sheets' part of the cycles' pages (``{% load review_sheets %}``): on the office's cycle
page the links to the scoring progress of each scored stage and to the two-way supervision
ratings; on the applicant's application page the link to its site review. The cycles
templates name the tags, so the cycles app does not import this app."""

from __future__ import annotations

from typing import Any

from django import template

from qaward.core.states import StageId
from qaward.web.accounts import rules
from qaward.web.common.views import english
from qaward.web.policies.services import policy_of
from qaward.web.review.models import Team
from qaward.web.review.sheets import review_stages

register = template.Library()


def cycle_scoring(context: template.Context) -> dict[str, Any]:
    cycle = context["cycle"]
    user = context["request"].user
    if not rules.is_office(user, cycle):
        return {"stages": []}
    policy = policy_of(cycle)
    scored = review_stages(policy)
    stages = [(s.id, s.name_en if english() else s.name_zh) for s in policy.stages
              if s.id in scored]
    return {"cycle": cycle, "stages": stages}


def application_site_review(context: template.Context) -> dict[str, Any]:
    app = context["app"]
    user = context["request"].user
    if not rules.is_own_applicant(user, app):
        return {"teams": []}
    return {"teams": list(Team.objects.filter(application=app, stage=StageId.SITE_REVIEW))}


register.inclusion_tag("review/sheets_cycle_links.html", takes_context=True)(cycle_scoring)
register.inclusion_tag("review/sheets_portal_link.html", takes_context=True)(
    application_site_review)
