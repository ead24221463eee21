"""The expert pool and conflicts of interest (issue 8): list a jurisdiction's experts, a
cycle's conflicts with their evidence, run the conflict check, decide a conflict. Office only
(``accounts.rules.can_manage_pool`` / ``can_decide_conflicts``): 403 for the read-only staff
of the jurisdiction, as on the pages; other jurisdictions' objects are not found."""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from qaward.web.accounts import rules
from qaward.web.accounts.models import Jurisdiction
from qaward.web.cycles.models import Cycle
from qaward.web.experts import services
from qaward.web.experts.models import Conflict, Expert

from .schemas import ErrorOut

router = Router(tags=["experts"])


class ExpertOut(Schema):
    id: int
    name: str
    employer_name: str
    employer_code: str
    title: str
    sectors: list[str]
    qualifications: list[str]
    can_lead: bool
    status: str
    disqualified_until: str | None


class ConflictOut(Schema):
    id: int
    application_id: int
    applicant: str
    expert_id: int
    expert: str
    origin: str
    relation: str
    article: str
    evidence: list[dict[str, str]]
    statement: str
    status: str
    reason: str


class DetectOut(Schema):
    pairs: int
    created: int
    updated: int
    unchanged: int
    withdrawn: int


class DecideIn(Schema):
    status: Literal["confirmed", "dismissed"]
    reason: str = Field(min_length=1, max_length=2000)


def _expert(e: Expert) -> dict[str, Any]:
    return {"id": e.pk, "name": e.name, "employer_name": e.employer_name,
            "employer_code": e.employer_code, "title": e.title, "sectors": e.sectors,
            "qualifications": e.qualifications, "can_lead": e.can_lead, "status": e.status,
            "disqualified_until": e.disqualified_until.isoformat()
            if e.disqualified_until else None}


def _conflict(c: Conflict) -> dict[str, Any]:
    return {"id": c.pk, "application_id": c.application_id,
            "applicant": c.application.applicant.name, "expert_id": c.expert_id,
            "expert": c.expert.name, "origin": c.origin, "relation": c.relation,
            "article": c.article, "evidence": c.evidence, "statement": c.statement,
            "status": c.status, "reason": c.reason}


def _office_cycle(user: Any, cycle_id: int) -> Cycle:
    cycle = get_object_or_404(Cycle.objects.select_related("jurisdiction", "policy"),
                              pk=cycle_id)
    if not rules.can_view_console(user, cycle):
        raise Http404
    if not rules.can_decide_conflicts(user, cycle):  # the read-only staff, as the pages
        raise HttpError(403, _("只有评审办可以查看和处理回避情形"))
    return cycle


@router.get("/jurisdictions/{code}",
            response={200: list[ExpertOut], 403: ErrorOut, 404: ErrorOut},
            summary="The jurisdiction's expert pool")
def list_experts(request: HttpRequest, code: str, sector: str = "",
                 status: str = "") -> list[dict[str, Any]]:
    j = get_object_or_404(Jurisdiction, code=code)
    if not rules.can_view_console(request.auth, j):
        raise Http404
    if not rules.can_manage_pool(request.auth, j):  # the read-only staff, as the pages
        raise HttpError(403, _("只有评审办可以维护专家库"))
    return [_expert(e) for e in services.experts_of(j, sector=sector, status=status)]


@router.get("/cycles/{cycle_id}/conflicts",
            response={200: list[ConflictOut], 403: ErrorOut, 404: ErrorOut},
            summary="The cycle's conflicts of interest with their evidence")
def list_conflicts(request: HttpRequest, cycle_id: int,
                   status: str = "") -> list[dict[str, Any]]:
    cycle = _office_cycle(request.auth, cycle_id)
    return [_conflict(c) for c in services.conflicts_of(cycle, status or None)]


@router.post("/cycles/{cycle_id}/conflicts/detect",
             response={200: DetectOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
             summary="Compare every available expert with every application in review")
def detect(request: HttpRequest, cycle_id: int) -> dict[str, Any]:
    """Idempotent: a second run creates nothing twice."""
    cycle = _office_cycle(request.auth, cycle_id)
    r = services.detect_conflicts(cycle, request.auth)
    return {"pairs": r.pairs, "created": r.created, "updated": r.updated,
            "unchanged": r.unchanged, "withdrawn": r.withdrawn}


@router.post("/conflicts/{conflict_id}/decide",
             response={200: ConflictOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
             summary="Confirm or dismiss a conflict, with a reason")
def decide(request: HttpRequest, conflict_id: int, payload: DecideIn) -> dict[str, Any]:
    c = get_object_or_404(Conflict.objects.select_related("cycle__jurisdiction"),
                          pk=conflict_id)
    _office_cycle(request.auth, c.cycle_id)
    c = services.conflict_decide(conflict=c, actor=request.auth, status=payload.status,
                                 reason=payload.reason)
    return _conflict(Conflict.objects.select_related("application__applicant", "expert")
                     .get(pk=c.pk))
