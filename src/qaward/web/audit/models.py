"""The audit log: every state change, hash-chained. Written only by ``record_event``
(``audit/services.py``) inside the writing service's transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class AuditEvent(models.Model):
    """One recorded state change. Hash-chained: each event's hash covers the previous one,
    so any edit or deletion breaks the chain (checked by `qaward-manage audit_verify`)."""

    seq = models.BigAutoField(primary_key=True)
    at = models.DateTimeField()
    jurisdiction = models.ForeignKey("accounts.Jurisdiction", null=True, on_delete=models.PROTECT)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_label = models.CharField(max_length=200)
    entity = models.CharField(max_length=40)
    entity_id = models.CharField(max_length=40)
    action = models.CharField(max_length=60)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)
    article = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        indexes = [models.Index(fields=["entity", "entity_id"])]


class AuditHead(models.Model):
    """The single row locked to append to the audit chain, so appends are serialized."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64)
    last_seq = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="audit_head_singleton")]

