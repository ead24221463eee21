"""The expert review's records.

A ``Team`` reviews one application in one scored stage (资料评审, 现场评审, 陈述答辩); its members
are experts of the pool, one of them the leader where the policy has team leaders. A member who
recuses or is replaced is kept, inactive, with the reason (the audit event says who and when);
only active members see the application. Each active member fills one ``Sheet``: a percentage per
criteria item with strengths and opportunities for improvement, autosaved until submitted, then
read-only. The leader records the team's ``ConsensusItem`` per item after every sheet is in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qaward.web.cycles.models import Application, Cycle
from qaward.web.experts.models import Expert


class Team(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="review_teams")
    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="review_teams")
    stage = models.CharField(_("评审阶段"), max_length=40)  # a scored StageId
    formed_at = models.DateTimeField(auto_now_add=True)
    # Set when the leader has recorded the consensus of every item (then the team's score).
    consensus_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "stage"],
                                    name="team_one_per_application_and_stage"),
        ]
        indexes = [models.Index(fields=["cycle", "stage"])]

    def __str__(self) -> str:
        return f"{self.application} — {self.stage}"


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="members")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="memberships")
    is_leader = models.BooleanField(_("组长"), default=False)
    active = models.BooleanField(default=True)
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.TextField(_("调整理由"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "expert"], name="team_member_once"),
            models.UniqueConstraint(fields=["team"], condition=Q(is_leader=True, active=True),
                                    name="team_one_active_leader"),
            models.CheckConstraint(
                condition=Q(active=True, removed_at__isnull=True)
                | (Q(active=False) & Q(removed_at__isnull=False) & ~Q(removed_reason="")),
                name="team_member_removed_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} @ {self.team}"


class Sheet(models.Model):
    """One member's score sheet for the team's application and stage."""

    member = models.OneToOneField(TeamMember, on_delete=models.PROTECT, related_name="sheet")
    criteria_id = models.CharField(max_length=100)
    summary = models.TextField(_("总体评价"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.member}: {self.criteria_id}"


class SheetItem(models.Model):
    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="items")
    item_id = models.CharField(max_length=40)
    percentage = models.PositiveSmallIntegerField(_("得分率（%）"), null=True, blank=True)
    strengths = models.TextField(_("优势"), blank=True)
    opportunities = models.TextField(_("改进机会"), blank=True)
    # Site review: what was seen, heard and checked for this item (访谈、查证记录).
    evidence_notes = models.TextField(_("现场查证记录"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item_id"], name="sheet_item_once"),
            models.CheckConstraint(condition=Q(percentage__isnull=True) | Q(percentage__lte=100),
                                   name="sheet_item_percentage_range"),
        ]


class ConsensusItem(models.Model):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="consensus")
    item_id = models.CharField(max_length=40)
    percentage = models.PositiveSmallIntegerField(_("共识得分率（%）"))
    reason = models.TextField(_("偏离平均分的理由"), blank=True)
    strengths = models.TextField(_("优势"), blank=True)
    opportunities = models.TextField(_("改进机会"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "item_id"], name="consensus_item_once"),
            models.CheckConstraint(condition=Q(percentage__lte=100),
                                   name="consensus_percentage_range"),
        ]


class ReviewerAccess(models.Model):
    """Every view and download of an application's material by a reviewer (issue 8)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=40)
    what = models.CharField(max_length=200)  # the page, or the document downloaded
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["application", "at"])]


# -- teams (engineer `teams`, issue 8): the optimiser's proposal the office accepts ----------


class TeamProposal(models.Model):
    """The optimiser's proposal of a stage's teams (``review.teams.propose_teams``), kept as it
    was proposed: per application its members with their affinities and the leader, and the
    explanation (why a better-matching expert was not used: conflict, load, employer). The
    office accepts it (then ``Team`` rows exist) or proposes again (the older one is
    superseded); it is never edited."""

    class Status(models.TextChoices):
        OPEN = "open", _("待采纳")
        ACCEPTED = "accepted", _("已采纳")
        SUPERSEDED = "superseded", _("已被新方案取代")

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="team_proposals")
    stage = models.CharField(_("评审阶段"), max_length=40)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices,
                              default=Status.OPEN)
    method = models.CharField(max_length=40)
    objective = models.FloatField()
    seconds = models.FloatField()
    team_size = models.PositiveSmallIntegerField()
    # [{"application": id, "members": [{"expert": id, "affinity": x, "leader": bool}],
    #   "why_not": [{"expert": id, "affinity": x, "reasons": [...]}]}]
    teams = models.JSONField(default=list)
    # The pairs a pending or confirmed conflict kept apart: [{"conflict": id, ...}].
    blocked = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField()
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_at__isnull=False),
                name="team_proposal_accepted_has_time"),
        ]
        indexes = [models.Index(fields=["cycle", "stage", "status"])]

    def __str__(self) -> str:
        return f"{self.cycle} — {self.stage} #{self.pk}"
