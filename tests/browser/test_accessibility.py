"""Accessibility of the public notice board and the applicant portal (GB/T 37668-2019,
WCAG 2.1 AA), checked in Chromium with the vendored axe-core (tests/browser/vendor/axe-core).

Each public page and each applicant page is loaded in both languages (the language cookie the
site's switch sets), axe runs with the WCAG 2.0/2.1 A and AA rules only, and no violation of
impact "serious" or "critical" may remain. A keyboard test fills and submits the real-name
objection form (第三十一条) with Tab, typing, arrow keys, Space and Enter only, and checks that
every focus stop on the way shows a focus indicator. Then what axe does not check: ID
references that point nowhere, a change of context on input (3.2.2), reflow at 320 CSS px
(1.4.10) and where a refused objection's message appears.

Known defects are marked ``xfail(strict=True)`` with the exact defect and the fix: the day it
is fixed the test reports XPASS(strict) and fails, and its marker must then be removed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, NO_CHROMIUM
from tests.web.office_world import checks_found_met

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
    pytest.mark.slow,
]

AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
LANGUAGES = ("zh-hans", "en")

PASSWORD = "无障碍测试-pw-2026"
APPLICANT_USER = "xianxia.a11y"
CYCLE_TITLE = "2026年度长宁区政府质量奖"
LISTED_ORG = "上海虹桥精密仪器有限公司"  # on the eligibility notice
DRAFT_ORG = "上海仙霞测量技术有限公司"  # the applicant user's own application, still a draft
TODAY = "2026-05-12"  # inside the notice window (2026-05-11 to 2026-05-15)
EVIDENCE_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


# ---------------------------------------------------------------------------------------------
# The data (through the service layer only; the applicant's account as the admin would make it)


@dataclass(frozen=True)
class Site:
    notice_pk: int
    listed_app_pk: int
    draft_app_pk: int


@pytest.fixture
def site(fast_site: Any) -> Site:
    """A 长宁 cycle with a published eligibility notice (one listed organization, window
    2026-05-11 to 2026-05-15, today inside it) and an applicant user whose own organization
    has a draft application in the same cycle."""
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

    def org(name: str, code: str) -> Any:
        return Applicant.objects.create(
            jurisdiction=j, kind="organization", name=name, credit_code=code, profile={
                "jurisdiction": "上海市长宁区", "established_on": "2008-06-01",
                "annual_results": [{"year": y, "profit": 100} for y in range(2021, 2026)]})

    sync_policies()
    j = Jurisdiction.objects.get(code="shanghai-changning")
    dept = Department.objects.create(jurisdiction=j, name="新华路街道", kind="street")
    office = user("office.a11y", role=Role.OFFICE)
    street = user("street.a11y", role=Role.DEPARTMENT, department=dept)
    listed, draft = org(LISTED_ORG, "91310105MA1FL0XX3K"), org(DRAFT_ORG, "91310105MA1FL0YY4L")
    user(APPLICANT_USER, role=Role.APPLICANT, applicant=draft)

    fast_site.QAWARD_TODAY = "2026-03-02"
    cycle = cycles.cycle_open(jurisdiction=j, year=2026, title=CYCLE_TITLE,
                         opened_on=dt.date(2026, 3, 2),
                         applications_close_on=dt.date(2026, 4, 30), actor=office)
    fast_site.QAWARD_TODAY = "2026-04-20"
    org_track = {"track": "organization", "actor": office}
    own = cycles.application_create(cycle=cycle, applicant=draft, **org_track)
    app = cycles.application_create(cycle=cycle, applicant=listed, **org_track)
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
    fast_site.QAWARD_TODAY = TODAY
    return Site(notice_pk=notice.pk, listed_app_pk=app.pk, draft_app_pk=own.pk)


# ---------------------------------------------------------------------------------------------
# Helpers


def open_page(new_context: Callable[[], Any], server: Any, language: str, *,
              login: bool = False) -> Any:
    """A fresh browser context in ``language`` (the cookie the site's language switch sets),
    logged in as the applicant user if asked."""
    from django.conf import settings

    ctx = new_context()
    ctx.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                      "url": server.url}])
    page = ctx.new_page()
    if login:
        page.goto("/accounts/login/")
        page.locator("#id_username").fill(APPLICANT_USER)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(page.locator("header .who")).to_have_text(APPLICANT_USER)
    return page


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Inject the vendored axe-core and run the WCAG 2.1 A/AA rules on the whole document."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA)
    ran = {r["id"] for kind in ("passes", "violations", "incomplete") for r in result[kind]}
    # Every page has text, a language and a form control (the language switch): if these
    # rules did not run, axe did not check the page.
    assert {"color-contrast", "html-has-lang", "select-name"} <= ran, f"axe ran {sorted(ran)}"
    return list(result["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:3]]
        more = f" (+{len(v['nodes']) - 3} more)" if len(v["nodes"]) > 3 else ""
        lines.append(f"{v['id']} [{v['impact']}] {v['help']}: {'; '.join(targets)}{more}")
    return "\n".join(lines)


def expect_page_ready(page: Any, language: str) -> None:
    """The page is in the asked language and styled (contrast is only meaningful with the
    site's stylesheet applied)."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    styled = page.evaluate("""() => [...document.styleSheets].some(
        s => s.href && s.href.endsWith('/qaward.css') && s.cssRules.length > 0)""")
    assert styled, "qaward.css was not loaded: the colour contrast checks would be meaningless"


FOCUS_STOP = """() => {
    const e = document.activeElement;
    const s = getComputedStyle(e);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    return {
        what: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
              + (e.getAttribute('name') ? `[name=${e.getAttribute('name')}]` : '')
              + (e.textContent.trim() ? ` "${e.textContent.trim().slice(0, 20)}"` : ''),
        visible: outline || s.boxShadow !== 'none',
        outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
        boxShadow: s.boxShadow,
    };
}"""


def tab_to(page: Any, selector: str, invisible: list[str], *, limit: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has the focus, recording every focus
    stop on the way that shows no focus indicator (no outline, no box-shadow)."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_STOP)
        if not stop["visible"]:
            invisible.append(f"{stop['what']} (outline {stop['outline']}, "
                             f"box-shadow {stop['boxShadow']})")
        if target.evaluate("e => e === document.activeElement"):
            return
    raise AssertionError(f"{selector} was not reached with {limit} presses of Tab")


# ---------------------------------------------------------------------------------------------
# axe on every page, in both languages


def notice_board(site: Site) -> tuple[str, bool]:
    return "/notices/", False


def notice_page(site: Site) -> tuple[str, bool]:
    return f"/notices/{site.notice_pk}/", False


def login_page(site: Site) -> tuple[str, bool]:
    return "/accounts/login/", False


def portal(site: Site) -> tuple[str, bool]:
    return "/portal/", True


def portal_application(site: Site) -> tuple[str, bool]:
    return f"/portal/applications/{site.draft_app_pk}/", True


PAGES = {f.__name__: f for f in (notice_board, notice_page, login_page, portal,
                                 portal_application)}


# No page has a serious or critical violation today (axe-core 4.14.1): a page that gets one
# fails here; a known one is marked xfail(strict=True, reason=<the violations>) in the lists.
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_name", list(PAGES))
def test_page_has_no_serious_wcag21_aa_violation(
        new_context: Callable[[], Any], live_server: Any, site: Site, page_name: str,
        language: str) -> None:
    url, needs_login = PAGES[page_name](site)
    page = open_page(new_context, live_server, language, login=needs_login)
    page.goto(url)
    expect(page.locator("main h1")).to_be_visible()
    expect_page_ready(page, language)
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert not blocking, f"{url} ({language}):\n{describe(blocking)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_objection_page_has_no_serious_wcag21_aa_violation(
        new_context: Callable[[], Any], live_server: Any, site: Site, language: str) -> None:
    """The notice page after an empty objection is refused: the error state (field errors,
    the service's refusal) must be as accessible as the empty form."""
    page = open_page(new_context, live_server, language)
    page.goto(f"/notices/{site.notice_pk}/")
    page.locator("form.objection button[type=submit]").click()
    expect(page.locator("form.objection .errorlist").first).to_be_visible()
    expect_page_ready(page, language)
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert not blocking, f"refused objection ({language}):\n{describe(blocking)}"


# ---------------------------------------------------------------------------------------------
# The objection form with the keyboard only


KEYBOARD_TEXTS = {  # language: (the refusal's heading, the receipt)
    "zh-hans": ("异议未被受理", "您的异议已受理，受理编号"),
    "en": ("The objection was not accepted", "Your objection was received under receipt number"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_objection_can_be_made_with_the_keyboard_only(
        new_context: Callable[[], Any], live_server: Any, site: Site, language: str) -> None:
    from qaward.web.notices.models import Objection

    refused, received = KEYBOARD_TEXTS[language]
    page = open_page(new_context, live_server, language)

    def choose_file(chooser: Any) -> None:  # the operating system's file dialog
        chooser.set_files({"name": "退货报道截图.pdf", "mimeType": "application/pdf",
                           "buffer": EVIDENCE_PDF})

    # Registered before the page loads: Chromium then hands every file dialog to Playwright
    # (with expect_file_chooser() the interception could arrive after the key press).
    page.on("filechooser", choose_file)
    page.goto(f"/notices/{site.notice_pk}/")
    expect(page.locator("main h1")).to_be_visible()
    invisible: list[str] = []

    def choose_evidence() -> None:
        tab_to(page, "#id_evidence", invisible)
        page.keyboard.press("Space")  # opens the file chooser, answered by choose_file
        page.wait_for_function("() => document.querySelector('#id_evidence').files.length")

    def submit() -> None:
        tab_to(page, "form.objection button[type=submit]", invisible)
        page.keyboard.press("Enter")

    # First without the ID number: refused, and the refusal is announced (role=alert).
    tab_to(page, "#id_name", invisible)
    page.keyboard.type("赵明")
    tab_to(page, "#id_phone", invisible)
    page.keyboard.type("13800138000")
    tab_to(page, "#id_application", invisible)
    page.keyboard.press("ArrowDown")  # from “请选择” to the one listed organization
    expect(page.locator("#id_application")).to_have_value(str(site.listed_app_pk))
    tab_to(page, "#id_statement", invisible)
    page.keyboard.type("据报道，该公司2025年有一批仪器因计量误差被客户退货，请核实。")
    choose_evidence()
    submit()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(refused)
    expect(alert).to_contain_text("第三十一条")  # the article, cited in both languages
    assert Objection.objects.count() == 0

    # Then with the ID number (the rest was kept; the file must be chosen again): received.
    expect(page.locator("#id_name")).to_have_value("赵明")
    tab_to(page, "#id_id_number", invisible)
    page.keyboard.type("310105198001011235")
    choose_evidence()
    submit()
    expect(page.locator("ul.messages")).to_contain_text(received)
    expect(page.get_by_role("alert")).to_have_count(0)
    assert Objection.objects.count() == 1

    assert not invisible, "focus stops without a visible focus indicator:\n" + "\n".join(
        dict.fromkeys(invisible))


# ---------------------------------------------------------------------------------------------
# What axe does not check


def test_the_checks_find_a_known_violation(
        new_context: Callable[[], Any], live_server: Any, site: Site) -> None:
    """The harness itself: an unlabelled field and grey-on-white text added to a page are
    reported as serious/critical, so a clean result above means something."""
    page = open_page(new_context, live_server, "zh-hans")
    page.goto("/notices/")
    page.evaluate("""() => document.querySelector('main').insertAdjacentHTML('beforeend',
        '<input type="text" id="probe"><p style="color:#bbb;background:#fff">灰色文字</p>')""")
    found = {v["id"]: v for v in axe_violations(page) if v["impact"] in BLOCKING}
    assert {"label", "color-contrast"} <= set(found), describe(list(found.values()))
    assert "#probe" in describe([found["label"]])


ARIA_REFERENCES = """() => {
    const broken = [];
    for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls',
                        'aria-errormessage', 'aria-owns', 'for']) {
        document.querySelectorAll(`[${attr}]`).forEach(e => {
            for (const id of e.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
                if (!document.getElementById(id)) broken.push(`${e.id || e.tagName} ${attr}=${id}`);
            }
        });
    }
    return broken;
}"""


def test_every_id_reference_names_an_element(
        new_context: Callable[[], Any], live_server: Any, site: Site) -> None:
    """aria-describedby (help text, errors), aria-labelledby and <label for> must point at an
    element that exists, or the help text is never read out (1.3.1, 4.1.2). axe only lists
    a missing aria-describedby target as "needs review", so it is checked here."""
    broken: dict[str, list[str]] = {}
    for name, where in PAGES.items():
        url, needs_login = where(site)
        page = open_page(new_context, live_server, "zh-hans", login=needs_login)
        page.goto(url)
        expect(page.locator("main h1")).to_be_visible()
        if missing := page.evaluate(ARIA_REFERENCES):
            broken[name] = missing
    assert not broken, broken


def test_choosing_a_language_with_the_arrow_keys_waits_for_the_switch_button(
        new_context: Callable[[], Any], live_server: Any, site: Site) -> None:
    page = open_page(new_context, live_server, "zh-hans")
    page.goto("/notices/")
    # Record (and hold back) any submission the choice itself would make.
    page.evaluate("""() => {
        window.submitted = [];
        HTMLFormElement.prototype.submit = function () { window.submitted.push(this.action); };
        document.addEventListener('submit', e => {
            window.submitted.push(e.target.action); e.preventDefault(); }, true);
    }""")
    tab_to(page, "#language", [])
    page.keyboard.press("ArrowDown")  # browsing the options: 简体中文 → English
    expect(page.locator("#language")).to_have_value("en")
    assert page.evaluate("window.submitted") == [], "choosing an option switched the language"
    page.reload()
    tab_to(page, "#language", [])
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the 切换 button
    expect(page.locator("html")).to_have_attribute("lang", "en")


OVERFLOW = """() => [...document.body.querySelectorAll('*')]
    .filter(e => !e.closest('table') && e.getBoundingClientRect().width > 0
                 && e.getBoundingClientRect().right > window.innerWidth + 1)
    .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
              + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')"""


@pytest.mark.parametrize("page_name", list(PAGES))
def test_page_reflows_at_320_css_pixels(
        new_context: Callable[[], Any], live_server: Any, site: Site, page_name: str) -> None:
    """WCAG 1.4.10 Reflow (AA): at 320 CSS px (1280 px zoomed to 400 %) nothing but a data
    table may need horizontal scrolling. English, whose labels are the longest."""
    url, needs_login = PAGES[page_name](site)
    page = open_page(new_context, live_server, "en", login=needs_login)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(url)
    expect(page.locator("main h1")).to_be_visible()
    assert page.evaluate(OVERFLOW) == []


def refused_objection(page: Any, site: Site) -> Any:
    """Submit an objection without the ID number (refused by the service, 第三十一条)."""
    page.goto(f"/notices/{site.notice_pk}/")
    form = page.locator("form.objection")
    form.locator("#id_name").fill("赵明")
    form.locator("#id_phone").fill("13800138000")
    form.locator("#id_application").select_option(str(site.listed_app_pk))
    form.locator("#id_statement").fill("请核实该公司2025年的退货情况。")
    form.locator("#id_evidence").set_input_files({
        "name": "退货报道截图.pdf", "mimeType": "application/pdf", "buffer": EVIDENCE_PDF})
    form.locator("button[type=submit]").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("异议未被受理")
    return alert


def test_a_refused_objection_is_shown_where_the_objector_looks(
        new_context: Callable[[], Any], live_server: Any, site: Site) -> None:
    """Whoever submits must see the refusal without searching for it (the most common laptop
    screen, 1366x768)."""
    page = open_page(new_context, live_server, "zh-hans")
    page.set_viewport_size({"width": 1366, "height": 768})
    alert = refused_objection(page, site)
    expect(alert).to_be_in_viewport(ratio=1)


def test_a_refused_objection_marks_the_field_in_error(
        new_context: Callable[[], Any], live_server: Any, site: Site) -> None:
    page = open_page(new_context, live_server, "zh-hans")
    refused_objection(page, site)
    field = page.locator("#id_id_number")
    expect(field).to_have_attribute("aria-invalid", "true")
    described_by = field.get_attribute("aria-describedby") or ""
    errors = " ".join(page.locator(f"#{i}").inner_text() for i in described_by.split())
    assert "身份证号" in errors, f"#id_id_number is described by {described_by!r}: {errors!r}"
