"""The regulation versions (public to any authenticated user).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from qaward.core.policy.inspect import flatten
from qaward.web.policies.models import PolicyVersion
from qaward.web.policies.services import policy_of_version

from .schemas import ErrorOut, PolicyDetailOut, PolicyOut, stages


def _policy_out(pv: PolicyVersion) -> dict[str, Any]:
    p = policy_of_version(pv)
    return {"id": pv.policy_id, "jurisdiction": pv.jurisdiction.code,
            "jurisdiction_name_zh": pv.jurisdiction.name_zh, "title_zh": pv.title_zh,
            "award_name_zh": p.award_name_zh, "award_name_en": p.award_name_en,
            "in_force_from": pv.in_force_from, "in_force_until": pv.in_force_until,
            "in_force_article": p.in_force.cite}


router = Router(tags=["policies"])


@router.get("", response=list[PolicyOut], summary="The regulation versions")
def list_policies(request: HttpRequest) -> list[dict[str, Any]]:
    return [_policy_out(pv) for pv in
            PolicyVersion.objects.filter(current=True).select_related("jurisdiction")
            .order_by("policy_id")]


@router.get("/{policy_id}", response={200: PolicyDetailOut, 404: ErrorOut},
              summary="One regulation version: every rule with its article")
def get_policy(request: HttpRequest, policy_id: str) -> dict[str, Any]:
    # The current content of the policy file (a cycle's pinned content is on the cycle).
    pv = get_object_or_404(PolicyVersion.objects.select_related("jurisdiction"),
                           policy_id=policy_id, current=True)
    out = _policy_out(pv)
    out["stages"] = stages(policy_of_version(pv), review_only=False)
    out["rules"] = [{"key": r.key, "value": r.value, "article": r.cite or None}
                    for r in flatten(policy_of_version(pv)).values()]
    return out

