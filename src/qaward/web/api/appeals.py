"""Appeals (申诉/复核): the applicant files one against an eligibility or shortlist decision,
the policy's decider (never the one who decided) decides it (``appeals.services``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field

from qaward.web.accounts import rules
from qaward.web.appeals import services
from qaward.web.appeals.models import Appeal
from qaward.web.cycles.models import Application

from .schemas import ErrorOut

appeals = Router(tags=["appeals"])


class AppealIn(Schema):
    reason: str = Field(min_length=1, max_length=5000)


class AppealDecideIn(Schema):
    upheld: bool
    findings: str = Field(min_length=1, max_length=5000)


class AppealOut(Schema):
    id: int
    application_id: int
    decision: str
    refused_state: str
    refused_from: str
    notified_on: dt.date
    deadline: dt.date
    reason: str
    status: str
    findings: str
    article: str


def _out(a: Appeal) -> dict[str, Any]:
    return {"id": a.pk, "application_id": a.application_id, "decision": a.decision,
            "refused_state": a.refused_state, "refused_from": a.refused_from,
            "notified_on": a.notified_on, "deadline": a.deadline, "reason": a.reason,
            "status": a.status, "findings": a.findings, "article": a.article}


def _application(user: Any, application_id: int) -> Application:
    app = get_object_or_404(Application.objects.select_related(
        "cycle__jurisdiction", "cycle__policy", "applicant"), pk=application_id)
    if not rules.can_view_application(user, app):
        raise Http404
    return app


@appeals.get("/applications/{application_id}", response={200: list[AppealOut], 404: ErrorOut},
             summary="The appeals of an application")
def list_appeals(request: HttpRequest, application_id: int) -> list[dict[str, Any]]:
    app = _application(request.auth, application_id)
    return [_out(a) for a in app.appeals.order_by("pk")]


@appeals.post("/applications/{application_id}",
              response={201: AppealOut, 400: ErrorOut, 404: ErrorOut},
              summary="File an appeal against the decision that refused the application")
def file_appeal(request: HttpRequest, application_id: int,
                payload: AppealIn) -> Status[dict[str, Any]]:
    """Only the applicant; within the policy's time limit from the notification of the
    decision (400 with the article when late, or when the regulation provides no appeal or
    leaves the time limit to the office's configuration)."""
    app = _application(request.auth, application_id)
    a = services.appeal_file(application=app, actor=request.auth, reason=payload.reason)
    return Status(201, _out(a))


@appeals.post("/{appeal_id}/decide",
              response={200: AppealOut, 400: ErrorOut, 404: ErrorOut},
              summary="Decide an appeal (the policy's decider, not the one who decided)")
def decide_appeal(request: HttpRequest, appeal_id: int,
                  payload: AppealDecideIn) -> dict[str, Any]:
    """Upheld: the application returns to the stage that refused it; dismissed: it stays."""
    a = get_object_or_404(Appeal.objects.select_related("application__cycle__jurisdiction"),
                          pk=appeal_id)
    if not (rules.can_view_application | rules.reads_application_as_staff)(request.auth,
                                                                           a.application):
        raise Http404
    return _out(services.appeal_decide(appeal=a, actor=request.auth, upheld=payload.upheld,
                                       findings=payload.findings))
