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

from qaward.core.states import StageId
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


# ---------------------------------------------------------------------------------------------
# Engineer `ranking`: the shortlist the office fixes after a scored stage, and the review
# reports released to the applicant (issue 8, "Aggregation, ranking and shortlist", "Reports
# as documents").


class Shortlist(models.Model):
    """The list the office fixed after ``stage`` for one track (入围名单): the ranking it was
    fixed against (``ranking``: a snapshot of every row), the policy's method and cap with the
    article, and the notice it went to where the policy requires one."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="shortlists")
    stage = models.CharField(max_length=40)  # the stage whose exit is not_shortlisted
    scored_stage = models.CharField(max_length=40)  # the stage whose scores ranked
    track = models.CharField(max_length=40)
    method = models.CharField(max_length=40)
    cap = models.PositiveIntegerField(null=True, blank=True)
    cap_explanation = models.TextField(blank=True)
    article = models.CharField(max_length=200)
    basis = models.CharField(max_length=40)
    basis_cite = models.CharField(max_length=300, blank=True)
    ranking = models.JSONField(default=list)
    notice = models.ForeignKey("notices.Notice", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")
    fixed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    fixed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "stage", "track"],
                                    name="shortlist_once_per_stage_and_track"),
        ]


class ShortlistEntry(models.Model):
    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField()
    chosen = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shortlist", "application"],
                                    name="shortlist_entry_once"),
        ]


class ShortlistDeparture(models.Model):
    """A chosen application placed over one ranked above it (or level with it) that was left
    out, with the office's reason (好中选优: every departure from the ranking is explained)."""

    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE,
                                  related_name="departures")
    chosen = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    passed_over = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("偏离排名的理由"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shortlist", "chosen", "passed_over"],
                                    name="shortlist_departure_once"),
            models.CheckConstraint(condition=~Q(reason=""), name="shortlist_departure_reason"),
        ]


class ReportRelease(models.Model):
    """A review report of an application offered to its applicant: released by the office,
    or offered as the feedback the policy gives those not shortlisted. The PDF is made on
    first download and kept, so the applicant always gets the same document."""

    class Kind(models.TextChoices):
        MATERIAL_REVIEW = StageId.MATERIAL_REVIEW.value, _("资料评审报告")
        SITE_REVIEW = StageId.SITE_REVIEW.value, _("现场评审报告")
        COMPREHENSIVE_EVALUATION = StageId.COMPREHENSIVE_EVALUATION.value, _("综合评价报告")

    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="review_reports")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    stage = models.CharField(max_length=40)
    as_feedback = models.BooleanField(default=False)  # shortlist.feedback_to_others
    article = models.CharField(max_length=200)
    names_shown = models.BooleanField(default=False)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    released_at = models.DateTimeField()
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="report_release_once"),
        ]


# ---------------------------------------------------------------------------------------------
# Engineer `sheets`: the site review's visit plan (现场评审计划), the organization's
# confirmation of the site-review report (滨江 四、（五）, where the policy has
# ``review.site_report_confirmation``) and the ratings of two-way supervision (双向监督, where the
# policy has ``reviewers.two_way_supervision``).


class VisitPlan(models.Model):
    """The plan of a team's site visit: when, where, the agenda and who takes part."""

    team = models.OneToOneField(Team, on_delete=models.PROTECT, related_name="visit_plan")
    date = models.DateField(_("现场评审日期"))
    place = models.CharField(_("地点"), max_length=200)
    agenda = models.TextField(_("日程安排"))
    participants = models.TextField(_("参加人员"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(place="") & ~Q(agenda=""),
                                   name="visit_plan_has_place_and_agenda"),
        ]


class SiteReportConfirmation(models.Model):
    """The organization's answer to its site-review report: confirmed, or an objection with
    its text. One answer per team; the audit chain keeps who and when."""

    team = models.OneToOneField(Team, on_delete=models.PROTECT,
                                related_name="site_report_confirmation")
    confirmed = models.BooleanField(_("确认"))
    objection = models.TextField(_("异议"), blank=True)
    article = models.CharField(max_length=200)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(confirmed=True) | ~Q(objection=""),
                                   name="site_report_objection_has_text"),
        ]


class SupervisionRating(models.Model):
    """双向监督: the applicant rates a reviewer's conduct, or a reviewer rates the applicant's
    cooperation. Shown to the body the policy names, never to the party rated."""

    class Direction(models.TextChoices):
        OF_REVIEWER = "of_reviewer", _("申报单位评价评审专家")
        OF_APPLICANT = "of_applicant", _("评审专家评价申报单位")

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="ratings")
    # The reviewer rated (of_reviewer) or rating (of_applicant).
    member = models.ForeignKey(TeamMember, on_delete=models.PROTECT, related_name="ratings")
    direction = models.CharField(max_length=20, choices=Direction.choices)
    score = models.PositiveSmallIntegerField(_("评价"))  # 1 (poor) .. 5 (excellent)
    comment = models.TextField(_("说明"), blank=True)
    article = models.CharField(max_length=200)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    rated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "direction"],
                                    name="supervision_rating_once"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5),
                                   name="supervision_rating_range"),
        ]


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
