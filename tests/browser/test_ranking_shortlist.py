"""The office ranks the material review, fixes the shortlist with a reason for its departure
from the ranking, and the shortlist notice goes up (虹口 第十六条); the applicant left out
finds the material-review report offered to it (第十六条第二款).

Scores are made with the ORM (three experts per application); the ranking basis, its
tie-break rules and the notice's length — all left open by the regulation — are the office's
configuration, cited."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, NO_CHROMIUM
from tests.browser.test_cycle_flow import PASSWORD, login
from tests.web.review.ranking_world import build, configure, score

pytestmark = [pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM), pytest.mark.slow]

DECISION = "区审定办2026年第1次会议"


def test_rank_choose_with_a_reason_and_publish_the_shortlist(
        new_context: Callable[[], Any], fast_site: Any, tmp_path: Path,
        monkeypatch: Any) -> None:
    configure(tmp_path, monkeypatch, "hongkou-2021",
              f"  review.ranking.basis: {{value: mean, cite: {DECISION}}}\n"
              f"  review.ranking.tie_breaks: {{value: [], cite: {DECISION}}}\n"
              "  notices.shortlist.length: {value: 5, unit: working_days, minimum: true, "
              f"cite: {DECISION}}}\n")
    w = build("shanghai-hongkou", 3)
    for app, pcts in zip(w.apps, ([80, 85, 90], [70, 75, 80], [60, 65, 70]), strict=True):
        score(w, app, "material_review", list(pcts))
    for u in (w.office, w.users[1]):
        u.set_password(PASSWORD)
        u.save()

    office = login(new_context, w.office.username)
    office.goto(f"/console/cycles/{w.cycle.pk}/ranking/material_review/?track=organization")
    rows = office.locator("table.ranking tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("申报单位000")
    expect(rows.nth(0)).to_contain_text("850.0")  # the mean of 800, 850, 900
    expect(office.locator("dl.meta")).to_contain_text(DECISION)

    office.get_by_role("link", name="确定入围名单").click()
    office.get_by_label("申报单位000").check()
    office.get_by_label("申报单位002").check()  # the third over the second
    office.get_by_role("button", name="核对选择").click()
    reason = office.get_by_label("选择“申报单位002”（第3名）而未选“申报单位001”（第2名）的理由")
    expect(reason).to_be_visible()
    office.get_by_role("button", name="确定入围名单").click()
    expect(office.get_by_role("alert")).to_contain_text("请逐项说明理由")
    reason = office.get_by_label("选择“申报单位002”（第3名）而未选“申报单位001”（第2名）的理由")
    reason.fill("申报单位002的质量改进成效经核实更为突出")
    office.get_by_role("button", name="确定入围名单").click()
    expect(office.get_by_role("heading", name="已确定的入围名单")).to_be_visible()
    expect(office.get_by_text("已发布入围公示")).to_be_visible()
    office.screenshot(path=str(tmp_path / "shortlist.png"), full_page=True)

    board = new_context().new_page()
    board.goto("/notices/")
    expect(board.get_by_text("现场评审名单").first).to_be_visible()

    left_out = login(new_context, w.users[1].username)
    left_out.goto(f"/portal/applications/{w.apps[1].pk}/reports/")
    expect(left_out.get_by_role("link", name="资料评审报告（PDF）")).to_be_visible()
    expect(left_out.get_by_text("未入围者的资料评审反馈")).to_be_visible()
