"""Importing and exporting the pool: bad rows named by row and column while the others are
imported, re-import without duplicates, the export imports back to the same pool."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from qaward.web.common.errors import ServiceError
from qaward.web.experts import services
from qaward.web.experts.models import Expert, ExpertRelation
from qaward.web.experts.xlsx import COLUMNS, export_pool, import_pool
from tests.web.office_world import World

pytestmark = pytest.mark.django_db
HEADER = [h for h, _ in COLUMNS]


def book(*rows: list[Any], header: list[str] = HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD = ["王建国", "杭州示例科技有限公司", "91330108MA2XXXXX01", "高级工程师", "电子信息、智能制造",
        "卓越绩效评价师", "是", "13800000001", "wang@example.com", "示例集团有限公司",
        "杭州瑞鼎新材料有限公司|91330108MA2YYYYY02", "", "杭州恒联网络技术有限公司|2015-03|2021-06",
        "", "正常"]
SECOND = ["李海燕", "浙江大学", "", "教授", "质量管理", "", "否", "", "li@example.com", "", "", "",
          "", "杭州华创科技有限公司", ""]


def test_bad_rows_are_named_and_the_others_imported(w: World) -> None:
    bad_code = [*GOOD[:2], "123", *GOOD[3:]]
    bad_code[0], bad_code[7], bad_code[8] = "赵丽华", "13800000009", ""
    no_contact = ["孙文涛", "某单位", "", "", "", "", "", "", "", "", "", "", "", "", ""]
    bad_date = ["周晓明", "", "", "", "", "", "也许", "13800000003", "", "", "", "",
                "某公司|2020-13|x", "", "取消评审资格"]
    report = import_pool(w.j, book(GOOD, bad_code, no_contact, bad_date, SECOND), w.office)
    assert report.created == 2
    got = {(e.row, e.column) for e in report.errors}
    assert got == {(3, "统一社会信用代码"), (4, "联系电话"), (5, "可任组长"),
                   (5, "曾任职单位（单位|起|止）"), (5, "状态")}
    assert "第3行「统一社会信用代码」" in str(report.errors[0])
    wang = Expert.objects.get(name="王建国")
    assert wang.sectors == ["电子信息", "智能制造"] and wang.can_lead
    past = wang.relations.get(kind="past_employer")
    assert (past.since, past.until) == (dt.date(2015, 3, 1), dt.date(2021, 6, 30))
    assert wang.relations.get(kind="partner").organization_code == "91330108MA2YYYYY02"
    assert Expert.objects.get(name="李海燕").relations.get().kind == "mentee"


def test_reimport_updates_without_duplicating(w: World) -> None:
    import_pool(w.j, book(GOOD, SECOND), w.office)
    changed = [*GOOD]
    changed[3], changed[10] = "正高级工程师", ""
    report = import_pool(w.j, book(changed, SECOND), w.office)
    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 1, 1, [])
    wang = Expert.objects.get(name="王建国")
    assert wang.title == "正高级工程师" and not wang.relations.filter(kind="partner").exists()
    assert Expert.objects.count() == 2 and ExpertRelation.objects.count() == 3


def test_duplicate_rows_in_one_file(w: World) -> None:
    report = import_pool(w.j, book(GOOD, GOOD), w.office)
    assert report.created == 1 and [(e.row, e.column) for e in report.errors] == [(3, "姓名")]


def test_status_changes_need_a_sanction(w: World) -> None:
    import_pool(w.j, book(GOOD), w.office)
    warned = [*GOOD[:-1], "已警告"]
    report = import_pool(w.j, book(warned), w.office)
    assert [(e.row, e.column) for e in report.errors] == [(2, "状态")]
    assert Expert.objects.get().status == "active"


def test_export_round_trips(w: World) -> None:
    import_pool(w.j, book(GOOD, SECOND), w.office)
    e = Expert.objects.get(name="李海燕")
    services.sanction_record(expert=e, cycle=w.cycle, actor=w.head, kind="disqualification",
                             decision="泄露评审信息", on=dt.date(2026, 6, 1))
    data = export_pool(w.j)
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER and len(rows) == 3
    before = [(x.name, x.title, x.sectors, x.status, sorted(
        (r.kind, r.organization_name, r.organization_code, r.since, r.until)
        for r in x.relations.all())) for x in Expert.objects.order_by("name")]
    report = import_pool(w.j, data, w.office)
    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 2, [])
    after = [(x.name, x.title, x.sectors, x.status, sorted(
        (r.kind, r.organization_name, r.organization_code, r.since, r.until)
        for r in x.relations.all())) for x in Expert.objects.order_by("name")]
    assert after == before


def test_only_the_office_imports_and_the_header_is_checked(w: World) -> None:
    with pytest.raises(ServiceError):
        import_pool(w.j, book(GOOD), w.reviewer)
    with pytest.raises(ServiceError, match="姓名"):
        import_pool(w.j, book(["x"], header=["名字"]), w.office)
    with pytest.raises(ServiceError, match="xlsx"):
        import_pool(w.j, b"not a workbook", w.office)


def test_management_command(w: World, tmp_path: Path, capsys: Any) -> None:
    f = tmp_path / "pool.xlsx"
    f.write_bytes(book(GOOD, ["", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
                       SECOND))
    call_command("experts_import", str(f), "--jurisdiction", w.j.code, "--as", "office")
    assert "created 2" in capsys.readouterr().out
    assert Expert.objects.count() == 2
