"""The office's record that it fulfilled a duty of the policy (``duties``: rules that change
no verdict) in a cycle: who, when, with what note. One record per duty and cycle."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qaward.web.cycles.models import Cycle


class DutyRecord(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="duty_records")
    duty_id = models.CharField(max_length=100)
    # The duty as the office saw it when ticking it (the policy version may change later).
    article = models.CharField(_("依据"), max_length=200)
    text_zh = models.TextField()
    note = models.TextField(_("说明"), blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    done_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "duty_id"], name="duty_done_once"),
            models.CheckConstraint(condition=~Q(duty_id=""), name="duty_record_has_duty"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id} {self.duty_id}"
