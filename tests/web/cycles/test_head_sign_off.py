"""The office head's landing page lists the overrides awaiting sign-off; the sign-off takes an
opinion, asks for confirmation, and can refuse (the override goes back to the office)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qaward.web.audit.models import AuditEvent
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import EligibilityDecision
from qaward.web.cycles.services import (
    eligibility_conclude,
    eligibility_decide,
    eligibility_screen,
    eligibility_sign_off,
)
from tests.web.office_world import World, checks_found_met, client_for, fresh, into_eligibility

pytestmark = pytest.mark.django_db


def overridden(w: World) -> EligibilityDecision:
    app = into_eligibility(w)
    eligibility_screen(application=app, actor=w.office)
    checks_found_met(app, w.office)
    return eligibility_decide(application=app, actor=w.office, decision="ineligible",
                              reason="近三年有重大质量投诉（书面核实）")


def test_home_offers_the_head_the_sign_off_list(w: World) -> None:
    page = client_for(w.head).get("/").content.decode()
    assert reverse("awards:head_desk", args=[w.j.code]) in page


def test_the_landing_page_lists_what_waits_and_only_that(w: World) -> None:
    head = client_for(w.head)
    url = reverse("awards:head_desk", args=[w.j.code])
    assert head.get(url).context["waiting"] == []
    d = overridden(w)
    page = head.get(url)
    assert [x.pk for x in page.context["waiting"]] == [d.pk]
    assert "近三年有重大质量投诉" in page.content.decode()
    eligibility_sign_off(decision=d, actor=w.head, opinion="同意")
    assert head.get(url).context["waiting"] == []
    assert client_for(w.office).get(url).status_code == 403


def test_sign_off_needs_an_opinion_and_the_confirmation(w: World) -> None:
    d = overridden(w)
    head = client_for(w.head)
    url = reverse("awards:eligibility_sign_off", args=[d.application_id])
    assert "我确认" in head.get(url).content.decode()
    response = head.post(url, {"answer": "approve", "opinion": "同意"})
    assert response.status_code == 200 and list(response.context["form"].errors) == ["confirm"]
    response = head.post(url, {"answer": "approve", "opinion": " ", "confirm": "on"})
    assert "opinion" in response.context["form"].errors
    assert EligibilityDecision.objects.get(pk=d.pk).signed_off_at is None
    response = head.post(url, {"answer": "approve", "opinion": "同意，核实材料齐全。",
                               "confirm": "on"})
    assert response.status_code == 302
    d.refresh_from_db()
    assert (d.signed_off_by, d.sign_off_opinion, d.sign_off_refused) == (
        w.head, "同意，核实材料齐全。", False)
    event = AuditEvent.objects.get(action="eligibility_sign_off")
    assert event.reason == "同意，核实材料齐全。" and event.article
    assert eligibility_conclude(application=d.application, actor=w.office).state == "ineligible"


def test_a_refused_override_goes_back_to_the_office(w: World) -> None:
    d = overridden(w)
    head = client_for(w.head)
    response = head.post(reverse("awards:eligibility_sign_off", args=[d.application_id]),
                         {"answer": "refuse", "opinion": "投诉已结案，不构成否决情形。",
                          "confirm": "on"})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.sign_off_refused and d.signed_off_by == w.head
    assert AuditEvent.objects.filter(action="eligibility_sign_off_refuse").count() == 1
    with pytest.raises(ServiceError, match="重新作出审查结论"):
        eligibility_conclude(application=d.application, actor=w.office)
    page = client_for(w.office).get(reverse("awards:application_detail",
                                            args=[d.application_id]))
    assert page.context["conclude_form"] is None
    assert "投诉已结案" in page.content.decode()
    # The office decides again: the new decision needs a new sign-off or follows the engine.
    checks_found_met(d.application, w.office)
    eligibility_decide(application=d.application, actor=w.office, decision="eligible")
    assert eligibility_conclude(application=d.application, actor=w.office).state != \
        "eligibility"
    assert fresh(d.application).state != "eligibility"


def test_an_answered_or_unneeded_sign_off_is_refused(w: World) -> None:
    d = overridden(w)
    eligibility_sign_off(decision=d, actor=w.head, opinion="同意")
    with pytest.raises(ServiceError):
        eligibility_sign_off(decision=d, actor=w.head, opinion="再签一次")
    with pytest.raises(ServiceError):
        eligibility_sign_off(decision=d, actor=w.office, opinion="同意")
