"""The stage engine under each of the five regulations: which moves exist from each state,
and every guard that refuses a move, with the article it names."""

from __future__ import annotations

import copy
import datetime as dt
from collections import deque
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qaward.core.policy import load_policy
from qaward.core.policy.loader import parse_policy, policy_files, read_yaml
from qaward.core.policy.model import Policy
from qaward.core.states import (
    AWARDED,
    DRAFT,
    ENDS,
    FINISHED,
    End,
    Kind,
    StageId,
    notice_state_id,
)
from qaward.core.workflow import (
    Facts,
    TransitionRefused,
    allowed_targets,
    main_line,
    notice_state_of,
    plan_transition,
    state,
    states,
)

ALL_IDS = ["binjiang-2020", "changning-2023", "chanhe-2021", "chongming-2022", "hongkou-2021"]
TODAY = dt.date(2026, 5, 11)
W, E, R = "withdrawn", "ineligible", "returned"
NS, NA, RO = "not_shortlisted", "not_awarded", "removed_by_objection"
NO_TARGETS = {s: () for s in (AWARDED, *ENDS)}

# Every move the engine allows from each state (before guards), as each regulation reads.
TARGETS: dict[str, dict[str, tuple[str, ...]]] = {
    "binjiang-2020": {
        "draft": ("submitted", W), "returned": ("submitted", W),
        "submitted": ("recommendation", R, W),
        "recommendation": ("eligibility", W),
        "eligibility": ("material_review", E, R, W),  # 四、（三）: no notice
        "material_review": ("site_review", NS, W),  # 四、（四）: 1.5 倍
        "site_review": ("comprehensive_evaluation", W),
        "comprehensive_evaluation": ("department_consultation", NA, W),
        "department_consultation": ("committee", NA, W),
        "committee": ("committee_notice", NA, W),  # 四、（七）: notice after the vote
        "committee_notice": ("approval", RO, W),
        "approval": (AWARDED, NA, W),
        **NO_TARGETS,
    },
    "changning-2023": {
        "draft": ("submitted", W), "returned": ("submitted", W),
        "submitted": ("recommendation", R, W),
        "recommendation": ("eligibility", W),
        "eligibility": ("eligibility_notice", E, R, W),
        "eligibility_notice": ("material_review", RO, W),
        "material_review": ("site_review", NS, W),
        "site_review": ("comprehensive_evaluation", W),
        "comprehensive_evaluation": ("committee", NA, W),
        "committee": ("approval", NA, W),
        # 第二十五条第二款: 报批 first, then the notice of 拟获奖名单.
        "approval": ("approval_notice", NA, W),
        "approval_notice": (AWARDED, RO, W),
        **NO_TARGETS,
    },
    "chanhe-2021": {
        "draft": ("submitted", W), "returned": ("submitted", W),
        "submitted": ("recommendation", R, W),
        "recommendation": ("eligibility", W),
        "eligibility": ("material_review", E, R, W),
        "material_review": ("site_review", W),  # 第十七条: no one leaves here
        "site_review": ("ranking", W),
        "ranking": ("committee", NS, W),  # 第十八条: 入围评委会审定会单位名单
        "committee": ("committee_notice", NA, W),
        "committee_notice": ("approval", RO, W),
        "approval": (AWARDED, NA, W),
        **NO_TARGETS,
    },
    "chongming-2022": {
        "draft": ("submitted", W), "returned": ("submitted", W),
        # 第二十条: recommendation is optional, so a submission may go straight to review.
        "submitted": ("recommendation", "eligibility", R, W),
        "recommendation": ("eligibility", W),
        "eligibility": ("eligibility_notice", E, R, W),
        "eligibility_notice": ("material_review", RO, W),
        "material_review": ("site_review", NS, W),
        "site_review": ("comprehensive_evaluation", W),
        "comprehensive_evaluation": ("committee", NA, W),
        "committee": ("committee_notice", NA, W),
        "committee_notice": ("approval", RO, W),
        "approval": (AWARDED, NA, W),
        **NO_TARGETS,
    },
    "hongkou-2021": {
        "draft": ("submitted", W), "returned": ("submitted", W),
        "submitted": ("recommendation", R, W),
        "recommendation": ("eligibility", W),
        # 第十五条第二款: the fast track skips the eligibility notice to material review.
        "eligibility": ("eligibility_notice", "material_review", E, R, W),
        "eligibility_notice": ("material_review", RO, W),
        "material_review": ("material_review_notice", NS, W),
        "material_review_notice": ("site_review", RO, W),
        # 第九条第（一）项: 陈述答辩 is optional.
        "site_review": ("presentation", "comprehensive_evaluation", W),
        "presentation": ("comprehensive_evaluation", W),
        "comprehensive_evaluation": ("department_consultation", NA, W),
        "department_consultation": ("committee", W),
        "committee": ("committee_notice", NA, W),
        "committee_notice": ("approval", RO, W),
        "approval": (AWARDED, NA, W),
        **NO_TARGETS,
    },
}


def ok_facts(**kw: Any) -> Facts:
    """Facts under which no guard refuses (a notice that ended yesterday)."""
    base: dict[str, Any] = dict(today=TODAY, recommendation_signed=True,
                                willingness_confirmed=True, internal_notice_evidence=True,
                                notice_end=TODAY - dt.timedelta(days=1), fast_track=True)
    base.update(kw)
    return Facts(**base)


def refused(policy: Policy, source: str, target: str, facts: Facts) -> TransitionRefused:
    with pytest.raises(TransitionRefused) as info:
        plan_transition(policy, source, target, facts)
    assert (info.value.source, info.value.target) == (source, target)
    assert info.value.reason_zh and info.value.reason_en
    return info.value


def modified(policy_id: str, change: Any) -> Policy:
    raw = copy.deepcopy(read_yaml(policy_files()[policy_id]))
    change(raw)
    return parse_policy(raw, file="modified")


# ---------------------------------------------------------------------------------------------
# Allowed targets, per regulation


@pytest.mark.parametrize("policy_id", ALL_IDS)
def test_allowed_targets_of_every_state(policy_id: str) -> None:
    p = load_policy(policy_id)
    got = {s.id: tuple(str(t) for t in allowed_targets(p, s.id)) for s in states(p)}
    assert got == TARGETS[policy_id]


@pytest.mark.parametrize("policy_id", ALL_IDS)
def test_unknown_state_has_no_targets(policy_id: str) -> None:
    assert allowed_targets(load_policy(policy_id), "no_such_state") == ()


@pytest.mark.parametrize("policy_id", ALL_IDS)
def test_a_step_not_allowed_is_refused_without_article(policy_id: str) -> None:
    p = load_policy(policy_id)
    err = refused(p, DRAFT, AWARDED, ok_facts())
    assert err.article is None
    assert p.id in err.reason_zh


@pytest.mark.parametrize("policy_id", ALL_IDS)
def test_each_exit_cites_its_article(policy_id: str) -> None:
    p = load_policy(policy_id)
    for stage in p.stages:
        for e in stage.exits:
            t = plan_transition(p, stage.id, e.to, ok_facts())
            assert t.article == (e.cite or stage.cite)


@pytest.mark.parametrize("policy_id", ALL_IDS)
def test_stage_states_keep_the_policys_names_and_notice_states_their_article(
        policy_id: str) -> None:
    p = load_policy(policy_id)
    for s in states(p):
        if s.kind == "review":
            stage = p.stage(s.id)
            assert (s.name_zh, s.public_name_zh, s.cite) == \
                (stage.name_zh, stage.public_name_zh, stage.cite)
        if s.kind == "notice":
            assert s.notice is not None and s.cite == p.notice(s.notice).cite
            assert s.step_kind is Kind.NOTICE
        if s.kind == "end":
            assert s.step_kind is Kind.END


# ---------------------------------------------------------------------------------------------
# Exits come from the policy, not from the code


def test_an_exit_added_in_the_policy_is_allowed_with_its_article() -> None:
    def change(raw: dict[str, Any]) -> None:
        site = next(s for s in raw["stages"] if s["id"] == "site_review")
        site["exits"] = [{"to": "not_shortlisted", "cite": "第二十三条"}]

    p = modified("changning-2023", change)
    assert NS not in allowed_targets(load_policy("changning-2023"), "site_review")
    assert allowed_targets(p, "site_review") == ("comprehensive_evaluation", NS, W)
    assert plan_transition(p, "site_review", NS, ok_facts()).article == "第二十三条"


def test_an_exit_removed_from_the_policy_is_refused() -> None:
    def change(raw: dict[str, Any]) -> None:
        next(s for s in raw["stages"] if s["id"] == "approval")["exits"] = []

    p = modified("chanhe-2021", change)
    assert allowed_targets(p, "approval") == (AWARDED, W)
    assert refused(p, "approval", NA, ok_facts()).article is None


# ---------------------------------------------------------------------------------------------
# Guards on entering the eligibility review


@pytest.mark.parametrize(("policy_id", "article"), [
    ("binjiang-2020", "四、（二）"), ("changning-2023", "第二十条"), ("chanhe-2021", "第十六条"),
    ("hongkou-2021", "第十四条"),
])
def test_eligibility_needs_the_signed_recommendation(policy_id: str, article: str) -> None:
    p = load_policy(policy_id)
    err = refused(p, "recommendation", "eligibility", ok_facts(recommendation_signed=False))
    assert err.article == article
    assert p.recommendation.by_zh in err.reason_zh
    assert plan_transition(p, "recommendation", "eligibility", ok_facts()).target == "eligibility"


def test_chongming_needs_no_recommendation_but_the_confirmed_willingness() -> None:
    p = load_policy("chongming-2022")
    # 第二十条: any party may recommend, nobody must; the office confirms the willingness.
    t = plan_transition(p, "submitted", "eligibility", ok_facts(recommendation_signed=False))
    assert t.target == "eligibility"
    for source in ("submitted", "recommendation"):
        err = refused(p, source, "eligibility", ok_facts(willingness_confirmed=False))
        assert err.article == "第二十条"
        assert "申报意愿" in err.reason_zh


@pytest.mark.parametrize("policy_id", ["binjiang-2020", "changning-2023", "chanhe-2021",
                                       "hongkou-2021"])
def test_willingness_matters_only_where_the_policy_asks_for_it(policy_id: str) -> None:
    p = load_policy(policy_id)
    t = plan_transition(p, "recommendation", "eligibility", ok_facts(willingness_confirmed=False))
    assert t.target == "eligibility"


def test_chongming_needs_evidence_of_the_internal_notice() -> None:
    p = load_policy("chongming-2022")
    err = refused(p, "submitted", "eligibility", ok_facts(internal_notice_evidence=False))
    assert err.article == "第十九条"


def test_hongkou_internal_notice_comes_with_the_final_one_so_no_evidence_at_intake() -> None:
    p = load_policy("hongkou-2021")
    t = plan_transition(p, "recommendation", "eligibility",
                        ok_facts(internal_notice_evidence=False))
    assert t.target == "eligibility"


# ---------------------------------------------------------------------------------------------
# Fast track (虹口 第十五条第二款)


def test_the_fast_track_needs_a_qualifying_award() -> None:
    p = load_policy("hongkou-2021")
    err = refused(p, "eligibility", "material_review", ok_facts(fast_track=False))
    assert err.article == "第十五条"
    assert plan_transition(p, "eligibility", "material_review", ok_facts()).article == "第十六条"


# ---------------------------------------------------------------------------------------------
# Notice windows: today == notice_end is refused, the day after is allowed


NOTICE_EXITS = [
    (pid, s.id, allowed_targets(load_policy(pid), s.id)[0])
    for pid in ALL_IDS for s in states(load_policy(pid)) if s.kind == "notice"
]


@pytest.mark.parametrize(("policy_id", "notice_state", "target"), NOTICE_EXITS)
def test_a_notice_state_is_left_only_after_its_window(policy_id: str, notice_state: str,
                                                      target: str) -> None:
    p = load_policy(policy_id)
    article = state(p, notice_state).cite
    end = dt.date(2026, 5, 15)
    for today in (end - dt.timedelta(days=3), end):
        err = refused(p, notice_state, target, ok_facts(today=today, notice_end=end))
        assert err.article == article
    err = refused(p, notice_state, target, ok_facts(notice_end=None))
    assert err.article == article
    t = plan_transition(p, notice_state, target,
                        ok_facts(today=end + dt.timedelta(days=1), notice_end=end))
    assert (t.target, t.article) == (target, state(p, target).cite)


@pytest.mark.parametrize(("policy_id", "notice_state", "target"), NOTICE_EXITS)
def test_objections_hold_a_notice_where_the_policy_says_no_objection(
        policy_id: str, notice_state: str, target: str) -> None:
    p = load_policy(policy_id)
    notice = p.notice(state(p, notice_state).notice or "")
    for facts in (ok_facts(open_objections=1), ok_facts(upheld_objections=1)):
        if notice.requires_no_objection:
            assert refused(p, notice_state, target, facts).article == notice.cite
        else:  # 崇明 第二十六条 and 虹口 第十九条 forward the list without 无异议
            assert plan_transition(p, notice_state, target, facts).target == target


def test_which_notices_are_held_by_objections() -> None:
    held = {(pid, n) for pid, n, _ in NOTICE_EXITS
            if load_policy(pid).notice(state(load_policy(pid), n).notice or "")
            .requires_no_objection}
    assert held == {
        ("binjiang-2020", "committee_notice"), ("changning-2023", "eligibility_notice"),
        ("changning-2023", "approval_notice"), ("chanhe-2021", "committee_notice"),
        ("chongming-2022", "eligibility_notice"), ("hongkou-2021", "eligibility_notice"),
        ("hongkou-2021", "material_review_notice"),
    }


@pytest.mark.parametrize(("policy_id", "notice_state", "target"), NOTICE_EXITS)
def test_removal_by_objection_needs_an_upheld_objection(policy_id: str, notice_state: str,
                                                        target: str) -> None:
    p = load_policy(policy_id)
    err = refused(p, notice_state, RO, ok_facts(open_objections=2))
    assert err.article == p.objections.cite
    t = plan_transition(p, notice_state, RO, ok_facts(upheld_objections=1,
                                                      notice_end=TODAY + dt.timedelta(days=3)))
    # Removal does not wait for the window; it cites the notice's article.
    assert t.article == state(p, notice_state).cite


@pytest.mark.parametrize("policy_id", ALL_IDS)
def test_withdrawal_is_possible_during_a_notice_window(policy_id: str) -> None:
    p = load_policy(policy_id)
    for s in states(p):
        if s.kind == "notice":
            t = plan_transition(p, s.id, W, ok_facts(notice_end=TODAY + dt.timedelta(days=5)))
            assert t.target == W


# ---------------------------------------------------------------------------------------------
# Properties over all five policies


def reachable(policy: Policy) -> set[str]:
    seen = {DRAFT}
    todo = deque([DRAFT])
    while todo:
        for t in allowed_targets(policy, todo.popleft()):
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return seen


@pytest.mark.parametrize("policy_id", ALL_IDS)
def test_every_state_is_reachable_from_draft_and_every_end_is_final(policy_id: str) -> None:
    p = load_policy(policy_id)
    assert reachable(p) == {s.id for s in states(p)}
    for s in (AWARDED, *End):
        assert allowed_targets(p, s) == ()
    assert main_line(p)[-1] == AWARDED


policies = st.sampled_from(ALL_IDS).map(load_policy)
dates = st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
facts = st.builds(
    Facts, today=dates, recommendation_signed=st.booleans(),
    willingness_confirmed=st.booleans(), internal_notice_evidence=st.booleans(),
    notice_end=st.none() | dates, open_objections=st.integers(0, 2),
    upheld_objections=st.integers(0, 2), fast_track=st.booleans())


@settings(max_examples=300, deadline=None)
@given(policy=policies, data=st.data(), f=facts)
def test_every_refusal_of_an_allowed_move_names_an_article(policy: Policy, data: st.DataObject,
                                                          f: Facts) -> None:
    source = data.draw(st.sampled_from([s.id for s in states(policy)]))
    targets = allowed_targets(policy, source)
    if not targets:
        return
    target = data.draw(st.sampled_from(targets))
    try:
        t = plan_transition(policy, source, target, f)
    except TransitionRefused as err:
        # All five policies cite every guard they have (recommendation, notice, objections).
        assert err.article, (source, target, err)
    else:
        assert (t.source, t.target) == (source, target)
        assert target in (R, W) or t.article, (source, target)


@settings(max_examples=200, deadline=None)
@given(policy=policies, data=st.data())
def test_a_random_walk_from_draft_ends_in_a_finished_state(policy: Policy,
                                                          data: st.DataObject) -> None:
    current, steps = DRAFT, 0
    while current not in FINISHED:
        targets = allowed_targets(policy, current)
        assert targets, current
        target = data.draw(st.sampled_from(targets))
        plan_transition(policy, current, target, ok_facts(upheld_objections=int(
            target == RO), open_objections=0))
        current, steps = target, steps + 1
        assert steps < 200
    assert allowed_targets(policy, current) == ()


@settings(max_examples=100, deadline=None)
@given(policy=policies, data=st.data())
def test_a_move_outside_the_allowed_targets_is_always_refused(policy: Policy,
                                                             data: st.DataObject) -> None:
    ids = [s.id for s in states(policy)]
    source = data.draw(st.sampled_from(ids))
    target = data.draw(st.sampled_from(ids))
    if target in allowed_targets(policy, source):
        return
    with pytest.raises(TransitionRefused):
        plan_transition(policy, source, target, ok_facts(upheld_objections=1))


def test_notice_state_ids_follow_the_table() -> None:
    assert notice_state_id(StageId.COMMITTEE) == "committee_notice"
    p = load_policy("changning-2023")
    assert state(p, notice_state_id("approval")).notice == "final"


# ---------------------------------------------------------------------------------------------
# The application window: no review before it closes (none of the five reviews on arrival)


@pytest.mark.parametrize("policy_id", ALL_IDS)
def test_no_review_begins_before_the_application_window_closes(policy_id: str) -> None:
    p = load_policy(policy_id)
    closes = dt.date(2026, 6, 30)
    first_review = "eligibility"
    source = "recommendation"
    for today in (closes - dt.timedelta(days=10), closes):
        err = refused(p, source, first_review,
                      ok_facts(today=today, application_window_closes=closes))
        assert err.article == p.cycle.reviewed_on_arrival.cite
    after = ok_facts(today=closes + dt.timedelta(days=1), application_window_closes=closes)
    assert plan_transition(p, source, first_review, after).target == first_review
    # Recommending, returning and withdrawing happen within the window.
    during = ok_facts(today=closes, application_window_closes=closes)
    assert plan_transition(p, "submitted", "recommendation", during).target == "recommendation"
    assert plan_transition(p, "submitted", R, during).target == R
    assert plan_transition(p, "recommendation", W, during).target == W


def test_a_policy_that_reviews_on_arrival_may_begin_at_once() -> None:
    def change(raw: dict[str, Any]) -> None:
        raw["cycle"]["reviewed_on_arrival"] = {"value": True, "cite": "第十六条"}

    p = modified("chanhe-2021", change)
    closes = TODAY + dt.timedelta(days=30)
    t = plan_transition(p, "recommendation", "eligibility",
                        ok_facts(application_window_closes=closes))
    assert t.target == "eligibility"


@pytest.mark.parametrize("policy_id", ALL_IDS)
def test_state_ids_leave_the_engine_as_plain_strings(policy_id: str) -> None:
    p = load_policy(policy_id)
    for s in states(p):
        assert type(s.id) is str and (s.notice is None or type(s.notice) is str)
        assert all(type(t) is str for t in allowed_targets(p, s.id))


def test_the_state_of_each_notice() -> None:
    def notice_state(policy_id: str, notice: str) -> str | None:
        s = notice_state_of(load_policy(policy_id), notice)
        return None if s is None else s.id

    assert notice_state("changning-2023", "final") == "approval_notice"
    assert notice_state("binjiang-2020", "final") == "committee_notice"
    assert notice_state("hongkou-2021", "shortlist") == "material_review_notice"
    hongkou = load_policy("hongkou-2021")
    assert notice_state_of(hongkou, "internal") is None  # runs with the final notice
    assert notice_state_of(load_policy("chanhe-2021"), "eligibility") is None
