"""The ranking's part of the cycles' pages (``{% load review_ranking %}``): on the office's
cycle page the links to each scored stage's ranking and to the shortlist
(``{% cycle_ranking %}``), on the applicant's application page the released review reports
(``{% application_reports %}``). The cycles templates name the tags; cycles imports nothing
of the review."""

from __future__ import annotations

from typing import Any

from django import template

from qaward.web.accounts import rules
from qaward.web.common.errors import in_language
from qaward.web.policies.services import policy_of
from qaward.web.review import ranking
from qaward.web.review.models import Shortlist

register = template.Library()


def cycle_ranking(context: template.Context) -> dict[str, Any]:
    cycle = context["cycle"]
    user = context["request"].user
    if not (rules.is_office | rules.is_committee | rules.is_auditor)(user, cycle):
        return {"show": False}
    policy = policy_of(cycle)
    stages = [(s, in_language(policy.stage(s).name_zh, policy.stage(s).name_en))
              for s in ranking.scored_stages(cycle)]
    return {"show": bool(stages), "cycle": cycle, "stages": stages,
            "shortlist_stage": ranking.shortlist_stage(policy),
            "fixed": Shortlist.objects.filter(cycle=cycle).exists()}


def application_reports(context: template.Context) -> dict[str, Any]:
    app = context["app"]
    user = context["request"].user
    own = rules.is_own_applicant(user, app) or rules.is_office(user, app)
    return {"reports": ranking.released_reports(app) if own else []}


register.inclusion_tag("review/ranking_cycle_links.html", takes_context=True)(cycle_ranking)
register.inclusion_tag("review/ranking_application_reports.html", takes_context=True)(
    application_reports)
