"""Recommendations of an application: the department's signed opinion, third-party
invitations (the organization must accept first) and written consultations of other
departments.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qaward.web.accounts.models import Department, Jurisdiction
from qaward.web.cycles.models import Applicant, Application, Cycle


class Recommendation(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE,
                                       related_name="recommendation")
    department = models.ForeignKey(Department, on_delete=models.PROTECT,
                                   related_name="recommendations")
    opinion = models.TextField(_("推荐意见"), blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    # The department may decline to recommend (不予推荐), with its reason.
    declined_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("不予推荐理由"), blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | Q(signed_by__isnull=False),
                name="recommendation_signed_has_signer"),
            models.CheckConstraint(
                condition=Q(declined_at__isnull=True)
                | (Q(declined_by__isnull=False) & ~Q(decline_reason="")),
                name="recommendation_declined_has_signer_and_reason"),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | Q(declined_at__isnull=True),
                name="recommendation_not_signed_and_declined"),
        ]

    @property
    def answered_at(self) -> object:
        return self.signed_at or self.declined_at


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


class Consultation(models.Model):
    """Written consultation of another department (书面征求意见)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="consultations")
    department_name = models.CharField(max_length=200)
    question = models.TextField()
    answer = models.TextField(blank=True)
    asked_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

