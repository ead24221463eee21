"""Conflict detection per regulation: which relation each fact is counted as, with which
article, and what never counts (a shared sector alone, a past employer outside the window,
a different credit code)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaward.core.policy import load_policy
from qaward.core.review.conflicts import (
    ApplicantFacts,
    ExpertFacts,
    Organization,
    Relation,
    detect,
    field_text,
    normalise_name,
)

BJ, CN, CM, HK, CH = ("binjiang-2020", "changning-2023", "chongming-2022", "hongkou-2021",
                      "chanhe-2021")
ON = dt.date(2026, 6, 15)
APP = ApplicantFacts(name="上海华创科技有限公司", credit_code="91310000AAAAAAAA1X",
                     sector="数字经济",
                     affiliates=(Organization("华创（集团）股份有限公司", "91310000GROUP00001"),),
                     competitors=(Organization("上海恒联网络技术有限公司"),))
OTHER = Organization("上海瑞鼎新材料有限公司", "91310000OTHER00001")


def relations(pid: str) -> dict[str, str]:
    return load_policy(pid).reviewers.recusal_relations()


def expert(employer: Organization | None = OTHER, *rels: Relation,
           sectors: tuple[str, ...] = ("数字经济",)) -> ExpertFacts:
    return ExpertFacts(name="王建国", employer=employer, relations=rels, sectors=sectors)


def found(e: ExpertFacts, pid: str, years: int = 3) -> set[tuple[str, str]]:
    return {(s.relation, s.article)
            for s in detect(e, APP, relations(pid), on=ON, past_employer_years=years)}


EMPLOYED = expert(Organization("上海华创科技有限公司", "91310000AAAAAAAA1X"))
EMPLOYED_BY_NAME = expert(Organization("上海华创科技 股份有限公司"))
AT_GROUP = expert(Organization("华创集团", "91310000GROUP00001"))
AFFILIATE = expert(OTHER, Relation("affiliate", Organization("上海华创科技有限公司")))
PARTNER = expert(OTHER, Relation("partner", Organization("上海华创科技有限公司")))
COMPETITOR = expert(OTHER, Relation("competitor", Organization("上海华创科技有限公司")))
NAMED_COMPETITOR = expert(Organization("上海恒联网络技术有限公司"))
MENTOR = expert(OTHER, Relation("mentee", Organization("上海华创科技有限公司")))
PAST_INSIDE = expert(OTHER, Relation("past_employer", Organization("上海华创科技有限公司"),
                                     dt.date(2015, 1, 1), dt.date(2023, 6, 15)))
PAST_OUTSIDE = expert(OTHER, Relation("past_employer", Organization("上海华创科技有限公司"),
                                      dt.date(2015, 1, 1), dt.date(2023, 6, 14)))
PAST_UNDATED = expert(OTHER, Relation("past_employer", Organization("上海华创科技有限公司")))


CASES = [
    # 滨江 二、（五）: concrete relations listed, with 利害关系 as the general principle.
    (BJ, EMPLOYED, {("employed_by_applicant", "二、（五）")}),
    (BJ, EMPLOYED_BY_NAME, {("employed_by_applicant", "二、（五）")}),
    (BJ, AT_GROUP, {("subordinate_unit", "二、（五）")}),
    (BJ, AFFILIATE, {("subordinate_unit", "二、（五）")}),
    (BJ, PARTNER, {("business_partner", "二、（五）")}),
    (BJ, COMPETITOR, {("competitor", "二、（五）")}),
    (BJ, NAMED_COMPETITOR, {("competitor", "二、（五）")}),
    (BJ, MENTOR, {("interest", "二、（五）")}),
    (BJ, PAST_INSIDE, {("interest", "二、（五）")}),
    (BJ, PAST_OUTSIDE, set()),
    (BJ, PAST_UNDATED, {("interest", "二、（五）")}),
    # 长宁: 利害关系 in 第二十八条第（三）项, mentors in 第十五条第二款.
    (CN, EMPLOYED, {("interest", "第二十八条第（三）项")}),
    (CN, AFFILIATE, {("interest", "第二十八条第（三）项")}),
    (CN, PARTNER, {("interest", "第二十八条第（三）项")}),
    (CN, COMPETITOR, {("interest", "第二十八条第（三）项")}),
    (CN, MENTOR, {("mentor_of_applicant", "第十五条第二款")}),
    (CN, PAST_INSIDE, {("interest", "第二十八条第（三）项")}),
    (CN, PAST_OUTSIDE, set()),
    # 崇明: the same with mentors in 第十四条第二款.
    (CM, EMPLOYED, {("interest", "第二十八条第（三）项")}),
    (CM, MENTOR, {("mentor_of_applicant", "第十四条第二款")}),
    (CM, NAMED_COMPETITOR, {("interest", "第二十八条第（三）项")}),
    (CM, PAST_INSIDE, {("interest", "第二十八条第（三）项")}),
    # 虹口: only the general 利害关系 (第二十二条第（三）项): every fact is an instance of it.
    (HK, EMPLOYED, {("interest", "第二十二条第（三）项")}),
    (HK, PARTNER, {("interest", "第二十二条第（三）项")}),
    (HK, MENTOR, {("interest", "第二十二条第（三）项")}),
    (HK, PAST_INSIDE, {("interest", "第二十二条第（三）项")}),
    # 瀍河 第九条.
    (CH, EMPLOYED, {("interest", "第九条")}),
    (CH, AT_GROUP, {("interest", "第九条")}),
    (CH, COMPETITOR, {("interest", "第九条")}),
    (CH, PAST_OUTSIDE, set()),
]


@pytest.mark.parametrize(("pid", "facts", "expected"), CASES)
def test_relation_and_article_per_regulation(pid: str, facts: ExpertFacts,
                                             expected: set[tuple[str, str]]) -> None:
    assert found(facts, pid) == expected


@pytest.mark.parametrize("pid", [BJ, CN, CM, HK, CH])
def test_same_sector_alone_is_never_a_conflict(pid: str) -> None:
    assert found(expert(OTHER, sectors=("数字经济",)), pid) == set()


def test_named_competitor_needs_the_same_sector() -> None:
    other_sector = expert(Organization("上海恒联网络技术有限公司"), sectors=("医疗卫生",))
    assert found(other_sector, BJ) == set()


def test_different_credit_codes_never_match_by_name() -> None:
    same_name = expert(Organization("上海华创科技有限公司", "91310000BBBBBBBB2Y"))
    assert found(same_name, BJ) == set()


def test_short_names_and_substrings_do_not_match() -> None:
    app = ApplicantFacts(name="华创有限公司")
    e = ExpertFacts(name="x", employer=Organization("华创有限公司"))
    assert detect(e, app, relations(HK), on=ON, past_employer_years=3) == []
    e2 = ExpertFacts(name="x", employer=Organization("上海华创科技发展有限公司"))
    assert detect(e2, APP, relations(HK), on=ON, past_employer_years=3) == []


@pytest.mark.parametrize(("until", "years", "hit"), [
    (dt.date(2023, 6, 15), 3, True),   # the same day three years before: included
    (dt.date(2023, 6, 14), 3, False),  # the day before: outside
    (dt.date(2021, 6, 15), 5, True),
    (dt.date(2026, 6, 15), 0, True),   # left today, window of zero years
    (dt.date(2026, 6, 14), 0, False),
])
def test_past_employer_window_boundaries(until: dt.date, years: int, hit: bool) -> None:
    e = expert(OTHER, Relation("past_employer", Organization("上海华创科技有限公司"),
                               dt.date(2010, 1, 1), until))
    assert bool(found(e, HK, years)) is hit


def test_leap_day_window() -> None:
    e = expert(OTHER, Relation("past_employer", Organization("上海华创科技有限公司"),
                               None, dt.date(2021, 2, 28)))
    app_facts = APP
    s = detect(e, app_facts, relations(HK), on=dt.date(2024, 2, 29), past_employer_years=3)
    assert [x.relation for x in s] == ["interest"]


def test_ended_or_future_relations_do_not_count() -> None:
    ended = expert(OTHER, Relation("partner", Organization("上海华创科技有限公司"),
                                   dt.date(2020, 1, 1), dt.date(2026, 6, 14)))
    future = expert(OTHER, Relation("mentee", Organization("上海华创科技有限公司"),
                                    dt.date(2026, 6, 16)))
    assert found(ended, BJ) == set() and found(future, CN) == set()


def test_evidence_names_fields_and_values() -> None:
    [s] = detect(EMPLOYED, APP, relations(BJ), on=ON, past_employer_years=3)
    assert s.evidence_dicts() == [{
        "expert_field": "employer.code", "expert_value": "91310000AAAAAAAA1X",
        "applicant_field": "credit_code", "applicant_value": "91310000AAAAAAAA1X",
        "by": "code"}]
    assert "二、（五）" in s.reason_zh and "employed" in s.reason_en
    [n] = detect(NAMED_COMPETITOR, APP, relations(BJ), on=ON, past_employer_years=3)
    assert [e.by for e in n.evidence] == ["name", "sector"]
    assert n.evidence[0].applicant_field == "competitors[0].name"


def test_facts_counted_as_one_relation_merge() -> None:
    both = expert(OTHER, Relation("partner", Organization("上海华创科技有限公司")),
                  Relation("mentee", Organization("上海华创科技有限公司")))
    [s] = detect(both, APP, relations(HK), on=ON, past_employer_years=3)
    assert s.relation == "interest" and len(s.evidence) == 2


def test_a_policy_without_recusal_suggests_nothing() -> None:
    assert detect(EMPLOYED, APP, {}, on=ON, past_employer_years=3) == []


@pytest.mark.parametrize(("raw", "norm"), [
    ("上海华创科技有限公司", "上海华创科技"),
    ("上海华创科技股份有限公司", "上海华创科技"),
    ("上海 华创科技 有限责任公司", "上海华创科技"),
    ("华创（集团）有限公司", "华创"),
    ("华创(上海)科技有限公司", "华创上海科技"),
    ("ＡＢＣ科技有限公司", "abc科技"),
    ("上海华创科技股份", "上海华创科技"),
])
def test_normalise_name(raw: str, norm: str) -> None:
    assert normalise_name(raw) == norm


def test_an_individual_applicants_colleague_is_an_interest() -> None:
    person = ApplicantFacts(name="李海燕", employer=Organization("上海瑞鼎新材料有限公司",
                                                               "91310000OTHER00001"))
    [s] = detect(expert(OTHER), person, relations(BJ), on=ON, past_employer_years=3)
    assert (s.relation, s.fact, s.evidence[0].applicant_field) == (
        "interest", "colleague", "employer.credit_code")
    partner_of_employer = expert(Organization("x"), Relation("partner", OTHER))
    assert detect(partner_of_employer, person, relations(BJ), on=ON,
                  past_employer_years=3) == []


names = st.text(alphabet=st.sampled_from(list("华创科技上海有限公司股份集团（）() 　ＡBc")),
                max_size=20)


@given(names)
def test_normalising_twice_changes_nothing(name: str) -> None:
    once = normalise_name(name)
    assert normalise_name(once) == once


@given(names, names)
def test_different_codes_never_match_whatever_the_names(a: str, b: str) -> None:
    e = ExpertFacts(name="x", employer=Organization(a, "91310000AAAAAAAA1X"))
    app = ApplicantFacts(name=b, credit_code="91310000BBBBBBBB2Y")
    assert detect(e, app, relations(HK), on=ON, past_employer_years=3) == []


@given(names)
def test_a_name_matches_itself_only_when_long_enough(name: str) -> None:
    e = ExpertFacts(name="x", employer=Organization(name))
    found_ = detect(e, ApplicantFacts(name=name), relations(HK), on=ON, past_employer_years=3)
    assert bool(found_) is (len(normalise_name(name)) >= 4)


@pytest.mark.parametrize(("path", "zh", "en"), [
    ("employer.code", "工作单位统一社会信用代码", "employer credit code"),
    ("relations.partner[2].name", "业务往来单位名称", "business partner name"),
    ("relations.past_employer[0].until", "曾任职单位终止日期", "past employer end date"),
    ("credit_code", "统一社会信用代码", "credit code"),
    ("affiliates[1].name", "关联单位名称", "affiliate name"),
    ("sectors", "专业领域", "sectors"),
])
def test_field_text(path: str, zh: str, en: str) -> None:
    assert field_text(path) == (zh, en)
