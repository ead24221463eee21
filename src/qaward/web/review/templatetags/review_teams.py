"""The review teams' part of the cycle page (``{% load review_teams %}``): a link to each
scored stage's teams with how many are formed. The cycles app names the tag; it does not
import the review app."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count

from qaward.web.common.views import english
from qaward.web.policies.services import policy_of
from qaward.web.review.models import Team
from qaward.web.review.teams import review_stages

register = template.Library()


def cycle_review_teams(context: template.Context) -> dict[str, Any]:
    cycle = context["cycle"]
    if not context.get("is_office"):
        return {"stages": []}
    policy = policy_of(cycle)
    formed = dict(Team.objects.filter(cycle=cycle).values_list("stage")
                  .annotate(n=Count("id")).values_list("stage", "n"))
    stages = []
    for sid in review_stages(policy):
        s = policy.stage(sid)
        stages.append((sid, s.name_en if english() else s.name_zh, formed.get(sid, 0)))
    return {"cycle": cycle, "stages": stages}


register.inclusion_tag("review/teams_cycle_links.html", takes_context=True)(cycle_review_teams)
