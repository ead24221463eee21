"""The audit log is a hash chain: any edit, insertion or removal of an event is found by
``verify_chain`` and by ``qaward-manage audit_verify``."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from qaward.web.audit.models import AuditEvent
from qaward.web.audit.services import record_event, verify_chain

pytestmark = pytest.mark.django_db


def three_events() -> list[AuditEvent]:
    return [record_event(actor=None, jurisdiction=None, entity="cycle", entity_id=i,
                         action="cycle_open", reason=f"第{i}次") for i in (1, 2, 3)]


def test_an_untouched_chain_is_intact() -> None:
    three_events()
    report = verify_chain()
    assert (report.ok, report.events, report.first_bad_seq) == (True, 3, None)
    call_command("audit_verify")


def test_an_edited_event_breaks_the_chain_at_that_event() -> None:
    _, second, _ = three_events()
    AuditEvent.objects.filter(seq=second.seq).update(reason="改过")
    report = verify_chain()
    assert not report.ok and report.first_bad_seq == second.seq
    assert report.problem == "the event's content does not match its hash"
    with pytest.raises(CommandError, match=f"BROKEN at event #{second.seq}"):
        call_command("audit_verify")


def test_removing_the_last_event_is_found_too() -> None:
    *_, last = three_events()
    AuditEvent.objects.filter(seq=last.seq).delete()
    report = verify_chain()
    assert not report.ok and report.problem == "the chain's last event was removed"
