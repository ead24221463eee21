"""Every main page in English shows no Chinese but data (names, titles, articles), and the
error pages (403, 404, 500) are the site's own, in the reader's language."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from qaward.core.policy.inspect import no_rules, silent_values
from qaward.web.notices.models import Notice
from qaward.web.notices.services import objection_submit
from qaward.web.notices.views import masked
from qaward.web.policies.services import policy_of
from tests.web.board_world import OBJECTOR, World

pytestmark = pytest.mark.django_db

# Ideographs (CJK unified, extension A, compatibility): what an untranslated string shows.
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Articles as the regulations number them: 第十五条, 四、（七）, （三）.
NUMERAL = "[一二三四五六七八九十百零〇]"
ARTICLE = re.compile(rf"附则|第[\d一二三四五六七八九十百零〇]+[章条款项]"
                     rf"|{NUMERAL}+、|（{NUMERAL}+）")


class VisibleText(HTMLParser):
    """The text a reader sees: no script or style, plus the page title and the labels a
    screen reader reads (alt, aria-label, title, placeholder, option text is text)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        for name, value in attrs:
            if name in ("alt", "aria-label", "title", "placeholder", "data-confirm") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def data_strings(world: World) -> list[str]:
    """The Chinese the data holds: names, titles, the regulation's own words."""
    from qaward.web.accounts.models import Department
    from qaward.web.cycles.models import Applicant, Cycle, ManualCheckFinding

    strings: list[str] = ["简体中文"]  # the language switch names each language in itself
    strings += [a.name for a in Applicant.objects.all()]
    strings += [d.name for d in Department.objects.all()]
    strings += [c.title for c in Cycle.objects.all()]
    strings += [n.title for n in Notice.objects.all()]
    for cycle in (world.cycle_b, world.cycle_c):
        p = policy_of(cycle)
        strings += [p.title_zh, cycle.jurisdiction.name_zh]
        # The policy's own explanations of what the text does not settle or does not have.
        strings += [v.silent for _, v in silent_values(p)] + [v.none for _, v in no_rules(p)]
    strings += [a.profile["employer"]["name"] for a in Applicant.objects.all()
                if "employer" in a.profile]
    strings += [OBJECTOR["name"], OBJECTOR["statement"], "同意推荐"]
    strings += [f.note for f in ManualCheckFinding.objects.all()]  # the office's own words
    strings += [masked(OBJECTOR["name"], name=True)]  # the objector's name as others see it
    return sorted(set(strings), key=len, reverse=True)


def leftovers(text: str, data: list[str]) -> list[str]:
    for s in data:
        text = text.replace(s, " ")
    text = ARTICLE.sub(" ", text)
    return sorted(set(CJK.findall(text)))


def english_client(user: User | None = None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def pages(world: World) -> list[tuple[str, str, User | None, int]]:
    from qaward.web.accounts.models import Membership, Role

    objection = objection_submit(notice=world.current, application=world.app_b,
                                 name=OBJECTOR["name"], id_number=OBJECTOR["id_number"],
                                 phone=OBJECTOR["phone"], statement=OBJECTOR["statement"])
    head = User.objects.create_user("head_b")
    Membership.objects.create(user=head, jurisdiction=world.binjiang, role=Role.OFFICE_HEAD)
    dept = User.objects.get(memberships__role=Role.DEPARTMENT,
                            memberships__jurisdiction=world.binjiang)
    code = world.binjiang.code
    office = world.office_b
    return [
        ("home", "/", None, 200),
        ("console", f"/console/{code}/", office, 200),
        ("cycle page", f"/console/cycles/{world.cycle_b.pk}/", office, 200),
        ("application page", f"/console/applications/{world.app_b.pk}/", office, 200),
        ("notice board", "/notices/", None, 200),
        ("notice with the objection form", f"/notices/{world.current.pk}/", None, 200),
        ("a past notice", f"/notices/{world.past.pk}/", None, 200),
        ("objections of a notice", f"/console/notices/{world.current.pk}/", office, 200),
        ("an objection", f"/console/objections/{objection.pk}/", office, 200),
        ("portal", "/portal/", world.applicant_user, 200),
        ("portal application", f"/portal/applications/{world.app_b.pk}/",
         world.applicant_user, 200),
        ("department page", "/department/", dept, 200),
        ("department application", f"/department/applications/{world.app_b.pk}/", dept, 200),
        ("audit log", f"/console/{code}/audit/", head, 200),
        ("login", "/accounts/login/", None, 200),
        ("404", "/no-such-page/", None, 404),
        ("403", f"/console/{code}/audit/", office, 403),
    ]


def test_english_pages_show_no_chinese_but_data(world: World) -> None:
    data = data_strings(world)
    found: dict[str, list[str]] = {}
    for name, url, user, status in pages(world):
        response = english_client(user).get(url)
        html = response.content.decode()
        if response.status_code != status or '<html lang="en">' not in html:
            found[f"{name} {url}"] = [f"status {response.status_code}, not English"]
        elif rest := leftovers(visible_text(html), data):
            found[f"{name} {url}"] = rest
    assert not found, "\n".join(f"{page}: {' '.join(rest)}" for page, rest in found.items())


def test_the_check_sees_chinese_that_is_not_data(world: World) -> None:
    """The stripping of data leaves untranslated text (the test above can fail)."""
    data = data_strings(world)
    html = "<p>Notice board 公示中 <b>第十五条</b> 杭州滨澜智能传感技术有限公司</p>"
    assert leftovers(visible_text(html), data) == ["公示中"]
    assert leftovers(visible_text('<a title="返回">x</a><script>"中"</script>'), data) == ["返回"]


def test_a_refused_objection_is_english(world: World) -> None:
    """The service's refusal on the notice page (a ServiceError through gettext), and the
    field it names is marked."""
    response = english_client().post(f"/notices/{world.current.pk}/", {
        "application": world.app_b.pk, "name": OBJECTOR["name"], "id_number": "",
        "phone": OBJECTOR["phone"], "statement": OBJECTOR["statement"]})
    html = response.content.decode()
    assert response.status_code == 200
    text = visible_text(html)
    assert "The objection was not accepted" in text
    assert "real name" in text
    # the field the service names is marked (WCAG 3.3.1)
    field = re.search(r'<input[^>]*name="id_number"[^>]*>', html)
    assert field and 'aria-invalid="true"' in field.group(0)
    assert leftovers(text, data_strings(world)) == []


# ---------------------------------------------------------------------------------------------
# The error pages


@pytest.mark.parametrize(("language", "heading", "absent"), [
    ("zh-hans", "页面不存在", "Page not found"),
    ("en", "Page not found", "页面不存在"),
])
def test_404_is_the_site_page_in_the_reader_language(language: str, heading: str,
                                                     absent: str) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert absent not in html
    assert "qaward.css" in html and 'class="site"' in html  # the site's layout


@pytest.mark.parametrize(("language", "heading"), [
    ("zh-hans", "无权访问"), ("en", "Access denied")])
def test_403_is_the_site_page_in_the_reader_language(world: World, language: str,
                                                     heading: str) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(world.office_b)  # an office clerk: the audit log is the head's
    response = client.get(f"/console/{world.binjiang.code}/audit/")
    assert response.status_code == 403
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert world.office_b.username in html  # the base layout, with the user's name


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken)]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
@pytest.mark.parametrize(("language", "heading"), [
    ("zh-hans", "服务器内部错误"), ("en", "Server error")])
def test_500_is_a_static_page_in_the_reader_language(language: str, heading: str,
                                                     django_assert_max_num_queries: Any) -> None:
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with django_assert_max_num_queries(0):
        response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert "RuntimeError" not in html and "a bug" not in html
