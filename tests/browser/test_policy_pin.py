"""The office head sees that a policy file changed under a running cycle and moves the cycle
to the new version in Chromium: the notice with the changed value, the confirmation page, the
reason, in Chinese and in English. Screenshots go to pytest's tmp_path."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from qaward.web.audit.models import AuditEvent
from qaward.web.cycles.models import Cycle
from qaward.web.policies.services import sync_policies
from tests.browser.conftest import CHROMIUM, NO_CHROMIUM
from tests.browser.test_accessibility import BLOCKING, axe_violations, describe
from tests.web.office_world import build_world

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
    pytest.mark.slow,
]

PID = "binjiang-2020"
PASSWORD = "浏览器测试-pw-2026"


def login(new_context: Callable[[], Any], username: str) -> Any:
    page = new_context().new_page()
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("header .who")).to_have_text(username)
    return page


def test_the_head_moves_a_cycle_to_the_edited_policy(
        new_context: Callable[[], Any], fast_site: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = Path(str(resources.files("qaward") / "data" / "policies" / PID))
    shutil.copytree(bundled, tmp_path / "policies" / PID)
    monkeypatch.setenv("QAWARD_POLICY_DIRS", str(tmp_path / "policies"))
    monkeypatch.delenv("QAWARD_CONFIG_DIR", raising=False)
    w = build_world()
    w.head.set_password(PASSWORD)
    w.head.save()
    f = tmp_path / "policies" / PID / "policy.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("value: 7, unit: days",
                                                       "value: 10, unit: days"),
                 encoding="utf-8")
    sync_policies()

    head = login(new_context, "head")
    head.goto(f"/console/cycles/{w.cycle.pk}/")
    notice = head.locator("section.policy-change")
    expect(notice).to_contain_text("自本周期开启以来，管理办法文件已变更")
    row = notice.locator("tr", has=head.locator("code", has_text="notices.final.length.value"))
    expect(row.locator("td")).to_have_text(["notices.final.length.value", "7", "10", "四、（七）"])
    notice.screenshot(path=tmp_path / "notice-zh.png")

    head.get_by_label("语言").select_option("en")

    head.get_by_role("button", name="切换").click()  # WCAG 3.2.2
    expect(head.locator("html")).to_have_attribute("lang", "en")
    expect(head.locator("section.policy-change")).to_contain_text(
        "The policy file has changed since this cycle was opened")
    head.locator("section.policy-change").screenshot(path=tmp_path / "notice-en.png")
    head.get_by_role("link", name="Review and move to the new version…").click()
    expect(head.get_by_role("heading",
                            name="Move the cycle to the new policy version")).to_be_visible()
    head.screenshot(path=tmp_path / "confirm-en.png", full_page=True)
    blocking = [v for v in axe_violations(head) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
    head.get_by_label("Language").select_option("zh-hans")
    head.get_by_role("button", name="Switch").click()  # WCAG 3.2.2
    expect(head.get_by_role("heading", name="改按管理办法新版本执行")).to_be_visible()
    head.get_by_label("变更理由").fill("区评审办决定按修订后的公示期执行")
    head.get_by_label("我已核对上列变化的值，确认本周期改按新版本执行").check()
    head.screenshot(path=tmp_path / "confirm-zh.png", full_page=True)
    blocking = [v for v in axe_violations(head) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
    head.get_by_role("button", name="确认变更").click()
    expect(head.locator("ul.messages")).to_contain_text("本周期已改按管理办法新版本")
    expect(head.locator("section.policy-change")).to_have_count(0)
    head.screenshot(path=tmp_path / "after-zh.png", full_page=True)

    cycle = Cycle.objects.select_related("policy").get(pk=w.cycle.pk)
    assert cycle.policy.current
    assert AuditEvent.objects.get(action="cycle_repin").reason == "区评审办决定按修订后的公示期执行"
