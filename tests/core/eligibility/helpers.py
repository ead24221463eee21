"""Shared helpers for the eligibility tests.

Each policy's table module (``tables/<policy>.py``) starts from a fully eligible baseline
profile for its jurisdiction and changes one thing per case, so that every case isolates one
rule. A :class:`Case` states the exact failing rules with the article the policy cites for
them, the extra manual checks the change causes, ``barred_until`` and the fast track with its
article; or, with ``stops``, the error that stops the screening and the article or
configuration key it names. One parametrised test (``test_policy_cases.py``) runs every row of
every table through :func:`run`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest

from qaward.core.eligibility import ScreeningResult, parse_profile, screen
from qaward.core.errors import ConfigurationRequired, PolicyNotInForce
from qaward.core.policy import Policy
from qaward.core.policy.model import ManualCheck

D = dt.date
ON = D(2026, 6, 15)  # the usual screening date

Kind = Literal["organization", "individual"]
# The profile's facts that are unknown (None) unless stated.
FACTS = ("legal_person", "pays_tax_locally", "licensed", "chief_quality_officer", "for_profit")
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
        # Facts unknown unless stated (a rule needing one becomes a manual check).
        **{fact: True for fact in FACTS},
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


def city_application(year: int, jurisdiction: str | None = None) -> dict[str, Any]:
    """An application for a city government quality award (``jurisdiction``: whose)."""
    app: dict[str, Any] = {"level": "city", "year": year}
    if jurisdiction is not None:
        app["jurisdiction"] = jurisdiction
    return app


@dataclass(frozen=True)
class Stops:
    """The screening does not give a result: it raises ``error`` for the case's policy.

    ``PolicyNotInForce`` names the ``article`` (in the error and its message);
    ``ConfigurationRequired`` names the configuration ``key``.
    """

    error: type[PolicyNotInForce] | type[ConfigurationRequired]
    article: str | None = None
    key: str | None = None

    def __post_init__(self) -> None:
        if self.error is PolicyNotInForce:
            assert self.article and self.key is None, "PolicyNotInForce names an article"
        else:
            assert self.key and self.article is None, "ConfigurationRequired names a key"


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
    fast_track_article: str | None = None
    says: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # rule -> (zh, en) words
    stops: Stops | None = None
    # Tiers the applicant may not receive (曾获奖项): tier -> (article, until).
    excluded: Mapping[str, tuple[str, dt.date]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        assert self.fast_track is (self.fast_track_article is not None), (
            f"{self.id}: a fast track case names the fast track's article, and only it")
        assert set(self.says) <= set(self.fails), f"{self.id}: `says` words of failing rules"
        if self.stops is not None:
            assert not (self.fails or self.manual or self.barred_until or self.fast_track
                        or self.says), f"{self.id}: a screening that stops has no result"


def params(cases: Iterable[Case]) -> list[Any]:
    cases = list(cases)
    ids = [c.id for c in cases]
    assert len(set(ids)) == len(ids), "case ids must be unique"
    return [pytest.param(c, id=c.id) for c in cases]


def table_params(tables: Iterable[tuple[Policy, Mapping[str, Iterable[Case]]]]) -> list[Any]:
    """``(policy, case)`` parameters of every case of every policy's tables, with ids
    ``policy/table/case``; case ids are unique within a policy."""
    out: list[Any] = []
    for policy, groups in tables:
        ids: set[str] = set()
        for group, cases in groups.items():
            for case in cases:
                assert case.id not in ids, f"{policy.id}: case id used twice: {case.id}"
                ids.add(case.id)
                out.append(pytest.param(policy, case, id=f"{policy.id}/{group}/{case.id}"))
    return out


def standing_manual(policy: Policy, kind: Kind) -> set[tuple[str, str]]:
    """The qualitative conditions the policy always lists for a track."""
    return {(r.id, r.cite) for r in policy.eligibility.get(kind, ())
            if isinstance(r, ManualCheck)}


def build(policy: Policy, case: Case) -> dict[str, Any]:
    make = organization if case.kind == "organization" else individual
    return make(policy, **case.changes)


def run(policy: Policy, case: Case) -> ScreeningResult | None:
    profile = parse_profile(build(policy, case))
    if case.stops is not None:
        with pytest.raises(case.stops.error) as info:
            screen(policy, profile, case.on)
        error = info.value
        assert error.policy_id == policy.id
        if isinstance(error, PolicyNotInForce):
            assert error.article == case.stops.article
            assert case.stops.article in str(error)
        else:
            assert error.key == case.stops.key
        return None
    result = screen(policy, profile, case.on)
    check(policy, case, result)
    return result


def check(policy: Policy, case: Case, result: ScreeningResult) -> None:
    assert {(r.rule, r.article) for r in result.reasons} == set(case.fails.items())
    assert len(result.reasons) == len(case.fails), "one reason per failing rule"
    assert result.verdict == ("ineligible" if case.fails else "eligible")
    for r in result.reasons:
        assert r.message_zh.strip() and r.message_en.strip(), r
    manual = {(m.rule, m.article) for m in result.manual_checks}
    assert manual == standing_manual(policy, case.kind) | set(case.manual.items())
    keys = [m.key for m in result.manual_checks]
    assert len(set(keys)) == len(keys), f"manual check keys are unique: {keys}"
    assert {e.tier: (e.article, e.until) for e in result.excluded_tiers} == dict(case.excluded)
    assert len(result.excluded_tiers) == len(case.excluded)
    for m in result.manual_checks:
        assert m.text_zh.strip() and m.text_en.strip(), m
    assert result.barred_until == case.barred_until
    assert result.fast_track is case.fast_track
    assert result.fast_track_article == case.fast_track_article
    for r in result.reasons:
        if r.rule in case.says:
            zh, en = case.says[r.rule]
            assert zh in r.message_zh and en in r.message_en, r
    assert result.on == case.on and result.policy == policy.id
