"""An applicant's appeal (申诉/复核) against an eligibility or shortlist decision.

The decision appealed is the audit event that moved the application to its refused state:
its actor made the decision (and may not decide the appeal, which the database enforces), its
time is the notification the time limit counts from. While an appeal is open the application
is held: ``cycles.services.facts_for`` reads ``application.appeals`` (reverse relation)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from qaward.core.appeals import DECISION_OF_STATE


class Appeal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        UPHELD = "upheld", _("申诉成立")
        DISMISSED = "dismissed", _("申诉不成立")

    application = models.ForeignKey("cycles.Application", on_delete=models.PROTECT,
                                    related_name="appeals")
    decision = models.CharField(_("申诉的结论"), max_length=20)  # eligibility | shortlist
    refused_state = models.CharField(max_length=40)  # ineligible | not_shortlisted
    refused_from = models.CharField(max_length=40)  # the stage that refused it
    decision_event = models.ForeignKey("audit.AuditEvent", on_delete=models.PROTECT,
                                       related_name="+")
    decided_originally_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    notified_on = models.DateField()
    deadline = models.DateField()
    reason = models.TextField(_("申诉理由"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    findings = models.TextField(_("复核结论及理由"), blank=True)
    article = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application"], condition=Q(status="open"),
                                    name="appeal_one_open_per_application"),
            models.CheckConstraint(condition=Q(decision__in=sorted(set(DECISION_OF_STATE.values()))),
                                   name="appeal_decision_known"),
            models.CheckConstraint(condition=~Q(reason=""), name="appeal_has_reason"),
            models.CheckConstraint(
                condition=Q(status="open", decided_by__isnull=True, decided_at__isnull=True)
                | (Q(status__in=["upheld", "dismissed"]) & Q(decided_by__isnull=False)
                   & Q(decided_at__isnull=False) & ~Q(findings="")),
                name="appeal_decided_has_decider_and_reason"),
            # A decider other than the one who decided (NULL original: a system decision).
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | Q(decided_originally_by__isnull=True)
                | ~Q(decided_by=F("decided_originally_by")),
                name="appeal_decider_not_original"),
            models.CheckConstraint(condition=Q(deadline__gte=F("notified_on")),
                                   name="appeal_deadline_after_notification"),
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.get_status_display()}"
