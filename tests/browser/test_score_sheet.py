"""A reviewer scores in the browser: moving the slider (by keyboard) changes the band text
beside it, the autosave stores the value without a click, and submitting (confirmed) makes the
sheet read-only (issue 8)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError
from django.utils import timezone
from playwright.sync_api import expect

from qaward.core.criteria import load_criteria
from qaward.web.accounts.models import Role
from qaward.web.cycles.models import Application
from qaward.web.experts.models import Expert, ExpertCycle
from qaward.web.review import sheets
from qaward.web.review.models import Sheet, SheetItem, Team, TeamMember
from tests.browser.conftest import CHROMIUM, NO_CHROMIUM
from tests.web.office_world import World, build_world, user

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "浏览器测试-pw-2026"
GBT = load_criteria("gbt19580-2012")


def retry(read: Callable[[], Any]) -> Any:
    """Read from the test thread while the live server may hold SQLite's shared-cache lock
    (an autosave in flight): try again for a while."""
    deadline = time.monotonic() + 15
    while True:
        try:
            return read()
        except OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def stored(member: TeamMember, item_id: str, expected: int) -> int | None:
    """The item's stored percentage, once it is ``expected`` or after 15 seconds."""
    def read() -> int | None:
        return SheetItem.objects.get(sheet__member=member, item_id=item_id).percentage
    deadline = time.monotonic() + 15
    value = retry(read)
    while value != expected and time.monotonic() < deadline:
        time.sleep(0.3)
        value = retry(read)
    return value


@pytest.fixture
def w(fast_site: Any) -> World:
    return build_world()


def test_a_reviewer_scores_with_the_slider_autosaves_and_submits(
        new_context: Callable[[], Any], w: World, tmp_path: Path) -> None:
    Application.objects.filter(pk=w.app.pk).update(state="material_review",
                                                   submitted_at=timezone.now())
    team = Team.objects.create(cycle=w.cycle, application=w.app, stage="material_review")
    u = user("expert-wang", w.j, Role.REVIEWER)
    u.set_password(PASSWORD)
    u.save()
    expert = Expert.objects.create(jurisdiction=w.j, user=u, name="王专家")
    ExpertCycle.objects.create(expert=expert, cycle=w.cycle, pledge_signed_at=timezone.now(),
                               pledge_text="保密承诺、回避承诺")
    member = TeamMember.objects.create(team=team, expert=expert, is_leader=True)
    # Every item but the first scored beforehand; the first is scored in the browser.
    sheets.sheet_save(member, {"items": {i.id: {"percentage": 60} for i in GBT.items[1:]}}, u)

    page = new_context().new_page()
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill("expert-wang")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("header .who")).to_have_text("expert-wang")
    page.goto(f"/review/teams/{team.pk}/sheet/")

    first = GBT.items[0]
    assert first.id == "4.1.2" and first.kind == "process"
    band = page.locator("#band-4\\.1\\.2")
    expect(band).to_have_text("尚未评分")
    slider = page.locator("#r-4\\.1\\.2")
    slider.focus()
    for _ in range(10):  # 0 -> 50 in steps of 5, by keyboard
        page.keyboard.press("ArrowRight")
    expect(page.locator("#p-4\\.1\\.2")).to_have_value("50")
    expect(band).to_have_text(GBT.band_for(50).descriptions["process"].zh)
    page.keyboard.press("ArrowLeft")
    expect(band).to_have_text(GBT.band_for(45).descriptions["process"].zh)  # 30-45 band
    page.keyboard.press("ArrowRight")
    expect(band).to_have_text(GBT.band_for(50).descriptions["process"].zh)

    # Autosave: no button pressed, the value reaches the database.
    expect(page.locator("#sheet-status")).to_contain_text("已自动保存")
    assert stored(member, "4.1.2", 50) == 50
    page.screenshot(path=str(tmp_path / "sheet.png"))

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_label("我确认全部评分项均已独立评分；提交后评分表不能再修改").check()
    page.get_by_role("button", name="提交评分表").click()
    expect(page.locator("#sheet-status")).to_contain_text("现为只读")
    assert retry(lambda: Sheet.objects.get(member=member).submitted_at) is not None
    expect(page.locator("#p-4\\.1\\.2")).to_be_disabled()
    expect(slider).to_be_disabled()
    expect(page.get_by_role("button", name="提交评分表")).to_have_count(0)
    expect(page.get_by_role("button", name="保存")).to_have_count(0)
