"""Every display of a notice window prints both dates in full with the basis of counting
(民法典 第二百零一条、第二百零三条 by default): the public board, the notice detail, the print
view, the office's pages and the API, in Chinese and in English.

The board world's notices, counted by law:
- 长宁 eligibility, 不少于5个工作日, published Mon 2026-05-11: 2026-05-12 to 2026-05-18
  (the old counting ended 05-15);
- 滨江 final, 7天, published Wed 2026-06-10: 2026-06-11 to Wed 2026-06-17 (old: 06-16)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from qaward.web.notices.models import Notice
from tests.web.board_world import World
from tests.web.office_world import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """Choosing English activates it in this thread; later tests read Chinese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)

LAW_ZH = "计算依据：民法典 第二百零一条、第二百零三条"
LAW_EN = "counted by Civil Code, Articles 201 and 203"
PAST_ZH = "公示期：2026年5月12日至2026年5月18日"
PAST_EN = "Notice period: 12 May 2026 to 18 May 2026"
CURRENT_ZH = "公示期：2026年6月11日至2026年6月17日"
CURRENT_EN = "Notice period: 11 June 2026 to 17 June 2026"


def test_the_stored_window_is_counted_by_law(world: World) -> None:
    past, current = world.past, world.current
    assert (past.starts_on, past.first_counted_on, past.ends_on) == (
        dt.date(2026, 5, 11), dt.date(2026, 5, 12), dt.date(2026, 5, 18))
    assert (current.starts_on, current.first_counted_on, current.ends_on) == (
        dt.date(2026, 6, 10), dt.date(2026, 6, 11), dt.date(2026, 6, 17))
    assert {(n.counting_source, n.counting_zh) for n in Notice.objects.all()} == {
        ("law", "民法典 第二百零一条、第二百零三条")}


def _english(c: Client) -> Client:
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return c


@pytest.mark.parametrize("page", ["list", "detail", "print"])
def test_the_public_pages_print_both_dates_in_full_with_the_basis(
        world: World, client: Client, page: str) -> None:
    url = {"list": reverse("public:notice_list"),
           "detail": reverse("public:notice_detail", args=[world.past.pk]),
           "print": reverse("public:notice_print", args=[world.past.pk])}[page]
    zh = client.get(url).content.decode()
    assert PAST_ZH in zh and "2026年5月11日发布" in zh and LAW_ZH in zh
    en = _english(client).get(url).content.decode()
    assert PAST_EN in en and "published 11 May 2026" in en and LAW_EN in en


def test_the_detail_page_says_objections_run_from_publication_to_the_end(
        world: World, client: Client) -> None:
    page = client.get(reverse("public:notice_detail", args=[world.current.pk])).content.decode()
    assert "可自公示发布之日（2026年6月10日）起至公示期满（2026年6月17日）" in page \
        or "自公示发布之日（2026年6月10日）起至公示期满（2026年6月17日）" in page
    past = client.get(reverse("public:notice_detail", args=[world.past.pk])).content.decode()
    assert "公示已于2026年5月18日结束" in past


def test_the_office_pages_print_both_dates_in_full_with_the_basis(world: World) -> None:
    office = client_for(world.office_b)
    for url in (reverse("awards:cycle_detail", args=[world.cycle_b.pk]),
                reverse("awards:notice_objections", args=[world.current.pk]),
                reverse("awards:application_detail", args=[world.app_b.pk])):
        page = office.get(url).content.decode()
        assert CURRENT_ZH in page and "2026年6月10日发布" in page and LAW_ZH in page, url
        en = _english(client_for(world.office_b)).get(url).content.decode()
        assert CURRENT_EN in en and LAW_EN in en, url


def test_the_api_gives_the_first_counted_day_the_end_and_the_basis(
        world: World, client: Client) -> None:
    past = client.get(f"/api/notices/{world.past.pk}").json()
    assert (past["starts_on"], past["first_counted_on"], past["ends_on"]) == (
        "2026-05-11", "2026-05-12", "2026-05-18")
    assert (past["period_zh"], past["period_en"]) == (PAST_ZH, PAST_EN)
    assert past["counting_source"] == "law"
    assert past["counting_basis_zh"] == "民法典 第二百零一条、第二百零三条"
    assert past["counting_basis_en"] == "Civil Code, Articles 201 and 203"
    listed = {n["id"]: n for n in client.get("/api/notices").json()}
    assert listed[world.current.pk]["first_counted_on"] == "2026-06-11"
    assert listed[world.current.pk]["ends_on"] == "2026-06-17"
