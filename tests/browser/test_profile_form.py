"""Profile filled through the form: the applicant adds an incident row with the button
(cloned by the page's script, and without JavaScript by the server), fills its dates and saves;
the office reads the incident, the change in words in the history and the earlier cycles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, NO_CHROMIUM, TIMEOUT_MS
from tests.browser.test_cycle_flow import (  # noqa: F401 (people is a fixture)
    PASSWORD,
    People,
    draft_application,
    login,
    messages,
    people,
    today,
)

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
    pytest.mark.slow,
]


def earlier_cycle(app: Any, office: Any) -> None:
    """The applicant's 2024 application, ended ineligible (fixture data, as if imported)."""
    from django.db import transaction

    from qaward.core.states import End
    from qaward.web.audit.services import record_event
    from qaward.web.cycles.models import Application, Cycle

    cycle = Cycle.objects.create(
        jurisdiction=app.cycle.jurisdiction, policy=app.cycle.policy, year=2024,
        title="2024年度长宁区政府质量奖", opened_on=dt.date(2024, 3, 1),
        applications_close_on=dt.date(2024, 4, 30), status=Cycle.Status.CLOSED)
    old = Application.objects.create(
        cycle=cycle, applicant=app.applicant, track="organization", state=End.INELIGIBLE,
        submitted_at=dt.datetime(2024, 4, 1, 9, tzinfo=dt.UTC),
        pinned_policy_id=app.cycle.policy.policy_id)
    with transaction.atomic():  # record_event appends inside the caller's transaction
        record_event(actor=office, jurisdiction=cycle.jurisdiction, entity="application",
                     entity_id=old.pk, action="transition", from_state="eligibility",
                     to_state=End.INELIGIBLE, reason="近三年发生重大质量事故",
                     article="第六条（三）")


def row(page: Any, legend: str) -> Any:
    return page.locator("fieldset.row", has=page.get_by_text(legend, exact=True))


def test_profile_filled_through_the_form(
        new_context: Callable[[], Any], people: People, fast_site: Any,  # noqa: F811
        tmp_path: Path) -> None:
    today(fast_site, "2026-04-20")
    _cycle, app, office_user = draft_application(people)
    earlier_cycle(app, office_user)

    # -- The applicant adds an incident row with the button and fills it ----------------------
    org = login(new_context, people.organization)
    org.goto(f"/portal/applications/{app.pk}/profile/")
    expect(org.get_by_role("heading", name="申报条件信息")).to_be_visible()
    incidents = org.locator("#list-incidents")
    expect(incidents).to_contain_text("没有则无需填写。")
    incidents.get_by_role("button", name="添加一行：事故").click()
    first = row(org, "事故 第 1 条")
    expect(first).to_be_visible()
    expect(first.get_by_label("发生日期")).to_be_focused()  # the script moved focus there
    assert "/profile/" in org.url and "add_row" not in (org.url or "")
    first.get_by_label("发生日期").fill("2026-03-02")
    first.get_by_label("事故类别").select_option(label="质量事故")
    expect(first.get_by_label("重大（较大及以上）事故")).to_be_checked()
    # A second row, then removed again before saving.
    incidents.get_by_role("button", name="添加一行：事故").click()
    second = row(org, "事故 第 2 条")
    second.get_by_label("发生日期").fill("2025-01-10")
    second.get_by_label("事故类别").select_option(label="安全事故")
    second.get_by_label("删除此行").check()
    org.get_by_label("成立日期").fill("2008-07-01")
    org.screenshot(path=str(tmp_path / "profile-form-zh.png"), full_page=True)
    org.get_by_role("button", name="保存", exact=True).click()
    expect(messages(org)).to_contain_text("申报条件信息已保存。")
    expect(org.locator(".profile-lists")).to_contain_text("2026-03-02 质量事故")
    expect(org.locator(".profile-lists")).not_to_contain_text("安全事故")

    from qaward.web.cycles.models import Applicant

    stored = Applicant.objects.get(pk=app.applicant_id).profile
    assert stored["incidents"] == [{"date": "2026-03-02", "kind": "quality", "major": True}]
    assert stored["established_on"] == "2008-07-01"

    # -- The office sees it -------------------------------------------------------------------
    office = login(new_context, people.office)
    office.goto(f"/console/applications/{app.pk}/")
    expect(office.locator(".profile-lists")).to_contain_text("2026-03-02 质量事故")
    history = office.locator("table.history")
    expect(history).to_contain_text("事故记录：新增 1 条（2026-03-02 质量事故）")
    expect(history).to_contain_text("成立日期：2008-06-01 → 2008-07-01")
    earlier = office.locator("#earlier-cycles")
    expect(earlier).to_contain_text("2024")
    expect(earlier).to_contain_text("资格审查未通过")
    expect(earlier).to_contain_text("近三年发生重大质量事故")
    expect(earlier).to_contain_text("第六条（三）")
    office.screenshot(path=str(tmp_path / "office-application-zh.png"), full_page=True)

    # -- And in English -----------------------------------------------------------------------
    office.get_by_label("语言").select_option("en")
    office.get_by_role("button", name="切换").click()  # WCAG 3.2.2
    expect(office.locator("html")).to_have_attribute("lang", "en")
    expect(history).to_contain_text("Incidents: 1 added (2026-03-02 quality incident)")
    expect(history).to_contain_text("Established on: 2008-06-01 → 2008-07-01")
    expect(earlier).to_contain_text("Not eligible")
    expect(office.get_by_role("heading", name="Earlier cycles")).to_be_visible()
    office.screenshot(path=str(tmp_path / "office-application-en.png"), full_page=True)
    org.get_by_label("语言").select_option("en")
    org.get_by_role("button", name="切换").click()  # WCAG 3.2.2
    expect(org.locator("html")).to_have_attribute("lang", "en")
    org.goto(f"/portal/applications/{app.pk}/profile/")
    expect(row(org, "Incident 1").get_by_label("Date")).to_have_value("2026-03-02")
    org.screenshot(path=str(tmp_path / "profile-form-en.png"), full_page=True)
    print(f"screenshots in {tmp_path}")


def test_add_row_works_without_javascript(
        browser: Any, live_server: Any, people: People, fast_site: Any,  # noqa: F811
        tmp_path: Path) -> None:
    today(fast_site, "2026-04-20")
    _cycle, app, _office = draft_application(people)
    ctx = browser.new_context(base_url=live_server.url, locale="zh-CN",
                              java_script_enabled=False, viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(TIMEOUT_MS)
    try:
        page = ctx.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(people.organization)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.goto(f"/portal/applications/{app.pk}/profile/")
        page.get_by_label("行业领域").fill("精密仪器")
        page.locator("#list-violations").get_by_role("button", name="添加一行：违法记录").click()
        expect(page.get_by_role("status")).to_contain_text("已添加一行，请填写后保存。")
        expect(page.get_by_label("行业领域")).to_have_value("精密仪器")  # nothing lost
        first = row(page, "违法记录 第 1 条")
        first.get_by_label("处罚日期").fill("2025-08-08")
        first.get_by_label("重大违法行为").uncheck()
        page.screenshot(path=str(tmp_path / "profile-nojs-zh.png"), full_page=True)
        page.get_by_role("button", name="保存", exact=True).click()
        expect(messages(page)).to_contain_text("申报条件信息已保存。")
    finally:
        ctx.close()
    from qaward.web.cycles.models import Applicant

    stored = Applicant.objects.get(pk=app.applicant_id).profile
    assert stored["violations"] == [{"date": "2025-08-08", "serious": False}]
    assert stored["sector"] == "精密仪器"
    assert User.objects.filter(username=people.organization).exists()


def test_enter_in_a_field_saves_rather_than_adding_a_row(
        new_context: Callable[[], Any], people: People, fast_site: Any) -> None:  # noqa: F811
    today(fast_site, "2026-04-20")
    _cycle, app, _office = draft_application(people)
    org = login(new_context, people.organization)
    org.goto(f"/portal/applications/{app.pk}/profile/")
    org.get_by_label("行业领域").fill("精密仪器")
    org.get_by_label("行业领域").press("Enter")
    expect(messages(org)).to_contain_text("申报条件信息已保存。")


def test_the_profile_form_has_no_serious_wcag21_aa_violation(
        new_context: Callable[[], Any], people: People, fast_site: Any) -> None:  # noqa: F811
    from tests.browser.test_accessibility import BLOCKING, axe_violations, describe

    today(fast_site, "2026-04-20")
    _cycle, app, _office = draft_application(people)
    org = login(new_context, people.organization)
    org.goto(f"/portal/applications/{app.pk}/profile/")
    for name in ("添加一行：事故", "添加一行：获奖"):
        org.get_by_role("button", name=name).click()
    expect(row(org, "获奖 第 1 条")).to_be_visible()
    blocking = [v for v in axe_violations(org) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
