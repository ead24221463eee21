"""The public notice board and objections: the same board functions as the pages
(``qaward.web.notices.board``), the same services as the objection form.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status, UploadedFile
from ninja.throttling import AnonRateThrottle
from pydantic import Field

from qaward.core.workdays import period_text
from qaward.web.clock import today as office_today
from qaward.web.common.errors import ServiceError
from qaward.web.common.uploads import evidence_problems
from qaward.web.cycles.models import Application
from qaward.web.notices import board
from qaward.web.notices import services as notice_services
from qaward.web.notices.models import Notice, Objection

from .schemas import ErrorOut, NoticeDetailOut, NoticeOut, ObjectionIn, ObjectionReceiptOut


def _notice_out(n: Notice, today: dt.date) -> dict[str, Any]:
    view = board.notice_view(n, today)
    period = period_text(n.first_counted_on, n.ends_on)
    return {"id": n.pk, "title": n.title, "jurisdiction": n.cycle.jurisdiction.code,
            "jurisdiction_name_zh": n.cycle.jurisdiction.name_zh, "cycle_id": n.cycle_id,
            "cycle_title": n.cycle.title, "stage": n.stage, "status": view.status,
            "starts_on": n.starts_on, "first_counted_on": n.first_counted_on,
            "ends_on": n.ends_on, "period_zh": period[0], "period_en": period[1],
            "counting_source": n.counting_source, "counting_basis_zh": n.counting_zh,
            "counting_basis_en": n.counting_en, "rule": n.rule,
            "article": n.article, "policy_id": n.cycle.policy.policy_id,
            "applicants": [{"application_id": pk, "name": name} for pk, name in view.names],
            "objections": {
                "regulation": view.channel.regulation, "article": view.channel.article,
                "procedure_in_regulation": view.channel.procedure_in_regulation,
                "real_name": view.channel.real_name,
                "evidence_required": view.channel.evidence_required,
                "reported_to_committee": view.channel.reported_to_committee}}


router = Router(tags=["notices"])


@router.get("", response=list[NoticeOut], auth=None,
             summary="Public notices (公示), newest first")
def list_notices(request: HttpRequest, jurisdiction: str = "",
                 status: Literal["", "current", "upcoming", "past"] = "",
                 limit: Annotated[int, Field(ge=1, le=200)] = 50,
                 offset: Annotated[int, Field(ge=0)] = 0) -> list[dict[str, Any]]:
    today = office_today()
    qs = board.notices_qs()
    if jurisdiction:
        qs = qs.filter(cycle__jurisdiction__code=jurisdiction)
    if status:
        qs = board.filter_by_status(qs, status, today)
    return [_notice_out(n, today) for n in qs[offset:offset + limit]]


@router.get("/{notice_id}", response={200: NoticeDetailOut, 404: ErrorOut}, auth=None,
             summary="One notice, with how objections are handled")
def get_notice(request: HttpRequest, notice_id: int) -> dict[str, Any]:
    return _notice_out(get_object_or_404(board.notices_qs(), pk=notice_id), office_today())


@router.post("/{notice_id}/objections",
              response={200: ObjectionReceiptOut, 201: ObjectionReceiptOut, 400: ErrorOut,
                        404: ErrorOut, 422: ErrorOut},
              auth=None, throttle=[AnonRateThrottle("30/m")],
              summary="Object to a listed applicant (实名, during the window)")
def post_objection(request: HttpRequest, notice_id: int, data: Form[ObjectionIn],
                   evidence: File[list[UploadedFile] | None] = None,
                   ) -> Status[dict[str, Any]]:
    """multipart/form-data: the fields, and ``evidence`` files (PDF, JPG, PNG, DOCX; each at
    most ``QAWARD_MAX_UPLOAD_BYTES``). Anonymous, not real-name (GB 11643 / GB 32100 check
    character, phone, name) or late objections are refused (400) with the field and article.
    An ``Idempotency-Key`` header makes a retry safe: the same key returns the objection
    already received (200) with its receipt number, not a second one. The receipt never
    echoes the objector's data."""
    notice = get_object_or_404(Notice.objects.select_related("cycle__policy",
                                                             "cycle__jurisdiction"),
                               pk=notice_id)
    if data.email.strip():
        try:
            validate_email(data.email.strip())
        except DjangoValidationError:
            raise ServiceError(_("电子邮箱格式不正确，可不填"), field="email") from None
    files = list(evidence or [])
    problems = evidence_problems(files)
    if problems:
        raise ServiceError("; ".join(problems), field="evidence")
    # The service checks real name, window and listing, in that order, with the article.
    application = Application.objects.filter(pk=data.application_id).first()
    if application is None:
        raise ServiceError(_("该申报不在本次公示名单中"), field="application_id")
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 100:
        raise ServiceError(_("Idempotency-Key 不能超过100个字符"), field="Idempotency-Key")
    known = set(Objection.objects.filter(notice=notice).values_list("pk", flat=True))
    objection = notice_services.objection_submit_with_evidence(
        notice=notice, application=application, name=data.name, id_number=data.id_number,
        phone=data.phone, statement=data.statement, email=data.email, files=files,
        idempotency_key=key)
    again = objection.pk in known  # a retry: the objection already received
    return Status(200 if again else 201, {
        "id": objection.pk, "receipt_no": objection.receipt_no, "status": objection.status,
        "detail": _("异议已受理，评审办将调查核实并告知处理结果")})

