"""The review reports' content: numbers from the core's scoring, texts checked, names withheld."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaward.core.criteria import combine, format_points, load_criteria, score
from qaward.core.review.reports import (
    ComprehensiveEvaluationReport,
    MaterialReviewReport,
    ReportInputError,
    SiteReviewReport,
    build_report,
    reviewer_table,
    stage_total,
    team_sheet,
)

GBT = load_criteria("gbt19580-2012")
RUBRIC = load_criteria("individual-rubric")
DAY = dt.date(2026, 9, 18)
COMMON: dict[str, Any] = {
    "award_title": "区长质量奖", "cycle_title": "2026年度", "regulation": "管理办法",
    "article": "第十六条", "applicant_name": "某公司", "date": DAY,
}


def everything(pct: int, criteria: Any = GBT) -> dict[str, int]:
    return {item.id: pct for item in criteria.items}


def material(scores: Any, **kw: Any) -> MaterialReviewReport:
    args = {**COMMON, "criteria": GBT, "scores": scores, "basis": "consensus",
            "reviewer_count": 3, **kw}
    return build_report(MaterialReviewReport, **args)


def problems(**kw: Any) -> list[str]:
    with pytest.raises(ReportInputError) as info:
        material(everything(50), **kw)
    return info.value.problems


def test_half_marks_everywhere_give_half_of_every_category() -> None:
    report = material(everything(50))
    assert report.total == 500
    assert report.total_display == "500.0"
    assert [(c.category_id, c.points) for c in report.categories] == [
        (c.id, Fraction(c.points, 2)) for c in GBT.categories]
    assert len(report.items) == 23
    assert report.stage == "material_review"
    assert report.applicant_kind == "organization"


def test_a_consensus_report_has_the_cores_numbers_item_by_item() -> None:
    pct = {item.id: (15 + 5 * n) % 105 for n, item in enumerate(GBT.items)}
    report = material(pct)
    sheet = score(GBT, pct)
    assert report.total == sheet.total
    assert {i.item_id: i.points for i in report.items} == {
        s.item.id: s.points for s in sheet.items}
    assert [c.points for c in report.categories] == [c.points for c in sheet.categories]


def test_the_mean_of_three_reviewers_is_exact_and_rounds_for_display_only() -> None:
    # 4.1.2 (50 points): 40 %, 45 %, 55 % → mean 140/3 % → 70/3 = 23.333… points → "23.3".
    sheets = [everything(0), everything(0), everything(0)]
    for sheet, pct in zip(sheets, (40, 45, 55), strict=True):
        sheet["4.1.2"] = pct
    report = material(team_sheet(GBT, sheets), basis="mean", reviewer_count=None)
    line = report.items[0]
    assert line.item_id == "4.1.2"
    assert line.percentage == Fraction(140, 3)
    assert line.points == Fraction(70, 3)
    assert (line.display, line.percentage_display) == ("23.3", "46.7")
    assert report.categories[0].points == Fraction(70, 3)
    assert report.total == Fraction(70, 3)
    assert report.reviewer_count == 3  # from the mean
    assert report.total == combine(score(GBT, s) for s in sheets).total


def test_half_up_display_of_a_mean() -> None:
    # 4.1.3 (30 points) at 5 % and 10 % → 7.5 % → 2.25 points → "2.3" (四舍五入, not banker's).
    sheets = [everything(0), everything(0)]
    sheets[0]["4.1.3"], sheets[1]["4.1.3"] = 5, 10
    report = material(team_sheet(GBT, sheets), basis="mean", reviewer_count=None)
    assert report.items[1].display == "2.3" == format_points(Fraction(9, 4))


def test_texts_go_to_their_items_and_are_stripped() -> None:
    report = material(everything(50), strengths={"4.2.2": [" 方法系统 ", "展开充分"]},
                      improvements={"4.7.2": ["缺少对比数据"]})
    by_id = {i.item_id: i for i in report.items}
    assert by_id["4.2.2"].strengths == ("方法系统", "展开充分")
    assert by_id["4.7.2"].improvements == ("缺少对比数据",)
    assert not by_id["4.1.2"].has_feedback


def test_names_are_carried_or_withheld() -> None:
    named = material(everything(50), reviewer_names=["张三", "李四", "王五"])
    assert named.reviewer_names == ("张三", "李四", "王五") and not named.names_withheld
    withheld = material(everything(50))
    assert withheld.reviewer_names is None and withheld.names_withheld
    assert withheld.reviewer_count == 3


@pytest.mark.parametrize(("kw", "expected"), [
    ({"strengths": {"9.9": ["x"]}}, "strengths.9.9: not an item of gbt19580-2012"),
    ({"improvements": {"4.1.2": "一段文字"}}, "improvements.4.1.2: give a list of texts"),
    ({"strengths": {"4.1.2": ["  "]}}, "strengths.4.1.2: every text must be non-empty"),
    ({"reviewer_names": ["甲", "乙"]}, "reviewer_count: 3 but 2 names are given"),
    ({"reviewer_count": None}, "reviewer_count: needed when names are withheld"),
    ({"applicant_name": " "}, "applicant_name: must not be empty"),
    ({"basis": "median"}, "basis: 'median' is neither"),
    ({"scores": {"4.1.2": 50}}, "scores: item 4.1.3: missing"),
    ({"scores": everything(52)}, "scores: item 4.1.2: percentage 52 is not a multiple of 5"),
])
def test_bad_inputs_are_named(kw: dict[str, Any], expected: str) -> None:
    if "scores" in kw:
        with pytest.raises(ReportInputError) as info:
            material(**kw)
        found = info.value.problems
    else:
        found = problems(**kw)
    assert any(p.startswith(expected) for p in found), found


def test_a_sheet_for_other_criteria_is_refused() -> None:
    with pytest.raises(ReportInputError, match="a sheet for individual-rubric"):
        material(score(RUBRIC, everything(50, RUBRIC)))


def test_site_and_comprehensive_reports_carry_their_own_fields() -> None:
    site = build_report(SiteReviewReport, **COMMON, criteria=GBT, scores=everything(60),
                        basis="consensus", reviewer_count=2,
                        visit_dates=(dt.date(2026, 9, 15),), applicant_confirms=True)
    assert (site.stage, site.applicant_confirms, site.total) == ("site_review", True, Fraction(600))
    person = build_report(ComprehensiveEvaluationReport, **{**COMMON, "applicant_name": "王某"},
                          criteria=RUBRIC, scores=everything(70, RUBRIC), basis="consensus",
                          reviewer_count=5, stage_totals=(stage_total(site),))
    assert person.stage == "comprehensive_evaluation"
    assert person.applicant_kind == "individual"
    assert person.total == 700
    assert person.stage_totals[0].total == 600 and person.stage_totals[0].stage == "site_review"


def test_a_row_is_the_reports_numbers_without_texts() -> None:
    report = material(everything(45), reference="A-1")
    row = report.row
    assert (row.stage, row.reference, row.total, row.categories) == (
        report.stage, "A-1", report.total, report.categories)


def sheets_for(criteria: Any, values: Sequence[int]) -> list[Mapping[str, int]]:
    return [everything(v, criteria) for v in values]


def test_reviewer_table_has_each_reviewer_the_mean_spread_and_consensus() -> None:
    table = reviewer_table(RUBRIC, applicant_name="王某", stage="material_review",
                           sheets=sheets_for(RUBRIC, (40, 50, 75)), reviewer_names=None,
                           consensus=everything(55, RUBRIC))
    assert table.reviewer_names is None
    assert [r.total for r in table.reviewers] == [400, 500, 750]
    assert table.mean.total == Fraction(1650, 3)
    assert table.spread("1.1") == 35
    assert table.consensus is not None and table.consensus.total == 550


def test_reviewer_table_needs_one_name_per_sheet() -> None:
    with pytest.raises(ReportInputError, match="2 names for 3 sheets"):
        reviewer_table(RUBRIC, applicant_name="王某", stage="material_review",
                       sheets=sheets_for(RUBRIC, (40, 50, 75)), reviewer_names=["甲", "乙"])


@given(st.lists(st.fixed_dictionaries(
    {item.id: st.integers(0, 20).map(lambda n: n * 5) for item in GBT.items}),
    min_size=1, max_size=4))
def test_the_report_adds_up_for_any_team(sheets: list[dict[str, int]]) -> None:
    report = material(team_sheet(GBT, sheets), basis="mean", reviewer_count=None)
    core = combine(score(GBT, s) for s in sheets)
    assert report.total == core.total == sum(c.points for c in report.categories)
    for category in report.categories:
        assert category.points == sum(i.points for i in category.items)
    assert report.reviewer_count == len(sheets)
