"""Shared helpers for the eligibility tests.

Each policy module starts from a fully eligible baseline profile for its jurisdiction and
changes one thing per case, so that every case isolates one rule. A :class:`Case` states the
exact failing rules with the article the policy cites for them, the extra manual checks the
change causes, and ``barred_until``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest

from qaward.core.eligibility import ScreeningResult, parse_profile, screen
from qaward.core.policy import Policy
from qaward.core.policy.model import ManualCheck

D = dt.date
ON = D(2026, 6, 15)  # the usual screening date

Kind = Literal["organization", "individual"]
INCIDENT_KINDS = ("quality", "safety", "environment", "public_health", "food_safety",
                  "drug_safety")


def results(loss: int | None = None, *, policy_loss: bool = False,
            missing: Iterable[int] = ()) -> list[dict[str, Any]]:
    """Profitable annual results 2005-2035, with an optional loss year and missing years."""
    skip = set(missing)
    out: list[dict[str, Any]] = []
    for year in range(2005, 2036):
        if year in skip:
            continue
        row: dict[str, Any] = {"year": year, "profit": -250_000.0 if year == loss else 1e6}
        if year == loss and policy_loss:
            row["policy_loss"] = True
        out.append(row)
    return out


def organization(policy: Policy, **changes: Any) -> dict[str, Any]:
    """A raw organization profile that meets every hard condition of ``policy``."""
    base: dict[str, Any] = {
        "id": "org-1",
        "name": "基准有限公司",
        "kind": "organization",
        "jurisdiction": policy.jurisdiction.name_zh,
        "established_on": "2010-01-01",
        "excellence_model_since": "2012-01-01",
        "annual_results": results(),
    }
    base.update(changes)
    return base


def employer(policy: Policy, **changes: Any) -> dict[str, Any]:
    return organization(policy, **{"id": "employer-1", "name": "所属有限公司", **changes})


def individual(policy: Policy, **changes: Any) -> dict[str, Any]:
    """A raw individual profile that meets every hard condition of ``policy`` (if offered)."""
    base: dict[str, Any] = {
        "id": "person-1",
        "name": "张质量",
        "kind": "individual",
        "jurisdiction": policy.jurisdiction.name_zh,
        "established_on": "2010-01-01",
        "employer": employer(policy),
    }
    base.update(changes)
    return base


def district_award(policy: Policy, year: int, tier: str | None, **extra: Any) -> dict[str, Any]:
    """A win of this district's award (``tier`` None: the tier is not given)."""
    award: dict[str, Any] = {"level": "district", "jurisdiction": policy.jurisdiction.name_zh,
                             "year": year}
    if tier is not None:
        award["tier"] = tier
    award.update(extra)
    return award


def revoked(policy: Policy, year: int, on: str, cause: str, tier: str | None = None,
            **extra: Any) -> dict[str, Any]:
    return district_award(policy, year, tier or policy.tiers[0].id, revoked_on=on,
                          revocation_cause=cause, **extra)


def incident(date: str, kind: str = "quality", major: bool = True) -> dict[str, Any]:
    return {"date": date, "kind": kind, "major": major}


def complaint(date: str, major: bool = True, at_fault: bool = True) -> dict[str, Any]:
    return {"date": date, "major": major, "organization_at_fault": at_fault}


def record(date: str, serious: bool = True) -> dict[str, Any]:
    """A dishonesty or violation record."""
    return {"date": date, "serious": serious}


def city_application(year: int) -> dict[str, Any]:
    return {"level": "city", "year": year}


@dataclass(frozen=True)
class Case:
    """One screening: the change to the baseline and everything the result must show."""

    id: str
    changes: Mapping[str, Any] = field(default_factory=dict)
    fails: Mapping[str, str] = field(default_factory=dict)  # rule -> article
    on: dt.date = ON
    barred_until: dt.date | None = None
    manual: Mapping[str, str] = field(default_factory=dict)  # extra manual checks
    kind: Kind = "organization"
    fast_track: bool = False


def params(cases: Iterable[Case]) -> list[Any]:
    cases = list(cases)
    ids = [c.id for c in cases]
    assert len(set(ids)) == len(ids), "case ids must be unique"
    return [pytest.param(c, id=c.id) for c in cases]


def standing_manual(policy: Policy, kind: Kind) -> set[tuple[str, str]]:
    """The qualitative conditions the policy always lists for a track."""
    return {(r.id, r.cite) for r in policy.eligibility.get(kind, ())
            if isinstance(r, ManualCheck)}


def build(policy: Policy, case: Case) -> dict[str, Any]:
    make = organization if case.kind == "organization" else individual
    return make(policy, **case.changes)


def run(policy: Policy, case: Case) -> ScreeningResult:
    result = screen(policy, parse_profile(build(policy, case)), case.on)
    check(policy, case, result)
    return result


def check(policy: Policy, case: Case, result: ScreeningResult) -> None:
    assert {(r.rule, r.article) for r in result.reasons} == set(case.fails.items())
    assert result.verdict == ("ineligible" if case.fails else "eligible")
    for r in result.reasons:
        assert r.message_zh.strip() and r.message_en.strip(), r
    manual = {(m.rule, m.article) for m in result.manual_checks}
    assert manual == standing_manual(policy, case.kind) | set(case.manual.items())
    for m in result.manual_checks:
        assert m.text_zh.strip() and m.text_en.strip(), m
    assert result.barred_until == case.barred_until
    assert result.fast_track is case.fast_track
    assert (result.fast_track_article is None) is (not case.fast_track)
    assert result.on == case.on and result.policy == policy.id
