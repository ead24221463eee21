"""Objections (异议) in Chromium: an upheld objection removes the application only after the
office head's sign-off (长宁 第三十一条 is silent on who decides, so the head signs off), and
the notice then marks the applicant removed; a form sent twice (back button and submit again,
double click) makes one objection with one receipt number."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, NO_CHROMIUM
from tests.web.office_world import checks_found_met

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
    pytest.mark.slow,
]

PASSWORD = "浏览器测试-pw-2026"
ORG = "上海虹桥精密仪器有限公司"
OBJECTOR = {"name": "赵明", "id_number": "310105198001011235", "phone": "13800138000",
            "statement": "该公司2025年有一批仪器因计量误差被客户退货，请核实。"}
EVIDENCE = {"name": "退货报道截图.pdf", "mimeType": "application/pdf",
            "buffer": b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"}
RECEIPT = re.compile(r"受理编号 (\d{8}-[A-Z2-9]{4}-[A-Z2-9]{4})")


@dataclass
class Site:
    notice_pk: int
    app_pk: int


@pytest.fixture
def site(fast_site: Any) -> Site:
    """A 长宁 cycle with its eligibility notice open (2026-05-11 to 2026-05-15, today the
    12th), an office member and an office head."""
    from qaward.web.accounts.models import Department, Jurisdiction, Membership, Role
    from qaward.web.cycles import services as cycles
    from qaward.web.cycles.models import Applicant
    from qaward.web.notices import services as notices
    from qaward.web.policies.services import sync_policies
    from qaward.web.recommendations import services as recommendations

    def user(name: str, **membership: Any) -> User:
        u = User.objects.create_user(name, password=PASSWORD)
        Membership.objects.create(user=u, jurisdiction=j, **membership)
        return u

    sync_policies()
    j = Jurisdiction.objects.get(code="shanghai-changning")
    dept = Department.objects.create(jurisdiction=j, name="新华路街道", kind="street")
    office = user("zhang.office", role=Role.OFFICE)
    user("chen.head", role=Role.OFFICE_HEAD)
    street = user("street", role=Role.DEPARTMENT, department=dept)
    org = Applicant.objects.create(
        jurisdiction=j, kind="organization", name=ORG, credit_code="91310105MA1FL0XX3K",
        profile={"jurisdiction": "上海市长宁区", "established_on": "2008-06-01",
                 "annual_results": [{"year": y, "profit": 100} for y in range(2021, 2026)]})
    fast_site.QAWARD_TODAY = "2026-03-02"
    cycle = cycles.cycle_open(jurisdiction=j, year=2026, title="2026年度长宁区政府质量奖",
                              opened_on=dt.date(2026, 3, 2),
                              applications_close_on=dt.date(2026, 4, 30), actor=office)
    fast_site.QAWARD_TODAY = "2026-04-20"
    app = cycles.application_create(cycle=cycle, applicant=org, track="organization",
                                    actor=office)
    app = cycles.application_submit(application=app, actor=office, expected_version=app.version,
                                    report_chars=1000)
    app = cycles.application_transition(application=app, target="recommendation", actor=office)
    recommendations.recommendation_sign(application=app, actor=street, opinion="同意推荐")
    fast_site.QAWARD_TODAY = "2026-05-06"  # the review begins once applications have closed
    app = cycles.application_transition(application=app, target="eligibility", actor=office)
    cycles.eligibility_screen(application=app)
    checks_found_met(app, office)
    cycles.eligibility_decide(application=app, actor=office, decision="eligible")
    fast_site.QAWARD_TODAY = "2026-05-11"  # the notice is published on its first day
    notice = notices.notice_publish(cycle=cycle, stage="eligibility",
                                    starts_on=dt.date(2026, 5, 11), actor=office,
                                    applications=[app])
    fast_site.QAWARD_TODAY = "2026-05-12"
    return Site(notice_pk=notice.pk, app_pk=app.pk)


def login(new_context: Callable[[], Any], username: str) -> Any:
    page = new_context().new_page()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("header .who")).to_have_text(username)
    return page


def fill_objection(page: Any) -> Any:
    form = page.locator("form.objection")
    form.get_by_label("姓名或单位名称").fill(OBJECTOR["name"])
    form.get_by_label("身份证号或统一社会信用代码").fill(OBJECTOR["id_number"])
    form.get_by_label("联系电话").fill(OBJECTOR["phone"])
    form.get_by_label("异议针对的申报对象").select_option(label=ORG)
    form.get_by_label("异议内容").fill(OBJECTOR["statement"])
    form.get_by_label("证明材料").set_input_files(EVIDENCE)
    return form


def receipt_shown(page: Any) -> str:
    message = page.locator("ul.messages")
    expect(message).to_contain_text("您的异议已受理，受理编号")
    found = RECEIPT.search(message.inner_text())
    assert found, message.inner_text()
    return found.group(1)


def objections() -> list[Any]:
    from qaward.web.notices.models import Objection
    return list(Objection.objects.order_by("pk"))


def state_of(pk: int) -> str:
    from qaward.web.cycles.models import Application
    return str(Application.objects.get(pk=pk).state)


def test_objection_decided_with_sign_off(new_context: Callable[[], Any], site: Site,
                                         tmp_path: Path, live_server: Any) -> None:
    # The public objects, with a wrong check digit first: refused on the field.
    public = new_context().new_page()
    public.goto(f"/notices/{site.notice_pk}/")
    form = fill_objection(public)
    form.get_by_label("身份证号或统一社会信用代码").fill("310105198001011234")
    form.get_by_role("button", name="提交异议").click()
    id_field = public.locator("#id_id_number")
    expect(id_field).to_have_attribute("aria-invalid", "true")
    expect(public.locator("form.objection")).to_contain_text("校验码不符")
    assert objections() == []
    form = fill_objection(public)
    form.get_by_role("button", name="提交异议").click()
    receipt = receipt_shown(public)

    # The office investigates and upholds: the application stays until the head signs off.
    office = login(new_context, "zhang.office")
    office.goto(f"/console/notices/{site.notice_pk}/")
    office.get_by_role("row", name=re.compile(receipt)).get_by_role("link").first.click()
    office.get_by_label("调查核实人").select_option(label="zhang.office")
    office.get_by_role("button", name="指定").click()
    expect(office.locator("dl.meta")).to_contain_text(OBJECTOR["id_number"])  # investigator
    office.get_by_label("异议成立", exact=True).check()
    office.get_by_label("调查核实情况").fill("经调取客户退货记录，确属计量误差导致的质量投诉。")
    office.get_by_label("处理理由").fill("申报材料未如实说明重大质量投诉。")
    office.get_by_role("checkbox", name=re.compile("^我确认以上处理结论")).check()
    office.get_by_role("button", name="记录结论").click()
    expect(office.locator("h1 .state")).to_have_text("异议成立")
    removal = office.locator("#removal")
    expect(removal).to_contain_text("待决定退出评审")
    expect(removal).to_contain_text("等待评审办负责人作出决定")
    expect(removal.get_by_role("button", name="记录决定")).to_have_count(0)
    assert state_of(site.app_pk) == "eligibility_notice"
    objection_url = office.url

    # The head signs off in the page: now the application leaves the review.
    head = login(new_context, "chen.head")
    head.goto(objection_url)
    expect(head.locator("dl.meta")).to_contain_text(OBJECTOR["id_number"])
    head.get_by_label("同意退出评审", exact=True).check()
    head.get_by_label("意见").fill("同意该申报退出本届评审。")
    head.get_by_role("button", name="记录决定").click()
    expect(head.locator("ul.messages")).to_contain_text("已记录是否退出评审的决定。")
    expect(head.locator("#removal")).to_contain_text("已决定退出评审")
    head.screenshot(path=str(tmp_path / "head-signed-off.png"), full_page=True)
    assert state_of(site.app_pk) == "removed_by_objection"

    # The notice marks the applicant removed; the objector looks the outcome up.
    public.goto(f"/notices/{site.notice_pk}/")
    listed = public.locator("ol.listed li")
    expect(listed.locator("del")).to_have_text(ORG)
    expect(listed).to_contain_text("已因异议成立退出评审")
    public.screenshot(path=str(tmp_path / "notice-zh.png"), full_page=True)
    public.goto("/notices/objections/status/")
    public.get_by_label("受理编号").fill(receipt)
    public.get_by_label("身份证号或统一社会信用代码").fill(OBJECTOR["id_number"])
    public.get_by_role("button", name="查询").click()
    status = public.locator("#objection-status")
    expect(status).to_contain_text("异议成立")
    expect(status).to_contain_text("已决定退出评审")
    expect(public.locator("body")).not_to_contain_text(OBJECTOR["name"])
    public.screenshot(path=str(tmp_path / "status-zh.png"), full_page=True)

    # The same in English.
    from django.conf import settings
    public.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en",
                                 "url": live_server.url}])
    public.goto(f"/notices/{site.notice_pk}/")
    expect(public.locator("ol.listed li")).to_contain_text("Removed after an upheld objection")
    public.screenshot(path=str(tmp_path / "notice-en.png"), full_page=True)
    head.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en",
                               "url": live_server.url}])
    head.goto(objection_url)
    expect(head.locator("#removal")).to_contain_text("Removal from the review decided")
    head.screenshot(path=str(tmp_path / "head-en.png"), full_page=True)


def test_duplicate_objection_submitted_once(new_context: Callable[[], Any], site: Site) -> None:
    public = new_context().new_page()
    public.goto(f"/notices/{site.notice_pk}/")
    fill_objection(public).get_by_role("button", name="提交异议").click()
    receipt = receipt_shown(public)
    assert len(objections()) == 1

    # Back to the filled form, and submit it again: the same objection, the same receipt.
    public.go_back()
    form = fill_objection(public)  # files are never kept by the browser; the rest may be
    form.get_by_role("button", name="提交异议").click()
    assert receipt_shown(public) == receipt
    assert [o.receipt_no for o in objections()] == [receipt]


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="two requests at once: the shared-cache in-memory SQLite test database fails "
    "('cannot open savepoint - SQL statements in progress') instead of waiting; production "
    "SQLite is a file that waits (timeout 20 s). This test runs on PostgreSQL in CI.")
def test_double_click_submits_one_objection(new_context: Callable[[], Any], site: Site) -> None:
    public = new_context().new_page()
    public.goto(f"/notices/{site.notice_pk}/")
    fill_objection(public).get_by_role("button", name="提交异议").click()
    receipt = receipt_shown(public)

    # A double click on a fresh form: one more objection, not two.
    public.goto(f"/notices/{site.notice_pk}/")
    form = fill_objection(public)
    form.get_by_label("异议内容").fill("另一件事：该公司虚报了2024年的销售额。")
    form.get_by_role("button", name="提交异议").dblclick()
    second = receipt_shown(public)
    assert second != receipt
    assert [o.receipt_no for o in objections()] == [receipt, second]
