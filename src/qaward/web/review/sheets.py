"""Score sheets, independent scoring, consensus, the site review and two-way supervision
(issue 8). The only writers of ``Sheet``, ``SheetItem``, ``ConsensusItem``, ``VisitPlan``,
``SiteReportConfirmation`` and ``SupervisionRating``; each write records its audit event.

Decisions this module makes (the regulations are silent on them):

- **Independence.** A member sees the other members' sheets only after submitting their own
  (``sheets_visible_to``), and then only the submitted ones. The office sees who has submitted
  and when (``team_progress``), but no percentage of any sheet until every active member of
  the team has submitted (``scores_open``); from then on it sees the sheets and the spread.
- **Who records the consensus.** The team's active member marked ``is_leader``: the team leader
  where the policy has one (``reviewers.team_leader``, e.g. 组长负责制), elsewhere the convenor
  (召集人) the office named when forming the team, stored with the same flag. A team without one
  is refused with a request to the office to name one.
- **Reason where the consensus departs from the mean**, and the spread that flags an item for
  the consensus meeting, are the core's (``qaward.core.review.consensus``); the calls are in
  the section "The core" below and nowhere else.
- **Site-review report confirmation** (``review.site_report_confirmation``,
  滨江 四、（五）): the organization answers once, after the site-review team's consensus is
  closed: it confirms or objects with its text.
- **Two-way supervision** (``reviewers.two_way_supervision``): after the site review (its visit
  day has come, or its consensus is closed) the applicant rates each reviewer's conduct, and
  each reviewer who has submitted rates the applicant's cooperation, 1 to 5, once. The ratings
  go to the body the policy names (the office's page lists them with the article); neither
  party ever sees a rating of itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from qaward.core.criteria import CriteriaSet, Item, format_points, load_criteria, score
from qaward.core.errors import ConfigurationRequired
from qaward.core.policy import Policy
from qaward.core.policy.model import Cited, is_none, is_silent
from qaward.core.review import consensus
from qaward.core.states import StageId
from qaward.web.accounts.models import Membership, Role
from qaward.web.accounts.services import has_role
from qaward.web.audit.services import record_event
from qaward.web.clock import now
from qaward.web.clock import today as office_today
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import Application, Cycle
from qaward.web.policies.services import policy_of

from .models import (
    ConsensusItem,
    Sheet,
    SheetItem,
    SiteReportConfirmation,
    SupervisionRating,
    Team,
    TeamMember,
    VisitPlan,
)

# The two directions of two-way supervision (``SupervisionRating.Direction``).
OF_REVIEWER, OF_APPLICANT = "of_reviewer", "of_applicant"
TEXT_FIELDS = ("strengths", "opportunities", "evidence_notes")
MAX_TEXT = 20000


# ---------------------------------------------------------------------------------------------
# The core (qaward.core.review.consensus): the only calls into it


@dataclass(frozen=True)
class ItemSpread:
    """One item of the team's submitted sheets: mean, lowest, highest, spread, flagged."""

    item_id: str
    mean: Fraction
    low: int
    high: int
    spread: int
    flagged: bool


def spread_threshold(policy: Policy) -> int:
    """Points of percentage above which an item's spread is flagged (the policy's
    ``review.spread_threshold``, or the product default of 20)."""
    return policy.spread_threshold


def _core_spreads(criteria: CriteriaSet, sheets: Mapping[str, Mapping[str, int]],
                  threshold: int) -> list[ItemSpread]:
    if not sheets:
        return []
    report = consensus.spread_report(criteria, sheets, threshold=threshold)
    return [ItemSpread(i.item_id, i.mean, i.minimum, i.maximum, i.spread, i.flagged)
            for i in report.items]


def reason_needed(criteria: CriteriaSet, mean: Fraction, percentage: int) -> bool:
    """The consensus departs from the mean by more than half a step: a reason is needed."""
    return consensus.needs_reason(mean, percentage, criteria.step)


# ---------------------------------------------------------------------------------------------
# Criteria


def criteria_for(application: Application) -> CriteriaSet:
    """The criteria set of the application's track under the cycle's policy (a sector's own
    set where the policy names one for the applicant's sector)."""
    policy = policy_of(application.cycle)
    track = policy.tracks.get(application.track)
    if track is None:
        raise ServiceError(_("本办法没有该申报类别的评审标准"), field="track")
    if is_silent(track.criteria):
        raise ServiceError(str(ConfigurationRequired(
            policy.id, f"tracks.{application.track}.criteria", track.criteria.silent)),
            field="criteria")
    criteria_id = track.criteria.value
    sector = getattr(application.applicant, "sector", "")
    if track.sector_criteria is not None and sector in track.sector_criteria.value:
        criteria_id = track.sector_criteria.value[sector]
    return load_criteria(criteria_id)


def review_stages(policy: Policy) -> list[str]:
    """The policy's review stages its ``review.scoring`` names (scored, or silent on it), in
    the policy's order."""
    return [s.id for s in policy.stages if s.id in policy.review.scoring]


def check_scored(policy: Policy, stage: str) -> None:
    """Refuse a sheet for a stage the policy does not score item by item; a silence stops
    with ConfigurationRequired naming ``review.scoring.<stage>``."""
    try:
        scored = policy.stage_scored(stage)
    except ConfigurationRequired as err:
        raise ServiceError(str(err), field="stage") from None
    if not scored:
        raise ServiceError(_("本办法不对该评审阶段逐项评分"), field="stage")


def item_label(item: Item) -> str:
    return f"{item.id} {item.name_zh}"


# ---------------------------------------------------------------------------------------------
# Sheets


def _jurisdiction(team: Team) -> Any:
    return team.cycle.jurisdiction


def _check_member_acts(member: TeamMember, actor: Any) -> None:
    if not member.active:
        raise ServiceError(_("您已不是该评审组的成员，不能再评分"), field="member")
    if getattr(actor, "pk", None) is None or member.expert.user_id != actor.pk:
        raise ServiceError(_("只有评分人本人可以填写和提交评分表"), field="member")


def _check_in_stage(team: Team) -> None:
    if team.application.state != team.stage:
        raise ServiceError(_("该申报已不在本评审阶段，评分和共识不能再修改"), field="stage")


def sheet_for(member: TeamMember) -> Sheet:
    """The member's sheet, created with one row per criteria item on first use."""
    existing = Sheet.objects.filter(member=member).first()
    if existing is not None:
        return existing
    team = member.team
    check_scored(policy_of(team.cycle), team.stage)
    criteria = criteria_for(team.application)
    with transaction.atomic():
        TeamMember.objects.select_for_update().get(pk=member.pk)
        sheet, created = Sheet.objects.get_or_create(member=member,
                                                     defaults={"criteria_id": criteria.id})
        if created:
            SheetItem.objects.bulk_create(
                SheetItem(sheet=sheet, item_id=item.id) for item in criteria.items)
            record_event(actor=member.expert.user, jurisdiction=_jurisdiction(team),
                         entity="review_sheet", entity_id=sheet.pk, action="sheet_open",
                         data={"team": team.pk, "stage": team.stage,
                               "application": team.application_id,
                               "criteria": criteria.id})
    return sheet


def parse_percentage(item: Item, raw: Any, criteria: CriteriaSet) -> int | None:
    """A percentage as typed (a whole number on the criteria's step grid, or empty)."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raw = str(raw)
    try:
        value = int(raw) if isinstance(raw, int) else int(str(raw).strip())
    except ValueError:
        raise ServiceError(
            _("%(item)s：得分率应为 0 到 100 之间的整数，收到“%(raw)s”") % {
                "item": item_label(item), "raw": raw},
            field=f"items.{item.id}.percentage") from None
    if not 0 <= value <= 100:
        raise ServiceError(
            _("%(item)s：得分率 %(value)s 超出 0 到 100 的范围") % {
                "item": item_label(item), "value": value},
            field=f"items.{item.id}.percentage")
    if value % criteria.step:
        raise ServiceError(
            _("%(item)s：得分率 %(value)s 不是 %(step)s 的整数倍（按 %(step)s%% 递进评分）") % {
                "item": item_label(item), "value": value, "step": criteria.step},
            field=f"items.{item.id}.percentage")
    return value


def sheet_save(member: TeamMember, data: Mapping[str, Any], actor: Any) -> Sheet:
    """Save a draft: ``{"summary": text, "items": {item_id: {"percentage", "strengths",
    "opportunities", "evidence_notes"}}}``, any part of it (autosave). Nothing is written when
    any value is refused."""
    sheet = sheet_for(member)
    team = member.team
    criteria = criteria_for(team.application)
    items = data.get("items") or {}
    if not isinstance(items, Mapping):
        raise ServiceError(_("评分数据格式不正确"), field="items")
    known = {item.id: item for item in criteria.items}
    cleaned: dict[str, dict[str, Any]] = {}
    for item_id, values in items.items():
        item = known.get(str(item_id))
        if item is None:
            raise ServiceError(_("“%(item)s”不是本评审标准的评分项") % {"item": item_id},
                               field="items")
        if not isinstance(values, Mapping):
            raise ServiceError(_("评分数据格式不正确"), field=f"items.{item_id}")
        out: dict[str, Any] = {}
        if "percentage" in values:
            out["percentage"] = parse_percentage(item, values["percentage"], criteria)
        for key in TEXT_FIELDS:
            if key in values:
                text = str(values[key] or "").strip()
                if len(text) > MAX_TEXT:
                    raise ServiceError(_("%(item)s：文字过长（不超过 %(n)s 字）") % {
                        "item": item_label(item), "n": MAX_TEXT}, field=f"items.{item_id}.{key}")
                out[key] = text
        cleaned[item.id] = out
    with transaction.atomic():
        sheet = Sheet.objects.select_for_update().select_related(
            "member__team__application", "member__expert").get(pk=sheet.pk)
        _check_member_acts(sheet.member, actor)
        if sheet.submitted_at is not None:
            raise ServiceError(_("评分表已提交，不能再修改（提交后只读）"), field="submitted")
        _check_in_stage(sheet.member.team)
        changes: dict[str, Any] = {}
        rows = {row.item_id: row for row in sheet.items.all()}
        for item_id, values in cleaned.items():
            row = rows[item_id]
            changed = [k for k, v in values.items() if getattr(row, k) != v]
            if not changed:
                continue
            if "percentage" in changed:
                changes[item_id] = {"percentage": [row.percentage, values["percentage"]]}
            else:
                changes.setdefault(item_id, {})
            changes[item_id]["fields"] = changed
            for key in changed:
                setattr(row, key, values[key])
            row.save(update_fields=changed)
        if "summary" in data:
            summary = str(data.get("summary") or "").strip()
            if summary != sheet.summary:
                sheet.summary = summary
                changes["summary"] = True
        if changes:
            sheet.save()  # updated_at
            record_event(actor=actor, jurisdiction=_jurisdiction(team), entity="review_sheet",
                         entity_id=sheet.pk, action="sheet_save",
                         data={"team": team.pk, "changes": changes})
    return sheet


def sheet_submit(member: TeamMember, actor: Any) -> Sheet:
    """Submit the sheet once: every item scored; read-only from then on."""
    sheet = sheet_for(member)
    team = member.team
    criteria = criteria_for(team.application)
    with transaction.atomic():
        sheet = Sheet.objects.select_for_update().select_related(
            "member__team__application", "member__expert").get(pk=sheet.pk)
        _check_member_acts(sheet.member, actor)
        if sheet.submitted_at is not None:
            raise ServiceError(_("评分表已提交过，每份评分表只能提交一次"), field="submitted")
        _check_in_stage(sheet.member.team)
        pct = dict(sheet.items.values_list("item_id", "percentage"))
        missing = [item_label(i) for i in criteria.items if pct.get(i.id) is None]
        if missing:
            raise ServiceError(_("以下评分项尚未评分，全部评分后才能提交：%(items)s") % {
                "items": "、".join(missing)}, field="items")
        total = score(criteria, {k: int(v) for k, v in pct.items() if v is not None}).total
        sheet.submitted_at = now()
        sheet.save(update_fields=["submitted_at", "updated_at"])
        record_event(actor=actor, jurisdiction=_jurisdiction(team), entity="review_sheet",
                     entity_id=sheet.pk, action="sheet_submit",
                     data={"team": team.pk, "stage": team.stage,
                           "application": team.application_id,
                           "total": format_points(total)})
    return sheet


def sheets_visible_to(member: TeamMember) -> list[Sheet]:
    """The other active members' submitted sheets, once this member has submitted; before
    that, none (independent scoring)."""
    own = Sheet.objects.filter(member=member, submitted_at__isnull=False).exists()
    if not own or not member.active:
        return []
    return list(Sheet.objects.filter(member__team_id=member.team_id, member__active=True,
                                     submitted_at__isnull=False)
                .exclude(member=member).select_related("member__expert")
                .prefetch_related("items").order_by("member__pk"))


@dataclass(frozen=True)
class Progress:
    member: TeamMember
    started: bool
    submitted_at: dt.datetime | None


def team_progress(team: Team) -> list[Progress]:
    """Who of the active members has started and submitted, without any score."""
    members = list(team.members.filter(active=True).select_related("expert").order_by("pk"))
    sheets = {s.member_id: s for s in Sheet.objects.filter(member__in=members)}
    return [Progress(m, m.pk in sheets, getattr(sheets.get(m.pk), "submitted_at", None))
            for m in members]


def scores_open(team: Team) -> bool:
    """Every active member has submitted (then the team, the office see the scores)."""
    progress = team_progress(team)
    return bool(progress) and all(p.submitted_at is not None for p in progress)


def submitted_sheets(team: Team) -> list[Sheet]:
    return list(Sheet.objects.filter(member__team=team, member__active=True,
                                     submitted_at__isnull=False)
                .select_related("member__expert").prefetch_related("items")
                .order_by("member__pk"))


def team_spread(team: Team) -> list[ItemSpread]:
    """Per item over the submitted sheets of the active members: mean, lowest, highest,
    spread and whether the spread exceeds the policy's threshold (from the core)."""
    criteria = criteria_for(team.application)
    sheets = {str(s.member_id): {row.item_id: int(row.percentage) for row in s.items.all()
                                 if row.percentage is not None}
              for s in submitted_sheets(team)}
    return _core_spreads(criteria, sheets, spread_threshold(policy_of(team.cycle)))


# ---------------------------------------------------------------------------------------------
# Consensus


def leader_of(team: Team) -> TeamMember | None:
    """The active leader (or the office's named convenor) of the team."""
    return (team.members.filter(active=True, is_leader=True).select_related("expert").first())


def _leader_article(team: Team) -> str | None:
    leader = policy_of(team.cycle).reviewers.team_leader
    return leader.cite if isinstance(leader, Cited) else None


def _check_leader(team: Team, actor: Any) -> None:
    leader = leader_of(team)
    if leader is None:
        raise ServiceError(_("该评审组没有组长或召集人，请评审办先指定一名成员负责记录共识"),
                           field="leader", article=_leader_article(team))
    if leader.expert.user_id is None or leader.expert.user_id != getattr(actor, "pk", None):
        raise ServiceError(_("只有评审组组长（或评审办指定的召集人）可以记录共识"),
                           field="leader", article=_leader_article(team))


def _check_all_submitted(team: Team) -> None:
    waiting = [p.member.expert.name for p in team_progress(team) if p.submitted_at is None]
    if waiting:
        raise ServiceError(_("全体成员提交评分表后才能记录共识，尚未提交：%(names)s") % {
            "names": "、".join(waiting)}, field="sheets")


def consensus_record(team: Team, item_id: str, percentage: Any, reason: str, strengths: str,
                     opportunities: str, actor: Any) -> ConsensusItem:
    """The leader records the team's consensus on one item, after every active member has
    submitted; a reason is required where it departs from the mean."""
    criteria = criteria_for(team.application)
    try:
        item = criteria.item(item_id)
    except KeyError:
        raise ServiceError(_("“%(item)s”不是本评审标准的评分项") % {"item": item_id},
                           field="item_id") from None
    value = parse_percentage(item, percentage, criteria)
    if value is None:
        raise ServiceError(_("%(item)s：请填写共识得分率") % {"item": item_label(item)},
                           field="percentage")
    with transaction.atomic():
        team = Team.objects.select_for_update().select_related(
            "application", "cycle__jurisdiction").get(pk=team.pk)
        _check_leader(team, actor)
        if team.consensus_at is not None:
            raise ServiceError(_("该评审组的共识已确定，不能再修改"), field="consensus")
        _check_in_stage(team)
        _check_all_submitted(team)
        spread = next((r for r in team_spread(team) if r.item_id == item.id), None)
        mean = spread.mean if spread else Fraction(value)
        reason = (reason or "").strip()
        if reason_needed(criteria, mean, value) and not reason:
            raise ServiceError(
                _("%(item)s：共识得分率 %(value)s%% 偏离成员平均 %(mean)s%%，请写明理由") % {
                    "item": item_label(item), "value": value, "mean": format_points(mean)},
                field="reason")
        before = ConsensusItem.objects.filter(team=team, item_id=item.id).first()
        ci, _created = ConsensusItem.objects.update_or_create(
            team=team, item_id=item.id,
            defaults={"percentage": value, "reason": reason,
                      "strengths": (strengths or "").strip(),
                      "opportunities": (opportunities or "").strip(),
                      "recorded_by": actor, "recorded_at": now()})
        record_event(actor=actor, jurisdiction=_jurisdiction(team), entity="review_team",
                     entity_id=team.pk, action="consensus_record", reason=reason,
                     article=_leader_article(team),
                     data={"item": item.id, "percentage": value,
                           "mean": format_points(mean),
                           "spread": spread.spread if spread else None,
                           "before": before.percentage if before else None})
    return ci


def consensus_close(team: Team, actor: Any) -> Team:
    """The leader closes the consensus once every item has one: ``Team.consensus_at``."""
    criteria = criteria_for(team.application)
    with transaction.atomic():
        team = Team.objects.select_for_update().select_related(
            "application", "cycle__jurisdiction").get(pk=team.pk)
        _check_leader(team, actor)
        if team.consensus_at is not None:
            raise ServiceError(_("该评审组的共识已确定"), field="consensus")
        _check_in_stage(team)
        _check_all_submitted(team)
        agreed = dict(team.consensus.values_list("item_id", "percentage"))
        missing = [item_label(i) for i in criteria.items if i.id not in agreed]
        if missing:
            raise ServiceError(_("以下评分项尚无共识：%(items)s") % {"items": "、".join(missing)},
                               field="consensus")
        total = score(criteria, {k: int(v) for k, v in agreed.items()}).total
        team.consensus_at = now()
        team.save(update_fields=["consensus_at"])
        record_event(actor=actor, jurisdiction=_jurisdiction(team), entity="review_team",
                     entity_id=team.pk, action="consensus_close",
                     article=_leader_article(team),
                     data={"stage": team.stage, "application": team.application_id,
                           "total": format_points(total)})
    return team


def consensus_total(team: Team) -> Fraction | None:
    """The team's score from its consensus, once closed."""
    if team.consensus_at is None:
        return None
    criteria = criteria_for(team.application)
    agreed = dict(team.consensus.values_list("item_id", "percentage"))
    return score(criteria, {k: int(v) for k, v in agreed.items()}).total


# ---------------------------------------------------------------------------------------------
# Site review: the visit plan and the organization's confirmation of the report


def _is_office(actor: Any, team: Team) -> bool:
    return has_role(actor, _jurisdiction(team), Role.OFFICE, Role.OFFICE_HEAD)


def _is_applicant(actor: Any, team: Team) -> bool:
    return Membership.objects.filter(user=actor, role=Role.APPLICANT,
                                     applicant_id=team.application.applicant_id).exists()


def visit_plan_save(team: Team, actor: Any, *, date: dt.date | None, place: str, agenda: str,
                    participants: str) -> VisitPlan:
    """The office plans (or re-plans) the site visit of a site-review team."""
    if team.stage != StageId.SITE_REVIEW:
        raise ServiceError(_("只有现场评审组需要现场评审计划"), field="team")
    if not _is_office(actor, team):
        raise ServiceError(_("只有评审办可以安排现场评审"), field="team")
    problems = {"date": date is None, "place": not (place or "").strip(),
                "agenda": not (agenda or "").strip(),
                "participants": not (participants or "").strip()}
    for field, missing in problems.items():
        if missing:
            raise ServiceError(_("请填写现场评审的日期、地点、日程和参加人员"), field=field)
    assert date is not None
    with transaction.atomic():
        Team.objects.select_for_update().get(pk=team.pk)
        before = VisitPlan.objects.filter(team=team).first()
        plan, _created = VisitPlan.objects.update_or_create(team=team, defaults={
            "date": date, "place": place.strip(), "agenda": agenda.strip(),
            "participants": participants.strip(), "updated_by": actor, "updated_at": now()})
        record_event(actor=actor, jurisdiction=_jurisdiction(team), entity="review_team",
                     entity_id=team.pk, action="visit_plan_save",
                     data={"date": date.isoformat(), "place": plan.place,
                           "before": before.date.isoformat() if before else None})
    return plan


@dataclass(frozen=True)
class SiteReportRule:
    """The organization confirms the site-review report (``review.site_report_confirmation``)."""

    cite: str
    stage: str = StageId.SITE_REVIEW


def site_report_rule(policy: Policy) -> SiteReportRule | None:
    """The rule where the policy has it, None where the regulation has no such rule; a
    silence stops with ConfigurationRequired (as a ServiceError)."""
    try:
        required = policy.site_report_confirmation_required()
    except ConfigurationRequired as err:
        raise ServiceError(str(err), field="site_report_confirmation") from None
    if not required:
        return None
    rule = policy.review.site_report_confirmation
    return SiteReportRule(cite=rule.cite if isinstance(rule, Cited) else "")


def site_report_answer(team: Team, actor: Any, *, confirmed: bool,
                       objection: str = "") -> SiteReportConfirmation:
    """The organization confirms its site-review report, or objects with its text (once)."""
    duty = site_report_rule(policy_of(team.cycle))
    if duty is None:
        raise ServiceError(_("本办法不要求申报单位确认现场评审报告"), field="team")
    if team.stage != duty.stage:
        raise ServiceError(_("只有现场评审报告需要申报单位确认"), field="team",
                           article=duty.cite)
    if not _is_applicant(actor, team):
        raise ServiceError(_("只有申报单位本身可以确认现场评审报告"), field="team",
                           article=duty.cite)
    objection = (objection or "").strip()
    if not confirmed and not objection:
        raise ServiceError(_("对现场评审报告有异议时，请写明异议内容"), field="objection",
                           article=duty.cite)
    with transaction.atomic():
        team = Team.objects.select_for_update().select_related("cycle__jurisdiction").get(
            pk=team.pk)
        if team.consensus_at is None:
            raise ServiceError(_("现场评审报告尚未形成（评审组共识尚未确定）"), field="team",
                               article=duty.cite)
        if SiteReportConfirmation.objects.filter(team=team).exists():
            raise ServiceError(_("已对现场评审报告作出答复，不能重复提交"), field="team",
                               article=duty.cite)
        answer = SiteReportConfirmation.objects.create(
            team=team, confirmed=confirmed, objection="" if confirmed else objection,
            article=duty.cite, answered_by=actor, answered_at=now())
        record_event(actor=actor, jurisdiction=_jurisdiction(team), entity="review_team",
                     entity_id=team.pk,
                     action="site_report_confirm" if confirmed else "site_report_object",
                     reason=answer.objection, article=duty.cite,
                     data={"application": team.application_id})
    return answer


# ---------------------------------------------------------------------------------------------
# Two-way supervision (双向监督)


def supervision(policy: Policy) -> Cited[str] | None:
    """The body the ratings go to, with its article; None where the policy has no such rule.
    Silence stops with ConfigurationRequired (as a ServiceError)."""
    rule = policy.reviewers.two_way_supervision
    if is_none(rule):
        return None
    if is_silent(rule):
        raise ServiceError(str(ConfigurationRequired(
            policy.id, "reviewers.two_way_supervision", rule.silent)),
            field="two_way_supervision")
    assert isinstance(rule, Cited)
    return rule


def site_review_over(team: Team, today: dt.date | None = None) -> bool:
    """The visit has taken place (its day has come) or the team's consensus is closed."""
    if team.consensus_at is not None:
        return True
    plan = VisitPlan.objects.filter(team=team).first()
    return plan is not None and plan.date <= (today or office_today())


def rating_record(team: Team, actor: Any, *, direction: str, member: TeamMember, score: Any,
                  comment: str = "") -> SupervisionRating:
    """Record one rating of two-way supervision: the applicant rates ``member``'s conduct
    (``of_reviewer``), or ``member`` rates the applicant's cooperation (``of_applicant``)."""
    rule = supervision(policy_of(team.cycle))
    if rule is None:
        raise ServiceError(_("本办法没有双向监督（相互评价）的规定"), field="direction")
    if team.stage != StageId.SITE_REVIEW:
        raise ServiceError(_("相互评价在现场评审之后进行"), field="team", article=rule.cite)
    if member.team_id != team.pk or not member.active:
        raise ServiceError(_("该专家不是本评审组的成员"), field="member", article=rule.cite)
    try:
        value = int(str(score).strip())
    except ValueError:
        value = 0
    if not 1 <= value <= 5:
        raise ServiceError(_("评价请选择 1 到 5 之间的等级"), field="score", article=rule.cite)
    if direction == OF_REVIEWER:
        if not _is_applicant(actor, team):
            raise ServiceError(_("只有申报单位可以评价评审专家的工作"), field="direction",
                               article=rule.cite)
        if not site_review_over(team):
            raise ServiceError(_("现场评审结束后才能评价评审专家"), field="team",
                               article=rule.cite)
    elif direction == OF_APPLICANT:
        if member.expert.user_id != getattr(actor, "pk", None):
            raise ServiceError(_("只有评审专家本人可以评价申报单位的配合情况"),
                               field="direction", article=rule.cite)
        if not Sheet.objects.filter(member=member, submitted_at__isnull=False).exists():
            raise ServiceError(_("提交评分表后才能评价申报单位"), field="team",
                               article=rule.cite)
    else:
        raise ServiceError(_("评价方向不正确"), field="direction")
    with transaction.atomic():
        Team.objects.select_for_update().get(pk=team.pk)
        if SupervisionRating.objects.filter(member=member, direction=direction).exists():
            raise ServiceError(_("已经评价过，不能重复评价"), field="score", article=rule.cite)
        rating = SupervisionRating.objects.create(
            team=team, member=member, direction=direction, score=value,
            comment=(comment or "").strip(), article=rule.cite, rated_by=actor,
            rated_at=now())
        record_event(actor=actor, jurisdiction=_jurisdiction(team), entity="review_team",
                     entity_id=team.pk, action="supervision_rating", article=rule.cite,
                     data={"direction": direction, "member": member.pk, "score": value})
    return rating


def ratings_for_body(cycle: Cycle) -> list[SupervisionRating]:
    """Every rating of the cycle, for the office to pass to the body the policy names."""
    return list(SupervisionRating.objects.filter(team__cycle=cycle)
                .select_related("team__application__applicant", "member__expert")
                .order_by("team__application__pk", "direction", "member__pk"))


def pending_ratings_of_applicant(team: Team) -> list[TeamMember]:
    """The active reviewers the applicant has not rated yet."""
    rated = set(SupervisionRating.objects.filter(
        team=team, direction=OF_REVIEWER)
        .values_list("member_id", flat=True))
    return [m for m in team.members.filter(active=True).select_related("expert").order_by("pk")
            if m.pk not in rated]
