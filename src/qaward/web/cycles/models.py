"""Persistence of the award cycle: cycles, applicants, applications, their documents and
the eligibility decision. Models are thin: every state change goes through the service
functions in ``services.py``, which write the audit event in the same transaction. The
database enforces what must never break (unique, check constraints).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qaward.core.workflow import DRAFT
from qaward.web.accounts.models import Jurisdiction
from qaward.web.policies.models import PolicyVersion


class Applicant(models.Model):
    """An organization or a person who applies; holds the eligibility profile."""

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("组织")
        INDIVIDUAL = "individual", _("个人")

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT,
                                     related_name="applicants")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称/姓名"), max_length=200)
    # 统一社会信用代码 for organizations; masked ID number for individuals.
    credit_code = models.CharField(_("统一社会信用代码"), max_length=32, blank=True)
    sector = models.CharField(_("行业领域"), max_length=100, blank=True)
    email = models.EmailField(_("联系邮箱"), blank=True)
    profile = models.JSONField(_("申报条件信息"), default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "credit_code"],
                                    condition=~Q(credit_code=""),
                                    name="applicant_unique_credit_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Cycle(models.Model):
    """One round of the award under one pinned policy version."""

    class Status(models.TextChoices):
        OPEN = "open", _("申报中")
        REVIEWING = "reviewing", _("评审中")
        CLOSED = "closed", _("已结束")

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT,
                                     related_name="cycles")
    policy = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="cycles")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    opened_on = models.DateField(_("发布申报通知日期"))
    applications_close_on = models.DateField(_("申报截止日期"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    frequency_override_reason = models.TextField(blank=True)
    frequency_override_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                               on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year"], name="cycle_one_per_year"),
            models.CheckConstraint(condition=Q(applications_close_on__gte=models.F("opened_on")),
                                   name="cycle_window_ordered"),
        ]

    def __str__(self) -> str:
        return self.title


class Application(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT,
                                  related_name="applications")
    track = models.CharField(_("类别"), max_length=20)
    state = models.CharField(_("状态"), max_length=40, default=DRAFT, db_index=True)
    # Optimistic concurrency: every transition increments it; a stale form is refused.
    version = models.PositiveIntegerField(default=1)
    # Pinned at submission: the policy version and a frozen copy of the profile.
    pinned_policy_id = models.CharField(max_length=64, blank=True)
    # The exact content (digest) of the policy at submission: the cycle's version then.
    pinned_version = models.ForeignKey(PolicyVersion, null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    profile_snapshot = models.JSONField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    report_chars = models.PositiveIntegerField(null=True, blank=True)
    fast_track = models.BooleanField(default=False)
    engine_result = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "applicant", "track"],
                                    name="application_one_per_track"),
            models.CheckConstraint(condition=Q(track__in=["organization", "individual"]),
                                   name="application_track_known"),
            models.CheckConstraint(
                condition=Q(state=DRAFT.value) | Q(submitted_at__isnull=False),
                name="application_submitted_has_time"),
        ]
        indexes = [models.Index(fields=["cycle", "state"])]

    def __str__(self) -> str:
        return f"{self.applicant}（{self.cycle.year}）"


def upload_path(instance: Document, filename: str) -> str:
    return f"applications/{instance.application_id}/{instance.kind}/{filename}"


class Document(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("自我评价报告")
        EVIDENCE = "evidence", _("证实性材料")
        INTERNAL_NOTICE = "internal_notice", _("内部公示证明")
        CONSULTATION = "consultation", _("征求意见回复")

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=upload_path)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)


class EligibilityDecision(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE,
                                       related_name="eligibility_decision")
    engine_verdict = models.CharField(max_length=20)
    decision = models.CharField(max_length=20, choices=[("eligible", _("符合")),
                                                        ("ineligible", _("不符合"))])
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # The head's answer: an opinion, and whether the override was refused (back to the office).
    sign_off_opinion = models.TextField(_("负责人意见"), blank=True)
    sign_off_refused = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(decision=models.F("engine_verdict")) | ~Q(reason=""),
                name="eligibility_override_has_reason"),
            models.CheckConstraint(
                condition=Q(signed_off_at__isnull=True) | Q(signed_off_by__isnull=False),
                name="eligibility_sign_off_has_signer"),
            models.CheckConstraint(
                condition=Q(sign_off_refused=False) | (Q(signed_off_at__isnull=False)
                                                       & ~Q(sign_off_opinion="")),
                name="eligibility_refusal_has_opinion"),
        ]

    @property
    def awaits_sign_off(self) -> bool:
        return self.overrides_engine and self.signed_off_at is None

    @property
    def approved(self) -> bool:
        """The override stands: the head signed it off and did not refuse."""
        return self.signed_off_at is not None and not self.sign_off_refused

    @property
    def overrides_engine(self) -> bool:
        return self.decision != self.engine_verdict



class ManualCheckFinding(models.Model):
    """The office's finding on one manual check (需人工核实的事项) of the application's
    screening: met or not met, with a note (required when not met), who and when.

    A finding belongs to the current screening (``archived_at`` is null) while the check it
    answers, the same ``key`` and ``article``, is in the application's ``engine_result``.
    Re-screening keeps those findings and archives the others (their check changed or is
    gone); archived rows stay for the record, and only one current finding per check exists.
    The check's text is stored as the office saw it when recording.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="manual_findings")
    key = models.CharField(max_length=200)
    rule = models.CharField(max_length=100)
    article = models.CharField(_("依据"), max_length=200)
    text_zh = models.TextField(_("核实事项"))
    text_en = models.TextField(blank=True)
    met = models.BooleanField(_("核实结果"))
    note = models.TextField(_("核实说明"), blank=True)
    # The date of the screening the finding was recorded against.
    screened_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField()
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "key"],
                                    condition=Q(archived_at__isnull=True),
                                    name="finding_one_current_per_check"),
            models.CheckConstraint(condition=Q(met=True) | ~Q(note=""),
                                   name="finding_not_met_has_note"),
            models.CheckConstraint(condition=~Q(key=""), name="finding_has_key"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.key}: {'met' if self.met else 'not met'}"
