"""Silence and "none" (issue 7): `{silent: ...}` means the text does not settle it, so an
action that needs the value stops with ConfigurationRequired naming the key until the office
configures it; `{none: ...}` means the regulation has no such rule: it does not apply and
configuration cannot add it.

A fictional district's policy (tests/data/policies/xinqu-2025) is silent or none in every
block that may be; it must validate, show, screen and, once configured, go on.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from qaward.cli import main
from qaward.core.appeals import AppealRefused, appeal_rules
from qaward.core.eligibility.engine import screener
from qaward.core.eligibility.profile import parse_profile
from qaward.core.errors import ConfigurationRequired, NoSuchRule, PolicyFileError
from qaward.core.notices import notice_for
from qaward.core.policy import load_policy, require
from qaward.core.policy.inspect import flatten, silent_values, validate_file
from qaward.core.policy.loader import apply_configuration, parse_policy
from qaward.core.policy.model import NoRule, Silent, given, is_none, is_silent
from qaward.core.states import DRAFT, RETURNED, SUBMITTED, End, NoticeId, StageId
from qaward.core.workflow import Facts, TransitionRefused, plan_transition, states

FICTIONAL = Path(__file__).resolve().parents[2] / "data" / "policies"
XINQU = FICTIONAL / "xinqu-2025" / "policy.yaml"
ON = dt.date(2026, 6, 15)
DECISION = "新区市场监管局局务会决定（2025年第3次）"


def raw() -> dict[str, Any]:
    data = yaml.safe_load(XINQU.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def configured(values: dict[str, Any]) -> Any:
    cfg = {"policy": "xinqu-2025", "values": values}
    return parse_policy(apply_configuration(raw(), cfg, file="xinqu-2025.yaml"),
                        file=str(XINQU), folder_name="xinqu-2025")


IN_FORCE = {"in_force.from": {"value": "2025-03-01", "cite": DECISION}}
LOCKOUT = {"after_award_lockout": {"years": 3, "tiers": ["mayor"], "cite": DECISION}}


def profile(**extra: Any) -> Any:
    return parse_profile({"id": "X-1", "name": "新区示例有限公司", "kind": "organization",
                          "jurisdiction": "新区", "established_on": "2015-05-01", **extra})


# ---------------------------------------------------------------------------------------------
# The fictional policy: validate and show


def test_the_fictional_policy_validates_with_silence_and_none_everywhere() -> None:
    policy = validate_file(XINQU)
    keys = dict(silent_values(policy))
    for key in ("in_force.from", "tracks.organization.criteria", "quotas.limits.0.max",
                "cycle.frequency_years", "after_award_lockout", "notices.final.length",
                "shortlist.method", "committee.vote", "objections", "appeals", "prizes.awards",
                "revocation.fraud.lockout_years", "revocation.fraud.recover",
                "obligations.title_use", "reviewers.recusal", "reviewers.sanctions",
                "review.scoring.material_review", "review.ranking.basis",
                "review.ranking.tie_breaks", "review.spread_threshold",
                "review.former_employer_years", "review.experts_named_to_applicants"):
        assert key in keys, key
    for block in (policy.fast_track, policy.incubation_pool, policy.prizes.repeat_winners,
                  policy.prizes.higher_level_bonuses, policy.obligations.annual_report,
                  policy.obligations.follow_up, policy.supersedes,
                  policy.revocation.incident.lockout_years,
                  policy.review.site_report_confirmation):
        assert is_none(block) and not given(block) and not is_silent(block)


def test_cli_validates_and_shows_it(monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("QAWARD_POLICY_DIRS", str(FICTIONAL))
    assert main(["policy", "validate", str(XINQU)]) == 0
    assert "42 left open by the regulation, 15 rules it does not have" in capsys.readouterr().out
    assert main(["policy", "show", "xinqu-2025"]) == 0
    out = capsys.readouterr().out
    assert "fast_track = none (no article lets a holder" in out
    assert "in_force.from = — (第十条 本办法自印发之日起施行" in out
    assert "revocation.incident.lockout_years = none (第七条 revokes" in out


def test_flatten_tells_silence_from_none() -> None:
    rules = flatten(validate_file(XINQU))
    assert rules["after_award_lockout"].value.startswith("— (第八条")
    assert rules["fast_track"].value.startswith("none (no article")
    assert rules["fast_track"].cite == "第五条"


# ---------------------------------------------------------------------------------------------
# Screening: silence stops where it would decide, none does not apply


def test_screening_stops_until_the_first_day_in_force_is_configured() -> None:
    with pytest.raises(ConfigurationRequired) as err:
        screener(validate_file(XINQU), ON)
    assert err.value.key == "in_force.from"
    assert "Configure it" in str(err.value)
    result = screener(configured(IN_FORCE), ON).screen(profile())
    assert result.verdict == "eligible"


def test_a_silent_lockout_stops_only_a_profile_it_could_bar() -> None:
    s = screener(configured(IN_FORCE), ON)
    assert s.screen(profile()).verdict == "eligible"  # no award record: not needed
    winner = profile(awards=[{"level": "district", "year": 2025, "jurisdiction": "新区",
                              "tier": "mayor"}])
    with pytest.raises(ConfigurationRequired) as err:
        s.screen(winner)
    assert err.value.key == "after_award_lockout"
    # Another district's award is not this award: no configuration needed.
    other = profile(awards=[{"level": "district", "year": 2025, "jurisdiction": "上海市虹口区"}])
    assert s.screen(other).verdict == "eligible"
    # Once the office configures it, screening goes on and bars the winner.
    barred = screener(configured({**IN_FORCE, **LOCKOUT}), ON).screen(winner)
    assert barred.verdict == "ineligible"
    assert [r.rule for r in barred.reasons] == ["after_award_lockout"]
    assert barred.reasons[0].article == DECISION


def test_a_none_fast_track_never_asks_for_configuration() -> None:
    national = profile(awards=[{"level": "national", "year": 2025}])
    result = screener(configured(IN_FORCE), ON).screen(national)
    assert result.verdict == "eligible" and not result.fast_track


def test_a_silent_fast_track_stops_a_profile_holding_a_higher_award() -> None:
    data = raw()
    data["fast_track"] = {"silent": "第五条 does not say whether a higher award skips a stage"}
    data = apply_configuration(data, {"policy": "xinqu-2025", "values": IN_FORCE}, file="cfg")
    s = screener(parse_policy(data, file="x"), ON)
    assert s.screen(profile()).verdict == "eligible"
    with pytest.raises(ConfigurationRequired) as err:
        s.screen(profile(awards=[{"level": "city", "year": 2025}]))
    assert err.value.key == "fast_track"


@pytest.mark.parametrize(("cause", "stops"), [("fraud", True), ("incident", False)])
def test_revocation_lockout_silent_versus_none(cause: str, stops: bool) -> None:
    revoked = profile(awards=[{"level": "district", "year": 2020, "jurisdiction": "新区",
                               "revoked_on": "2025-01-10", "revocation_cause": cause}])
    s = screener(configured(IN_FORCE), ON)
    if stops:  # 第七条 bars 在一定期限内: silent, the office must set the years
        with pytest.raises(ConfigurationRequired) as err:
            s.screen(revoked)
        assert err.value.key == "revocation.fraud.lockout_years"
    else:  # 第七条 sets no bar after an incident: none, nothing to configure
        assert s.screen(revoked).verdict == "eligible"


# ---------------------------------------------------------------------------------------------
# Workflow steps in the core: silent stops with "configure", none does not apply


def test_a_silent_notice_length_stops_the_notice_until_configured() -> None:
    with pytest.raises(ConfigurationRequired) as err:
        notice_for(configured(IN_FORCE), "final", dt.date(2026, 9, 28))
    assert err.value.key == "notices.final.length"
    length = {"notices.final.length": {"value": 7, "unit": "days", "minimum": True,
                                       "cite": DECISION}}
    window = notice_for(configured({**IN_FORCE, **length}), "final", dt.date(2026, 9, 28))
    assert DECISION in window["article"]


def test_silent_appeals_ask_for_configuration_none_refuses() -> None:
    with pytest.raises(ConfigurationRequired) as err:
        appeal_rules(configured(IN_FORCE), End.INELIGIBLE)
    assert err.value.key == "appeals"
    with pytest.raises(AppealRefused):
        appeal_rules(load_policy("chanhe-2021"), End.INELIGIBLE)
    appeals = {"appeals": {"decisions": ["eligibility"],
                           "time_limit": {"value": 10, "cite": DECISION},
                           "decided_by": {"value": "office_head", "cite": DECISION},
                           "cite": DECISION}}
    assert appeal_rules(configured({**IN_FORCE, **appeals}), End.INELIGIBLE).decisions == (
        "eligibility",)


def test_require_names_the_key_and_refuses_a_rule_that_does_not_exist() -> None:
    p = validate_file(XINQU)
    with pytest.raises(ConfigurationRequired, match=r"committee\.vote"):
        require(p, p.committee.vote, "committee.vote")
    with pytest.raises(NoSuchRule, match=r"fast_track.*cannot add it"):
        require(p, p.fast_track, "fast_track")


# ---------------------------------------------------------------------------------------------
# Configuration can fill silence, never a none


@pytest.mark.parametrize("key", ["fast_track", "revocation.incident.lockout_years",
                                 "incubation_pool", "obligations.annual_report"])
def test_a_none_cannot_be_configured(key: str) -> None:
    with pytest.raises(PolicyFileError) as err:
        configured({key: {"value": 3, "cite": DECISION}})
    (problem,) = err.value.problems
    assert problem.startswith(f"values.{key}: the regulation has no such rule")
    assert "never add a rule the regulation does not have" in problem


@pytest.mark.parametrize("given_value", [{"none": "the office finds no such rule here"},
                                         {"silent": "still open, the office says"}])
def test_configuration_gives_a_value_not_silence_or_none(given_value: Any) -> None:
    with pytest.raises(PolicyFileError, match=r"values\.after_award_lockout: a configuration "
                                              r"gives a value"):
        configured({"after_award_lockout": given_value})


def test_configured_blocks_and_leaves_cite_the_decision() -> None:
    p = configured({**IN_FORCE, **LOCKOUT,
                    "quotas.limits.0.max": {"value": 3, "cite": DECISION},
                    "committee.vote": {"value": "vote", "cite": DECISION}})
    assert given(p.after_award_lockout) and p.after_award_lockout.source == "configuration"
    assert p.in_force.first_day == dt.date(2025, 3, 1)
    assert p.configured["committee.vote"] == DECISION
    assert "after_award_lockout" not in dict(silent_values(p))


# ---------------------------------------------------------------------------------------------
# Validation of `{none: ...}` entries


def problems_of(mutate: Any) -> list[str]:
    data = copy.deepcopy(raw())
    mutate(data)
    with pytest.raises(PolicyFileError) as err:
        parse_policy(data, file="policy.yaml")
    return err.value.problems


@pytest.mark.parametrize("text", ["TBD", "无", "none", " n/a ", "无此规定", "—"])
def test_a_none_must_say_why(text: str) -> None:
    def mutate(d: dict[str, Any]) -> None:
        d["fast_track"] = {"none": text}

    (problem,) = problems_of(mutate)
    assert problem.startswith("fast_track.none: Value error, ")
    assert "does not say why there is no such rule" in problem


def test_a_none_where_every_award_has_the_value_is_refused() -> None:
    def mutate(d: dict[str, Any]) -> None:
        d["cycle"]["frequency_years"] = {"none": "第三条 gives no period at all"}

    (problem,) = problems_of(mutate)
    assert problem.startswith("cycle.frequency_years: Value error, `{none: ...}` is not "
                              "allowed here")
    assert "{silent" in problem


def test_a_none_citation_must_name_an_article() -> None:
    def mutate(d: dict[str, Any]) -> None:
        d["fast_track"] = {"none": "no article has a fast track", "cite": "article 5"}

    (problem,) = problems_of(mutate)
    assert problem.startswith("fast_track.cite: Value error, citation 'article 5'")


def test_a_none_takes_no_other_keys() -> None:
    def mutate(d: dict[str, Any]) -> None:
        d["incubation_pool"] = {"none": "no article sets up a pool", "years": 3}

    assert problems_of(mutate) == ["incubation_pool.years: unknown key (check its spelling "
                                   "against docs/policy-guide.md)"]


def test_silent_and_none_are_distinct_types() -> None:
    p = validate_file(XINQU)
    assert isinstance(p.after_award_lockout, Silent)
    assert isinstance(p.fast_track, NoRule)


# ---------------------------------------------------------------------------------------------
# A silent recommendation (第五条: 是否须经推荐另行规定)

RECOMMENDATION = {"recommendation": {"required": True, "by_zh": "区市场监管局",
                                     "cite": DECISION}}


@pytest.mark.parametrize(("source", "target"), [
    (DRAFT, SUBMITTED), (RETURNED, SUBMITTED), (SUBMITTED, StageId.ELIGIBILITY)])
def test_a_silent_recommendation_stops_the_recommendation_stage(source: str,
                                                                target: str) -> None:
    p = configured(IN_FORCE)
    assert is_silent(p.recommendation)
    # The states can still be listed (for displays); only the moves that need the rule stop.
    assert SUBMITTED in [s.id for s in states(p)]
    with pytest.raises(ConfigurationRequired) as err:
        plan_transition(p, source, target, Facts(today=ON, recommendation_signed=True))
    assert err.value.key == "recommendation"
    with pytest.raises(ConfigurationRequired):
        p.recommendation_rule()


def test_a_configured_recommendation_block_guards_eligibility() -> None:
    p = configured({**IN_FORCE, **RECOMMENDATION})
    rec = p.recommendation_rule()
    assert rec.required and rec.source == "configuration" and rec.cite == DECISION
    assert p.configured["recommendation"] == DECISION
    assert "recommendation" not in dict(silent_values(p))
    plan_transition(p, DRAFT, SUBMITTED, Facts(today=ON))
    with pytest.raises(TransitionRefused) as err:
        plan_transition(p, SUBMITTED, StageId.ELIGIBILITY, Facts(today=ON))
    assert err.value.article == DECISION
    plan_transition(p, SUBMITTED, StageId.ELIGIBILITY,
                    Facts(today=ON, recommendation_signed=True))


def test_a_bundled_policy_keeps_its_recommendation() -> None:
    p = load_policy("hongkou-2021")
    assert given(p.recommendation) and p.recommendation_rule() is p.recommendation
    assert p.recommendation_cite == p.recommendation.cite


# ---------------------------------------------------------------------------------------------
# A silent notice block (第五条: 评审结果按照有关规定公示)

SHORTLIST_NOTICE = {"notices.shortlist": {
    "required": True, "length": {"value": 5, "unit": "working_days", "minimum": True},
    "audiences": ["public"], "requires_no_objection": False,
    "title_zh": "专家评审结果", "title_en": "Expert review results", "title_cite": DECISION,
    "cite": DECISION}}


def test_a_silent_notice_block_validates_and_stops_where_it_is_needed() -> None:
    p = configured({**IN_FORCE, **RECOMMENDATION})
    assert is_silent(p.notices.shortlist) and not p.notice_required(NoticeId.SHORTLIST)
    # The stage naming it is valid, and its notice state is listed (for displays).
    assert p.stage(StageId.MATERIAL_REVIEW).notice == NoticeId.SHORTLIST
    notice_states = [s for s in states(p) if s.notice == NoticeId.SHORTLIST]
    assert len(notice_states) == 1
    with pytest.raises(ConfigurationRequired) as err:
        p.notice(NoticeId.SHORTLIST)
    assert err.value.key == "notices.shortlist"
    with pytest.raises(ConfigurationRequired) as err:
        notice_for(p, NoticeId.SHORTLIST, ON)
    assert err.value.key == "notices.shortlist"
    with pytest.raises(ConfigurationRequired) as err:
        plan_transition(p, StageId.MATERIAL_REVIEW, notice_states[0].id, Facts(today=ON))
    assert err.value.key == "notices.shortlist"


def test_a_configured_notice_block_cites_the_decision_and_counts() -> None:
    p = configured({**IN_FORCE, **RECOMMENDATION, **SHORTLIST_NOTICE})
    notice = p.notice(NoticeId.SHORTLIST)
    assert notice.source == "configuration" and notice.cite == DECISION
    assert p.configured["notices.shortlist"] == DECISION
    window = notice_for(p, NoticeId.SHORTLIST, dt.date(2026, 9, 28))
    assert window["end"] == "2026-10-10" and window["article"].startswith(DECISION)
    target = next(s.id for s in states(p) if s.notice == NoticeId.SHORTLIST)
    assert plan_transition(p, StageId.MATERIAL_REVIEW, target, Facts(today=ON)).target == target


def test_a_notice_from_the_regulation_must_still_cite_an_article() -> None:
    problems = problems_of(lambda d: d["notices"]["final"].update(cite="局务会决定"))
    assert any("notices.final" in p and "does not name an article" in p for p in problems)


def test_bundled_notices_are_unchanged() -> None:
    for pid in ("hongkou-2021", "chongming-2022", "binjiang-2020"):
        p = load_policy(pid)
        for stage in (NoticeId.ELIGIBILITY, NoticeId.SHORTLIST, NoticeId.FINAL,
                      NoticeId.INTERNAL):
            n = p.notice(stage)
            assert n.source == "regulation" and p.notice_required(stage) == n.required
