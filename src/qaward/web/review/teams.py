"""The review teams (评审组): the optimiser's proposal, its acceptance, the office's hand
adjustments and recusal after formation (issue 8, "Teams and assignment").

The only writers of ``Team``, ``TeamMember`` and ``TeamProposal``. Every write runs in one
transaction that first locks the cycle row (``select_for_update``), so two offices forming or
adjusting teams of one cycle at once queue instead of both passing the load check, and records
an audit event with its article.

How a stage's instance is built (``build_instance``):

- rows: the applications of the cycle now in the review stage (资料评审, 现场评审, 陈述答辩:
  the stages the policy's ``review.scoring`` lists);
- columns: the cycle's available experts of the cycle's jurisdiction not disqualified today (a
  disqualification ends the day after ``disqualified_until``; a warning, 警告, does not take an
  expert out of the pool);
- affinity (a number ≥ 0, larger is better): 1.0 when one of the expert's sectors is the
  applicant's sector (compared without spaces and case), 0.5 when one contains the other
  (电子信息 / 电子信息制造), else 0; plus 0.25 when the expert holds a 卓越绩效 qualification
  (卓越绩效评价师, 高级卓越绩效评价师 …) — they review against GB/T 19580 whatever the sector;
- conflict: a Conflict row of the pair that is pending or confirmed (a dismissed one does not
  block). Pending conflicts block too: the office decides them first; they are listed on the
  teams page;
- loads: the expert's ``ExpertCycle`` limits for the whole cycle, less the active memberships
  the expert already has in the cycle's other stages;
- demand: the team size, ``reviewers.team_min_size`` (silent → the office configures it);
- employer: one number per employer (统一社会信用代码 where known, else the employer's name
  without spaces and with ASCII brackets), −1 for none: where possible no two members of a
  team from one employer;
- can_lead: where the policy has team leaders (``reviewers.team_leader`` true, e.g. 组长负责制)
  only experts marked ``can_lead`` lead; elsewhere any member may lead. Every team has one
  leader either way (the issue: "every application gets a team with a leader").

Decisions written here (docs/review.md may quote them):

- The expert's ``max_load`` is never exceeded by hand either: to give an expert more, the office
  raises the limit in the pool (an audited change of the expert's availability), then adds.
- A member is never removed below the policy's team size by hand (replace instead); a recusal
  always takes effect at once, and the team is then shown as short until the office adds one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from qaward.core.errors import ConfigurationRequired
from qaward.core.policy import Policy
from qaward.core.policy.loader import require
from qaward.core.policy.model import Cited, given
from qaward.core.review import assignment
from qaward.web.accounts import rules
from qaward.web.audit.services import record_event
from qaward.web.clock import now, today
from qaward.web.common.errors import ServiceError, in_language
from qaward.web.cycles.models import Application, Cycle
from qaward.web.experts.models import Conflict, Expert, ExpertCycle
from qaward.web.experts.services import available_experts, expert_can_serve
from qaward.web.policies.services import policy_of

from .models import Team, TeamMember, TeamProposal

BLOCKING = (Conflict.Status.PENDING, Conflict.Status.CONFIRMED)
SECTOR_EXACT, SECTOR_PARTIAL, QUALIFICATION_BONUS = 1.0, 0.5, 0.25
QUALIFICATION_MARK = "卓越绩效"
TEAM_SIZE_KEY, TEAM_LEADER_KEY = "reviewers.team_min_size", "reviewers.team_leader"
WHY_NOT_SHOWN = 3


# ---------------------------------------------------------------------------------------------
# The policy's answers


def review_stages(policy: Policy) -> list[str]:
    """The policy's review stages, in its order: those its ``review.scoring`` block lists
    (scored, not scored, or silent on it — a team reviews each all the same)."""
    return [str(s.id) for s in policy.stages if s.id in policy.review.scoring]


def team_size(policy: Policy) -> Cited[int]:
    """The team size with its article; silent → ServiceError naming the key and what to do."""
    try:
        return require(policy, policy.reviewers.team_min_size, TEAM_SIZE_KEY)
    except ConfigurationRequired as err:
        raise ServiceError(
            _("管理办法未规定评审组人数（%(key)s：%(why)s）。请评审办在本办法的配置文件中设定该值并"
              "注明评审办的决定，再由评审办负责人将本评选周期改用配置后的版本。")
            % {"key": err.key, "why": err.explanation}, field=err.key) from None


def has_leaders(policy: Policy) -> bool:
    """The policy requires team leaders who can lead (组长负责制); silent → any member leads."""
    v = policy.reviewers.team_leader
    return given(v) and bool(v.value)


def _article(policy: Policy, stage: str) -> str:
    size = policy.reviewers.team_min_size
    if given(size):
        return size.cite
    try:
        return policy.stage(stage).cite or ""
    except KeyError:
        return ""


def _stage_of(policy: Policy, stage: str) -> str:
    if stage not in review_stages(policy):
        raise ServiceError(_("“%(stage)s”不是本办法中由评审组评审的阶段") % {"stage": stage},
                           field="stage")
    return stage


def _may_form(actor: Any, cycle: Cycle) -> None:
    if getattr(actor, "pk", None) is not None and not rules.is_office(actor, cycle):
        raise PermissionDenied


# ---------------------------------------------------------------------------------------------
# The instance


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s or "").replace("（", "(").replace("）", ")").casefold()


def employer_key(expert: Expert) -> str:
    """The employer an expert is counted under: the credit code, else the normalised name."""
    if expert.employer_code.strip():
        return "code:" + expert.employer_code.strip().upper()
    name = _norm(expert.employer_name)
    return "name:" + name if name else ""


def affinity(expert: Expert, sector: str) -> float:
    """The module docstring's formula: sector match plus the 卓越绩效 qualification."""
    s = _norm(sector)
    score = 0.0
    mine = [_norm(str(x)) for x in (expert.sectors or []) if str(x).strip()]
    if s and s in mine:
        score = SECTOR_EXACT
    elif s and any(m in s or s in m for m in mine):
        score = SECTOR_PARTIAL
    if any(QUALIFICATION_MARK in str(q) for q in (expert.qualifications or [])):
        score += QUALIFICATION_BONUS
    return score


@dataclass
class StageInstance:
    """One stage's assignment problem, in the web layer's terms (lists indexed like the
    solver's arrays: P applications × R experts)."""

    cycle: Cycle
    stage: str
    team_size: int
    article: str
    leaders_required: bool
    applications: list[Application]
    experts: list[Expert]
    affinity: list[list[float]]
    conflict: list[list[bool]]
    min_load: list[int]
    max_load: list[int]
    demand: list[int]
    employer: list[int]
    can_lead: list[bool] | None
    # Conflict rows that block a pair: pending ones first (the office decides them).
    blocking: list[Conflict] = field(default_factory=list)

    def solver_instance(self) -> assignment.Instance:
        """The pure solver's ``Instance`` (qaward.core.review.assignment). The employer rule
        reads "where possible" (``employer_strict=False``): colleagues share a team only when
        no better team exists."""
        n_p, n_r = len(self.applications), len(self.experts)
        return assignment.Instance(
            affinity=np.asarray(self.affinity, dtype=np.float64).reshape(n_p, n_r),
            conflict=np.asarray(self.conflict, dtype=np.bool_).reshape(n_p, n_r),
            min_load=np.asarray(self.min_load, dtype=np.int64),
            max_load=np.asarray(self.max_load, dtype=np.int64),
            demand=np.asarray(self.demand, dtype=np.int64),
            employer=np.asarray(self.employer, dtype=np.int64),
            can_lead=(np.asarray(self.can_lead, dtype=np.bool_) if self.can_lead is not None
                      else None),
            forced=None, employer_strict=False)


def used_elsewhere(cycle: Cycle, stage: str) -> dict[int, int]:
    """Active memberships per expert in the cycle's other stages (they count to the load)."""
    rows = (TeamMember.objects.filter(team__cycle=cycle, active=True).exclude(team__stage=stage)
            .values("expert_id").annotate(n=Count("id")))
    return {r["expert_id"]: r["n"] for r in rows}


def pool(cycle: Cycle) -> list[ExpertCycle]:
    """The cycle's available experts of its jurisdiction allowed to serve today (the experts
    app's ``available_experts``: a disqualification ends the day after its date), in a stable
    order."""
    return sorted((ec for ec in available_experts(cycle, today())
                   if ec.expert.jurisdiction_id == cycle.jurisdiction_id),
                  key=lambda ec: ec.expert_id)


def build_instance(cycle: Cycle, stage: str) -> StageInstance:
    """The stage's applications × the cycle's available experts (see the module docstring)."""
    policy = policy_of(cycle)
    _stage_of(policy, stage)
    size = team_size(policy)
    apps = list(Application.objects.select_related("applicant")
                .filter(cycle=cycle, state=stage).order_by("pk"))
    ecs = pool(cycle)
    experts = [ec.expert for ec in ecs]
    col = {e.pk: r for r, e in enumerate(experts)}
    row = {a.pk: p for p, a in enumerate(apps)}
    conflict = [[False] * len(experts) for _a in apps]
    blocking = list(Conflict.objects.select_related("expert", "application__applicant")
                    .filter(cycle=cycle, status__in=BLOCKING, application_id__in=row,
                            expert_id__in=col).order_by("-status", "pk"))
    # "pending" sorts after "confirmed": reversed, the office's open questions come first.
    for c in blocking:
        conflict[row[c.application_id]][col[c.expert_id]] = True
    used = used_elsewhere(cycle, stage)
    employers: dict[str, int] = {}
    employer = []
    for e in experts:
        key = employer_key(e)
        employer.append(employers.setdefault(key, len(employers)) if key else -1)
    leaders = has_leaders(policy)
    return StageInstance(
        cycle=cycle, stage=stage, team_size=size.value, article=size.cite,
        leaders_required=leaders, applications=apps, experts=experts,
        affinity=[[affinity(e, a.applicant.sector) for e in experts] for a in apps],
        conflict=conflict,
        min_load=[max(0, ec.min_load - used.get(ec.expert_id, 0)) for ec in ecs],
        max_load=[max(0, ec.max_load - used.get(ec.expert_id, 0)) for ec in ecs],
        demand=[size.value] * len(apps), employer=employer,
        can_lead=[e.can_lead for e in experts] if leaders else None, blocking=blocking)


# ---------------------------------------------------------------------------------------------
# Solving and explaining


@dataclass(frozen=True)
class Solution:
    assign: list[list[int]]  # P × R, 0/1
    leaders: list[int]  # per application, an expert column or -1
    objective: float
    seconds: float
    method: str
    why_not: list[list[dict[str, Any]]]  # per application (``why_not``)


def solve_stage(inst: StageInstance) -> Solution:
    """Run the pure solver on the instance; infeasible → ServiceError with the solver's
    message (in the reader's language) naming the constraint (the field)."""
    instance = inst.solver_instance()
    try:
        result = assignment.solve(instance)
    except assignment.Infeasible as err:
        app = (inst.applications[err.application].applicant.name
               if err.application is not None and 0 <= err.application < len(inst.applications)
               else None)
        raise ServiceError(in_language(err.message_zh, err.message_en)
                           + (f"（{app}）" if app else ""), field=err.constraint) from None
    return Solution(
        assign=[[int(x) for x in row] for row in result.assign],
        leaders=[int(x) for x in result.leaders], objective=float(result.objective),
        seconds=float(result.seconds), method=str(result.method),
        why_not=[_passed_over(inst, assignment.explain(instance, result, p))
                 for p in range(len(inst.applications))])


def _passed_over(inst: StageInstance, expl: assignment.Explanation) -> list[dict[str, Any]]:
    """The solver's explanation of one application, in the web layer's terms: experts by
    id, each conflict by its record (number and status), the first ``WHY_NOT_SHOWN``."""
    conflicts = {(c.application_id, c.expert_id): c for c in inst.blocking}
    app_id = inst.applications[expl.application].pk
    out = []
    for x in expl.passed_over[:WHY_NOT_SHOWN]:
        e = inst.experts[x.expert]
        reason: dict[str, Any] = {"kind": x.reason, "zh": x.reason_zh, "en": x.reason_en}
        c = conflicts.get((app_id, e.pk))
        if x.reason == "conflict" and c is not None:
            reason.update(conflict=c.pk, status=c.status, relation=c.relation)
        out.append({"expert": e.pk, "affinity": x.affinity, "reasons": [reason]})
    return out


def why_not(inst: StageInstance, assign: list[list[int]], p: int) -> list[dict[str, Any]]:
    """Why better-matching experts are not in application ``p``'s team under ``assign`` (the
    solver's ``explain``: conflict, max_load, employer, else trade_off: the expert matters
    more elsewhere for the whole cycle's objective)."""
    result = assignment.Result(assign=np.asarray(assign, dtype=np.uint8), objective=0.0,
                               seconds=0.0, method="office",
                               leaders=np.full(len(assign), -1, dtype=np.int64))
    return _passed_over(inst, assignment.explain(inst.solver_instance(), result, p))


def _blocked_rows(inst: StageInstance) -> list[dict[str, Any]]:
    return [{"conflict": c.pk, "application": c.application_id, "expert": c.expert_id,
             "status": c.status, "relation": c.relation, "article": c.article}
            for c in inst.blocking]


# ---------------------------------------------------------------------------------------------
# Proposal and acceptance


def _lock_cycle(cycle: Cycle) -> Cycle:
    return Cycle.objects.select_for_update().select_related("jurisdiction", "policy").get(
        pk=cycle.pk)


def propose_teams(*, cycle: Cycle, stage: str, actor: Any) -> TeamProposal:
    """Ask the optimiser for the stage's teams and store its proposal (open); an earlier open
    proposal of the stage is superseded."""
    _may_form(actor, cycle)
    with transaction.atomic():
        cycle = _lock_cycle(cycle)
        recuse_blocked(cycle, actor)
        inst = build_instance(cycle, stage)
        if not inst.applications:
            raise ServiceError(_("本评选周期目前没有处于该阶段的申报"), field="stage")
        sol = solve_stage(inst)
        by_pk = {e.pk: e for e in inst.experts}
        teams = []
        for p, app in enumerate(inst.applications):
            leader = sol.leaders[p] if p < len(sol.leaders) else -1
            members = [{"expert": inst.experts[r].pk, "affinity": inst.affinity[p][r],
                        "leader": r == leader}
                       for r, x in enumerate(sol.assign[p]) if x]
            members.sort(key=lambda m: (not m["leader"], -m["affinity"]))
            if members and not any(m["leader"] for m in members):
                # No leader from the solver: the best-matching member who may lead.
                first = next((m for m in members if not inst.leaders_required
                              or by_pk[m["expert"]].can_lead), None)
                if first is not None:
                    first["leader"] = True
            teams.append({"application": app.pk, "members": members,
                          "why_not": sol.why_not[p]})
        TeamProposal.objects.filter(cycle=cycle, stage=stage,
                                    status=TeamProposal.Status.OPEN).update(
            status=TeamProposal.Status.SUPERSEDED)
        proposal = TeamProposal.objects.create(
            cycle=cycle, stage=stage, method=sol.method, objective=sol.objective,
            seconds=sol.seconds, team_size=inst.team_size, teams=teams,
            blocked=_blocked_rows(inst), created_by=actor, created_at=now())
        record_event(actor=actor, jurisdiction=cycle.jurisdiction, entity="team_proposal",
                     entity_id=proposal.pk, action="teams_propose", article=inst.article,
                     data={"cycle": cycle.pk, "stage": stage, "method": sol.method,
                           "objective": sol.objective, "seconds": sol.seconds,
                           "applications": len(inst.applications),
                           "experts": len(inst.experts), "team_size": inst.team_size,
                           "blocked": len(inst.blocking)})
    return proposal


def _capacity(cycle: Cycle) -> dict[int, tuple[int, int]]:
    """Per expert: (active memberships in the cycle, max_load)."""
    used = dict(TeamMember.objects.filter(team__cycle=cycle, active=True)
                .values_list("expert_id").annotate(n=Count("id")).values_list("expert_id", "n"))
    return {ec.expert_id: (used.get(ec.expert_id, 0), ec.max_load)
            for ec in ExpertCycle.objects.filter(cycle=cycle)}


def blocking_conflict(application: Application, expert: Expert) -> Conflict | None:
    return (Conflict.objects.filter(application=application, expert=expert,
                                    status__in=BLOCKING).order_by("-status", "pk").first())


def _conflict_error(c: Conflict) -> ServiceError:
    return ServiceError(
        _("%(expert)s 与 %(applicant)s 存在%(status)s的利益冲突（%(relation)s，登记号 %(id)s），"
          "不能进入该评审组")
        % {"expert": c.expert.name, "applicant": c.application.applicant.name,
           "status": c.get_status_display(), "relation": c.relation, "id": c.pk},
        field="expert", article=c.article or None)


def accept_proposal(*, proposal: TeamProposal, actor: Any, reason: str = "",
                    leaders: dict[int, int] | None = None) -> list[Team]:
    """Form the proposal's teams in one transaction. ``leaders``: the office's choice of
    leader per application id (an expert id of the team), else the proposal's. Teams already
    formed for the stage are replaced only with a written ``reason`` (members not in the
    proposal become inactive with it)."""
    cycle = proposal.cycle
    _may_form(actor, cycle)
    with transaction.atomic():
        cycle = _lock_cycle(cycle)
        recuse_blocked(cycle, actor)
        proposal = TeamProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != TeamProposal.Status.OPEN:
            raise ServiceError(_("该方案已被采纳或已被新方案取代，请刷新页面"), field="proposal")
        policy = policy_of(cycle)
        stage = proposal.stage
        article = _article(policy, stage)
        existing = {t.application_id: t for t in
                    Team.objects.select_for_update().filter(cycle=cycle, stage=stage)}
        if existing and not reason.strip():
            raise ServiceError(_("该阶段已组建评审组；如需按新方案重组，请写明理由"),
                               field="reason")
        apps = {a.pk: a for a in Application.objects.select_related("applicant").filter(
            pk__in=[t["application"] for t in proposal.teams])}
        experts = {e.pk: e for e in Expert.objects.filter(
            pk__in={m["expert"] for t in proposal.teams for m in t["members"]})}
        leaders_required = has_leaders(policy)
        formed: list[Team] = []
        for t in proposal.teams:
            app = apps[t["application"]]
            if app.state != stage:
                raise ServiceError(_("%(applicant)s 已不在该阶段，请重新生成方案")
                                   % {"applicant": app.applicant.name}, field="proposal")
            ids = [m["expert"] for m in t["members"]]
            for eid in ids:
                c = blocking_conflict(app, experts[eid])
                if c is not None:
                    raise _conflict_error(c)
            leader = (leaders or {}).get(app.pk) or next(
                (m["expert"] for m in t["members"] if m["leader"]), None)
            if leader is None:
                raise ServiceError(_("%(applicant)s 的评审组没有组长，请指定组长")
                                   % {"applicant": app.applicant.name}, field="leaders",
                                   article=_leader_cite(policy))
            if leader not in ids:
                raise ServiceError(_("组长须是该评审组的成员"), field="leaders")
            if leaders_required and not experts[leader].can_lead:
                raise ServiceError(_("%(expert)s 不具备担任评审组长的条件")
                                   % {"expert": experts[leader].name}, field="leaders",
                                   article=_leader_cite(policy))
            team = existing.get(app.pk) or Team.objects.create(cycle=cycle, application=app,
                                                                stage=stage)
            _replace_members(team, ids, leader, reason.strip() or _("按采纳的方案组建"))
            formed.append(team)
        over = [(eid, used, cap) for eid, (used, cap) in _capacity(cycle).items()
                if used > cap and eid in experts]
        if over:
            eid, used, cap = over[0]
            raise ServiceError(_("%(expert)s 的评审数将达%(used)s，超过其本届上限%(cap)s")
                               % {"expert": Expert.objects.get(pk=eid).name, "used": used,
                                  "cap": cap}, field="proposal")
        proposal.status = TeamProposal.Status.ACCEPTED
        proposal.accepted_by = actor
        proposal.accepted_at = now()
        proposal.save(update_fields=["status", "accepted_by", "accepted_at"])
        record_event(actor=actor, jurisdiction=cycle.jurisdiction, entity="team_proposal",
                     entity_id=proposal.pk, action="teams_accept", reason=reason.strip(),
                     article=article,
                     data={"cycle": cycle.pk, "stage": stage, "replaced": bool(existing),
                           "teams": [{"application": t.application_id,
                                      "members": _member_ids(t)} for t in formed]})
    return formed


def _leader_cite(policy: Policy) -> str | None:
    v = policy.reviewers.team_leader
    return v.cite if given(v) else None


def _member_ids(team: Team) -> list[int]:
    return list(team.members.filter(active=True).order_by("pk").values_list("expert_id",
                                                                             flat=True))


def _replace_members(team: Team, ids: list[int], leader: int | None, reason: str) -> None:
    """Make ``ids`` the team's active members, ``leader`` its leader."""
    at = now()
    current = {m.expert_id: m for m in team.members.select_for_update()}
    for m in current.values():
        if m.active and (m.expert_id not in ids or m.is_leader):
            if m.expert_id not in ids:
                m.active, m.removed_at, m.removed_reason = False, at, reason
            m.is_leader = False
            m.save(update_fields=["active", "removed_at", "removed_reason", "is_leader"])
    for eid in ids:
        m = current.get(eid)
        if m is None:
            TeamMember.objects.create(team=team, expert_id=eid, is_leader=eid == leader)
        else:
            m.active, m.removed_at, m.removed_reason = True, None, ""
            m.is_leader = eid == leader
            m.save(update_fields=["active", "removed_at", "removed_reason", "is_leader"])


# ---------------------------------------------------------------------------------------------
# Hand adjustments


def _need_reason(reason: str) -> str:
    if not reason.strip():
        raise ServiceError(_("调整评审组须写明理由"), field="reason")
    return reason.strip()


def _lock_team(team: Team) -> tuple[Cycle, Team, Policy]:
    cycle = _lock_cycle(team.cycle)
    team = Team.objects.select_for_update().select_related("application__applicant").get(
        pk=team.pk)
    return cycle, team, policy_of(cycle)


def _check_addable(cycle: Cycle, team: Team, expert: Expert) -> list[str]:
    """Refuse an expert who may not join this team; the warnings that do not refuse."""
    ec = ExpertCycle.objects.filter(cycle=cycle, expert=expert).first()
    if (ec is None or not ec.available or expert.jurisdiction_id != cycle.jurisdiction_id
            or not expert_can_serve(expert, today())):
        raise ServiceError(_("%(expert)s 不在本届可参加评审的专家之列") % {"expert": expert.name},
                           field="expert")
    if team.members.filter(expert=expert, active=True).exists():
        raise ServiceError(_("%(expert)s 已是该评审组成员") % {"expert": expert.name},
                           field="expert")
    c = blocking_conflict(team.application, expert)
    if c is not None:
        raise _conflict_error(c)
    used = TeamMember.objects.filter(team__cycle=cycle, expert=expert, active=True).count()
    if used + 1 > ec.max_load:
        raise ServiceError(
            _("%(expert)s 本届已承担%(used)s项评审，达到其上限%(cap)s；如需增加，请先在专家库中"
              "调整其本届评审数上限") % {"expert": expert.name, "used": used, "cap": ec.max_load},
            field="expert")
    warnings = []
    key = employer_key(expert)
    if key and any(employer_key(m.expert) == key for m in
                   team.members.filter(active=True).select_related("expert")):
        warnings.append("same_employer")
    return warnings


def _audit_member(actor: Any, cycle: Cycle, team: Team, action: str, reason: str,
                  article: str | None, **data: Any) -> None:
    record_event(actor=actor, jurisdiction=cycle.jurisdiction, entity="review_team",
                 entity_id=team.pk, action=action, reason=reason, article=article,
                 data={"application": team.application_id, "stage": team.stage, **data})


def member_add(*, team: Team, expert: Expert, actor: Any, reason: str) -> TeamMember:
    reason = _need_reason(reason)
    _may_form(actor, team.cycle)
    with transaction.atomic():
        cycle, team, policy = _lock_team(team)
        warnings = _check_addable(cycle, team, expert)
        m = _activate(team, expert)
        _audit_member(actor, cycle, team, "team_member_add", reason,
                      _article(policy, team.stage), expert=expert.pk, warnings=warnings)
    return m


def _activate(team: Team, expert: Expert) -> TeamMember:
    m = TeamMember.objects.select_for_update().filter(team=team, expert=expert).first()
    if m is None:
        return TeamMember.objects.create(team=team, expert=expert)
    m.active, m.removed_at, m.removed_reason, m.is_leader = True, None, "", False
    m.save(update_fields=["active", "removed_at", "removed_reason", "is_leader"])
    return m


def _deactivate(m: TeamMember, reason: str) -> None:
    m.active, m.removed_at, m.removed_reason, m.is_leader = False, now(), reason, False
    m.save(update_fields=["active", "removed_at", "removed_reason", "is_leader"])


def member_remove(*, member: TeamMember, actor: Any, reason: str) -> TeamMember:
    """Take a member off the team; refused below the policy's team size (replace instead)
    and for the leader (change the leader first)."""
    reason = _need_reason(reason)
    _may_form(actor, member.team.cycle)
    with transaction.atomic():
        cycle, team, policy = _lock_team(member.team)
        m = TeamMember.objects.select_for_update().get(pk=member.pk)
        if not m.active:
            raise ServiceError(_("该成员已不在评审组中"), field="member")
        size = team_size(policy)
        if team.members.filter(active=True).count() - 1 < size.value:
            raise ServiceError(_("评审组不得少于%(n)s人；请改为替换该成员") % {"n": size.value},
                               field="member", article=size.cite)
        if m.is_leader:
            raise ServiceError(_("请先另行指定组长，再调出该成员"), field="member")
        _deactivate(m, reason)
        _audit_member(actor, cycle, team, "team_member_remove", reason, size.cite,
                      expert=m.expert_id)
    return m


def member_replace(*, member: TeamMember, expert: Expert, actor: Any, reason: str
                   ) -> TeamMember:
    """Put ``expert`` in ``member``'s place (the leader's role passes to the new member)."""
    reason = _need_reason(reason)
    _may_form(actor, member.team.cycle)
    with transaction.atomic():
        cycle, team, policy = _lock_team(member.team)
        m = TeamMember.objects.select_for_update().get(pk=member.pk)
        if not m.active:
            raise ServiceError(_("该成员已不在评审组中"), field="member")
        warnings = _check_addable(cycle, team, expert)
        was_leader = m.is_leader
        if was_leader and has_leaders(policy) and not expert.can_lead:
            raise ServiceError(_("%(expert)s 不具备担任评审组长的条件，不能接替组长")
                               % {"expert": expert.name}, field="expert",
                               article=_leader_cite(policy))
        _deactivate(m, reason)
        new = _activate(team, expert)
        if was_leader:
            new.is_leader = True
            new.save(update_fields=["is_leader"])
        _audit_member(actor, cycle, team, "team_member_replace", reason,
                      _article(policy, team.stage), expert=expert.pk, replaced=m.expert_id,
                      leader=was_leader, warnings=warnings)
    return new


def leader_change(*, member: TeamMember, actor: Any, reason: str) -> TeamMember:
    """Make ``member`` the team's leader."""
    reason = _need_reason(reason)
    _may_form(actor, member.team.cycle)
    with transaction.atomic():
        cycle, team, policy = _lock_team(member.team)
        m = TeamMember.objects.select_for_update().select_related("expert").get(pk=member.pk)
        if not m.active:
            raise ServiceError(_("该成员已不在评审组中"), field="member")
        if has_leaders(policy) and not m.expert.can_lead:
            raise ServiceError(_("%(expert)s 不具备担任评审组长的条件")
                               % {"expert": m.expert.name}, field="member",
                               article=_leader_cite(policy))
        before = team.members.filter(active=True, is_leader=True).exclude(pk=m.pk)
        previous = list(before.values_list("expert_id", flat=True))
        before.update(is_leader=False)
        m.is_leader = True
        m.save(update_fields=["is_leader"])
        _audit_member(actor, cycle, team, "team_leader_change", reason,
                      _leader_cite(policy) or _article(policy, team.stage),
                      expert=m.expert_id, previous=previous)
    return m


# ---------------------------------------------------------------------------------------------
# Recusal after formation


def recuse_member(member: TeamMember, reason: str, actor: Any, *,
                  conflict: Conflict | None = None) -> TeamMember:
    """The member recuses (回避): inactive at once, so ``review.access.member_for`` refuses
    them from now on. Called when a conflict is confirmed or declared for a member of a formed
    team (``recuse_conflicted``), or by the office. Never refused for the team's size: the team
    is then short and the office adds a member (``short_teams``)."""
    if not reason.strip():
        raise ServiceError(_("回避须写明理由"), field="reason")
    with transaction.atomic():
        cycle = _lock_cycle(member.team.cycle)
        m = TeamMember.objects.select_for_update().select_related("team").get(pk=member.pk)
        if not m.active:
            return m
        policy = policy_of(cycle)
        was_leader = m.is_leader
        _deactivate(m, reason.strip())
        rec = policy.reviewers.recusal
        article = (conflict.article if conflict is not None and conflict.article
                   else rec.cite if given(rec) else None)
        _audit_member(actor, cycle, m.team, "team_member_recuse", reason.strip(), article,
                      expert=m.expert_id, conflict=conflict.pk if conflict else None,
                      was_leader=was_leader)
    return m


def recuse_conflicted(conflict: Conflict, actor: Any) -> list[TeamMember]:
    """For the experts app: after a conflict is declared or confirmed, every active membership
    of its expert in teams of its application recuses at once. Call it inside or after the
    transaction that confirms the conflict."""
    if conflict.status != Conflict.Status.CONFIRMED:
        return []
    members = TeamMember.objects.filter(expert_id=conflict.expert_id, active=True,
                                        team__application_id=conflict.application_id)
    reason = _("利益冲突确认回避（登记号 %(id)s）：%(relation)s") % {
        "id": conflict.pk, "relation": conflict.relation}
    return [recuse_member(m, reason, actor, conflict=conflict) for m in members]


def conflicted_members(cycle: Cycle) -> list[TeamMember]:
    """Active members of the cycle's teams with a confirmed conflict with their team's
    application, whose recusal is not yet recorded (the access check refuses them all the
    same). The experts app confirms conflicts without importing this app; this catches up."""
    confirmed = Conflict.objects.filter(application=OuterRef("team__application"),
                                        expert=OuterRef("expert"),
                                        status=Conflict.Status.CONFIRMED)
    return list(TeamMember.objects.filter(team__cycle=cycle, active=True)
                .filter(Exists(confirmed))
                .select_related("expert", "team__application__applicant"))


def recuse_blocked(cycle: Cycle, actor: Any) -> list[TeamMember]:
    """Record the recusal of every member ``conflicted_members`` finds (run before a
    proposal or its acceptance, and from the teams page)."""
    out = []
    for m in conflicted_members(cycle):
        c = (Conflict.objects.filter(application_id=m.team.application_id, expert_id=m.expert_id,
                                     status=Conflict.Status.CONFIRMED).order_by("pk").first())
        if c is not None:
            out += recuse_conflicted(c, actor)
    return out


# ---------------------------------------------------------------------------------------------
# Reading


def teams_of(cycle: Cycle, stage: str) -> list[Team]:
    return list(Team.objects.filter(cycle=cycle, stage=stage)
                .select_related("application__applicant")
                .prefetch_related("members__expert").order_by("application_id"))


def short_teams(cycle: Cycle, stage: str, size: int) -> list[Team]:
    """Teams with fewer active members than the policy's size (after a recusal)."""
    return list(Team.objects.filter(cycle=cycle, stage=stage)
                .annotate(n=Count("members", filter=Q(members__active=True)))
                .filter(n__lt=size).select_related("application__applicant"))


def open_proposal(cycle: Cycle, stage: str) -> TeamProposal | None:
    return (TeamProposal.objects.filter(cycle=cycle, stage=stage,
                                        status=TeamProposal.Status.OPEN)
            .order_by("-pk").first())


def pending_conflicts(cycle: Cycle, stage: str) -> list[Conflict]:
    """Pending conflicts of the stage's applications: they block their pairs until decided."""
    return list(Conflict.objects.filter(cycle=cycle, status=Conflict.Status.PENDING,
                                        application__state=stage)
                .select_related("expert", "application__applicant").order_by("pk"))


def tasks_of(user: Any) -> list[TeamMember]:
    """The reviewer's tasks (我的评审任务): active memberships of teams whose application is in
    the team's stage now."""
    if not getattr(user, "is_authenticated", False):
        return []
    out = (TeamMember.objects.filter(expert__user=user, active=True)
           .select_related("team__application__applicant", "team__cycle", "expert")
           .order_by("team__cycle_id", "team__application_id"))
    return [m for m in out if m.team.application.state == m.team.stage]


def load_summary(cycle: Cycle) -> Counter[int]:
    return Counter(dict(TeamMember.objects.filter(team__cycle=cycle, active=True)
                        .values_list("expert_id").annotate(n=Count("id"))
                        .values_list("expert_id", "n")))
