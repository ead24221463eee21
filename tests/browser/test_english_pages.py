"""The English pages in a real browser: the text Chromium renders (``inner_text``) has no
Chinese but data, and the styled 404 is the site's page in both languages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, NO_CHROMIUM

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
    pytest.mark.slow,
]


def in_language(new_context: Callable[[], Any], server: Any, language: str) -> Any:
    from django.conf import settings

    ctx = new_context()
    ctx.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                      "url": server.url}])
    return ctx.new_page()


def test_english_pages_in_the_browser_show_no_chinese_but_data(
        new_context: Callable[[], Any], live_server: Any, fast_site: Any,
        tmp_path: Path) -> None:
    from tests.web.board_world import build_world
    from tests.web.test_english_pages import data_strings, leftovers

    world = build_world()
    data = data_strings(world)
    page = in_language(new_context, live_server, "en")
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("applicant_b")
    page.locator("#id_password").fill("pw-applicant")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("header .who")).to_have_text("applicant_b")

    found = {}
    for name, url in [("home", "/"), ("portal", "/portal/"),
                      ("portal application", f"/portal/applications/{world.app_b.pk}/"),
                      ("notice board", "/notices/"),
                      ("notice with the objection form", f"/notices/{world.current.pk}/"),
                      ("404", "/no-such-page/")]:
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.screenshot(path=str(tmp_path / f"en-{url.strip('/').replace('/', '-') or 'home'}"
                                            ".png"), full_page=True)
        if rest := leftovers(page.inner_text("body"), data):
            found[f"{name} {url}"] = rest
    assert not found, found
    # The notice board's own words are English, not only free of Chinese.
    page.goto("/notices/")
    expect(page.get_by_role("option", name="Open for objections")).to_have_count(1)
    expect(page.locator("article.notice .tag")).to_have_text("Open for objections")


@pytest.mark.parametrize(("language", "heading", "home"), [
    ("zh-hans", "页面不存在", "返回首页"), ("en", "Page not found", "Back to the home page")])
def test_a_missing_page_is_the_styled_404_in_the_reader_language(
        new_context: Callable[[], Any], live_server: Any, fast_site: Any, tmp_path: Path,
        language: str, heading: str, home: str) -> None:
    page = in_language(new_context, live_server, language)
    response = page.goto("/notices/999999/")
    assert response is not None and response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("header.site")).to_be_visible()  # the site's layout
    styled = page.evaluate("""() => [...document.styleSheets].some(
        s => s.href && s.href.endsWith('/qaward.css') && s.cssRules.length > 0)""")
    assert styled, "the 404 page is not styled"
    page.get_by_role("link", name=home).click()
    expect(page).to_have_url(live_server.url + "/")
    page.goto("/notices/999999/")
    page.screenshot(path=str(tmp_path / f"404-{language}.png"), full_page=True)
