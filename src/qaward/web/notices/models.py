"""Public notices (公示) of a stage's list, and the real-name objections (异议) to them
with their evidence files.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qaward.core.workdays import full_date_en, full_date_zh, period_text
from qaward.web.common.errors import in_language
from qaward.web.cycles.models import Application, Cycle


class Notice(models.Model):
    """A public notice (公示) of a stage's list, its window counted on the calendar."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="notices")
    stage = models.CharField(max_length=20)  # eligibility | shortlist | final
    title = models.CharField(max_length=200)
    starts_on = models.DateField()  # the publication day
    # Day 1 of the period: the day after publication by law (民法典 第二百零一条), or the
    # publication day where the office configured it.
    first_counted_on = models.DateField()
    ends_on = models.DateField()
    rule = models.CharField(max_length=60)
    article = models.CharField(max_length=200)
    # The basis of counting, as it was at publication: law | regulation | configuration (or
    # unstated: published before the legal counting, the publication day was day 1), and
    # its words (民法典 第二百零一条、第二百零三条, or the regulation's article or the office's
    # decision), in Chinese and English.
    counting_source = models.CharField(max_length=20, default="law")
    counting_zh = models.CharField(max_length=300)
    counting_en = models.CharField(max_length=300)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)
    applications = models.ManyToManyField(Application, related_name="notices")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "stage"], name="notice_one_per_stage"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="notice_window_ordered"),
            models.CheckConstraint(
                condition=Q(first_counted_on__gte=models.F("starts_on"))
                & Q(first_counted_on__lte=models.F("ends_on")),
                name="notice_first_counted_day_in_window"),
            models.CheckConstraint(
                condition=Q(counting_source__in=["law", "regulation", "configuration", "unstated"])
                & ~Q(counting_zh="") & ~Q(counting_en=""),
                name="notice_counting_has_basis"),
        ]

    @property
    def period(self) -> str:
        """Both dates in full, in the reader's language: 公示期：2026年9月29日至2026年10月10日."""
        zh, en = period_text(self.first_counted_on, self.ends_on)
        return in_language(zh, en)

    @property
    def published_on_text(self) -> str:
        return in_language(full_date_zh(self.starts_on), full_date_en(self.starts_on))

    @property
    def ends_on_text(self) -> str:
        return in_language(full_date_zh(self.ends_on), full_date_en(self.ends_on))

    @property
    def first_counted_on_text(self) -> str:
        return in_language(full_date_zh(self.first_counted_on),
                           full_date_en(self.first_counted_on))

    @property
    def counting_basis(self) -> str:
        """How the window was counted: 民法典 第二百零一条、第二百零三条, or the regulation's
        article or the office's decision."""
        return in_language(self.counting_zh, self.counting_en)


OPEN_OBJECTION = ("received", "investigating")


class Objection(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("已受理")
        INVESTIGATING = "investigating", _("调查中")
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")
        NOT_ACCEPTED = "not_accepted", _("不予受理")
        DUPLICATE = "duplicate", _("重复异议")

    class NotAccepted(models.TextChoices):
        OUT_OF_TIME = "out_of_time", _("超出公示期")
        NOT_ABOUT_NOTICE = "not_about_notice", _("与本次公示无关")
        NO_EVIDENCE = "no_evidence", _("未提供必要的证明材料")

    class Removal(models.TextChoices):
        """The decision an upheld objection needs before it removes the application."""
        NONE = "", _("无")
        PENDING = "pending", _("待决定退出评审")
        APPROVED = "approved", _("已决定退出评审")
        REFUSED = "refused", _("决定不退出评审")

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="objections")
    # What the objector is given to look the objection up: unique, not guessable.
    receipt_no = models.CharField(_("受理编号"), max_length=32, unique=True)
    # The token of the form (or the API's Idempotency-Key): a resubmission finds this row.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    # Real name (实名): visible only to those investigating it.
    objector_name = models.CharField(_("姓名或单位名称"), max_length=200)
    objector_id_number = models.CharField(_("身份证号或统一社会信用代码"), max_length=32)
    objector_phone = models.CharField(_("联系电话"), max_length=32)
    objector_email = models.EmailField(_("电子邮箱"), blank=True)
    statement = models.TextField(_("异议内容"))
    submitted_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    not_accepted_reason = models.CharField(max_length=20, choices=NotAccepted.choices,
                                           blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="duplicates")
    investigator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    findings = models.TextField(blank=True)
    decision_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    reported_to_committee = models.BooleanField(default=False)
    # The removal decision of an upheld objection, by whom the policy names.
    removal = models.CharField(max_length=10, choices=Removal.choices, blank=True, default="")
    removal_by = models.CharField(max_length=20, blank=True)  # committee | office_head | ...
    removal_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    removal_decided_at = models.DateTimeField(null=True, blank=True)
    removal_opinion = models.TextField(blank=True)
    removal_resolution_on = models.DateField(null=True, blank=True)  # the meeting's date
    removal_reference = models.CharField(max_length=200, blank=True)  # e.g. the minutes

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OPEN_OBJECTION)
                | (~Q(decision_reason="") & Q(decided_at__isnull=False)),
                name="objection_decision_has_reason"),
            models.UniqueConstraint(fields=["notice", "idempotency_key"],
                                    name="objection_one_per_idempotency_key"),
            models.CheckConstraint(
                condition=Q(status="not_accepted", not_accepted_reason__in=[
                    "out_of_time", "not_about_notice", "no_evidence"])
                | (~Q(status="not_accepted") & Q(not_accepted_reason="")),
                name="objection_not_accepted_has_reason"),
            models.CheckConstraint(
                condition=Q(status="duplicate", duplicate_of__isnull=False)
                | (~Q(status="duplicate") & Q(duplicate_of__isnull=True)),
                name="objection_duplicate_names_original"),
            models.CheckConstraint(
                condition=Q(status="upheld", removal__in=["pending", "approved", "refused"])
                | (~Q(status="upheld") & Q(removal="")),
                name="objection_upheld_needs_removal_decision"),
            models.CheckConstraint(
                condition=Q(removal__in=["", "pending"])
                | (Q(removal_decided_by__isnull=False) & Q(removal_decided_at__isnull=False)
                   & ~Q(removal_opinion="")),
                name="objection_removal_decision_recorded"),
        ]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_OBJECTION


class ObjectionEvidence(models.Model):
    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="objections/")
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()

