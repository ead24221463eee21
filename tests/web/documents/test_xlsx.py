"""The score tables as xlsx: opened with openpyxl, every number is the core's."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from qaward.core.review.reports import ScoreRow, reviewer_table
from qaward.web.common.documents import reviewer_table_xlsx, score_table_xlsx
from tests.web.documents import samples


def open_book(data: bytes) -> dict[str, Worksheet]:
    book = load_workbook(io.BytesIO(data))
    return {ws.title: ws for ws in book.worksheets}


def row_values(ws: Worksheet, row: int) -> list[object]:
    return [cell.value for cell in ws[row]]


def expected_numbers(row: ScoreRow) -> list[float]:
    numbers: list[float] = []
    for category in row.categories:
        numbers.extend(float(item.points) for item in category.items)
        numbers.append(float(category.points))
    numbers.append(float(row.total))
    return numbers


def test_a_sheet_per_stage_and_kind_a_row_per_application() -> None:
    material = samples.material_review()
    site = samples.site_review()
    person = samples.individual()
    person_material = samples.material_review_of_person()
    sheets = open_book(score_table_xlsx([site, material, person, person_material,
                                         material.row]))
    assert list(sheets) == ["资料评审（组织）", "资料评审（个人）", "现场评审", "综合评价"]
    ws = sheets["资料评审（组织）"]
    assert ws.freeze_panes == "D3"
    assert ws["A1"].value == "序号" and ws["C1"].value == "申报单位"
    assert ws["D1"].value == "4.1 领导（110）"
    assert ws["D2"].value == "4.1.2 高层领导的作用（50）"
    assert ws["G2"].value == "小计（110）"
    assert ws.max_row == 4  # two header rows, the report and its row given again
    for r in (3, 4):
        values = row_values(ws, r)
        assert values[:3] == [r - 2, "2026-ORG-007", samples.ORGANIZATION]
        numbers = values[3:3 + 23 + 7 + 1]
        assert numbers == expected_numbers(material.row)
        assert values[-2:] == ["评审员评分的平均值", 3]
        assert ws.cell(row=r, column=4).number_format == "0.0"
    assert ws.column_dimensions["C"].width >= 2 * len(samples.ORGANIZATION)
    person_ws = sheets["资料评审（个人）"]
    assert person_ws["C1"].value == "申报人"
    assert row_values(person_ws, 3)[3:-2] == expected_numbers(person_material.row)
    assert row_values(sheets["综合评价"], 3)[3:-2] == expected_numbers(person.row)
    assert row_values(sheets["现场评审"], 3)[3:-2] == expected_numbers(site.row)


def test_english_headers() -> None:
    sheets = open_book(score_table_xlsx([samples.site_review()], language="en"))
    ws = sheets["Site review"]
    assert ws["C1"].value == "Applicant organization"
    assert ws["D2"].value == "4.1.2 Role of senior leaders (50)"


def test_no_rows_give_a_sheet_that_says_so() -> None:
    assert row_values(open_book(score_table_xlsx([]))["评分表"], 1) == ["没有评分"]


@pytest.mark.parametrize("names", [None, samples.NAMES])
def test_the_sheet_by_reviewer(names: tuple[str, ...] | None) -> None:
    sheets = samples.mean_sheets(samples.GBT)
    table = reviewer_table(samples.GBT, applicant_name=samples.ORGANIZATION,
                           stage="material_review", sheets=sheets, reviewer_names=names,
                           consensus=samples.consensus(samples.GBT))
    data = reviewer_table_xlsx(table)
    (ws,) = open_book(data).values()
    labels = ["评审员1", "评审员2", "评审员3"] if names is None else list(names)
    assert row_values(ws, 2) == ["编号", "评分项", "分值", *labels, "平均", "极差（百分点）",
                                 "共识"]
    first = row_values(ws, 3)
    assert first[:3] == ["4.1.2", "高层领导的作用", 50]
    assert first[3:6] == [float(r.points["4.1.2"]) for r in table.reviewers]
    assert first[6] == float(table.mean.item("4.1.2").points)
    assert first[7] == float(table.spread("4.1.2"))
    assert first[8] == float(table.consensus.item("4.1.2").points)  # type: ignore[union-attr]
    last = row_values(ws, ws.max_row)
    assert last[1:3] == ["总分", 1000]
    assert last[3:6] == [float(r.total) for r in table.reviewers]
    assert last[6] == float(table.mean.total)
    assert last[8] == float(table.consensus.total)  # type: ignore[union-attr]
    if names is None:
        text = " ".join(str(c.value) for row in ws.iter_rows() for c in row)
        for name in samples.NAMES:
            assert name not in text
            assert name.encode() not in data
