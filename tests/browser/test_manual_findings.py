"""An office user records findings on the manual checks in Chromium, without JavaScript: a
"not met" without a note is refused on its field, with a note it is recorded with who and
when, the decision form then proposes "not eligible", and the history says it in words.
Screenshots go under pytest's tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from qaward.web.cycles.models import ManualCheckFinding
from qaward.web.cycles.services import eligibility_screen
from tests.browser.conftest import CHROMIUM, NO_CHROMIUM
from tests.web.office_world import World, build_world, into_eligibility

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "浏览器测试-pw-2026"
CREDIT = "切实履行社会责任，依法诚信经营，具有良好的信用记录和社会信誉"


@pytest.fixture
def w(fast_site: Any) -> World:
    world = build_world()
    world.office.set_password(PASSWORD)
    world.office.last_name, world.office.first_name = "张", "敏"
    world.office.save()
    return world


def test_the_office_records_a_not_met_finding(new_context: Callable[[], Any], w: World,
                                              tmp_path: Path) -> None:
    app = into_eligibility(w)
    eligibility_screen(application=app, actor=w.office)
    page = new_context().new_page()
    page.route("**/*.js", lambda route: route.abort())  # it works without JavaScript
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill("office")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("header .who")).to_have_text("office")
    page.goto(f"/console/applications/{app.pk}/")

    check = page.locator("li.manual-check", has_text=CREDIT)
    expect(check).to_contain_text("三、（五）")
    expect(check).to_contain_text("尚未记录核实结果")
    check.get_by_label("不符合", exact=True).check()
    check.get_by_role("button", name="记录核实结果").click()
    check = page.locator("li.manual-check", has_text=CREDIT)
    expect(check.locator(".errorlist")).to_contain_text("须在核实说明中写明不符合的事实")
    assert not ManualCheckFinding.objects.exists()

    expect(check.get_by_label("不符合", exact=True)).to_be_checked()  # what was chosen stays
    check.get_by_label("核实说明").fill("信用中国查询：2025年有一条严重失信记录。")
    check.get_by_role("button", name="记录核实结果").click()
    expect(page.locator("ul.messages")).to_contain_text("已记录人工核实结果。")
    check = page.locator("li.manual-check", has_text=CREDIT)
    expect(check.locator(".finding")).to_contain_text("核实结果：不符合（张敏，")
    expect(check.locator(".finding")).to_contain_text("信用中国查询：2025年有一条严重失信记录。")
    expect(page.locator("#not-met")).to_contain_text("依据 三、（五）")
    decide = page.locator("form[action$='/eligibility/decide/']")
    expect(decide.get_by_label("不符合申报条件", exact=True)).to_be_checked()
    history = page.locator("table.history")
    expect(history).to_contain_text("记录人工核实结果")
    expect(history).to_contain_text(f"核实事项“{CREDIT}”：不符合")
    page.screenshot(path=str(tmp_path / "manual_findings.png"), full_page=True)

    finding = ManualCheckFinding.objects.get()
    assert (finding.key, finding.met, finding.article, finding.recorded_by) == (
        "credit_record", False, "三、（五）", w.office)

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.url}])
    page.reload()
    check = page.locator("li.manual-check", has_text="good credit record")
    expect(check.locator(".finding")).to_contain_text("Not met")
    page.screenshot(path=str(tmp_path / "manual_findings_en.png"), full_page=True)
