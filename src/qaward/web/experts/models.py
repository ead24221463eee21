"""The expert pool (专家库).

An expert belongs to one jurisdiction's pool and may have a login (a reviewer user). What makes
an expert conflicted with an applicant is kept as data the conflict detector reads
(``qaward.core.review.conflicts``): the employer, and the organizations the expert is related
to (affiliates, business partners, declared competitors, past employers with dates, mentees).
Per cycle the expert has an availability (loads) and signs the pledge before first access.
A conflict is a suggestion (detected, with its evidence), a declaration by the expert or an
entry by the office; the office confirms or dismisses each with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from qaward.web.accounts.models import Jurisdiction
from qaward.web.cycles.models import Application, Cycle


class Expert(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("正常")
        WARNED = "warned", _("已警告")
        DISQUALIFIED = "disqualified", _("取消评审资格")

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT,
                                     related_name="experts")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="expert")
    name = models.CharField(_("姓名"), max_length=100)
    employer_name = models.CharField(_("工作单位"), max_length=200, blank=True)
    # 统一社会信用代码 of the employer, where known: the strongest evidence of a match.
    employer_code = models.CharField(_("工作单位统一社会信用代码"), max_length=32, blank=True)
    title = models.CharField(_("职务/职称"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    sectors = models.JSONField(_("专业领域"), default=list, blank=True)
    qualifications = models.JSONField(_("资质"), default=list, blank=True)
    can_lead = models.BooleanField(_("可任评审组长"), default=False)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices,
                              default=Status.ACTIVE)
    disqualified_until = models.DateField(_("取消资格至"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="expert_has_name"),
            models.CheckConstraint(
                condition=Q(status="disqualified") | Q(disqualified_until__isnull=True),
                name="expert_until_only_when_disqualified"),
        ]
        indexes = [models.Index(fields=["jurisdiction", "status"])]

    def __str__(self) -> str:
        return self.name


class ExpertRelation(models.Model):
    """An organization the expert is related to, other than the current employer."""

    class Kind(models.TextChoices):
        AFFILIATE = "affiliate", _("关联单位（集团、子公司、内设或隶属单位）")
        PARTNER = "partner", _("业务往来单位")
        COMPETITOR = "competitor", _("竞争对手单位")
        PAST_EMPLOYER = "past_employer", _("曾任职单位")
        MENTEE = "mentee", _("指导的组织")

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(_("关系"), max_length=20, choices=Kind.choices)
    organization_name = models.CharField(_("单位名称"), max_length=200)
    organization_code = models.CharField(_("统一社会信用代码"), max_length=32, blank=True)
    since = models.DateField(_("起始日期"), null=True, blank=True)
    until = models.DateField(_("终止日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(organization_name=""),
                                   name="expert_relation_has_organization"),
            models.CheckConstraint(condition=Q(since__isnull=True) | Q(until__isnull=True)
                                   | Q(until__gte=F("since")),
                                   name="expert_relation_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} — {self.get_kind_display()}: {self.organization_name}"


class ExpertCycle(models.Model):
    """An expert's part in one cycle: available or not, the load limits, the signed pledge."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="cycles")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="experts")
    available = models.BooleanField(_("本届可参加评审"), default=True)
    min_load = models.PositiveSmallIntegerField(_("最少评审数"), default=0)
    max_load = models.PositiveSmallIntegerField(_("最多评审数"), default=10)
    # 保密承诺、回避承诺: signed before first access to the cycle's applications.
    pledge_signed_at = models.DateTimeField(null=True, blank=True)
    pledge_text = models.TextField(blank=True)  # the text signed, as shown then

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["expert", "cycle"], name="expert_cycle_once"),
            models.CheckConstraint(condition=Q(max_load__gte=F("min_load")),
                                   name="expert_cycle_loads_ordered"),
            models.CheckConstraint(condition=Q(pledge_signed_at__isnull=True) | ~Q(pledge_text=""),
                                   name="expert_cycle_pledge_has_text"),
        ]


class Conflict(models.Model):
    """A possible conflict of interest between an expert and an application, and its decision."""

    class Origin(models.TextChoices):
        DETECTED = "detected", _("系统比对发现")
        DECLARED = "declared", _("专家申报")
        OFFICE = "office", _("评审办登记")

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("确认回避")
        DISMISSED = "dismissed", _("不构成回避")

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="conflicts")
    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="conflicts")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="conflicts")
    origin = models.CharField(_("来源"), max_length=20, choices=Origin.choices)
    relation = models.CharField(_("关系"), max_length=40)  # a policy RecusalRelation
    article = models.CharField(_("依据"), max_length=200, blank=True)
    # Which field of the expert matched which field of the applicant, with the values.
    evidence = models.JSONField(default=list, blank=True)
    statement = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices,
                              default=Status.PENDING)
    reason = models.TextField(_("确认或排除的理由"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "expert", "relation", "origin"],
                                    name="conflict_once_per_relation_and_origin"),
            # A declaration by the expert binds: it is confirmed on arrival, never dismissed.
            models.CheckConstraint(condition=~Q(origin="declared") | Q(status="confirmed"),
                                   name="conflict_declared_is_confirmed"),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (Q(status__in=["confirmed", "dismissed"]) & Q(decided_at__isnull=False)
                   & ~Q(reason="")),
                name="conflict_decided_has_reason"),
        ]
        indexes = [models.Index(fields=["cycle", "status"])]

    def __str__(self) -> str:
        return f"{self.expert} × {self.application}: {self.relation} ({self.status})"


class Sanction(models.Model):
    """A sanction of an expert (批评、警告、取消评审资格、通报), with the decision that made it."""

    class Kind(models.TextChoices):
        CRITICISM = "criticism", _("批评")
        WARNING = "warning", _("警告")
        DISQUALIFICATION = "disqualification", _("取消评审资格")
        PUBLIC_NOTICE = "public_notice", _("通报")

    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="sanctions")
    kind = models.CharField(_("处理方式"), max_length=20, choices=Kind.choices)
    decision = models.TextField(_("处理决定"))
    article = models.CharField(_("依据"), max_length=200)
    decided_on = models.DateField(_("决定日期"))
    until = models.DateField(_("取消资格至"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(decision=""), name="sanction_has_decision"),
            models.CheckConstraint(
                condition=Q(kind="disqualification", until__isnull=False)
                | (~Q(kind="disqualification") & Q(until__isnull=True)),
                name="sanction_until_only_for_disqualification"),
        ]


class StaffRecusal(models.Model):
    """An office staff member's declared interest in an application (工作人员回避): that user
    may then decide nothing on it."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="staff_recusals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    statement = models.TextField(_("说明"))
    article = models.CharField(_("依据"), max_length=200, blank=True)
    declared_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "user"], name="staff_recusal_once"),
            models.CheckConstraint(condition=~Q(statement=""), name="staff_recusal_statement"),
        ]
