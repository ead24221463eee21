"""Score sheets through the API (issue 8): a reviewer's own sheet (read, autosave, submit), the
team's spread after the reviewer's own submission, the leader's consensus, and the office's
progress of a team (who has submitted; scores only once all are in). The rules are those of
the pages (``qaward.web.review.sheets``); a reviewer must be an active member with the pledge
signed (``access.member_for``, access recorded), else 403; a team of an application the user
may not see is 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from qaward.core.criteria import format_points
from qaward.web.accounts import rules
from qaward.web.review import sheets as services
from qaward.web.review.access import member_for
from qaward.web.review.models import Sheet, Team, TeamMember

from .schemas import ErrorOut

router = Router(tags=["review"])


class ItemIn(Schema):
    percentage: int | None = None
    strengths: str | None = Field(default=None, max_length=20000)
    opportunities: str | None = Field(default=None, max_length=20000)
    evidence_notes: str | None = Field(default=None, max_length=20000)


class SheetIn(Schema):
    summary: str | None = Field(default=None, max_length=20000)
    # Only the items given are changed (autosave); ``percentage: null`` clears a score.
    items: dict[str, ItemIn] = {}


class ItemOut(Schema):
    item_id: str
    percentage: int | None
    strengths: str
    opportunities: str
    evidence_notes: str


class SheetOut(Schema):
    team_id: int
    stage: str
    criteria_id: str
    step: int
    summary: str
    submitted_at: dt.datetime | None
    items: list[ItemOut]


class SpreadOut(Schema):
    item_id: str
    mean: str  # one decimal, for display; the exact mean is a fraction
    low: int
    high: int
    spread: int
    flagged: bool
    consensus: int | None


class ProgressOut(Schema):
    expert: str
    is_leader: bool
    started: bool
    submitted_at: dt.datetime | None


class TeamProgressOut(Schema):
    team_id: int
    stage: str
    scores_open: bool
    consensus_at: dt.datetime | None
    members: list[ProgressOut]


class ConsensusIn(Schema):
    item_id: str = Field(min_length=1, max_length=40)
    percentage: int
    reason: str = Field(default="", max_length=5000)
    strengths: str = Field(default="", max_length=20000)
    opportunities: str = Field(default="", max_length=20000)


def _team(user: Any, team_id: int) -> Team:
    team = get_object_or_404(Team.objects.select_related(
        "application__cycle__jurisdiction", "application__cycle__policy",
        "application__applicant", "cycle__jurisdiction"), pk=team_id)
    # A reviewer is no staff reader (issue 8): a member of this team (active or not) gets past
    # here to ``member_for`` (403 with the reason); anyone else who may not see it gets 404.
    if not (rules.can_view_application(user, team.application)
            or team.members.filter(expert__user_id=getattr(user, "pk", None)).exists()):
        raise Http404
    return team


def _member(user: Any, team: Team, what: str) -> TeamMember:
    try:
        member = member_for(user, team.application, what=what)  # in its current stage
    except PermissionDenied as err:
        raise HttpError(403, str(err) or _("您不是该评审组的成员")) from None
    if member.team_id != team.pk:
        raise HttpError(403, _("您不是该评审组的成员"))
    return member


def _sheet_out(team: Team, sheet: Sheet) -> dict[str, Any]:
    criteria = services.criteria_for(team.application)
    rows = {r.item_id: r for r in sheet.items.all()}
    return {"team_id": team.pk, "stage": team.stage, "criteria_id": sheet.criteria_id,
            "step": criteria.step, "summary": sheet.summary, "submitted_at": sheet.submitted_at,
            "items": [{"item_id": i.id, "percentage": rows[i.id].percentage,
                       "strengths": rows[i.id].strengths,
                       "opportunities": rows[i.id].opportunities,
                       "evidence_notes": rows[i.id].evidence_notes} for i in criteria.items]}


@router.get("/teams/{team_id}/sheet", response={200: SheetOut, 403: ErrorOut, 404: ErrorOut},
            summary="The reviewer's own score sheet")
def get_sheet(request: HttpRequest, team_id: int) -> dict[str, Any]:
    team = _team(request.auth, team_id)
    member = _member(request.auth, team, f"API score sheet ({team.stage})")
    return _sheet_out(team, services.sheet_for(member))


@router.post("/teams/{team_id}/sheet",
            response={200: SheetOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
            summary="Save (autosave) part or all of the reviewer's own sheet")
def save_sheet(request: HttpRequest, team_id: int, payload: SheetIn) -> dict[str, Any]:
    """Percentages on the criteria's step grid in 0..100 (400 naming the item and the rule);
    refused once the sheet is submitted."""
    team = _team(request.auth, team_id)
    member = _member(request.auth, team, f"API score sheet ({team.stage})")
    data: dict[str, Any] = {"items": {k: v.model_dump(exclude_unset=True)
                                      for k, v in payload.items.items()}}
    if payload.summary is not None:
        data["summary"] = payload.summary
    sheet = services.sheet_save(member, data, request.auth)
    return _sheet_out(team, Sheet.objects.get(pk=sheet.pk))


@router.post("/teams/{team_id}/sheet/submit",
             response={200: SheetOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
             summary="Submit the reviewer's own sheet (once; read-only afterwards)")
def submit_sheet(request: HttpRequest, team_id: int) -> dict[str, Any]:
    team = _team(request.auth, team_id)
    member = _member(request.auth, team, f"API score sheet ({team.stage})")
    sheet = services.sheet_submit(member, request.auth)
    return _sheet_out(team, Sheet.objects.get(pk=sheet.pk))


@router.get("/teams/{team_id}/spread",
            response={200: list[SpreadOut], 403: ErrorOut, 404: ErrorOut},
            summary="Per item: mean, lowest, highest, spread, flag and consensus")
def get_spread(request: HttpRequest, team_id: int) -> list[dict[str, Any]]:
    """For a member after their own submission (independent scoring), for the office once
    every active member has submitted; 403 before."""
    team = _team(request.auth, team_id)
    if rules.is_office(request.auth, team.cycle):
        if not services.scores_open(team):
            raise HttpError(403, _("全体成员提交评分表后，评审办才能看到分数"))
    else:
        member = _member(request.auth, team, f"API team spread ({team.stage})")
        if not Sheet.objects.filter(member=member, submitted_at__isnull=False).exists():
            raise HttpError(403, _("独立评分：提交本人评分表之后，才能查看其他成员的评分。"))
    agreed = dict(team.consensus.values_list("item_id", "percentage"))
    return [{"item_id": r.item_id, "mean": format_points(r.mean), "low": r.low,
             "high": r.high, "spread": r.spread, "flagged": r.flagged,
             "consensus": agreed.get(r.item_id)} for r in services.team_spread(team)]


@router.post("/teams/{team_id}/consensus",
             response={200: list[SpreadOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
             summary="The leader records the consensus of one item")
def record_consensus(request: HttpRequest, team_id: int,
                     payload: ConsensusIn) -> list[dict[str, Any]]:
    team = _team(request.auth, team_id)
    _member(request.auth, team, f"API consensus ({team.stage})")
    services.consensus_record(team, payload.item_id, payload.percentage, payload.reason,
                              payload.strengths, payload.opportunities, request.auth)
    return get_spread(request, team_id)


@router.post("/teams/{team_id}/consensus/close",
             response={200: TeamProgressOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
             summary="The leader closes the consensus once every item has one")
def close_consensus(request: HttpRequest, team_id: int) -> dict[str, Any]:
    team = _team(request.auth, team_id)
    _member(request.auth, team, f"API consensus ({team.stage})")
    services.consensus_close(team, request.auth)
    return _progress(Team.objects.get(pk=team.pk))


def _progress(team: Team) -> dict[str, Any]:
    return {"team_id": team.pk, "stage": team.stage, "scores_open": services.scores_open(team),
            "consensus_at": team.consensus_at,
            "members": [{"expert": p.member.expert.name, "is_leader": p.member.is_leader,
                         "started": p.started, "submitted_at": p.submitted_at}
                        for p in services.team_progress(team)]}


@router.get("/teams/{team_id}/progress",
            response={200: TeamProgressOut, 403: ErrorOut, 404: ErrorOut},
            summary="Who of the team has submitted (the office; no scores)")
def get_progress(request: HttpRequest, team_id: int) -> dict[str, Any]:
    team = _team(request.auth, team_id)
    if not rules.is_office(request.auth, team.cycle):
        raise HttpError(403, _("只有评审办可以查看评分进度"))
    return _progress(team)
