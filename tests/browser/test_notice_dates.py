"""The office cannot publish a notice (公示) before applications close: the cycle page
disables "publish" and says why with the article (长宁 第二十条: applications are collected by
a deadline), and the publishing page refuses with the same words, in both languages.

Set-up through the services, "today" fixed with ``settings.QAWARD_TODAY`` (2026-04-20, the
window closes on 30 April)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, NO_CHROMIUM
from tests.browser.test_cycle_flow import People, login, people, submitted_application, today

pytestmark = [pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM), pytest.mark.slow]

__all__ = ["people"]  # the fixture, imported for pytest


def test_the_office_is_told_no_notice_is_published_before_applications_close(
        new_context: Callable[[], Any], people: People, fast_site: Any,
        tmp_path: Path) -> None:
    cycle, _app = submitted_application(people, fast_site)  # today: 2026-04-20
    office = login(new_context, people.office)
    office.goto(f"/console/cycles/{cycle.pk}/")
    publish = office.get_by_role("button", name="发布通过资格审查的名单公示")
    expect(publish).to_be_disabled()
    reason = office.locator("#publish-blocked")
    expect(reason).to_contain_text("申报截止日期为2026年4月30日，截止之后（2026年5月1日起）"
                                   "才能开始资格审查、公示或评审。")
    expect(reason).to_contain_text("第二十条")
    office.screenshot(path=str(tmp_path / "cycle-zh.png"), full_page=True)

    # The publishing page itself, reached by its address, refuses with the same reason.
    office.goto(f"/console/cycles/{cycle.pk}/notices/eligibility/new/")
    alert = office.get_by_role("alert")
    expect(alert).to_contain_text("申报截止日期为2026年4月30日")
    expect(alert).to_contain_text("第二十条")

    office.get_by_label("语言").select_option("en")
    office.get_by_role("button", name="切换").click()
    expect(office.locator("html")).to_have_attribute("lang", "en")
    office.goto(f"/console/cycles/{cycle.pk}/")
    expect(office.locator("#publish-blocked")).to_contain_text(
        "Applications close on 2026-04-30: eligibility review, notices and reviews begin "
        "only after that, from 2026-05-01 on.")
    expect(office.get_by_role("button", name="Publish the notice “Applications that passed "
                              "the eligibility review”")).to_be_disabled()
    office.screenshot(path=str(tmp_path / "cycle-en.png"), full_page=True)

    # The day after the window closes, publishing is offered.
    today(fast_site, "2026-05-01")
    office.get_by_label("Language").select_option("zh-hans")
    office.get_by_role("button", name="Switch").click()
    expect(office.locator("html")).to_have_attribute("lang", "zh-hans")
    office.goto(f"/console/cycles/{cycle.pk}/")
    expect(office.get_by_role("link", name="发布通过资格审查的名单公示")).to_be_visible()
    expect(office.locator("#publish-blocked")).to_have_count(0)
