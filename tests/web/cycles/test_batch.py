"""Batch actions on the selected applications of a cycle: each one guarded and audited on
its own, with a summary of what moved and what was refused, and why."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from qaward.web.audit.models import AuditEvent
from qaward.web.cycles.services import application_transition
from tests.web.office_world import (
    GOOD_PROFILE,
    World,
    client_for,
    fresh,
    other_applicant,
    submit,
)

pytestmark = pytest.mark.django_db


def test_batch_move_moves_each_it_may_and_says_why_not_for_the_others(w: World) -> None:
    first = submit(w)
    second = submit(w, other_applicant(w, "乙公司", GOOD_PROFILE))
    draft = other_applicant(w, "丙公司", GOOD_PROFILE)  # a draft: the applicant submits
    before = AuditEvent.objects.filter(action="transition").count()
    c = client_for(w.office)
    response = c.post(reverse("awards:application_batch", args=[w.cycle.pk]),
                      {"applications": [first.pk, second.pk, draft.pk], "action": "next",
                       "query": "state=submitted"})
    assert response.status_code == 302
    assert response["Location"].endswith("?state=submitted")
    assert (fresh(first).state, fresh(second).state, fresh(draft).state) == (
        "recommendation", "recommendation", "draft")
    assert AuditEvent.objects.filter(action="transition").count() == before + 2
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert "已办理 2 件，未办理 1 件" in texts[0]
    assert any(t.startswith("丙公司：未办理") for t in texts)
    c.get(response["Location"])  # the summary is shown once
    # Recommendation is the next gate: without a signed recommendation, each is refused with
    # the article.
    response = c.post(reverse("awards:application_batch", args=[w.cycle.pk]),
                      {"applications": [first.pk, second.pk], "action": "next"}, follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert "已办理 0 件，未办理 2 件" in texts[0]
    assert fresh(first).state == "recommendation"


def test_batch_return_needs_a_reason_and_returns_each(w: World) -> None:
    first = application_transition(application=submit(w), target="recommendation",
                                   actor=w.office)
    second = submit(w, other_applicant(w, "乙公司", GOOD_PROFILE))
    c = client_for(w.office)
    url = reverse("awards:application_batch", args=[w.cycle.pk])
    refused = c.post(url, {"applications": [first.pk, second.pk], "action": "return",
                           "reason": " "}, follow=True)
    assert "退回补正须写明需补正的内容。" in [str(m) for m in refused.context["messages"]]
    assert (fresh(first).state, fresh(second).state) == ("recommendation", "submitted")
    response = c.post(url, {"applications": [first.pk, second.pk], "action": "return",
                            "reason": "请补充近三年财务审计报告"}, follow=True)
    # The regulation's workflow guards each one: a return from recommendation is refused.
    assert (fresh(first).state, fresh(second).state) == ("recommendation", "returned")
    texts = [str(m) for m in response.context["messages"]]
    assert "已办理 1 件，未办理 1 件" in texts[0]
    assert any(t.startswith("杭州示例科技有限公司：未办理") for t in texts)
    events = AuditEvent.objects.filter(action="transition", to_state="returned")
    assert [(e.entity_id, e.reason) for e in events] == [
        (str(second.pk), "请补充近三年财务审计报告")]


def test_only_the_office_acts_in_batch(w: World) -> None:
    app = submit(w)
    url = reverse("awards:application_batch", args=[w.cycle.pk])
    assert client_for(w.auditor).post(url, {"applications": [app.pk],
                                            "action": "next"}).status_code == 403
    assert client_for(w.reviewer).post(url, {"applications": [app.pk],
                                             "action": "next"}).status_code == 404
    assert client_for(w.other_office).post(url, {"applications": [app.pk],
                                                 "action": "next"}).status_code == 404
    assert fresh(app).state == "submitted"


def test_the_cycle_page_offers_the_checkboxes_to_the_office_only(w: World) -> None:
    submit(w)
    url = reverse("awards:cycle_detail", args=[w.cycle.pk])
    assert 'name="applications"' in client_for(w.office).get(url).content.decode()
    assert 'name="applications"' not in client_for(w.auditor).get(url).content.decode()
