"""The demo's scores (issue 8): every team of a scored stage fills and submits its sheets with
generated but plausible percentages, the leader (or convenor) records the consensus with a
reason where it departs from the mean, and closes it. In the site review the office plans the
visit first, the sheets carry evidence notes, the organization confirms its report where the
policy has that duty, and the two sides rate each other where the policy has two-way
supervision.

Call it with the cycle, the stage and the office day, once the applications are in that stage
and its teams are formed (``review_teams``)::

    from qaward.web.demo import review_scores
    summary = review_scores.run(cycle, "material_review", day=dt.date(2026, 6, 1), seed=2026)

Everything goes through ``qaward.web.review.sheets`` (validated, audited). Percentages are on
the criteria's step grid; in each team two items are given a spread above the policy's
threshold, so the consensus meeting has something to settle.
"""

from __future__ import annotations

import datetime as dt
import random
from contextlib import nullcontext
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from qaward.core.criteria import CriteriaSet, Item
from qaward.core.states import StageId
from qaward.web import clock
from qaward.web.accounts.models import Membership, Role
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import Cycle
from qaward.web.policies.services import policy_of
from qaward.web.review import sheets
from qaward.web.review.models import Sheet, SiteReportConfirmation, Team, TeamMember

_STRENGTHS = ("方法系统、已在主要部门展开", "有明确的测量指标并定期评价", "与战略目标协调一致",
              "关键过程有改进案例和成效数据")
_OPPORTUNITIES = ("部分部门展开不充分", "缺少与标杆的对比数据", "改进的系统性有待加强",
                  "学习和创新成果的推广不足")
_NOTES = ("访谈了分管负责人和两名一线员工", "现场查阅了近三年的记录和数据",
          "抽查了两个部门的执行情况", "核对了自评报告中的数据来源")


@dataclass
class ScoresSummary:
    stage: str
    teams: int = 0
    sheets_submitted: int = 0
    flagged_items: int = 0
    consensus_closed: int = 0
    reasons_written: int = 0
    site_reports_confirmed: int = 0
    ratings: int = 0
    skipped: list[str] = field(default_factory=list)


def _snap(value: float, step: int) -> int:
    return max(0, min(100, round(value / step) * step))


def _percentages(rnd: random.Random, criteria: CriteriaSet, reviewers: int,
                 spread_above: int) -> list[dict[str, int]]:
    """Per reviewer a whole sheet: an application level, each item near it, each reviewer a
    little apart; two items with one reviewer far off (a spread above the threshold)."""
    step = criteria.step
    level = rnd.randint(8, 15) * step  # 40..75
    items: list[Item] = list(criteria.items)
    wide = set(rnd.sample([i.id for i in items], k=min(2, len(items))))
    sheets_: list[dict[str, int]] = []
    item_level = {i.id: level + rnd.choice((-2, -1, 0, 1, 2)) * step for i in items}
    for r in range(reviewers):
        sheet: dict[str, int] = {}
        for item in items:
            value = item_level[item.id] + rnd.choice((-1, 0, 0, 1)) * step
            if item.id in wide and reviewers > 1:
                # the first and the last reviewer far apart: spread above the threshold
                half = (spread_above // 2 + step)
                value = item_level[item.id] + (-half if r == 0 else half if r == reviewers - 1
                                               else 0)
            sheet[item.id] = _snap(value, step)
        sheets_.append(sheet)
    return sheets_


def _office_user(cycle: Cycle) -> Any:
    m = (Membership.objects.filter(jurisdiction=cycle.jurisdiction, role=Role.OFFICE)
         .select_related("user").order_by("pk").first())
    return m.user if m else None


def _applicant_user(team: Team) -> Any:
    m = (Membership.objects.filter(role=Role.APPLICANT,
                                   applicant_id=team.application.applicant_id)
         .select_related("user").order_by("pk").first())
    return m.user if m else None


def run(cycle: Cycle, stage: str, *, day: dt.date | None = None,
        seed: int = 2026) -> ScoresSummary:
    """Score every team of ``stage`` in ``cycle`` on the office day ``day`` (default: the
    office's today)."""
    with clock.frozen(day) if day is not None else nullcontext():
        return _run(cycle, stage, random.Random(seed))


def _run(cycle: Cycle, stage: str, rnd: random.Random) -> ScoresSummary:
    summary = ScoresSummary(stage)
    policy = policy_of(cycle)
    threshold = sheets.spread_threshold(policy)
    office = _office_user(cycle)
    teams = (Team.objects.filter(cycle=cycle, stage=stage)
             .select_related("application__applicant", "cycle__jurisdiction")
             .order_by("application__pk"))
    for team in teams:
        if team.application.state != team.stage:
            summary.skipped.append(f"{team.application}: not in {stage}")
            continue
        members = list(team.members.filter(active=True).select_related("expert__user")
                       .order_by("pk"))
        if not members or any(m.expert.user_id is None for m in members):
            summary.skipped.append(f"{team.application}: a member without a login")
            continue
        summary.teams += 1
        criteria = sheets.criteria_for(team.application)
        site = stage == StageId.SITE_REVIEW
        if site and office is not None and not hasattr(team, "visit_plan"):
            sheets.visit_plan_save(
                team, office, date=clock.today(), place=f"{team.application.applicant.name}会议室",
                agenda="09:00 首次会议；09:30 高层访谈；10:30 现场查看与部门访谈；"
                       "14:00 查阅记录；16:00 末次会议",
                participants="、".join(m.expert.name for m in members))
        generated = _percentages(rnd, criteria, len(members), threshold)
        for member, pct in zip(members, generated, strict=True):
            _fill_and_submit(rnd, member, criteria, pct, site)
            summary.sheets_submitted += 1
        _consensus(rnd, team, criteria, summary)
        team.refresh_from_db()
        if team.consensus_at is not None and site:
            _site_report_and_ratings(rnd, team, members, summary)
    return summary


def _fill_and_submit(rnd: random.Random, member: TeamMember, criteria: CriteriaSet,
                     pct: dict[str, int], site: bool) -> None:
    user = member.expert.user
    sheet = sheets.sheet_for(member)
    if Sheet.objects.get(pk=sheet.pk).submitted_at is not None:
        return
    items: dict[str, dict[str, Any]] = {}
    for item in criteria.items:
        values: dict[str, Any] = {"percentage": pct[item.id]}
        if pct[item.id] >= 60:
            values["strengths"] = f"{item.name_zh}：{rnd.choice(_STRENGTHS)}"
        else:
            values["opportunities"] = f"{item.name_zh}：{rnd.choice(_OPPORTUNITIES)}"
        if site:
            values["evidence_notes"] = rnd.choice(_NOTES)
        items[item.id] = values
    sheets.sheet_save(member, {"items": items, "summary": "总体上方法系统，结果有改进趋势。"},
                      user)
    sheets.sheet_submit(member, user)


def _consensus(rnd: random.Random, team: Team, criteria: CriteriaSet,
               summary: ScoresSummary) -> None:
    leader = sheets.leader_of(team)
    if leader is None or leader.expert.user is None:
        summary.skipped.append(f"{team.application}: no leader or convenor named")
        return
    if team.consensus_at is not None:
        return
    user = leader.expert.user
    step = criteria.step
    for spread in sheets.team_spread(team):
        nearest = int(spread.mean / step + Fraction(1, 2)) * step
        reason = ""
        value = nearest
        if spread.flagged:
            summary.flagged_items += 1
            # The meeting settles nearer the lower score: the evidence did not support more.
            value = max(0, nearest - step)
            if sheets.reason_needed(criteria, spread.mean, value):
                reason = "共识会讨论后认为部分做法尚未展开，证据不足以支持平均分"
                summary.reasons_written += 1
        sheets.consensus_record(team, spread.item_id, value, reason,
                                f"{criteria.item(spread.item_id).name_zh}：{rnd.choice(_STRENGTHS)}",
                                rnd.choice(_OPPORTUNITIES), user)
    sheets.consensus_close(team, user)
    summary.consensus_closed += 1


def _site_report_and_ratings(rnd: random.Random, team: Team, members: list[TeamMember],
                             summary: ScoresSummary) -> None:
    policy = policy_of(team.cycle)
    applicant = _applicant_user(team)
    if applicant is None:
        summary.skipped.append(f"{team.application}: no applicant login")
        return
    if (sheets.site_report_rule(policy) is not None
            and not SiteReportConfirmation.objects.filter(team=team).exists()):
        sheets.site_report_answer(team, applicant, confirmed=True)
        summary.site_reports_confirmed += 1
    try:
        rule = sheets.supervision(policy)
    except ServiceError:
        rule = None
    if rule is None:
        return
    for member in members:
        sheets.rating_record(team, applicant, direction=sheets.OF_REVIEWER, member=member,
                             score=rnd.choice((4, 5, 5)), comment="评审专家遵守纪律，工作认真")
        sheets.rating_record(team, member.expert.user, direction=sheets.OF_APPLICANT,
                             member=member, score=rnd.choice((4, 5)),
                             comment="申报单位配合良好，资料提供及时")
        summary.ratings += 2
