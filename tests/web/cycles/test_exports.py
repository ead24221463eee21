"""Lists export to xlsx as filtered, headers in the reader's language."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.web.office_world import GOOD_PROFILE, World, client_for, other_applicant, submit

pytestmark = pytest.mark.django_db


def rows(response: object) -> list[tuple[object, ...]]:
    assert response["Content-Type"].startswith(  # type: ignore[index]
        "application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active  # type: ignore[attr-defined]
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def test_the_application_list_exports_as_filtered(w: World) -> None:
    submit(w)
    other_applicant(w, "乙公司", GOOD_PROFILE)  # a draft
    c = client_for(w.office)
    url = reverse("awards:cycle_detail", args=[w.cycle.pk])
    got = rows(c.get(url, {"state": "submitted", "export": "xlsx"}))
    assert got[0][:4] == ("申报方", "类别", "行业领域", "状态")
    assert [r[0] for r in got[1:]] == ["杭州示例科技有限公司"]
    assert got[1][3] == "已提交"
    assert len(rows(c.get(url, {"export": "xlsx"}))) == 3
    c.cookies["django_language"] = "en"
    english = rows(c.get(url, {"export": "xlsx"}))
    assert english[0][0] == "Applicant"
    assert "export=xlsx" in c.get(url, {"state": "submitted"}).content.decode()


def test_the_audit_log_exports_as_filtered_in_words(w: World) -> None:
    submit(w)
    c = client_for(w.auditor)
    url = reverse("awards:audit_log", args=[w.j.code])
    got = rows(c.get(url, {"action": "transition", "export": "xlsx"}))
    assert got[0][4] == "操作"
    assert [r[4] for r in got[1:]] == ["状态变更"]
    assert got[1][5] == "草稿 → 已提交"
