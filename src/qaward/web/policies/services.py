"""The regulation versions: registered from the policy files (``sync_policies``), looked up
for a cycle (``policy_of``) and for a date (``policy_in_force``)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.utils.translation import gettext as _

from qaward.core.eligibility import check_in_force
from qaward.core.errors import ConfigurationRequired, PolicyNotInForce
from qaward.core.policy import Policy, list_policies, load_policy
from qaward.core.policy.loader import policy_files
from qaward.web.accounts.models import Jurisdiction
from qaward.web.common.errors import ServiceError

from .models import PolicyVersion


def policy_of(cycle: Any) -> Policy:
    return load_policy(cycle.policy.policy_id)


def sync_policies() -> list[PolicyVersion]:
    """Register every policy file in the database (jurisdictions included)."""

    out = []
    files = policy_files()
    for pid in list_policies():
        p = load_policy(pid)
        j, _created = Jurisdiction.objects.update_or_create(
            code=p.jurisdiction.id, defaults={"name_zh": p.jurisdiction.name_zh})
        sha = hashlib.sha256(files[pid].read_bytes()).hexdigest()
        pv, _created = PolicyVersion.objects.update_or_create(
            policy_id=pid,
            defaults={"jurisdiction": j, "title_zh": p.title_zh,
                      "in_force_from": p.in_force.from_ or p.in_force.from_not_later_than,
                      "in_force_until": p.in_force.until, "content_sha256": sha})
        out.append(pv)
    return out


def policy_in_force(jurisdiction: Jurisdiction, on: dt.date) -> tuple[PolicyVersion, Policy]:
    """The jurisdiction's policy version in force on ``on``; refusals cite the article."""

    refusals: list[str] = []
    for pv in jurisdiction.policies.order_by("-in_force_from"):
        p = load_policy(pv.policy_id)
        try:
            check_in_force(p, on)
        except (PolicyNotInForce, ConfigurationRequired) as err:
            refusals.append(str(err))
            continue
        return pv, p
    raise ServiceError(
        _("%(date)s 没有有效的管理办法，不能开启评选周期：%(refusals)s")
        % {"date": on, "refusals": "; ".join(refusals)}
        if refusals
        else _("%(jurisdiction)s 没有登记任何管理办法") % {"jurisdiction": jurisdiction})

