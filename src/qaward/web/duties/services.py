"""Ticking a duty of the cycle's policy as done; the write records its audit event."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qaward.web.accounts import rules
from qaward.web.audit.services import record_event
from qaward.web.clock import now
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import Cycle
from qaward.web.policies.services import policy_of

from .models import DutyRecord

NOTE_MAX = 2000


def duty_mark_done(*, cycle: Cycle, duty_id: str, actor: Any, note: str = "") -> DutyRecord:
    """Record that the office fulfilled the duty ``duty_id`` of the cycle's policy."""
    if not rules.is_office(actor, cycle):
        raise ServiceError(_("只有评审办可以勾选工作清单"))
    policy = policy_of(cycle)
    duty = next((d for d in policy.duties if d.id == duty_id), None)
    if duty is None:
        raise ServiceError(_("管理办法中没有这一事项：%(duty)s") % {"duty": duty_id},
                           field="duty")
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ServiceError(_("说明不能超过 %(n)s 个字") % {"n": NOTE_MAX}, field="note")
    try:
        with transaction.atomic():
            record = DutyRecord.objects.create(
                cycle=cycle, duty_id=duty.id, article=duty.cite, text_zh=duty.text_zh,
                note=note, done_by=actor, done_at=now())
            record_event(actor=actor, jurisdiction=cycle.jurisdiction, entity="cycle",
                         entity_id=cycle.pk, action="duty_done", reason=note,
                         article=duty.cite,
                         data={"duty": duty.id, "kind": duty.kind, "stage": str(duty.stage)})
    except IntegrityError:
        raise ServiceError(_("这一事项已勾选为完成"), field="duty") from None
    return record
