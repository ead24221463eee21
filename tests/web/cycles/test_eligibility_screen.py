"""The engine's screening of an application is a recorded state change: it stores the
verdict and the fast track on the application and records who ran it, when, under which
article, with the verdict."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qaward.core.workflow import state
from qaward.web.audit.models import AuditEvent
from qaward.web.audit.services import verify_chain
from qaward.web.cycles.services import eligibility_screen
from qaward.web.policies.services import policy_of
from tests.web.office_world import (
    ELSEWHERE_PROFILE,
    World,
    client_for,
    fresh,
    into_eligibility,
    other_applicant,
)

pytestmark = pytest.mark.django_db


def screen_events(app_pk: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(entity="application", entity_id=str(app_pk),
                                          action="eligibility_screen").order_by("seq"))


def test_screening_from_the_console_records_an_event_with_the_verdict(w: World) -> None:
    app = into_eligibility(w)
    assert screen_events(app.pk) == []
    response = client_for(w.office).post(reverse("awards:eligibility_screen", args=[app.pk]))
    assert response.status_code == 302
    app = fresh(app)
    (event,) = screen_events(app.pk)
    assert event.actor == w.office
    assert event.jurisdiction == w.j
    assert event.article == state(policy_of(app.cycle), "eligibility").cite
    assert event.data["verdict"] == app.engine_result["verdict"] == "eligible"
    assert event.data["fast_track"] is app.fast_track
    assert verify_chain().ok


def test_an_ineligible_verdict_is_recorded_too(w: World) -> None:
    app = into_eligibility(w, other_applicant(w, "上海某公司", ELSEWHERE_PROFILE))
    result = eligibility_screen(application=app, actor=w.office)
    (event,) = screen_events(app.pk)
    assert result["verdict"] == event.data["verdict"] == "ineligible"
    assert fresh(app).engine_result == result
