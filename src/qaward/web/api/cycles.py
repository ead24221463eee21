"""Cycles, their applications (with the UI's permissions: ``accounts.rules``), moving an
application (``cycles.services``) and the pure eligibility screening.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError
from pydantic import Field

from qaward.core.eligibility import parse_profile, screener
from qaward.core.errors import ConfigurationRequired, ProfileError, UnknownPolicy
from qaward.core.policy import load_policy
from qaward.core.workflow import allowed_targets
from qaward.web.accounts import rules
from qaward.web.audit.models import AuditEvent
from qaward.web.clock import today as office_today
from qaward.web.common.errors import ServiceError
from qaward.web.common.templatetags.qaward import person
from qaward.web.cycles import services as cycle_services
from qaward.web.cycles.models import Application, Cycle, EligibilityDecision
from qaward.web.policies.services import policy_of

from .schemas import (
    ApplicationDetailOut,
    ApplicationPage,
    CycleOut,
    ErrorOut,
    FindingIn,
    ManualChecksOut,
    ScreenIn,
    ScreenOut,
    TransitionIn,
    stages,
    state_names,
)


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


def _cycle_out(c: Cycle) -> dict[str, Any]:
    return {"id": c.pk, "jurisdiction": c.jurisdiction.code,
            "jurisdiction_name_zh": c.jurisdiction.name_zh, "policy_id": c.policy.policy_id,
            "year": c.year, "title": c.title, "opened_on": c.opened_on,
            "applications_close_on": c.applications_close_on, "status": c.status,
            "open_for_applications": cycle_services.cycle_open_today(c),
            "stages": stages(policy_of(c))}


def _application_out(a: Application) -> dict[str, Any]:
    zh, en, pub_zh, pub_en = state_names(a.cycle.policy, a.state)
    return {"id": a.pk, "cycle_id": a.cycle_id, "applicant_id": a.applicant_id,
            "applicant_name": a.applicant.name, "track": a.track, "state": a.state,
            "state_name_zh": zh, "state_name_en": en, "public_state_name_zh": pub_zh,
            "public_state_name_en": pub_en, "version": a.version,
            "submitted_at": a.submitted_at, "pinned_policy_id": a.pinned_policy_id}


cycles = Router(tags=["cycles"])


@cycles.get("", response=list[CycleOut], summary="Cycles of the jurisdictions you belong to")
def list_cycles(request: HttpRequest) -> list[dict[str, Any]]:
    jurisdictions = {g.jurisdiction_id for g in rules.grants(request.auth)}
    qs = (Cycle.objects.filter(jurisdiction_id__in=jurisdictions)
          .select_related("jurisdiction", "policy").order_by("-year", "pk"))
    return [_cycle_out(c) for c in qs]


@cycles.get("/{cycle_id}/applications", response={200: ApplicationPage, 404: ErrorOut},
            summary="Applications of a cycle (office, auditors, committee: all; "
                    "applicants: their own; reviewers: none, see /api/review/tasks)")
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
    out["allowed_targets"] = (list(allowed_targets(policy_of(app.cycle),
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
        raise HttpError(403, _("只有评审办工作人员可以变更申报状态"))
    cycle_services.application_move(application=app, target=payload.target, actor=user,
                                    reason=payload.reason,
                                    expected_version=payload.expected_version)
    app.refresh_from_db()
    return _application_detail(user, app)


def _manual_checks(app: Application) -> dict[str, Any]:
    basis = cycle_services.eligibility_basis(app)
    on = (app.engine_result or {}).get("on")
    checks = []
    for m in basis.checks:
        key = cycle_services.check_key(m)
        f = basis.findings.get(key)
        checks.append({
            "key": key, "rule": str(m.get("rule") or ""), "article": str(m.get("article") or ""),
            "text_zh": str(m.get("text_zh") or ""), "text_en": str(m.get("text_en") or ""),
            "finding": None if f is None else {
                "met": f.met, "note": f.note, "recorded_by": person(f.recorded_by),
                "recorded_at": f.recorded_at, "screened_on": f.screened_on,
                "text_zh": f.text_zh, "text_en": f.text_en}})
    return {"application_id": app.pk, "screened_on": on,
            "screening_verdict": basis.screening or None,
            "engine_verdict": basis.verdict or None,
            "not_met_articles": basis.not_met_articles,
            "missing": [cycle_services.check_key(m) for m in basis.missing],
            "checks": checks}


@applications.get("/{application_id}/manual-checks",
                  response={200: ManualChecksOut, 403: ErrorOut, 404: ErrorOut},
                  summary="The manual checks of the current screening with the office's "
                          "findings (staff)")
def list_manual_checks(request: HttpRequest, application_id: int) -> dict[str, Any]:
    """Staff of the application's jurisdiction (office, head, auditors, reviewers, the
    committee) read the checks; 403 for an applicant or department that sees the
    application, 404 for anyone else. Before the first screening the list is empty."""
    user = request.auth
    app = _visible_application(user, application_id)
    if not rules.is_staff_reader(user, app):
        raise HttpError(403, _("只有评审办等工作人员可以查看人工核实事项"))
    return _manual_checks(app)


@applications.post("/{application_id}/manual-checks",
                   response={200: ManualChecksOut, 400: ErrorOut, 403: ErrorOut,
                             404: ErrorOut, 422: ErrorOut},
                   summary="Record or change the office's finding on one manual check")
def record_manual_check(request: HttpRequest, application_id: int,
                        payload: FindingIn) -> dict[str, Any]:
    """The office (staff or head) records ``met`` true or false on the check ``key`` of the
    current screening, with a ``note`` (required when not met), during eligibility review;
    recording again changes the finding. Answers the whole list. 400: the check is not in
    the current screening, the note is missing, or the application is not in eligibility
    review (with the article); 403: not the office; 404: not visible; 422: malformed."""
    user = request.auth
    app = _visible_application(user, application_id)
    if not rules.is_office(user, app):
        raise HttpError(403, _("只有评审办工作人员可以记录人工核实结果"))
    cycle_services.manual_check_record(application=app, actor=user, key=payload.key,
                                       met=payload.met, note=payload.note)
    app.refresh_from_db()
    return _manual_checks(app)


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

