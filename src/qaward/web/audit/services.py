"""The audit chain: ``record_event`` appends one hash-chained event inside the writing
service's transaction; ``verify_chain`` checks the whole chain (``qaward-manage audit_verify``);
``history`` reads an object's events for its page."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from qaward.web.clock import now as clock_now

from .models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str).encode()


def event_payload(e: AuditEvent) -> dict[str, Any]:
    return {
        "at": e.at.isoformat(), "jurisdiction": e.jurisdiction_id, "actor": e.actor_id,
        "actor_label": e.actor_label, "entity": e.entity, "entity_id": e.entity_id,
        "action": e.action, "from": e.from_state, "to": e.to_state, "reason": e.reason,
        "article": e.article, "data": e.data,
    }


def chain_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + _canonical(payload)).hexdigest()


def actor_label(actor: Any) -> str:
    if actor is None or isinstance(actor, AnonymousUser):
        return "public"
    return str(getattr(actor, "username", actor))


def record_event(*, actor: Any, jurisdiction: Any, entity: str, entity_id: Any,
                 action: str, from_state: str = "", to_state: str = "", reason: str = "",
                 article: str | None = "", data: dict[str, Any] | None = None) -> AuditEvent:
    """Append one event to the hash chain. Must run inside the caller's transaction."""
    head, _ = AuditHead.objects.select_for_update().get_or_create(
        id=1, defaults={"last_hash": GENESIS})
    event = AuditEvent(
        at=clock_now(), jurisdiction=jurisdiction,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label(actor), entity=entity, entity_id=str(entity_id),
        action=action, from_state=from_state, to_state=to_state, reason=reason,
        article=article or "", data=data or {}, prev_hash=head.last_hash,
    )
    event.hash = chain_hash(head.last_hash, event_payload(event))
    event.save()
    head.last_hash, head.last_seq = event.hash, event.seq
    head.save(update_fields=["last_hash", "last_seq"])
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    first_bad_seq: int | None
    problem: str | None


def verify_chain() -> ChainReport:
    prev = GENESIS
    count = 0
    for e in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        count += 1
        if e.prev_hash != prev:
            return ChainReport(False, count, e.seq, "prev_hash does not match the event before")
        if chain_hash(prev, event_payload(e)) != e.hash:
            return ChainReport(False, count, e.seq, "the event's content does not match its hash")
        prev = e.hash
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and head.last_hash != prev:
        return ChainReport(False, count, None, "the chain's last event was removed")
    return ChainReport(True, count, None, None)



def history(entity: str, ids: Iterable[Any]) -> QuerySet[AuditEvent]:
    """The events of the objects ``ids`` of one kind, oldest first (for their pages)."""
    return AuditEvent.objects.filter(entity=entity, entity_id__in=[str(i) for i in ids]
                                     ).select_related("actor").order_by("seq")
