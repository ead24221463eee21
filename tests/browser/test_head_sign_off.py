"""The office head finds the override on the landing page and refuses it, with an opinion and
the confirmation (without JavaScript on the form); the office's batch move. Screenshots go
under pytest's tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from qaward.web.cycles.models import EligibilityDecision
from qaward.web.cycles.services import eligibility_decide, eligibility_screen
from tests.browser.conftest import CHROMIUM, NO_CHROMIUM
from tests.web.office_world import (
    GOOD_PROFILE,
    World,
    build_world,
    checks_found_met,
    into_eligibility,
    other_applicant,
    submit,
)

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "浏览器测试-pw-2026"


def login(new_context: Callable[[], Any], username: str, locale: str = "zh-hans") -> Any:
    page = new_context().new_page()
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("header .who")).to_have_text(username)
    if locale != "zh-hans":
        page.context.add_cookies([{"name": "django_language", "value": locale,
                                   "url": page.url}])
    return page


@pytest.fixture
def w(fast_site: Any) -> World:
    world = build_world()
    for u in (world.head, world.office):
        u.set_password(PASSWORD)
        u.last_name, u.first_name = ("李", "建国") if u == world.head else ("张", "敏")
        u.save()
    return world


def test_the_head_refuses_an_override_with_opinion_and_confirmation(
        new_context: Callable[[], Any], w: World, tmp_path: Path) -> None:
    app = into_eligibility(w)
    eligibility_screen(application=app, actor=w.office)
    checks_found_met(app, w.office)
    eligibility_decide(application=app, actor=w.office, decision="ineligible",
                       reason="近三年有重大质量投诉（书面核实）")
    page = login(new_context, "head")
    page.goto("/")
    page.get_by_role("link", name="待签批事项").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("待签批事项")
    row = page.locator("tr", has_text="杭州示例科技有限公司")
    expect(row).to_contain_text("近三年有重大质量投诉")
    expect(row).to_contain_text("张敏")
    page.screenshot(path=str(tmp_path / "head_desk.png"), full_page=True)
    row.get_by_role("link", name="签批").click()
    page.get_by_label("不同意，退回评审办重新审查").check()
    page.get_by_label("负责人意见").fill("投诉已结案，不构成否决情形。")
    page.get_by_role("button", name="提交签批").click()
    # Without the confirmation, nothing is signed (the browser's own required check or the
    # server's error, whichever comes first).
    assert EligibilityDecision.objects.get(application=app).signed_off_at is None
    page.get_by_label("我确认以上签批意见").check()
    page.screenshot(path=str(tmp_path / "sign_off.png"), full_page=True)
    page.get_by_role("button", name="提交签批").click()
    expect(page.locator("ul.messages")).to_contain_text("不同意，已退回评审办重新审查")
    expect(page.get_by_text("暂无待签批事项。")).to_be_visible()
    d = EligibilityDecision.objects.get(application=app)
    assert d.sign_off_refused and d.sign_off_opinion == "投诉已结案，不构成否决情形。"
    page.goto(f"/console/applications/{app.pk}/")
    expect(page.locator("body")).to_contain_text("李建国")
    page.goto(f"/console/{w.j.code}/sign-off/")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.url}])
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Awaiting sign-off")
    page.screenshot(path=str(tmp_path / "head_desk_en.png"), full_page=True)


def test_the_office_moves_several_applications_at_once(
        new_context: Callable[[], Any], w: World, tmp_path: Path) -> None:
    submit(w)
    submit(w, other_applicant(w, "乙公司", GOOD_PROFILE))
    other_applicant(w, "丙公司", GOOD_PROFILE)  # a draft: refused
    page = login(new_context, "office")
    page.goto(f"/console/cycles/{w.cycle.pk}/")
    for name in ("杭州示例科技有限公司", "乙公司", "丙公司"):
        page.get_by_label(f"选择 {name}").check()
    page.get_by_label("批量操作").select_option("next")
    page.screenshot(path=str(tmp_path / "batch.png"), full_page=True)
    page.get_by_role("button", name="批量办理").click()
    messages = page.locator("ul.messages")
    expect(messages).to_contain_text("已办理 2 件，未办理 1 件")
    expect(messages).to_contain_text("丙公司：未办理")
    page.screenshot(path=str(tmp_path / "batch_done.png"), full_page=True)


def test_the_department_declines_and_the_auditor_reads_it_in_words(
        new_context: Callable[[], Any], w: World, tmp_path: Path) -> None:
    from qaward.web.cycles.services import application_transition

    for u, (last, first) in ((w.dept_user, ("王", "丽华")), (w.auditor, ("赵", "审"))):
        u.set_password(PASSWORD)
        u.last_name, u.first_name = last, first
        u.save()
    app = application_transition(application=submit(w), target="recommendation", actor=w.office)
    page = login(new_context, "dept")
    page.goto(f"/department/applications/{app.pk}/")
    page.get_by_label("不予推荐理由").fill("近三年发生一般质量事故，暂不推荐。")
    page.get_by_role("button", name="不予推荐").click()
    expect(page.locator(".signature")).to_contain_text("长河街道 王丽华")
    page.screenshot(path=str(tmp_path / "declined.png"), full_page=True)
    auditor = login(new_context, "auditor")
    auditor.goto(f"/console/{w.j.code}/audit/")
    auditor.locator("#audit-action").select_option("recommendation_decline")
    auditor.get_by_role("button", name="筛选").click()
    rows = auditor.locator("table.history tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("不予推荐")
    auditor.screenshot(path=str(tmp_path / "audit.png"), full_page=True)
    auditor.context.add_cookies([{"name": "django_language", "value": "en",
                                  "url": auditor.url}])
    auditor.reload()
    expect(rows.first).to_contain_text("Declined to recommend")
    auditor.screenshot(path=str(tmp_path / "audit_en.png"), full_page=True)
