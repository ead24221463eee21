"""Screening where the policy does not settle a lockout or a fast track (``{silent: ...}``).

A silent rule is not "no rule" (``{none: ...}``, which simply does not apply): the office must
configure it before it can decide a case that depends on it. So a profile that the rule could
touch (an award record of the relevant level) stops screening with ConfigurationRequired
naming the key; a profile that it cannot touch is screened as usual.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from qaward.core.eligibility.profile import AwardRecord, Profile
from qaward.core.errors import ConfigurationRequired
from qaward.core.policy.model import Policy, is_silent


def _standing(a: AwardRecord, on: dt.date) -> bool:
    return a.revoked_on is None or a.revoked_on > on


def silent_checks(policy: Policy, on: dt.date, is_here: Callable[[str | None], bool]
                  ) -> list[Callable[[Profile, Any], None]]:
    """Checks that stop screening where a silent after-award lockout would decide.

    ``is_here``: whether an award record's place is this district (the engine's one place
    matching, ``_Compiler.district_of``)."""
    lock = policy.after_award_lockout
    if not is_silent(lock):
        return []

    def check(p: Profile, out: Any) -> None:
        for a in p.awards:
            if a.level != "district" or not _standing(a, on) or a.year > on.year:
                continue
            if is_here(a.jurisdiction):
                raise ConfigurationRequired(
                    policy.id, "after_award_lockout",
                    f"{lock.silent}; {p.name} won this district's award in {a.year}, so "
                    "whether it may apply again depends on it")
    return [check]


def silent_fast_track(policy: Policy, on: dt.date) -> Callable[[Profile], bool] | None:
    """Where the fast track is silent: a profile holding a higher award stops screening."""
    ft = policy.fast_track
    if not is_silent(ft):
        return None

    def qualifies(p: Profile) -> bool:
        if any(a.level != "district" and _standing(a, on) for a in p.awards):
            raise ConfigurationRequired(
                policy.id, "fast_track",
                f"{ft.silent}; {p.name} holds a higher-level award, so whether it skips "
                "stages depends on it")
        return False
    return qualifies
