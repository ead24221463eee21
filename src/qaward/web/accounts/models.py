"""Who works where: jurisdictions (districts), recommending departments, and each user's
role in a jurisdiction (``Membership``). Permissions built on them are in ``rules.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Jurisdiction(models.Model):
    code = models.SlugField(_("代码"), max_length=64, unique=True)
    name_zh = models.CharField(_("名称"), max_length=100)
    # The office's contact, shown on notices (print view and public page); edited by the head.
    address = models.CharField(_("评审办地址"), max_length=200, blank=True)
    telephone = models.CharField(_("联系电话"), max_length=40, blank=True)
    objection_email = models.EmailField(_("受理异议的电子邮箱"), blank=True)

    def __str__(self) -> str:
        return self.name_zh


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


class Membership(models.Model):
    """A user's role in one jurisdiction (and for whom, where the role needs it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT,
                                     related_name="memberships")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    # Named, not imported: applicants belong to the cycles app, which builds on this one.
    applicant = models.ForeignKey("cycles.Applicant", null=True, blank=True,
                                  on_delete=models.CASCADE)
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

