"""Ticking a duty of the checklist as done (issue 7): a service with its audit event (who,
when, note, article); only the office, only a duty of the cycle's policy, only once."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from qaward.web.audit.models import AuditEvent
from qaward.web.common.errors import ServiceError
from qaward.web.duties.models import DutyRecord
from qaward.web.duties.services import duty_mark_done
from tests.web.office_world import World, build_world, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv("QAWARD_POLICY_DIRS", raising=False)
    monkeypatch.delenv("QAWARD_CONFIG_DIR", raising=False)
    return build_world()


def test_ticking_a_duty_records_who_when_note_and_article(w: World) -> None:
    record = duty_mark_done(cycle=w.cycle, duty_id="no_fees", actor=w.office,
                            note=" 申报通知已写明不收费 ")
    assert (record.duty_id, record.article, record.note, record.done_by) == (
        "no_fees", "一、（四）", "申报通知已写明不收费", w.office)
    event = AuditEvent.objects.get(action="duty_done")
    assert (event.entity, event.entity_id, event.actor, event.article, event.reason) == (
        "cycle", str(w.cycle.pk), w.office, "一、（四）", "申报通知已写明不收费")
    assert event.data == {"duty": "no_fees", "kind": "no_fees", "stage": "throughout"}


def test_a_duty_is_ticked_once_and_must_be_the_policys(w: World) -> None:
    duty_mark_done(cycle=w.cycle, duty_id="no_fees", actor=w.office)
    with pytest.raises(ServiceError, match="这一事项已勾选为完成"):
        duty_mark_done(cycle=w.cycle, duty_id="no_fees", actor=w.office)
    with pytest.raises(ServiceError, match="管理办法中没有这一事项：mentor_filing"):
        duty_mark_done(cycle=w.cycle, duty_id="mentor_filing", actor=w.office)  # 长宁's
    assert DutyRecord.objects.count() == 1
    assert AuditEvent.objects.filter(action="duty_done").count() == 1


def test_only_the_office_ticks(w: World) -> None:
    with pytest.raises(ServiceError, match="只有评审办可以勾选工作清单"):
        duty_mark_done(cycle=w.cycle, duty_id="no_fees", actor=w.reviewer)
    assert not DutyRecord.objects.exists()


def test_the_cycle_page_ticks_and_shows_the_duty_done(w: World) -> None:
    client = client_for(w.office)
    url = reverse("awards:duty_done", args=[w.cycle.pk, "confidentiality"])
    response = client.post(url, {"note": "评审员已签署保密承诺"})
    assert response.status_code == 302
    assert response["Location"].endswith("#duties")
    page = client.get(reverse("awards:cycle_detail", args=[w.cycle.pk])).content.decode()
    assert "✓ office 于 " in page and "勾选完成：评审员已签署保密承诺" in page
    # the other duty of the stage can still be ticked
    assert reverse("awards:duty_done", args=[w.cycle.pk, "no_fees"]) in page
    assert reverse("awards:duty_done", args=[w.cycle.pk, "confidentiality"]) not in page
    # a user who is not the office sees no form and cannot post
    assert client_for(w.reviewer).post(
        reverse("awards:duty_done", args=[w.cycle.pk, "no_fees"])).status_code in (403, 404)
