"""Properties of the eligibility engine over random profiles, for all five policies.

Screening dates are drawn inside each policy's period in force. 滨江 revocations for an
accident stop screening with a request for configuration (tested in tables/binjiang_2020.py), so
the random 滨江 profiles only hold fraud revocations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qaward.core.eligibility import ScreeningResult, parse_profile, screen, screener
from qaward.core.eligibility.engine import years_before
from qaward.core.policy import Policy, load_policy
from qaward.core.policy.model import (
    EmployerRecord,
    NoLosses,
    NoMajorIncidents,
    NoSeriousDishonesty,
)

from .helpers import INCIDENT_KINDS, individual, organization, results

POLICY_IDS = ["binjiang-2020", "changning-2023", "chanhe-2021", "chongming-2022",
              "hongkou-2021"]
POLICIES = {pid: load_policy(pid) for pid in POLICY_IDS}
LOCKOUT_RULES = {"after_award_lockout", "revocation_lockout"}
LEVELS = ["district", "district", "city", "national", "provincial"]
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

Raw = dict[str, Any]
Inputs = tuple[Policy, dt.date, Raw]


def period(policy: Policy) -> tuple[dt.date, dt.date]:
    """Dates on which the policy is certainly in force (瀍河: from 2022 on)."""
    f = policy.in_force
    if f.from_ is not None:
        start = f.from_
    else:
        assert f.from_not_later_than is not None
        start = f.from_not_later_than + dt.timedelta(days=1)
    return start, f.until or dt.date(2035, 12, 31)


def cites(node: Any) -> set[str]:
    """Every citation in a dumped policy."""
    found: set[str] = set()
    if isinstance(node, Mapping):
        if isinstance(node.get("cite"), str):
            found.add(node["cite"])
        for value in node.values():
            found |= cites(value)
    elif isinstance(node, list | tuple):
        for value in node:
            found |= cites(value)
    return found


CITES = {pid: cites(p.model_dump(by_alias=True)) for pid, p in POLICIES.items()}


def failing(result: ScreeningResult) -> set[tuple[str, str]]:
    return {(r.rule, r.article) for r in result.reasons}


def run(policy: Policy, on: dt.date, raw: Raw) -> ScreeningResult:
    return screen(policy, parse_profile(raw), on)


def rule_of(policy: Policy, kind: str, cls: type[Any]) -> Any:
    return next((r for r in policy.eligibility.get(kind, ()) if isinstance(r, cls)), None)


# -- strategies ---------------------------------------------------------------------------


# A fact of the profile: mostly stated true, sometimes false, sometimes not stated (unknown).
FACT = st.sampled_from([True, True, True, False, None])


def event_dates(on: dt.date) -> st.SearchStrategy[dt.date]:
    """From eight years before the screening date to some months after it."""
    return st.dates(years_before(on, 8), on + dt.timedelta(days=200))


@st.composite
def adverse_facts(draw: st.DrawFn, policy: Policy, on: dt.date) -> Raw:
    """The event lists of a profile: incidents, complaints, records, awards, applications."""
    when = event_dates(on)
    causes = ["fraud"] if policy.id == "binjiang-2020" else ["fraud", "incident"]
    tiers = [None, *(t.id for t in policy.tiers), "bronze"]
    # This district, another known one, a place the engine cannot read.
    award_places = [None, policy.jurisdiction.name_zh, policy.jurisdiction.id,
                    policy.jurisdiction.name_en, "上海市长宁区", "上海市黄浦区"]
    awards = []
    for _ in range(draw(st.integers(0, 3))):
        level = draw(st.sampled_from(LEVELS))
        award: Raw = {
            "level": level,
            "jurisdiction": draw(st.sampled_from(award_places)),
            "tier": draw(st.sampled_from(
                [None, "award", "nomination"] if level == "national" else tiers)),
            "year": draw(st.integers(on.year - 7, on.year + 1)),
        }
        if draw(st.booleans()):
            award["revoked_on"] = draw(when)
            award["revocation_cause"] = draw(st.sampled_from(causes))
        awards.append(award)
    record = st.fixed_dictionaries({"date": when, "serious": st.booleans()})
    return {
        "incidents": draw(st.lists(st.fixed_dictionaries({
            "date": when, "kind": st.sampled_from(INCIDENT_KINDS), "major": st.booleans(),
        }), max_size=3)),
        "complaints": draw(st.lists(st.fixed_dictionaries({
            "date": when, "major": st.booleans(), "organization_at_fault": st.booleans(),
        }), max_size=2)),
        "failed_inspections": draw(st.lists(when, max_size=2)),
        "dishonesty": draw(st.lists(record, max_size=2)),
        "violations": draw(st.lists(record, max_size=2)),
        "awards": awards,
        "other_applications": draw(st.lists(st.fixed_dictionaries({
            "level": st.sampled_from(["city", "district", "national"]),
            "year": st.integers(on.year - 1, on.year + 1),
        }), max_size=2)),
    }


@st.composite
def organization_profiles(draw: st.DrawFn, policy: Policy, on: dt.date, id: str = "org") -> Raw:
    j = policy.jurisdiction
    years = draw(st.lists(st.integers(on.year - 7, on.year), unique=True))
    return {
        "id": id,
        "name": "随机组织",
        "kind": "organization",
        "jurisdiction": draw(st.sampled_from([j.id, j.name_zh, *j.aliases, j.name_zh,
                                              "上海市黄浦区"])),
        "established_on": draw(st.dates(years_before(on, 10), on + dt.timedelta(days=100))),
        "legal_person": draw(FACT),
        "pays_tax_locally": draw(FACT),
        "licensed": draw(FACT),
        "chief_quality_officer": draw(FACT),
        "for_profit": draw(FACT),
        "excellence_model_since": draw(st.none() | event_dates(on)),
        "annual_results": [{"year": y, "profit": draw(st.sampled_from([-5.0, 0.0, 5.0])),
                            "policy_loss": draw(st.booleans())} for y in sorted(years)],
        **draw(adverse_facts(policy, on)),
    }


@st.composite
def random_profiles(draw: st.DrawFn, policy: Policy, on: dt.date) -> Raw:
    raw = draw(organization_profiles(policy, on))
    if draw(st.booleans()):
        raw.update(
            id="person", kind="individual", top_manager=draw(st.booleans()),
            employer=draw(st.none() | organization_profiles(policy, on, id="employer")),
        )
    return raw


@st.composite
def inputs(draw: st.DrawFn) -> Inputs:
    policy = POLICIES[draw(st.sampled_from(POLICY_IDS))]
    start, end = period(policy)
    on = draw(st.dates(start, end))
    return policy, on, draw(random_profiles(policy, on))


def strip(raw: Raw) -> Raw:
    """The same profile without any adverse fact."""
    out = {**raw, "incidents": [], "complaints": [], "failed_inspections": [], "dishonesty": [],
           "violations": [], "awards": [], "other_applications": [],
           "annual_results": [{**a, "profit": abs(a["profit"])}
                              for a in raw.get("annual_results", [])]}
    if out.get("employer") is not None:
        out["employer"] = strip(out["employer"])
    return out


# -- properties ---------------------------------------------------------------------------


@SETTINGS
@given(inputs())
def test_the_verdict_is_ineligible_iff_there_is_a_reason(case: Inputs) -> None:
    result = run(*case)
    assert result.verdict == ("ineligible" if result.reasons else "eligible")
    for r in result.reasons:
        assert r.message_zh.strip() and r.message_en.strip()
    for m in result.manual_checks:
        assert m.text_zh.strip() and m.text_en.strip()


@SETTINGS
@given(inputs())
def test_every_article_is_a_citation_of_the_policy(case: Inputs) -> None:
    policy, _, _ = case
    result = run(*case)
    for finding in (*result.reasons, *result.manual_checks):
        assert finding.article in CITES[policy.id], finding
    if result.fast_track_article is not None:
        assert result.fast_track_article in CITES[policy.id]


@SETTINGS
@given(inputs())
def test_screening_is_deterministic(case: Inputs) -> None:
    policy, on, raw = case
    first = run(policy, on, raw)
    compiled = screener(policy, on)
    again = [run(policy, on, raw), compiled.screen(parse_profile(raw)),
             compiled.screen(parse_profile(raw))]
    assert all(r == first for r in again)
    assert all(r.to_json() == first.to_json() for r in again)


def assert_never_helps(before: ScreeningResult, after: ScreeningResult) -> None:
    assert failing(before) <= failing(after)
    if before.verdict == "ineligible":
        assert after.verdict == "ineligible"


@SETTINGS
@given(inputs(), st.data())
def test_an_extra_major_incident_of_a_listed_kind_never_helps(case: Inputs,
                                                             data: st.DataObject) -> None:
    policy, on, raw = case
    kind = raw["kind"]
    rule = rule_of(policy, kind, NoMajorIncidents if kind == "organization" else EmployerRecord)
    via_employer = kind == "individual" and raw.get("employer") is not None
    years, kinds = (rule.years, rule.kinds) if rule else (3, INCIDENT_KINDS)
    extra = {"date": data.draw(st.dates(years_before(on, years), on)),
             "kind": data.draw(st.sampled_from(kinds)), "major": True}
    if via_employer:
        employer = raw["employer"]
        changed = {**raw, "employer": {**employer, "incidents": [*employer["incidents"], extra]}}
    else:
        changed = {**raw, "incidents": [*raw["incidents"], extra]}
    before, after = run(policy, on, raw), run(policy, on, changed)
    assert_never_helps(before, after)
    if kind == "organization" and rule is not None:
        assert (rule.rule, rule.cite) in failing(after)
    if via_employer and rule is not None and (raw["top_manager"] or not rule.only_if_top_manager):
        assert (rule.rule, rule.cite) in failing(after)


@SETTINGS
@given(inputs(), st.data())
def test_an_extra_loss_year_never_helps(case: Inputs, data: st.DataObject) -> None:
    policy, on, raw = case
    rule = rule_of(policy, raw["kind"], NoLosses)
    span = rule.years if rule else 3
    year = data.draw(st.integers(on.year - span, on.year - 1))
    kept = [a for a in raw["annual_results"] if a["year"] != year]
    changed = {**raw, "annual_results": [*kept, {"year": year, "profit": -1.0}]}
    before, after = run(policy, on, raw), run(policy, on, changed)
    assert_never_helps(before, after)
    # 崇明 第十六条第（五）项: only an organization doing business is held to the no-loss test.
    if rule is not None and (rule.non_profit is None or raw.get("for_profit") is True):
        assert (rule.rule, rule.cite) in failing(after)


@SETTINGS
@given(inputs(), st.data())
def test_an_extra_serious_dishonesty_record_never_helps(case: Inputs,
                                                       data: st.DataObject) -> None:
    policy, on, raw = case
    rule = rule_of(policy, raw["kind"], NoSeriousDishonesty)
    earliest = years_before(on, rule.years if rule and rule.years else 20)
    extra = {"date": data.draw(st.dates(earliest, on)), "serious": True}
    changed = {**raw, "dishonesty": [*raw["dishonesty"], extra]}
    before, after = run(policy, on, raw), run(policy, on, changed)
    assert_never_helps(before, after)
    if rule is not None and not rule.judged:
        assert (rule.rule, rule.cite) in failing(after)
    if rule is not None and rule.judged:  # 个人信用记录良好: the office judges the record
        assert (rule.rule, rule.cite) in {(m.rule, m.article) for m in after.manual_checks}


@SETTINGS
@given(st.data())
def test_removing_all_adverse_facts_from_the_baseline_keeps_it_eligible(
        data: st.DataObject) -> None:
    policy = POLICIES[data.draw(st.sampled_from(POLICY_IDS))]
    start, end = period(policy)
    on = data.draw(st.dates(start, end))
    makes = [organization, individual] if "individual" in policy.eligibility else [organization]
    make = data.draw(st.sampled_from(makes))
    baseline = make(policy)
    assert run(policy, on, baseline).verdict == "eligible"
    losses = data.draw(st.lists(st.integers(on.year - 6, on.year), max_size=3))
    adverse = {**baseline, **data.draw(adverse_facts(policy, on)),
               "annual_results": [{**a, "profit": -a["profit"]} if a["year"] in losses else a
                                  for a in results()]}
    assert run(policy, on, strip(adverse)).verdict == "eligible"


@SETTINGS
@given(inputs())
def test_removing_adverse_facts_never_makes_an_eligible_profile_ineligible(
        case: Inputs) -> None:
    policy, on, raw = case
    if run(policy, on, raw).verdict == "eligible":
        assert run(policy, on, strip(raw)).verdict == "eligible"


@SETTINGS
@given(inputs())
def test_barred_until_is_set_iff_a_lockout_reason_is_present(case: Inputs) -> None:
    _, on, _ = case
    result = run(*case)
    locked = any(r.rule in LOCKOUT_RULES for r in result.reasons)
    assert (result.barred_until is not None) == locked
    if result.barred_until is not None:
        assert result.barred_until >= on
