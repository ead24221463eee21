"""Persistence of the award cycle. Models are thin: every state change goes through the
service functions in ``services.py``, which write the audit event in the same transaction.
The database enforces what must never break (unique, check constraints).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qaward.core.workflow import DRAFT


class Jurisdiction(models.Model):
    code = models.SlugField(_("代码"), max_length=64, unique=True)
    name_zh = models.CharField(_("名称"), max_length=100)

    def __str__(self) -> str:
        return self.name_zh


class PolicyVersion(models.Model):
    """A regulation version known to the installation (the data lives in policy files)."""

    policy_id = models.CharField(_("办法版本"), max_length=64, unique=True)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT,
                                     related_name="policies")
    title_zh = models.CharField(_("办法名称"), max_length=200)
    in_force_from = models.DateField(null=True, blank=True)
    in_force_until = models.DateField(null=True, blank=True)
    content_sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.title_zh}（{self.policy_id}）"


class Role(models.TextChoices):
    OFFICE = "office", _("评审办工作人员")
    OFFICE_HEAD = "office_head", _("评审办负责人")
    APPLICANT = "applicant", _("申报单位/个人")
    DEPARTMENT = "department", _("推荐部门")
    REVIEWER = "reviewer", _("评审专家")
    COMMITTEE = "committee", _("评审委员会委员")
    AUDITOR = "auditor", _("审计人员")


class Department(models.Model):
    """A recommending department (街道/镇/园区/主管部门/行业协会)."""

    class Kind(models.TextChoices):
        STREET = "street", _("街道")
        TOWN = "town", _("镇")
        PARK = "park", _("园区")
        COMPETENT = "competent", _("主管部门")
        ASSOCIATION = "association", _("行业协会")

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT,
                                     related_name="departments")
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"],
                                               name="department_unique_name")]

    def __str__(self) -> str:
        return self.name


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


class Membership(models.Model):
    """A user's role in one jurisdiction (and for whom, where the role needs it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT,
                                     related_name="memberships")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    applicant = models.ForeignKey(Applicant, null=True, blank=True, on_delete=models.CASCADE)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "jurisdiction", "role"],
                                    name="membership_unique_role"),
            models.CheckConstraint(
                condition=~Q(role="applicant") | Q(applicant__isnull=False),
                name="membership_applicant_has_applicant"),
            models.CheckConstraint(
                condition=~Q(role="department") | Q(department__isnull=False),
                name="membership_department_has_department"),
        ]


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
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
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


class Recommendation(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE,
                                       related_name="recommendation")
    department = models.ForeignKey(Department, on_delete=models.PROTECT,
                                   related_name="recommendations")
    opinion = models.TextField(_("推荐意见"), blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(
            condition=Q(signed_at__isnull=True) | Q(signed_by__isnull=False),
            name="recommendation_signed_has_signer")]


class Invitation(models.Model):
    """A third-party recommendation (崇明 第二十条): the organization must accept first."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="invitations")
    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE,
                                  related_name="invitations")
    recommender = models.CharField(_("推荐方"), max_length=200)
    recommender_kind = models.CharField(max_length=40)
    reason = models.TextField(_("推荐理由"))
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(
            condition=Q(accepted_at__isnull=True) | Q(declined_at__isnull=True),
            name="invitation_not_both")]


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

    class Meta:
        constraints = [models.CheckConstraint(
            condition=Q(decision=models.F("engine_verdict")) | ~Q(reason=""),
            name="eligibility_override_has_reason")]

    @property
    def overrides_engine(self) -> bool:
        return self.decision != self.engine_verdict


class Consultation(models.Model):
    """Written consultation of another department (书面征求意见)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="consultations")
    department_name = models.CharField(max_length=200)
    question = models.TextField()
    answer = models.TextField(blank=True)
    asked_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)


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


class AuditEvent(models.Model):
    """One recorded state change. Hash-chained: each event's hash covers the previous one,
    so any edit or deletion breaks the chain (checked by `qaward-manage audit_verify`)."""

    seq = models.BigAutoField(primary_key=True)
    at = models.DateTimeField()
    jurisdiction = models.ForeignKey(Jurisdiction, null=True, on_delete=models.PROTECT)
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
