"""The dates of a cycle (评选年度): the year and the dates agree, a very long window or one
running into the next year needs the office head, and applicants are offered the cycle from
its opening date through its closing date (portal, service and API)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from qaward.web.accounts.models import Role
from qaward.web.api.auth import issue_token
from qaward.web.audit.models import AuditEvent
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import Applicant, Application, Cycle
from qaward.web.cycles.services import application_create, cycle_open
from tests.web.office_world import GOOD_PROFILE, World, client_for, set_today, user

pytestmark = pytest.mark.django_db

OPENS, CLOSES = dt.date(2027, 3, 1), dt.date(2027, 4, 30)


def open_cycle(w: World, *, year: int = 2027, opened_on: dt.date = OPENS,
               closes: dt.date = CLOSES, actor: object = None, reason: str = "") -> Cycle:
    return cycle_open(jurisdiction=w.j, year=year, title=f"{year}年度滨江区政府质量奖",
                      opened_on=opened_on, applications_close_on=closes,
                      actor=actor or w.office, override_reason=reason)


@pytest.mark.parametrize(("year", "opened_on", "closes", "field"), [
    (2027, dt.date(2026, 12, 30), CLOSES, "opened_on"),  # the call outside the cycle's year
    (2027, OPENS, OPENS - dt.timedelta(days=1), "applications_close_on"),
])
def test_dates_that_disagree_are_refused_on_their_field(w: World, year: int, opened_on: dt.date,
                                                        closes: dt.date, field: str) -> None:
    with pytest.raises(ServiceError) as err:
        open_cycle(w, year=year, opened_on=opened_on, closes=closes)
    assert err.value.field == field and err.value.article == "四、（一）"
    assert not Cycle.objects.filter(year=year).exists()


@pytest.mark.parametrize(("closes", "code"), [
    (OPENS + dt.timedelta(days=184), "cycle.long_window"),  # 184 days: more than 183
    (dt.date(2028, 1, 10), "cycle.closes_after_year"),
])
def test_a_long_window_or_one_into_next_year_needs_the_office_head(w: World, closes: dt.date,
                                                                   code: str) -> None:
    with pytest.raises(ServiceError, match="负责人") as err:
        open_cycle(w, closes=closes)
    assert err.value.field == "override_reason"
    with pytest.raises(ServiceError, match="负责人"):
        open_cycle(w, closes=closes, reason="配合市级评选安排")  # an office member
    cycle = open_cycle(w, closes=closes, actor=w.head, reason="配合市级评选安排")
    event = AuditEvent.objects.get(action="cycle_open", entity_id=str(cycle.pk))
    assert event.reason == "配合市级评选安排" and code in event.data["dates_signed_off"]


def test_a_window_of_183_days_needs_nobody(w: World) -> None:
    assert open_cycle(w, closes=OPENS + dt.timedelta(days=183)).pk


def test_the_open_form_shows_a_date_refusal_on_its_field(w: World) -> None:
    response = client_for(w.office).post(
        reverse("awards:cycle_open", args=["hangzhou-binjiang"]),
        {"year": 2027, "title": "2027年度", "opened_on": "2026-12-30",
         "applications_close_on": "2027-04-30"})
    assert response.status_code == 200
    error = response.context["form"].errors["opened_on"][0]
    assert "2027年度的申报通知应在2027年内发布" in error and "四、（一）" in error


# ---------------------------------------------------------------------------------------------
# Offered to applicants from the opening date through the closing date


@pytest.fixture
def applicant(w: World) -> Applicant:
    return Applicant.objects.create(jurisdiction=w.j, kind="organization",
                                    name="杭州新申报有限公司", profile=GOOD_PROFILE)


@pytest.mark.parametrize(("today", "offered"), [
    (OPENS - dt.timedelta(days=1), False), (OPENS, True), (CLOSES, True),
    (CLOSES + dt.timedelta(days=1), False)])
def test_the_service_creates_an_application_only_while_the_cycle_is_open(
        w: World, applicant: Applicant, today: dt.date, offered: bool) -> None:
    cycle = open_cycle(w)
    if offered:
        assert application_create(cycle=cycle, applicant=applicant, track="organization",
                                  actor=w.office, today=today).pk
        return
    with pytest.raises(ServiceError, match=r"申报将于2027年3月1日开始|申报已于2027年4月30日截止"):
        application_create(cycle=cycle, applicant=applicant, track="organization",
                           actor=w.office, today=today)
    assert not Application.objects.filter(cycle=cycle).exists()


def test_the_portal_offers_a_cycle_only_from_its_opening_date(w: World,
                                                             applicant: Applicant) -> None:
    cycle = open_cycle(w)
    u = user("new-org", w.j, Role.APPLICANT, applicant=applicant)
    c = client_for(u)
    set_today(OPENS - dt.timedelta(days=1))
    assert cycle.title not in c.get(reverse("awards:portal")).content.decode()
    c.post(reverse("awards:portal_create"), {"choice": f"{applicant.pk}:{cycle.pk}:organization"})
    assert not Application.objects.filter(cycle=cycle).exists()
    set_today(OPENS)
    assert cycle.title in c.get(reverse("awards:portal")).content.decode()


def test_the_api_says_whether_a_cycle_is_open_for_applications(w: World) -> None:
    cycle = open_cycle(w)
    token = issue_token(w.office)
    for today, expected in ((OPENS - dt.timedelta(days=1), False), (OPENS, True)):
        set_today(today)
        body = Client().get("/api/cycles", HTTP_AUTHORIZATION=f"Bearer {token}").json()
        assert {c["id"]: c["open_for_applications"] for c in body}[cycle.pk] is expected
