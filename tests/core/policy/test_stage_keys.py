"""The keys that make stages data: exits, notice titles, cycle timing, the objection-removal
decider, and the digest that pins a policy version. Each check is triggered by a broken copy
of a bundled policy; the messages are the ones docs/policy-guide.md shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from qaward.core.policy.inspect import changed_values, policy_digest, validate_file
from qaward.core.policy.loader import load_policy, policy_files
from qaward.core.states import ExitTarget, NoticeId, StageId

from .test_validate import ALL_IDS, Raw, problems, stage, write_copy

# What each regulation says: the exits of each stage, as (stage, exit, article of the exit).
EXITS: dict[str, set[tuple[str, str, str]]] = {
    "binjiang-2020": {
        ("eligibility", "ineligible", "四、（三）"), ("eligibility", "returned", "四、（三）"),
        ("material_review", "not_shortlisted", "四、（四）"),
        ("comprehensive_evaluation", "not_awarded", "四、（五）"),
        ("department_consultation", "not_awarded", "四、（六）"),
        ("committee", "not_awarded", "四、（六）"), ("approval", "not_awarded", "四、（八）"),
    },
    "changning-2023": {
        ("eligibility", "ineligible", "第二十一条"), ("eligibility", "returned", "第二十一条"),
        ("material_review", "not_shortlisted", "第二十二条第二款"),
        ("comprehensive_evaluation", "not_awarded", "第二十五条第一款"),
        ("committee", "not_awarded", "第二十五条第二款"),
        ("approval", "not_awarded", "第二十五条第二款"),
    },
    "chanhe-2021": {
        ("eligibility", "ineligible", "第十七条"), ("eligibility", "returned", "第十七条"),
        ("ranking", "not_shortlisted", "第十八条"),
        ("committee", "not_awarded", "第十八条"), ("approval", "not_awarded", "第十九条"),
    },
    "chongming-2022": {
        ("eligibility", "ineligible", "第二十一条"), ("eligibility", "returned", "第二十一条"),
        ("material_review", "not_shortlisted", "第二十二条第二款"),
        ("comprehensive_evaluation", "not_awarded", "第二十五条第一款"),
        ("committee", "not_awarded", "第二十五条第二款"),
        ("approval", "not_awarded", "第二十六条第一款"),
    },
    "hongkou-2021": {
        ("eligibility", "ineligible", "第十五条"), ("eligibility", "returned", "第十五条"),
        ("material_review", "not_shortlisted", "第十六条第二款"),
        ("comprehensive_evaluation", "not_awarded", "第十九条"),
        ("committee", "not_awarded", "第十九条"), ("approval", "not_awarded", "第十九条"),
    },
}

# Notice titles: (title_zh, article, derived?)
TITLES: dict[str, dict[str, tuple[str, str, bool]]] = {
    "binjiang-2020": {"final": ("拟授予区政府质量奖及其提名奖组织名单", "四、（七）", False)},
    "changning-2023": {"eligibility": ("通过资格审查的名单", "第二十一条", True),
                       "final": ("拟获奖名单", "第二十五条第二款", False)},
    "chanhe-2021": {"final": ("拟奖名单", "第十九条", False)},
    "chongming-2022": {"eligibility": ("通过资格审查的名单", "第二十一条", True),
                       "final": ("拟奖励名单", "第二十五条第二款", False),
                       "internal": ("申报区政府质量奖内部公示", "第十九条", True)},
    "hongkou-2021": {"eligibility": ("通过资格审查的名单", "第十五条", True),
                     "shortlist": ("现场评审名单", "第十六条第二款", False),
                     "final": ("拟奖名单", "第十九条", False),
                     "internal": ("拟奖名单", "第十九条", False)},
}

# (reviewed on arrival, article; None: the text is silent) and the objection-removal decider.
TIMING: dict[str, tuple[bool | None, str]] = {
    "binjiang-2020": (False, "四、（二）"), "changning-2023": (False, "第二十条"),
    "chanhe-2021": (False, "第十六条"), "chongming-2022": (None, "第十八条"),
    "hongkou-2021": (None, "第十四条"),
}
REMOVAL: dict[str, tuple[str, bool]] = {
    "binjiang-2020": ("committee", True), "changning-2023": ("office_head", False),
    "chanhe-2021": ("office_head", False), "chongming-2022": ("office_head", False),
    "hongkou-2021": ("office_head", False),
}


@pytest.mark.parametrize("policy_id", ALL_IDS)
def test_each_policy_declares_the_exits_its_text_allows(policy_id: str) -> None:
    p = load_policy(policy_id)
    got = {(s.id.value, e.to.value, e.cite or s.cite) for s in p.stages for e in s.exits}
    assert got == EXITS[policy_id]


@pytest.mark.parametrize("policy_id", ALL_IDS)
def test_each_required_notice_has_its_title(policy_id: str) -> None:
    p = load_policy(policy_id)
    got = {}
    for name in NoticeId:
        n = p.notice(name)
        if n.required:
            assert n.title_en
            got[name.value] = (n.title_zh, n.title_cite, n.title_derived is not None)
        else:
            assert (n.title_zh, n.title_en, n.title_cite) == (None, None, None)
    assert got == TITLES[policy_id]


@pytest.mark.parametrize("policy_id", ALL_IDS)
def test_reviewed_on_arrival_and_objection_removal(policy_id: str) -> None:
    p = load_policy(policy_id)
    value, cite = TIMING[policy_id]
    raw = p.cycle.reviewed_on_arrival
    assert raw.cite == cite
    assert (getattr(raw, "value", None)) == value
    assert p.reviewed_on_arrival is False  # none of the five reviews on arrival
    decider, regulated = REMOVAL[policy_id]
    assert p.objection_removal_decider == decider
    assert hasattr(p.objection_removal_by, "value") is regulated


@pytest.mark.parametrize("policy_id", ALL_IDS)
def test_no_public_name_claims_the_government_decided(policy_id: str) -> None:
    p = load_policy(policy_id)
    approval = p.stage(StageId.APPROVAL)
    assert (approval.public_name_zh, approval.public_name_en) == \
        ("提请审定", "Submitted for approval")
    for s in p.stages:
        if s.id != StageId.AWARD:
            assert "批准" not in s.public_name_zh and "审定" not in s.public_name_zh.replace(
                "提请审定", "").replace("审定委", ""), s.id


def test_reviewed_on_arrival_configured_where_the_text_is_silent(tmp_path: Path) -> None:
    config = tmp_path / "hongkou.yaml"
    config.write_text(
        "policy: hongkou-2021\nvalues:\n  cycle.reviewed_on_arrival: "
        "{value: true, cite: 区审定办 2025-03 会议纪要}\n", encoding="utf-8")
    p = validate_file(policy_files()["hongkou-2021"], config)
    assert p.reviewed_on_arrival is True
    assert p.configured == {"cycle.reviewed_on_arrival": "区审定办 2025-03 会议纪要"}


# ---------------------------------------------------------------------------------------------
# Broken copies


def test_an_exit_that_is_no_end(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        stage(d, "site_review")["exits"] = ["withdrawn"]

    assert problems(tmp_path, "changning-2023", mutate) == [
        "stages.5.exits.0.to: Input should be 'ineligible', 'not_shortlisted', "
        "'not_awarded' or 'returned' (got 'withdrawn')"
    ]


def test_an_exit_listed_twice(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        stage(d, "committee")["exits"] = ["not_awarded", {"to": "not_awarded"}]

    assert problems(tmp_path, "changning-2023", mutate) == [
        "stages.7: Value error, stages.committee.exits: an exit is listed twice"
    ]


def test_an_exit_on_a_stage_of_the_cycle(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        stage(d, "call")["exits"] = ["ineligible"]

    assert problems(tmp_path, "changning-2023", mutate) == [
        "stages.0: Value error, stages.call.exits: `call` belongs to the cycle, not to an "
        "application; it takes no exits"
    ]


def test_an_early_exit_on_a_late_stage_and_a_late_exit_on_an_early_one(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        stage(d, "site_review")["exits"] = ["ineligible"]
        stage(d, "recommendation")["exits"] = ["not_awarded"]

    assert problems(tmp_path, "changning-2023", mutate) == [
        "stages.recommendation.exits: `not_awarded` is an exit of a stage after the "
        "eligibility review; before it, an application is `ineligible` or `returned`",
        "stages.site_review.exits: `ineligible` is an exit of the eligibility review or a "
        "stage before it; a later stage ends an application with `not_shortlisted` or "
        "`not_awarded`",
    ]


def test_an_eligibility_review_that_cannot_refuse(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        stage(d, "eligibility")["exits"] = ["returned"]

    assert problems(tmp_path, "chanhe-2021", mutate) == [
        "stages.eligibility.exits: the eligibility review must be able to end an "
        "application: add `ineligible`"
    ]


def test_an_exit_citing_an_article_beyond_the_text(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        stage(d, "ranking")["exits"] = [{"to": "not_shortlisted", "cite": "第九十条"}]

    assert problems(tmp_path, "chanhe-2021", mutate) == [
        "stages[ranking].exits[not_shortlisted].to: cites 第九十条, which is not in the "
        "regulation's text"
    ]


def test_a_required_notice_without_a_title(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        del d["notices"]["final"]["title_zh"]

    assert problems(tmp_path, "chanhe-2021", mutate) == [
        "notices.final: Value error, a required notice needs its title: `title_zh` in the "
        "regulation's words, `title_en` and `title_cite` (add `title_derived` when the text "
        "names no list)"
    ]


def test_a_title_on_a_notice_that_is_not_required(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["notices"]["shortlist"]["title_zh"] = "入围名单"

    assert problems(tmp_path, "chanhe-2021", mutate) == [
        "notices.shortlist: Value error, a notice that is not required takes no title "
        "(title_zh)"
    ]


def test_a_title_not_in_the_regulations_words(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["notices"]["final"]["title_zh"] = "获奖名单公示"

    assert problems(tmp_path, "chanhe-2021", mutate) == [
        "notices.final.title_zh: '获奖名单公示' is not in source.txt; use the regulation's own "
        "words, or explain in `title_derived` how the title was derived from what the text "
        "says is published"
    ]


def test_a_derived_title_need_not_be_in_the_text(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["notices"]["final"]["title_zh"] = "拟奖单位名单"
        d["notices"]["final"]["title_derived"] = "第十九条 calls it 拟奖名单; units only here"

    assert validate_file(write_copy(tmp_path, "chanhe-2021", mutate)).id == "chanhe-2021"


def test_an_unknown_objection_decider(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["objection_removal_by"] = {"value": "mayor", "cite": "四、（七）"}

    assert problems(tmp_path, "binjiang-2020", mutate) == [
        "objection_removal_by.value: Input should be 'committee', 'office_head', "
        "'office' or 'government' (got 'mayor')"
    ]


def test_reviewed_on_arrival_is_required(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        del d["cycle"]["reviewed_on_arrival"]

    assert problems(tmp_path, "chanhe-2021", mutate) == [
        "cycle.reviewed_on_arrival: missing key"
    ]


# ---------------------------------------------------------------------------------------------
# Pinning


@pytest.mark.parametrize("policy_id", ALL_IDS)
def test_the_digest_of_a_file_and_of_its_loaded_policy_agree(policy_id: str) -> None:
    path = policy_files()[policy_id]
    d = policy_digest(path)
    assert len(d) == 64 and int(d, 16) >= 0
    assert policy_digest(load_policy(policy_id)) == d


def test_digests_differ_between_policies() -> None:
    assert len({policy_digest(load_policy(p)) for p in ALL_IDS}) == len(ALL_IDS)


def test_formatting_keeps_the_digest_and_a_value_changes_it(tmp_path: Path) -> None:
    original = policy_files()["chanhe-2021"]
    (tmp_path / "a").mkdir()
    same = write_copy(tmp_path / "a", "chanhe-2021", lambda d: None)
    assert policy_digest(same) == policy_digest(original)  # re-dumped YAML, no comments

    def mutate(d: Raw) -> None:
        d["notices"]["final"]["length"]["value"] = 8

    (tmp_path / "b").mkdir()
    changed = write_copy(tmp_path / "b", "chanhe-2021", mutate)
    assert policy_digest(changed) != policy_digest(original)
    rows = changed_values(load_policy("chanhe-2021"), validate_file(changed))
    assert [(r.key, r.left and r.left.value, r.right and r.right.value) for r in rows] == [
        ("notices.final.length.value", "7", "8")
    ]


def test_changed_values_counts_a_changed_id() -> None:
    rows = changed_values(load_policy("chanhe-2021"), load_policy("hongkou-2021"))
    assert rows[0].key == "id"
    assert rows[0].left and rows[0].left.value == "chanhe-2021"
    assert any(r.key.startswith("stages[presentation]") for r in rows)


def test_the_exit_enum_is_the_ends_a_stage_may_take() -> None:
    assert {e.value for e in ExitTarget} == {"ineligible", "not_shortlisted", "not_awarded",
                                            "returned"}
