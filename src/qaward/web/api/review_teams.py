"""The review teams through the API (issue 8): the office proposes, accepts and adjusts a
scored stage's teams (``qaward.web.review.teams``); a reviewer lists their own tasks.

Who sees what is the pages': the office of the cycle's jurisdiction forms teams; other staff
of the jurisdiction get 403; anyone else 404. A reviewer's tasks are their own only."""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from qaward.web.accounts import rules
from qaward.web.cycles.models import Cycle
from qaward.web.experts.models import Expert
from qaward.web.review import teams as services
from qaward.web.review.models import Team, TeamProposal

from .schemas import ErrorOut

review_teams = Router(tags=["review"])


class MemberOut(Schema):
    id: int
    expert_id: int
    expert: str
    is_leader: bool
    active: bool
    removed_reason: str


class TeamOut(Schema):
    id: int
    application_id: int
    applicant: str
    stage: str
    members: list[MemberOut]


class ProposalOut(Schema):
    id: int
    stage: str
    status: str
    method: str
    objective: float
    seconds: float
    team_size: int
    teams: list[dict[str, Any]]
    blocked: list[dict[str, Any]]


class StageTeamsOut(Schema):
    stage: str
    teams: list[TeamOut]
    proposal: ProposalOut | None


class AcceptIn(Schema):
    reason: str = Field(default="", max_length=5000)
    # The office's choice of leader per application id (an expert id of its team).
    leaders: dict[int, int] = Field(default_factory=dict)


class AdjustIn(Schema):
    action: Literal["add", "remove", "replace", "leader", "recuse"]
    member_id: int | None = None
    expert_id: int | None = None
    reason: str = Field(min_length=1, max_length=5000)


class TaskOut(Schema):
    application_id: int
    applicant: str
    cycle_id: int
    stage: str
    is_leader: bool


def _office_cycle(user: Any, cycle_id: int) -> Cycle:
    cycle = get_object_or_404(Cycle.objects.select_related("jurisdiction", "policy"),
                              pk=cycle_id)
    if not rules.can_view_console(user, cycle):
        raise Http404
    if not rules.is_office(user, cycle):
        raise HttpError(403, _("只有评审办工作人员可以组建评审组"))
    return cycle


def _team_out(t: Team) -> dict[str, Any]:
    return {"id": t.pk, "application_id": t.application_id,
            "applicant": t.application.applicant.name, "stage": t.stage,
            "members": [{"id": m.pk, "expert_id": m.expert_id, "expert": m.expert.name,
                         "is_leader": m.is_leader, "active": m.active,
                         "removed_reason": m.removed_reason}
                        for m in sorted(t.members.all(), key=lambda m: m.pk)]}


def _proposal_out(p: TeamProposal) -> dict[str, Any]:
    return {"id": p.pk, "stage": p.stage, "status": p.status, "method": p.method,
            "objective": p.objective, "seconds": p.seconds, "team_size": p.team_size,
            "teams": p.teams, "blocked": p.blocked}


@review_teams.get("/cycles/{cycle_id}/teams/{stage}",
                  response={200: StageTeamsOut, 403: ErrorOut, 404: ErrorOut},
                  summary="A scored stage's teams and the open proposal (the office)")
def stage_teams(request: HttpRequest, cycle_id: int, stage: str) -> dict[str, Any]:
    cycle = _office_cycle(request.auth, cycle_id)
    p = services.open_proposal(cycle, stage)
    return {"stage": stage, "teams": [_team_out(t) for t in services.teams_of(cycle, stage)],
            "proposal": _proposal_out(p) if p else None}


@review_teams.post("/cycles/{cycle_id}/teams/{stage}/propose",
                   response={200: ProposalOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
                   summary="Ask the optimiser for the stage's teams")
def propose(request: HttpRequest, cycle_id: int, stage: str) -> dict[str, Any]:
    """400 when the team size is left open by the regulation (the field names the key to
    configure), when no application is in the stage, or when the instance is infeasible
    (the solver's message; the field names the constraint)."""
    cycle = _office_cycle(request.auth, cycle_id)
    return _proposal_out(services.propose_teams(cycle=cycle, stage=stage, actor=request.auth))


@review_teams.post("/proposals/{proposal_id}/accept",
                   response={200: list[TeamOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
                   summary="Form the teams of a proposal")
def accept(request: HttpRequest, proposal_id: int, payload: AcceptIn) -> list[dict[str, Any]]:
    p = get_object_or_404(TeamProposal, pk=proposal_id)
    _office_cycle(request.auth, p.cycle_id)
    formed = services.accept_proposal(proposal=p, actor=request.auth, reason=payload.reason,
                                      leaders=payload.leaders or None)
    return [_team_out(t) for t in formed]


@review_teams.post("/teams/{team_id}/adjust",
                   response={200: TeamOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
                   summary="Change a team by hand, with a reason")
def adjust(request: HttpRequest, team_id: int, payload: AdjustIn) -> dict[str, Any]:
    team = get_object_or_404(Team.objects.select_related("cycle"), pk=team_id)
    cycle = _office_cycle(request.auth, team.cycle_id)
    member = (get_object_or_404(team.members, pk=payload.member_id)
              if payload.member_id is not None else None)
    expert = (get_object_or_404(Expert, pk=payload.expert_id, jurisdiction=cycle.jurisdiction)
              if payload.expert_id is not None else None)
    if payload.action in ("add", "replace") and expert is None:
        raise HttpError(400, _("请选择专家"))
    if payload.action != "add" and member is None:
        raise HttpError(400, _("请选择评审组成员"))
    if payload.action == "add":
        assert expert is not None
        services.member_add(team=team, expert=expert, actor=request.auth, reason=payload.reason)
    elif payload.action == "replace":
        assert expert is not None and member is not None
        services.member_replace(member=member, expert=expert, actor=request.auth,
                                reason=payload.reason)
    elif payload.action == "remove":
        assert member is not None
        services.member_remove(member=member, actor=request.auth, reason=payload.reason)
    elif payload.action == "leader":
        assert member is not None
        services.leader_change(member=member, actor=request.auth, reason=payload.reason)
    else:
        assert member is not None
        services.recuse_member(member, payload.reason, request.auth)
    return _team_out(Team.objects.prefetch_related("members__expert")
                     .select_related("application__applicant").get(pk=team.pk))


@review_teams.get("/tasks", response={200: list[TaskOut]},
                  summary="The reviewer's own tasks (active memberships, application in stage)")
def tasks(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"application_id": m.team.application_id,
             "applicant": m.team.application.applicant.name, "cycle_id": m.team.cycle_id,
             "stage": m.team.stage, "is_leader": m.is_leader}
            for m in services.tasks_of(request.auth)]
