"""The office's notices and objections through Django's test client: publishing a stage's
notice, handling an objection, who sees the objector."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from qaward.web.cycles.models import Application
from qaward.web.cycles.services import (
    application_transition,
    eligibility_conclude,
    eligibility_decide,
)
from qaward.web.notices.models import Notice, Objection
from qaward.web.notices.services import objection_submit
from tests.web.office_world import (
    World,
    checks_found_met,
    client_for,
    fresh,
    into_eligibility,
    set_today,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------
# Notices and objections


def into_committee(w: World) -> Application:
    app = into_eligibility(w)
    checks_found_met(app, w.office)
    eligibility_decide(application=app, actor=w.office, decision="eligible")
    app = eligibility_conclude(application=app, actor=w.office)
    for target in ("site_review", "comprehensive_evaluation", "department_consultation",
                   "committee"):
        app = application_transition(application=app, target=target, actor=w.office)
    return app


def publish_final(w: World, app: Application) -> Notice:
    set_today(dt.date(2026, 9, 1))  # published on its first day
    response = client_for(w.office).post(
        reverse("awards:notice_publish", args=[w.cycle.pk, "final"]),
        {"stage": "final", "starts_on": "2026-09-01", "applications": [app.pk],
         "confirm": "on"})
    assert response.status_code == 302, response.content.decode()
    return Notice.objects.get(cycle=w.cycle, stage="final")


def test_the_office_publishes_the_final_notice_of_the_applications_in_committee(
        w: World) -> None:
    app = into_committee(w)
    page = client_for(w.office).get(reverse("awards:notice_publish",
                                            args=[w.cycle.pk, "final"]))
    assert list(page.context["candidates"]) == [app]
    notice = publish_final(w, app)
    assert (notice.starts_on, notice.ends_on, notice.article) == (
        dt.date(2026, 9, 1), dt.date(2026, 9, 8), "四、（七）")  # 7 days from 9-2
    assert fresh(app).state == "committee_notice"
    assert client_for(w.office).get(reverse("awards:notice_publish", args=[w.cycle.pk, "final"]
                                            )).status_code == 200


def test_a_notice_stage_the_policy_does_not_have_is_404(w: World) -> None:
    assert client_for(w.office).get(reverse("awards:notice_publish", args=[
        w.cycle.pk, "eligibility"])).status_code == 404


def test_the_office_handles_an_objection_and_only_the_investigator_sees_the_objector(
        w: World) -> None:
    app = into_committee(w)
    notice = publish_final(w, app)
    objection = objection_submit(notice=notice, application=app, name="张三",
                                   id_number="33010619900101123X", phone="13812345678",
                                   statement="该企业2025年发生质量事故。",
                                   today=dt.date(2026, 9, 2))
    office = client_for(w.office)
    listing = office.get(reverse("awards:notice_objections", args=[notice.pk])).content.decode()
    assert objection.receipt_no in listing
    assert "张三" not in listing and "13812345678" not in listing
    assert client_for(w.auditor).get(
        reverse("awards:objection_detail", args=[objection.pk])).status_code == 403
    assert client_for(w.reviewer).get(
        reverse("awards:objection_detail", args=[objection.pk])).status_code == 404
    assert client_for(w.other_office).get(
        reverse("awards:objection_detail", args=[objection.pk])).status_code == 404
    office.post(reverse("awards:objection_assign", args=[objection.pk]),
                {"investigator": w.head.pk})
    objection.refresh_from_db()
    assert (objection.status, objection.investigator) == ("investigating", w.head)
    head = client_for(w.head)
    response = head.post(reverse("awards:objection_decide", args=[objection.pk]),
                         {"outcome": "upheld", "findings": "", "reason": "x"})
    assert "findings" in response.context["decide_form"].errors
    head.post(reverse("awards:objection_decide", args=[objection.pk]),
              {"outcome": "upheld", "findings": "经核实，2025年确有重大质量事故。",
               "reason": "不符合三、（六）", "confirm": "on"})
    objection.refresh_from_db()
    assert objection.status == Objection.Status.UPHELD and objection.reported_to_committee
    # 滨江 四、（七）: the committee decides; until the office records it, nothing moves.
    assert (objection.removal, objection.removal_by) == ("pending", "committee")
    assert fresh(app).state == "committee_notice"
    office.post(reverse("awards:objection_removal", args=[objection.pk]),
                {"decision": "approve", "opinion": "评审委员会决定该申报退出评审。",
                 "resolution_on": "2026-09-10", "reference": "滨评委〔2026〕3号会议纪要"})
    objection.refresh_from_db()
    assert objection.removal == "approved"
    assert objection.removal_reference == "滨评委〔2026〕3号会议纪要"
    assert fresh(app).state == "removed_by_objection"




def test_publishing_and_deciding_ask_for_confirmation(w: World) -> None:
    app = into_committee(w)
    office = client_for(w.office)
    url = reverse("awards:notice_publish", args=[w.cycle.pk, "final"])
    assert "我确认" in office.get(url).content.decode()
    response = office.post(url, {"stage": "final", "starts_on": "2026-09-01",
                                 "applications": [app.pk]})
    assert response.status_code == 200 and "confirm" in response.context["form"].errors
    assert not Notice.objects.exists() and fresh(app).state == "committee"
    notice = publish_final(w, app)
    objection = objection_submit(notice=notice, application=app, name="张三",
                                 id_number="33010619900101123X", phone="13800000000",
                                 statement="该企业2025年发生质量事故。",
                                 today=dt.date(2026, 9, 2))
    decide = reverse("awards:objection_decide", args=[objection.pk])
    response = office.post(decide, {"outcome": "dismissed", "findings": "经核实，无此事。",
                                    "reason": "查无实据"})
    assert "confirm" in response.context["decide_form"].errors
    objection.refresh_from_db()
    assert objection.status == Objection.Status.RECEIVED
    office.post(decide, {"outcome": "dismissed", "findings": "经核实，无此事。",
                         "reason": "查无实据", "confirm": "on"})
    objection.refresh_from_db()
    assert objection.status == Objection.Status.DISMISSED
