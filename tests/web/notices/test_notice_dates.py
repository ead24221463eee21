"""The dates of a notice (公示) and the stage it follows, under 滨江 (final notice after the
committee, 四、（七）; applications close on 30 April 2026): a notice starts on its publication
day, today or later; it is published only for applications that have reached its stage; a
start far ahead or outside the cycle's year needs the office head; objections are taken from
the first day of the notice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from qaward.core.workdays import YearSchedule
from qaward.core.workdays.store import save_year
from qaward.web.audit.models import AuditEvent
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import Application
from qaward.web.notices.models import Notice
from qaward.web.notices.services import notice_publish, objection_submit
from tests.web.board_world import OBJECTOR, advance
from tests.web.office_world import (
    AFTER_CLOSE,
    CLOSES,
    World,
    client_for,
    fresh,
    set_today,
    submit,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 10)
FINAL_NOTICE = "四、（七）"  # 滨江: the final notice
COMMITTEE = "四、（六）"  # 滨江: the committee's deliberation, the stage the notice follows


def in_committee(w: World) -> Application:
    app = submit(w)
    set_today(AFTER_CLOSE)
    return advance(app, "committee", office=w.office, dept=w.dept_user, on=AFTER_CLOSE)


def publish(w: World, app: Application, starts_on: dt.date, *, today: dt.date = TODAY,
            actor: object = None, reason: str = "") -> Notice:
    return notice_publish(cycle=w.cycle, stage="final", starts_on=starts_on,
                          actor=actor or w.office, applications=[app], today=today,
                          sign_off_reason=reason)


@pytest.mark.parametrize(("starts_on", "today"), [
    (TODAY - dt.timedelta(days=1), TODAY),  # backdated by a day
    (CLOSES, dt.date(2026, 4, 28)),  # on the closing day of applications
])
def test_a_backdated_start_or_one_before_the_window_closes_is_refused(
        w: World, starts_on: dt.date, today: dt.date) -> None:
    app = in_committee(w)
    with pytest.raises(ServiceError) as err:
        publish(w, app, starts_on, today=today)
    assert err.value.field == "starts_on" and err.value.article == FINAL_NOTICE
    assert not Notice.objects.exists() and fresh(app).state == "committee"


@pytest.mark.parametrize(("starts_on", "today"), [
    (TODAY, TODAY),  # today
    (TODAY + dt.timedelta(days=30), TODAY),  # the longest lead without the head
    (CLOSES + dt.timedelta(days=1), dt.date(2026, 4, 28)),  # the day after the window closes
])
def test_a_start_today_or_later_is_published(w: World, starts_on: dt.date,
                                             today: dt.date) -> None:
    app = in_committee(w)
    notice = publish(w, app, starts_on, today=today)
    assert notice.starts_on == starts_on and notice.title == "2026年度滨江区政府质量奖" \
        "拟授予区政府质量奖及其提名奖组织名单公示"
    assert fresh(app).state == "committee_notice"


@pytest.mark.parametrize("starts_on", [
    TODAY + dt.timedelta(days=31),  # more than 30 days ahead
])
def test_a_start_far_ahead_needs_the_office_head_and_a_reason(w: World,
                                                             starts_on: dt.date) -> None:
    app = in_committee(w)
    with pytest.raises(ServiceError, match="负责人") as err:
        publish(w, app, starts_on)
    assert err.value.field == "starts_on"
    head = w.head
    with pytest.raises(ServiceError) as err:
        publish(w, app, starts_on, actor=head)
    assert err.value.field == "sign_off_reason"
    assert not Notice.objects.exists()
    notice = publish(w, app, starts_on, actor=head, reason="评委会会期推迟，经主任同意")
    event = AuditEvent.objects.get(action="notice_publish", entity_id=str(notice.pk))
    assert event.reason == "评委会会期推迟，经主任同意"
    assert event.data["signed_off"] == ["notice.far_ahead"]


def test_a_start_outside_the_cycle_year_needs_the_office_head(
        w: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = in_committee(w)
    today, starts_on = dt.date(2026, 12, 28), dt.date(2027, 1, 4)
    # The 7-day window ends on a 2027 day that may be a holiday (民法典 第二百零三条): counting
    # it needs the 2027 schedule, which the office imports once published.
    monkeypatch.setenv("QAWARD_DATA_DIR", str(tmp_path))
    with pytest.raises(ServiceError, match="2027"):
        publish(w, app, starts_on, today=today)
    save_year(YearSchedule(2027, True, "test", {dt.date(2027, 1, 1): "元旦"}, {}))
    with pytest.raises(ServiceError, match="2026评选年度"):
        publish(w, app, starts_on, today=today)
    notice = publish(w, app, starts_on, today=today, actor=w.head, reason="年末会期")
    assert AuditEvent.objects.get(action="notice_publish", entity_id=str(notice.pk)).data[
        "signed_off"] == ["notice.outside_cycle_year"]


def test_a_notice_whose_stage_is_not_reached_is_refused_with_the_article(w: World) -> None:
    app = submit(w)
    set_today(TODAY)
    with pytest.raises(ServiceError, match="尚未完成“区评委会审议表决”阶段") as err:
        publish(w, app, TODAY)
    assert err.value.field == "applications" and err.value.article == COMMITTEE
    with pytest.raises(ServiceError, match="尚无申报") as err:
        notice_publish(cycle=w.cycle, stage="final", starts_on=TODAY, actor=w.office,
                       applications=[], today=TODAY)
    assert not Notice.objects.exists() and fresh(app).state == "submitted"


def test_objections_are_taken_from_the_first_day_of_the_notice(w: World) -> None:
    app = in_committee(w)
    starts_on = TODAY + dt.timedelta(days=3)
    notice = publish(w, app, starts_on)
    with pytest.raises(ServiceError, match="不在公示期内") as err:
        objection_submit(notice=notice, application=app, today=starts_on - dt.timedelta(days=1),
                         **OBJECTOR)
    assert err.value.article == FINAL_NOTICE
    assert objection_submit(notice=notice, application=app, today=starts_on, **OBJECTOR).pk


# ---------------------------------------------------------------------------------------------
# The office's pages


def test_before_the_window_closes_publishing_is_disabled_with_the_reason(w: World) -> None:
    c = client_for(w.office)
    url = reverse("awards:notice_publish", args=[w.cycle.pk, "final"])
    page = c.get(reverse("awards:cycle_detail", args=[w.cycle.pk])).content.decode()
    assert "申报截止日期为2026年4月30日" in page and "四、（二）" in page
    assert url not in page
    assert "申报截止日期为2026年4月30日" in c.get(url).content.decode()
    set_today(CLOSES + dt.timedelta(days=1))
    page = c.get(reverse("awards:cycle_detail", args=[w.cycle.pk])).content.decode()
    assert url in page and "申报截止日期为2026年4月30日" not in page


def test_the_publish_form_shows_a_date_refusal_on_its_field(w: World) -> None:
    app = in_committee(w)
    set_today(TODAY)
    response = client_for(w.office).post(
        reverse("awards:notice_publish", args=[w.cycle.pk, "final"]),
        {"stage": "final", "starts_on": "2026-06-09", "applications": [app.pk], "confirm": "on"})
    assert response.status_code == 200
    error = response.context["form"].errors["starts_on"][0]
    assert "不能倒签" in error and FINAL_NOTICE in error
    assert not Notice.objects.exists()


def test_the_head_publishes_a_far_start_from_the_form_with_a_reason(w: World) -> None:
    app = in_committee(w)
    set_today(TODAY)
    url = reverse("awards:notice_publish", args=[w.cycle.pk, "final"])
    data = {"stage": "final", "starts_on": "2026-08-03", "applications": [app.pk],
            "confirm": "on"}
    response = client_for(w.office).post(url, data)
    assert "负责人" in response.context["form"].errors["starts_on"][0]
    response = client_for(w.head).post(url, {**data, "sign_off_reason": "会期推迟"})
    assert response.status_code == 302
    assert Notice.objects.get().starts_on == dt.date(2026, 8, 3)
