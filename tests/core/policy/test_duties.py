"""Duties: rules with no effect on a verdict, each in the checklist of its stage and cited
(issue 7), table-driven per regulation; the key's validation; the cycle's current stage."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from qaward.core import duties
from qaward.core.errors import PolicyFileError
from qaward.core.policy import load_policy
from qaward.core.policy.inspect import source_of
from qaward.core.policy.loader import parse_policy, policy_files, read_yaml

# policy -> kind -> (stage, article, a phrase of the cited text that is the duty)
EXPECTED: dict[str, dict[str, tuple[str, str, str]]] = {
    "chanhe-2021": {
        "no_fees": ("throughout", "第三条", "不收取任何费用"),
        "confidentiality": ("throughout", "第九条", "保密制度"),
        "committee_representativeness": ("committee", "第十八条", "综合考虑行业代表性"),
        "prize_money_use": ("after_award", "第二十二条", "奖金主要用于"),
        "share_experience": ("after_award", "第二十五条", "交流其质量工作先进经验"),
        "title_misuse": ("after_award", "第二十三条", "不得在产品或包装上标注"),
        "revocation_other_matters": ("after_award", "第二十九条", "宗旨与原则的重大事项"),
        "revocation_decider": ("after_award", "第二十八条、第二十九条", "提请区政府批准"),
    },
    "hongkou-2021": {
        "no_fees": ("throughout", "第四条第（一）项", "不收费"),
        "objection_channel": ("call", "第二十五条第二款", "公开异议举报渠道和办理流程"),
        "department_consultation": ("eligibility", "第十五条", "以书面形式征求相关部门意见"),
        "prize_money_use": ("after_award", "第六条第一款", "不得挪作他用"),
        "share_experience": ("after_award", "第二十六条第（一）项", "宣传推广其先进质量管理经验"),
        "title_misuse": ("after_award", "第二十七条", "依法责令改正"),
        "revocation_other_matters": ("after_award", "第二十九条", "宗旨与原则的重大事项"),
        "revocation_decider": ("after_award", "第二十八条、第二十九条", "提请区政府批准"),
    },
    "changning-2023": {
        "objection_channel": ("call", "第三十一条第二款", "公开异议举报渠道和处理流程"),
        "mentor_filing": ("throughout", "第十五条第二款", "应当向评审办备案"),
        "department_consultation": ("eligibility", "第二十一条", "以书面形式征求相关部门意见"),
        "prize_money_use": ("after_award", "第六条第一款", "不得挪作他用"),
        "share_experience": ("after_award", "第三十二条", "宣传推广其先进质量管理经验"),
        "title_misuse": ("after_award", "第三十三条第一款", "依法责令改正"),
        "revocation_other_matters": ("after_award", "第三十五条", "宗旨与原则的重大事项"),
        "revocation_decider": ("after_award", "第三十四条、第三十五条",
                               "上海市评比达标表彰活动管理实施细则"),
    },
    "chongming-2022": {
        "no_fees": ("throughout", "第四条第二款", "不向申报组织收取任何费用"),
        "higher_rules_prevail": ("throughout", "第四十条", "遵循上海市相关办法规定"),
        "objection_channel": ("call", "第三十一条第二款", "公开异议举报渠道和处理流程"),
        "department_consultation": ("eligibility", "第二十一条", "以书面形式征求相关部门意见"),
        "prize_money_use": ("after_award", "第六条第一款", "不得挪作他用"),
        "share_experience": ("after_award", "第三十二条第一款", "宣传推广其先进质量管理经验"),
        "title_misuse": ("after_award", "第三十三条第一款", "责令改正"),
        "revocation_other_matters": ("after_award", "第三十五条", "宗旨与原则的重大事项"),
        "revocation_decider": ("after_award", "第三十四条、第三十五条", "提请区政府批准"),
    },
    "binjiang-2020": {
        "no_fees": ("throughout", "一、（四）", "申报及评审不收取任何费用"),
        "confidentiality": ("throughout", "七、（六）", "保守申报组织的相关秘密"),
        "site_report_confirmation": ("site_review", "四、（五）", "形成现场评审报告并由该组织确认"),
        "prize_money_use": ("after_award", "五、（三）", "奖金主要用于"),
        "share_experience": ("after_award", "六、（四）", "介绍先进质量管理经验的责任和义务"),
        "title_misuse": ("after_award", "七、（四）", "责令其限期改正"),
        "revocation_decider": ("after_award", "七、（二）、七、（五）", "提请区政府批准"),
    },
}


@pytest.mark.parametrize("pid", sorted(EXPECTED))
def test_each_policy_has_its_duties_with_their_articles(pid: str) -> None:
    policy = load_policy(pid)
    actual = {d.kind: (str(d.stage), d.cite) for d in policy.duties}
    assert actual == {k: v[:2] for k, v in EXPECTED[pid].items()}
    source = source_of(pid)
    assert source is not None
    for d in policy.duties:
        found = source.resolve(d.cite)
        assert found is not None and found.precise, d.cite
        assert EXPECTED[pid][d.kind][2] in found.text, f"{pid} {d.cite}"
        assert d.text_zh and d.text_en


@pytest.mark.parametrize("pid", sorted(EXPECTED))
def test_every_policy_says_how_prize_money_is_used(pid: str) -> None:
    assert "prize_money_use" in {d.kind for d in load_policy(pid).duties}


def raw(pid: str) -> dict[str, Any]:
    data: dict[str, Any] = read_yaml(policy_files()[pid])
    return copy.deepcopy(data)


def problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(PolicyFileError) as info:
        parse_policy(data, file="policy.yaml")
    return info.value.problems


def test_a_duty_at_an_unknown_stage_is_refused() -> None:
    data = raw("chanhe-2021")
    data["duties"][0]["stage"] = "ceremony"
    found = problems(data)
    assert any(p.startswith("duties.0.stage: Input should be 'call', 'application'")
               for p in found), found
    assert "duties.0.stage: Input should be 'throughout' or 'after_award' (got 'ceremony')" \
        in found


def test_a_duty_at_a_stage_the_policy_does_not_have_is_refused() -> None:
    data = raw("chanhe-2021")  # 瀍河 has no presentation (陈述答辩) stage
    data["duties"][0]["stage"] = "presentation"
    assert any("duties.no_fees.stage: `presentation` is not one of the policy's stages" in p
               for p in problems(data))


def test_a_duty_without_a_citation_or_with_a_loose_one_is_refused() -> None:
    data = raw("chanhe-2021")
    del data["duties"][0]["cite"]
    assert "duties.0.cite: missing citation: every value must name its article (cite: 第N条)" \
        in problems(data)
    data = raw("chanhe-2021")
    data["duties"][0]["cite"] = "see the regulation"
    assert any(p.startswith("duties.0.cite: Value error, citation 'see the regulation' does "
                            "not name an article") for p in problems(data))


def test_a_duty_id_used_twice_is_refused() -> None:
    data = raw("chanhe-2021")
    data["duties"][1]["id"] = data["duties"][0]["id"]
    assert any("duties.no_fees: the id is used twice" in p for p in problems(data))


@pytest.mark.parametrize(("states", "closed", "stage"), [
    ([], False, "call"),
    (["draft"], False, "application"),
    (["draft", "eligibility_notice", "withdrawn"], False, "application"),
    (["site_review", "committee", "ineligible"], False, "site_review"),
    (["committee_notice"], False, "committee"),
    (["awarded", "not_awarded"], False, "after_award"),
    (["eligibility"], True, "after_award"),
])
def test_the_cycle_is_at_its_earliest_stage_under_way(states: list[str], closed: bool,
                                                      stage: str) -> None:
    assert duties.current_stage(load_policy("binjiang-2020"), states, closed=closed) == stage


def test_the_checklist_of_a_stage_adds_the_duties_of_every_stage() -> None:
    policy = load_policy("binjiang-2020")
    assert [d.id for d in duties.checklist(policy, "site_review")] == [
        "site_report_confirmation", "no_fees", "confidentiality"]
    assert [g for g, _ in duties.by_stage(policy)] == ["throughout", "site_review",
                                                       "after_award"]
