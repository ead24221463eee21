"""What the applicant portal does, as an API: the user's own applications, creating one,
the eligibility profile, uploading the report and evidence (multipart), submitting (with the
version read), answering an invitation. Each calls the same service as the portal's page;
appeals are in ``appeals.py``."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from pydantic import Field

from qaward.web.accounts import rules
from qaward.web.common.errors import ServiceError
from qaward.web.cycles import services as cycle_services
from qaward.web.cycles.models import Applicant, Application, Cycle
from qaward.web.recommendations import services as rec_services
from qaward.web.recommendations.models import Invitation

from .cycles import _application_detail, _application_out
from .schemas import ApplicationDetailOut, ApplicationOut, ErrorOut

portal = Router(tags=["portal"])


class ApplicationCreateIn(Schema):
    cycle_id: int
    applicant_id: int
    track: str = Field(min_length=1, max_length=20)


class ProfileIn(Schema):
    profile: dict[str, Any]


class SubmitIn(Schema):
    expected_version: int = Field(ge=1)


class DocumentOut(Schema):
    id: int
    kind: str
    name: str
    report_chars: int | None = None


class InvitationOut(Schema):
    id: int
    cycle_id: int
    applicant_id: int
    accepted: bool
    declined: bool


def _own(user: Any, application_id: int) -> Application:
    app = get_object_or_404(Application.objects.select_related(
        "cycle__jurisdiction", "cycle__policy", "applicant"), pk=application_id)
    if not rules.is_own_applicant(user, app):
        raise Http404
    return app


def _editable(user: Any, application_id: int) -> Application:
    app = _own(user, application_id)
    if not rules.can_edit_application(user, app):
        raise HttpError(403, "申报已提交，不能再修改；如需修改，须由评审办退回补正 / The "
                             "application is submitted: only the office can return it")
    return app


@portal.get("/applications", response=list[ApplicationOut],
            summary="Your own applications (as an applicant)")
def my_applications(request: HttpRequest) -> list[dict[str, Any]]:
    ids = rules.applicant_ids(request.auth)
    apps = Application.objects.filter(applicant_id__in=ids).select_related(
        "cycle__policy", "applicant").order_by("-pk")
    return [_application_out(a) for a in apps]


@portal.post("/applications", response={201: ApplicationDetailOut, 400: ErrorOut, 404: ErrorOut},
             summary="Create an application for one of your applicants")
def create_application(request: HttpRequest,
                       payload: ApplicationCreateIn) -> Status[dict[str, Any]]:
    user = request.auth
    applicant = get_object_or_404(Applicant, pk=payload.applicant_id)
    cycle = get_object_or_404(Cycle, pk=payload.cycle_id)
    if applicant.pk not in rules.applicant_ids(user, cycle.jurisdiction_id):
        raise Http404
    if applicant.invitations.filter(cycle=cycle, accepted_at__isnull=True,
                                    declined_at__isnull=True).exists():
        raise ServiceError("请先答复推荐邀请，确认申报意愿后再填写申报 / Answer the "
                           "invitation first", field="invitation")
    app = cycle_services.application_create(cycle=cycle, applicant=applicant,
                                            track=payload.track, actor=user)
    return Status(201, _application_detail(user, app))


@portal.post("/applications/{application_id}/profile",
            response={200: ApplicationDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
            summary="Replace the eligibility profile of the application's applicant")
def update_profile(request: HttpRequest, application_id: int,
                   payload: ProfileIn) -> dict[str, Any]:
    app = _editable(request.auth, application_id)
    cycle_services.applicant_profile_update(applicant=app.applicant, actor=request.auth,
                                            profile=payload.profile)
    app.applicant.refresh_from_db()
    return _application_detail(request.auth, app)


@portal.post("/applications/{application_id}/documents",
             response={201: DocumentOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
             summary="Upload the self-assessment report or evidence (multipart)")
def upload_document(request: HttpRequest, application_id: int, kind: Form[str],
                    file: File[UploadedFile]) -> Status[dict[str, Any]]:
    """``kind``: ``report`` (.docx or .pdf, its 字数 counted) or another evidence kind the
    portal offers; the one upload checker refuses a wrong type, size or content (400)."""
    app = _editable(request.auth, application_id)
    doc = cycle_services.document_add(application=app, actor=request.auth, kind=kind,
                                      upload=file)
    return Status(201, {"id": doc.pk, "kind": doc.kind, "name": doc.original_name,
                        "report_chars": cycle_services.report_chars(app)
                        if kind == "report" else None})


@portal.post("/applications/{application_id}/submit",
             response={200: ApplicationDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                       409: ErrorOut},
             summary="Submit the application (with the version you read)")
def submit_application(request: HttpRequest, application_id: int,
                       payload: SubmitIn) -> dict[str, Any]:
    """Checks the window, the report's 字数 and the profile, pins the policy; 409 when the
    application changed since you read ``version``."""
    app = _editable(request.auth, application_id)
    app = cycle_services.application_submit(
        application=app, actor=request.auth, expected_version=payload.expected_version,
        report_chars=cycle_services.report_chars(app))
    return _application_detail(request.auth, app)


@portal.post("/invitations/{invitation_id}/{answer}",
             response={200: InvitationOut, 400: ErrorOut, 404: ErrorOut},
             summary="Accept or decline an invitation to apply (answer: accept | decline)")
def respond_invitation(request: HttpRequest, invitation_id: int,
                       answer: str) -> dict[str, Any]:
    inv = get_object_or_404(Invitation.objects.select_related("cycle"), pk=invitation_id)
    if inv.applicant_id not in rules.applicant_ids(request.auth, inv.jurisdiction_id) or \
            answer not in ("accept", "decline"):
        raise Http404
    inv = rec_services.invitation_respond(invitation=inv, actor=request.auth,
                                          accept=answer == "accept")
    return {"id": inv.pk, "cycle_id": inv.cycle_id, "applicant_id": inv.applicant_id,
            "accepted": inv.accepted_at is not None, "declined": inv.declined_at is not None}
