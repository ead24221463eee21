"""Public notices (公示) of a stage's list, and the real-name objections (异议) to them
with their evidence files.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qaward.web.cycles.models import Application, Cycle


class Notice(models.Model):
    """A public notice (公示) of a stage's list, its window counted on the calendar."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="notices")
    stage = models.CharField(max_length=20)  # eligibility | shortlist | final
    title = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    rule = models.CharField(max_length=60)
    article = models.CharField(max_length=200)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)
    applications = models.ManyToManyField(Application, related_name="notices")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "stage"], name="notice_one_per_stage"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="notice_window_ordered"),
        ]


class Objection(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("已受理")
        INVESTIGATING = "investigating", _("调查中")
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="objections")
    # Real name (实名): visible only to the office.
    objector_name = models.CharField(_("姓名或单位名称"), max_length=200)
    objector_id_number = models.CharField(_("身份证号或统一社会信用代码"), max_length=32)
    objector_phone = models.CharField(_("联系电话"), max_length=32)
    objector_email = models.EmailField(_("电子邮箱"), blank=True)
    statement = models.TextField(_("异议内容"))
    submitted_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    investigator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    findings = models.TextField(blank=True)
    decision_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reported_to_committee = models.BooleanField(default=False)

    class Meta:
        constraints = [models.CheckConstraint(
            condition=Q(status__in=["received", "investigating"])
            | (~Q(decision_reason="") & Q(decided_at__isnull=False)),
            name="objection_decision_has_reason")]


class ObjectionEvidence(models.Model):
    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="objections/")
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()

