"""The REST API (django-ninja), mounted at /api/: OpenAPI schema at /api/openapi.json, docs
at /api/docs.

Authentication
    Integrations send ``Authorization: Bearer <token>``. A token is a signed value
    (``django.core.signing``, salted, timestamped) naming a user; issue one with
    :func:`issue_token`::

        from django.contrib.auth.models import User
        from qaward.web.awards.api import issue_token
        print(issue_token(User.objects.get(username="office")))

    No table is needed. A token stops working when it is older than
    ``settings.QAWARD_API_TOKEN_MAX_AGE`` seconds (default one year), when the user is
    deactivated, when the user's password changes, or when ``SECRET_KEY`` changes.
    Browsers may use their session instead (CSRF token required for writes).

Permissions are those of the UI: office staff, auditors, reviewers and committee members see
the applications of their own jurisdiction; applicants only their own; only the office moves
an application. Objects of another jurisdiction are reported as not found (404), never as
forbidden, so their existence does not leak. Notices and objections are public.

Every error is JSON ``{"detail": ..., "field": ..., "article": ...}``: 400 for a refusal of
the rules (with the article), 401/403/404, 409 for a stale ``expected_version``, 422 for a
malformed request; never a stack trace.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import cache
from typing import Annotated, Any, Literal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.crypto import constant_time_compare, salted_hmac
from ninja import File, Form, NinjaAPI, Router, Schema, Status, UploadedFile
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import AnonRateThrottle
from pydantic import Field

from qaward.core.eligibility import parse_profile, screener
from qaward.core.errors import ConfigurationRequired, ProfileError, QawardError, UnknownPolicy
from qaward.core.policy import load_policy
from qaward.core.policy.inspect import flatten
from qaward.core.workflow import RETURNED, SUBMITTED, allowed_targets, states
from qaward.web.clock import today as office_today

from . import public_views as board
from . import rules, services
from .models import (
    Application,
    AuditEvent,
    Cycle,
    EligibilityDecision,
    Notice,
    PolicyVersion,
)
from .services import ServiceError, StaleVersion

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# Tokens

TOKEN_SALT = "qaward.api.token"
DEFAULT_TOKEN_MAX_AGE = 365 * 24 * 3600


def _password_fingerprint(user: Any) -> str:
    """Changes when the password changes, so a new password revokes the old tokens."""
    return salted_hmac(TOKEN_SALT, user.password or "").hexdigest()[:20]


def issue_token(user: Any) -> str:
    """A bearer token for ``user``, for integrations: ``Authorization: Bearer <token>``.

    Valid for ``settings.QAWARD_API_TOKEN_MAX_AGE`` seconds (default 365 days); revoked by
    deactivating the user or changing their password. The token grants exactly the user's
    roles, as the browser session would.
    """
    if not getattr(user, "pk", None):
        raise ValueError("a token can only be issued for a saved user")
    return signing.dumps({"u": user.pk, "p": _password_fingerprint(user)}, salt=TOKEN_SALT)


def user_for_token(token: str) -> Any | None:
    """The active user a valid, unexpired token names, or None."""
    max_age = int(getattr(settings, "QAWARD_API_TOKEN_MAX_AGE", DEFAULT_TOKEN_MAX_AGE))
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or not constant_time_compare(str(data.get("p", "")),
                                                 _password_fingerprint(user)):
        return None
    return user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


AUTH = [TokenAuth(), SessionAuth()]

api = NinjaAPI(
    title="qaward API",
    version="1",
    description="质量奖评审管理接口 / Quality award management. Errors are "
                '`{"detail", "field", "article"}`; see the module documentation of '
                "`qaward.web.awards.api` for tokens.",
    auth=AUTH,
    urls_namespace="api",
)

# ---------------------------------------------------------------------------------------------
# Errors: always {"detail", "field", "article"}


def error_body(detail: str, *, field: str | None = None,
               article: str | None = None) -> dict[str, Any]:
    return {"detail": detail, "field": field, "article": article}


@api.exception_handler(ServiceError)
def _on_service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    status = 409 if isinstance(exc, StaleVersion) else 400
    return api.create_response(request, error_body(str(exc), field=exc.field,
                                                   article=exc.article), status=status)


@api.exception_handler(QawardError)
def _on_qaward_error(request: HttpRequest, exc: QawardError) -> HttpResponse:
    status = 404 if isinstance(exc, UnknownPolicy) else 400
    return api.create_response(request, error_body(
        str(exc), field=getattr(exc, "field", None), article=getattr(exc, "article", None)),
        status=status)


@api.exception_handler(Http404)
def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body("未找到，或您无权查看 / Not found"),
                               status=404)


@api.exception_handler(HttpError)
def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc)
    if isinstance(exc, AuthenticationError) and detail == "Unauthorized":
        detail = ("请登录，或提供有效的访问令牌（Authorization: Bearer …） / "
                  "Authentication required: log in or send a valid bearer token")
    return api.create_response(request, error_body(detail), status=exc.status_code)


@api.exception_handler(ValidationError)
def _on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems, field = [], None
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "form",
                                                                 "file", "payload", "data")]
        where = ".".join(loc) or "request"
        field = field or (loc[-1] if loc else None)
        problems.append(f"{where}: {err.get('msg', 'invalid')}")
    return api.create_response(request, error_body(
        "请求数据有误 / Invalid request: " + "; ".join(problems), field=field), status=422)


@api.exception_handler(Exception)
def _on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return api.create_response(request, error_body(
        "服务器内部错误，请稍后重试或联系管理员 / Internal error"), status=500)



# ---------------------------------------------------------------------------------------------
# Permissions: the UI's predicates (rules.py), so the API cannot grant more than the UI.


def _own_applications_q(user: Any, cycle: Cycle) -> Q:
    """As a filter: the applications ``rules.is_own_applicant | is_recommending_department``
    lets a non-staff user see in the cycle's jurisdiction."""
    q = Q(applicant_id__in=rules.applicant_ids(user, cycle.jurisdiction_id))
    dept = rules.department_id(user, cycle)
    if dept is not None:
        q |= Q(recommendation__department_id=dept) | Q(
            recommendation__isnull=True, state__in=rules.AWAITING_RECOMMENDATION)
    return q


def _visible_application(user: Any, application_id: int) -> Application:
    app = get_object_or_404(Application.objects.select_related(
        "cycle__jurisdiction", "cycle__policy", "applicant"), pk=application_id)
    if not rules.can_view_application(user, app):
        raise Http404
    return app


def _visible_cycle(user: Any, cycle_id: int) -> Cycle:
    """Any role in the cycle's jurisdiction sees the cycle; others get 404."""
    cycle = get_object_or_404(Cycle.objects.select_related("jurisdiction", "policy"),
                              pk=cycle_id)
    if not rules.roles_in(user, cycle):
        raise Http404
    return cycle


# ---------------------------------------------------------------------------------------------
# Schemas


class ErrorOut(Schema):
    detail: str
    field: str | None = None
    article: str | None = None


class RuleOut(Schema):
    key: str
    value: str
    article: str | None  # None only for the policy's identity (id, names, schema version)


class StageOut(Schema):
    id: str
    kind: str
    name_zh: str
    name_en: str
    public_name_zh: str
    public_name_en: str
    article: str | None


class PolicyOut(Schema):
    id: str
    jurisdiction: str
    jurisdiction_name_zh: str
    title_zh: str
    award_name_zh: str
    award_name_en: str
    in_force_from: dt.date | None
    in_force_until: dt.date | None
    in_force_article: str


class PolicyDetailOut(PolicyOut):
    stages: list[StageOut]
    rules: list[RuleOut]


class CycleOut(Schema):
    id: int
    jurisdiction: str
    jurisdiction_name_zh: str
    policy_id: str
    year: int
    title: str
    opened_on: dt.date
    applications_close_on: dt.date
    status: str
    stages: list[StageOut]


class ApplicationOut(Schema):
    id: int
    cycle_id: int
    applicant_id: int
    applicant_name: str
    track: str
    state: str
    state_name_zh: str
    state_name_en: str
    public_state_name_zh: str
    public_state_name_en: str
    version: int
    submitted_at: dt.datetime | None
    pinned_policy_id: str


class ApplicationPage(Schema):
    count: int
    items: list[ApplicationOut]


class EventOut(Schema):
    seq: int
    at: dt.datetime
    actor: str | None
    action: str
    from_state: str
    to_state: str
    reason: str
    article: str


class DecisionOut(Schema):
    engine_verdict: str
    decision: str
    reason: str
    decided_at: dt.datetime
    signed_off: bool


class ApplicationDetailOut(ApplicationOut):
    allowed_targets: list[str]
    fast_track: bool
    report_chars: int | None
    engine_result: dict[str, Any] | None
    eligibility_decision: DecisionOut | None
    history: list[EventOut]


class TransitionIn(Schema):
    target: str = Field(min_length=1, max_length=40)
    reason: str = Field("", max_length=5000)
    expected_version: int = Field(ge=1)


class ObjectionChannelOut(Schema):
    regulation: str
    article: str
    procedure_in_regulation: bool
    real_name: bool
    evidence_required: bool
    reported_to_committee: bool


class ListedOut(Schema):
    application_id: int
    name: str


class NoticeOut(Schema):
    id: int
    title: str
    jurisdiction: str
    jurisdiction_name_zh: str
    cycle_id: int
    cycle_title: str
    stage: str
    status: Literal["current", "upcoming", "past"]
    starts_on: dt.date
    ends_on: dt.date
    rule: str
    article: str
    policy_id: str
    applicants: list[ListedOut]


class NoticeDetailOut(NoticeOut):
    objections: ObjectionChannelOut


class ObjectionIn(Schema):
    """Real name (实名) is required by the service, which refuses with the article."""

    application_id: int
    name: str = Field("", max_length=200)
    id_number: str = Field("", max_length=32)
    phone: str = Field("", max_length=32)
    email: str = Field("", max_length=254)
    statement: str = Field("", max_length=20000)


class ObjectionReceiptOut(Schema):
    id: int
    status: str
    detail: str


class ScreenIn(Schema):
    policy: str = Field(min_length=1, max_length=64)
    on: dt.date | None = None
    profiles: list[dict[str, Any]] = Field(max_length=5000)


class ScreenRecordError(Schema):
    index: int
    record: str
    problems: list[str]


class ScreenOut(Schema):
    policy: str
    on: dt.date
    eligible: int
    ineligible: int
    results: list[dict[str, Any]]
    errors: list[ScreenRecordError]


# ---------------------------------------------------------------------------------------------
# Builders


def _stages(policy_id: str, *, review_only: bool = True) -> list[StageOut]:
    policy = load_policy(policy_id)
    return [StageOut(id=s.id, kind=s.kind, name_zh=s.name_zh, name_en=s.name_en,
                     public_name_zh=s.public_name_zh, public_name_en=s.public_name_en,
                     article=s.cite)
            for s in states(policy) if not review_only or s.kind in ("review", "notice")]


def _policy_out(pv: PolicyVersion) -> dict[str, Any]:
    p = load_policy(pv.policy_id)
    return {"id": pv.policy_id, "jurisdiction": pv.jurisdiction.code,
            "jurisdiction_name_zh": pv.jurisdiction.name_zh, "title_zh": pv.title_zh,
            "award_name_zh": p.award_name_zh, "award_name_en": p.award_name_en,
            "in_force_from": pv.in_force_from, "in_force_until": pv.in_force_until,
            "in_force_article": p.in_force.cite}


def _cycle_out(c: Cycle) -> dict[str, Any]:
    return {"id": c.pk, "jurisdiction": c.jurisdiction.code,
            "jurisdiction_name_zh": c.jurisdiction.name_zh, "policy_id": c.policy.policy_id,
            "year": c.year, "title": c.title, "opened_on": c.opened_on,
            "applications_close_on": c.applications_close_on, "status": c.status,
            "stages": _stages(c.policy.policy_id)}


@cache
def _state_table(policy_id: str) -> dict[str, tuple[str, str, str, str]]:
    """State id -> (name zh, name en, public name zh, public name en); policies are frozen."""
    return {s.id: (s.name_zh, s.name_en, s.public_name_zh, s.public_name_en)
            for s in states(load_policy(policy_id))}


def _state_names(policy_id: str, state_id: str) -> tuple[str, str, str, str]:
    return _state_table(policy_id).get(state_id, (state_id,) * 4)


def _application_out(a: Application) -> dict[str, Any]:
    zh, en, pub_zh, pub_en = _state_names(a.cycle.policy.policy_id, a.state)
    return {"id": a.pk, "cycle_id": a.cycle_id, "applicant_id": a.applicant_id,
            "applicant_name": a.applicant.name, "track": a.track, "state": a.state,
            "state_name_zh": zh, "state_name_en": en, "public_state_name_zh": pub_zh,
            "public_state_name_en": pub_en, "version": a.version,
            "submitted_at": a.submitted_at, "pinned_policy_id": a.pinned_policy_id}


def _notice_out(n: Notice, today: dt.date) -> dict[str, Any]:
    view = board.notice_view(n, today)
    return {"id": n.pk, "title": n.title, "jurisdiction": n.cycle.jurisdiction.code,
            "jurisdiction_name_zh": n.cycle.jurisdiction.name_zh, "cycle_id": n.cycle_id,
            "cycle_title": n.cycle.title, "stage": n.stage, "status": view.status,
            "starts_on": n.starts_on, "ends_on": n.ends_on, "rule": n.rule,
            "article": n.article, "policy_id": n.cycle.policy.policy_id,
            "applicants": [{"application_id": pk, "name": name} for pk, name in view.names],
            "objections": {
                "regulation": view.channel.regulation, "article": view.channel.article,
                "procedure_in_regulation": view.channel.procedure_in_regulation,
                "real_name": view.channel.real_name,
                "evidence_required": view.channel.evidence_required,
                "reported_to_committee": view.channel.reported_to_committee}}


# ---------------------------------------------------------------------------------------------
# Policies

policies = Router(tags=["policies"])


@policies.get("", response=list[PolicyOut], summary="The regulation versions")
def list_policies(request: HttpRequest) -> list[dict[str, Any]]:
    return [_policy_out(pv) for pv in
            PolicyVersion.objects.select_related("jurisdiction").order_by("policy_id")]


@policies.get("/{policy_id}", response={200: PolicyDetailOut, 404: ErrorOut},
              summary="One regulation version: every rule with its article")
def get_policy(request: HttpRequest, policy_id: str) -> dict[str, Any]:
    pv = get_object_or_404(PolicyVersion.objects.select_related("jurisdiction"),
                           policy_id=policy_id)
    out = _policy_out(pv)
    out["stages"] = _stages(pv.policy_id, review_only=False)
    out["rules"] = [{"key": r.key, "value": r.value, "article": r.cite or None}
                    for r in flatten(load_policy(pv.policy_id)).values()]
    return out


# ---------------------------------------------------------------------------------------------
# Notices and objections (public)

notices = Router(tags=["notices"])


@notices.get("", response=list[NoticeOut], auth=None,
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


@notices.get("/{notice_id}", response={200: NoticeDetailOut, 404: ErrorOut}, auth=None,
             summary="One notice, with how objections are handled")
def get_notice(request: HttpRequest, notice_id: int) -> dict[str, Any]:
    return _notice_out(get_object_or_404(board.notices_qs(), pk=notice_id), office_today())


@notices.post("/{notice_id}/objections",
              response={201: ObjectionReceiptOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
              auth=None, throttle=[AnonRateThrottle("30/m")],
              summary="Object to a listed applicant (实名, during the window)")
def post_objection(request: HttpRequest, notice_id: int, data: Form[ObjectionIn],
                   evidence: File[list[UploadedFile] | None] = None,
                   ) -> Status[dict[str, Any]]:
    """multipart/form-data: the fields, and ``evidence`` files (PDF, JPG, PNG, DOCX; each at
    most ``QAWARD_MAX_UPLOAD_BYTES``). Anonymous or late objections are refused (400) with
    the article. The receipt never echoes the objector's data."""
    notice = get_object_or_404(Notice.objects.select_related("cycle__policy",
                                                             "cycle__jurisdiction"),
                               pk=notice_id)
    if data.email.strip():
        try:
            validate_email(data.email.strip())
        except DjangoValidationError:
            raise ServiceError("电子邮箱格式不正确，可不填", field="email") from None
    files = list(evidence or [])
    problems = board.evidence_problems(files)
    if problems:
        raise ServiceError("; ".join(problems), field="evidence")
    # The service checks real name, window and listing, in that order, with the article.
    application = Application.objects.filter(pk=data.application_id).first()
    if application is None:
        raise ServiceError("该申报不在本次公示名单中", field="application_id")
    objection = board.objection_submit_with_evidence(
        notice=notice, application=application, name=data.name, id_number=data.id_number,
        phone=data.phone, statement=data.statement, email=data.email, files=files)
    return Status(201, {
        "id": objection.pk, "status": objection.status,
        "detail": "异议已受理，评审办将调查核实并告知处理结果 / Objection received"})


# ---------------------------------------------------------------------------------------------
# Cycles and applications

cycles = Router(tags=["cycles"])


@cycles.get("", response=list[CycleOut], summary="Cycles of the jurisdictions you belong to")
def list_cycles(request: HttpRequest) -> list[dict[str, Any]]:
    jurisdictions = {g.jurisdiction_id for g in rules.grants(request.auth)}
    qs = (Cycle.objects.filter(jurisdiction_id__in=jurisdictions)
          .select_related("jurisdiction", "policy").order_by("-year", "pk"))
    return [_cycle_out(c) for c in qs]


@cycles.get("/{cycle_id}/applications", response={200: ApplicationPage, 404: ErrorOut},
            summary="Applications of a cycle (office, auditors, reviewers, committee: all; "
                    "applicants: their own)")
def list_applications(request: HttpRequest, cycle_id: int, state: str = "",
                      limit: Annotated[int, Field(ge=1, le=1000)] = 100,
                      offset: Annotated[int, Field(ge=0)] = 0) -> dict[str, Any]:
    cycle = _visible_cycle(request.auth, cycle_id)
    qs = (Application.objects.filter(cycle=cycle)
          .select_related("applicant", "cycle__policy").order_by("pk"))
    if not rules.is_staff_reader(request.auth, cycle):
        qs = qs.filter(_own_applications_q(request.auth, cycle)).distinct()
    if state:
        qs = qs.filter(state=state)
    return {"count": qs.count(),
            "items": [_application_out(a) for a in qs[offset:offset + limit]]}


applications = Router(tags=["applications"])


def _application_detail(user: Any, app: Application) -> dict[str, Any]:
    staff = rules.is_staff_reader(user, app)
    out = _application_out(app)
    events = AuditEvent.objects.filter(entity="application", entity_id=str(app.pk))
    if not staff:  # applicants and departments see the moves, with reasons and articles
        events = events.filter(action="transition")
    out["history"] = [
        {"seq": e.seq, "at": e.at, "actor": e.actor_label if staff else None,
         "action": e.action, "from_state": e.from_state, "to_state": e.to_state,
         "reason": e.reason, "article": e.article} for e in events.order_by("seq")]
    decision = EligibilityDecision.objects.filter(application=app).first() if staff else None
    out["eligibility_decision"] = None if decision is None else {
        "engine_verdict": decision.engine_verdict, "decision": decision.decision,
        "reason": decision.reason, "decided_at": decision.decided_at,
        "signed_off": decision.signed_off_at is not None}
    out["engine_result"] = app.engine_result if staff else None
    out["fast_track"] = app.fast_track
    out["report_chars"] = app.report_chars
    out["allowed_targets"] = (list(allowed_targets(load_policy(app.cycle.policy.policy_id),
                                                   app.state))
                              if rules.can_act_on_application(user, app) else [])
    return out


@applications.get("/{application_id}", response={200: ApplicationDetailOut, 404: ErrorOut},
                  summary="One application with its history and the engine's result")
def get_application(request: HttpRequest, application_id: int) -> dict[str, Any]:
    app = _visible_application(request.auth, application_id)
    return _application_detail(request.auth, app)


@applications.post("/{application_id}/transition",
                   response={200: ApplicationDetailOut, 400: ErrorOut, 403: ErrorOut,
                             404: ErrorOut, 409: ErrorOut},
                   summary="Move an application to another state (office only)")
def transition_application(request: HttpRequest, application_id: int,
                           payload: TransitionIn) -> dict[str, Any]:
    """``expected_version`` is the version you read: if someone changed the application
    since, the answer is 409 and nothing changes. Refusals of the policy are 400 with the
    article. Submission belongs to the applicant; leaving eligibility review follows the
    recorded decision (and the office head's sign-off when it overrides the engine)."""
    user = request.auth
    app = _visible_application(user, application_id)
    if not rules.can_act_on_application(user, app):
        raise HttpError(403, "只有评审办工作人员可以变更申报状态 / Only the award office "
                             "can move an application")
    target = payload.target
    if target == SUBMITTED:
        raise ServiceError("申报须由申报方提交（提交时核对报告字数并冻结申报信息），"
                           "评审办不能代为提交", field="target")
    if target == RETURNED:
        services.application_return(application=app, actor=user, reason=payload.reason,
                                     expected_version=payload.expected_version)
    elif app.state == "eligibility" and target != "withdrawn":
        with transaction.atomic():
            moved = services.eligibility_conclude(
                application=app, actor=user, expected_version=payload.expected_version)
            if moved.state != target:
                zh = _state_names(app.cycle.policy.policy_id, moved.state)[0]
                raise ServiceError(f"按已作出的资格审查结论，该申报应进入“{zh}”（{moved.state}），"
                                   f"而不是 {target}", field="target")
    else:
        services.application_transition(application=app, target=target, actor=user,
                                        reason=payload.reason,
                                        expected_version=payload.expected_version)
    app.refresh_from_db()
    return _application_detail(user, app)


# ---------------------------------------------------------------------------------------------
# Screening (pure engine)

screening = Router(tags=["screening"])


@screening.post("", response={200: ScreenOut, 400: ErrorOut, 404: ErrorOut},
                summary="Screen applicant profiles under a policy on a date (资格审查)")
def screen(request: HttpRequest, payload: ScreenIn) -> dict[str, Any]:
    """The eligibility engine only: nothing is stored. Profiles use the field names of
    docs/conventions.md; a malformed record is reported in ``errors`` with its index and
    never stops the others. ``on`` defaults to today (Asia/Shanghai)."""
    try:
        policy = load_policy(payload.policy)
    except UnknownPolicy as err:
        raise ServiceError(str(err), field="policy") from None
    on = payload.on or office_today()
    engine = screener(policy, on)  # refuses a date outside the period in force, cited
    results: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for i, raw in enumerate(payload.profiles):
        try:
            results.append(engine.screen(parse_profile(raw, i)).to_json())
        except ProfileError as err:
            errors.append({"index": i, "record": err.record, "problems": err.problems})
        except ConfigurationRequired as err:
            errors.append({"index": i, "record": f"#{i + 1}", "problems": [str(err)]})
    eligible = sum(r["verdict"] == "eligible" for r in results)
    return {"policy": policy.id, "on": on, "eligible": eligible,
            "ineligible": len(results) - eligible, "results": results, "errors": errors}


api.add_router("/policies", policies)
api.add_router("/notices", notices)
api.add_router("/cycles", cycles)
api.add_router("/applications", applications)
api.add_router("/screen", screening)
