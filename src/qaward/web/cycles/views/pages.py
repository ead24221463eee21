"""What the pages of cycles and applications share with each other and with the pages of
the apps built on them (recommendations, notices): state names in the reader's language,
the objects a user may see (404 otherwise), the office's application page and its context.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from qaward.core.errors import QawardError
from qaward.core.policy import Policy
from qaward.core.states import is_finished, label
from qaward.core.workflow import DRAFT, ENDS, RETURNED, SUBMITTED, State, allowed_targets, states
from qaward.web.accounts import rules
from qaward.web.accounts.models import Jurisdiction
from qaward.web.audit.services import history
from qaward.web.common.errors import ServiceError, StaleVersion
from qaward.web.common.forms import show_service_error
from qaward.web.common.views import english, require
from qaward.web.cycles.forms import (
    ConcludeForm,
    EligibilityDecisionForm,
    ReturnForm,
    TransitionForm,
)
from qaward.web.cycles.models import Application, Cycle, EligibilityDecision
from qaward.web.cycles.profile_changes import change_words
from qaward.web.policies.services import policy_of

NEGATIVE = (*ENDS, RETURNED)


class StateNames:
    """The states of one policy by id, named for staff or for the applicant."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.by_id: dict[str, State] = {s.id: s for s in states(policy)}

    def staff(self, state_id: str) -> str:
        s = self.by_id.get(state_id)
        if s is None:
            return state_id
        return s.name_en if english() else s.name_zh

    def public(self, state_id: str) -> str:
        s = self.by_id.get(state_id)
        if s is None:
            return state_id
        return s.public_name_en if english() else s.public_name_zh

    def choices(self) -> list[tuple[str, str]]:
        return [(s.id, self.staff(s.id)) for s in self.by_id.values()]

    def notice_state(self, stage: str) -> State | None:
        return next((s for s in self.by_id.values() if s.kind == "notice" and s.notice == stage),
                    None)


def state_names(cycle: Cycle) -> StateNames:
    return StateNames(policy_of(cycle))


def staff_jurisdiction(request: HttpRequest, code: str) -> Jurisdiction:
    """A jurisdiction the user works in as staff; any other is 404."""
    j = get_object_or_404(Jurisdiction, code=code)
    if not rules.can_view_console(request.user, j):
        raise Http404
    return j


def application_for(request: HttpRequest, pk: int,
                    may_see: rules.Predicate = rules.can_view_application) -> Application:
    app = get_object_or_404(
        Application.objects.select_related("cycle__jurisdiction", "cycle__policy", "applicant"),
        pk=pk)
    if not may_see(request.user, app):
        raise Http404
    return app


def decision_of(app: Application) -> EligibilityDecision | None:
    return EligibilityDecision.objects.filter(application=app).select_related(
        "decided_by", "signed_off_by").first()


def notice_stages(policy: Policy, names: StateNames) -> list[tuple[str, str]]:
    """The notice stages of the policy that an application passes through."""
    out = []
    for stage in ("eligibility", "shortlist", "final"):
        if policy.notice(stage).required and names.notice_state(stage) is not None:
            out.append((stage, NOTICE_LABELS[stage]()))
    return out


NOTICE_LABELS: dict[str, Callable[[], str]] = {
    "eligibility": lambda: _("资格审查结果公示"),
    "shortlist": lambda: _("现场评审名单公示"),
    "final": lambda: _("拟奖名单公示"),
}


def office_targets(app: Application, names: StateNames) -> list[tuple[str, str]]:
    """Where the generic "move on" form may send an application. Submission, return, the
    eligibility decision and notices each have their own action."""
    if app.state in (DRAFT, RETURNED, "eligibility"):
        return []
    skip = {SUBMITTED, RETURNED} | {s.id for s in names.by_id.values() if s.kind == "notice"}
    return [(t, names.staff(t)) for t in allowed_targets(names.policy, app.state)
            if t not in skip]


def concludes_into_notice(names: StateNames) -> bool:
    """Eligible applications of a policy with an eligibility notice move on by the notice."""
    return names.notice_state("eligibility") is not None


def detail_context(request: HttpRequest, app: Application, **forms: Any) -> dict[str, Any]:
    names = state_names(app.cycle)
    user = request.user
    is_office = rules.can_act_on_application(user, app)
    version = {"expected_version": app.version}
    decision = decision_of(app)
    ctx: dict[str, Any] = {
        "app": app, "policy": names.policy, "names": names,
        "state_label": names.staff(app.state), "public_label": names.public(app.state),
        "is_office": is_office,
        "recommendation": rules.recommendation_of(app),
        "documents": app.documents.select_related("uploaded_by").order_by("kind", "-uploaded_at"),
        "decision": decision,
        "engine": app.engine_result,
        "notices": app.notices.order_by("starts_on"),
        "objections": app.objections.count(),
        # 滨江 四、（七）: investigations of issues raised during the notice go to the committee;
        # staff readers (committee included) see findings and decision, never the objector.
        "committee_reports": app.objections.filter(reported_to_committee=True)
        .select_related("notice").only("pk", "findings", "decision_reason", "status",
                                       "decided_at", "notice__title", "notice__article"),
        "can_decide": rules.can_decide_eligibility(user, app),
        "can_sign_off": bool(decision and decision.overrides_engine
                             and decision.signed_off_at is None
                             and rules.can_sign_off_eligibility(user, app)),
        "profile": app.profile_snapshot or app.applicant.profile,
    }
    # The application's events and the changes of its applicant's profile, oldest first.
    events = sorted([*history("application", [app.pk]),
                     *history("applicant", [app.applicant_id]).filter(action="profile_update")],
                    key=lambda e: e.seq)
    for e in events:
        e.from_label = names.staff(e.from_state) if e.from_state else ""
        e.to_label = names.staff(e.to_state) if e.to_state else ""
        e.changes = change_words((e.data or {}).get("changes") or [])
    ctx["history"] = events
    # The applicant's record in earlier cycles is the office's and reviewers' to read, not a
    # recommending department's.
    ctx["show_earlier"] = rules.is_staff_reader(user, app)
    ctx["earlier"] = earlier_cycles(app) if ctx["show_earlier"] else []
    ctx["declared_revocations"] = [
        r for r in (ctx["profile"] or {}).get("awards", [])
        if isinstance(r, dict) and r.get("revoked_on")]
    if is_office:
        targets = office_targets(app, names)
        ctx["transition_form"] = forms.get("transition_form") or (
            TransitionForm(initial=version, targets=targets) if targets else None)
        ctx["return_form"] = forms.get("return_form") or (
            ReturnForm(initial=version) if RETURNED in allowed_targets(names.policy, app.state)
            else None)
        # The consultations' section is the recommendations app's (its template tag), which
        # shows a refused form again when there is one.
        ctx["consultation_form"] = forms.get("consultation_form")
        if ctx["can_decide"]:
            initial = {**version, "decision": (app.engine_result or {}).get("verdict")}
            ctx["decide_form"] = forms.get("decide_form") or EligibilityDecisionForm(
                initial=initial)
            ready = decision is not None and not (decision.overrides_engine
                                                 and decision.signed_off_at is None)
            into_notice = decision is not None and decision.decision == "eligible" and \
                concludes_into_notice(names)
            ctx["into_notice"] = into_notice
            ctx["conclude_form"] = forms.get("conclude_form") or (
                ConcludeForm(initial=version) if ready and not into_notice else None)
    return ctx


def earlier_cycles(app: Application) -> list[dict[str, Any]]:
    """The same applicant's applications in the other cycles of this office, newest first:
    year, track, final state in public words and how each one ended (the transition into its
    state, with reason and article, from the audit chain)."""
    others = list(Application.objects.filter(
        applicant_id=app.applicant_id, cycle__jurisdiction_id=app.cycle.jurisdiction_id)
        .exclude(cycle_id=app.cycle_id).select_related("cycle__policy")
        .order_by("-cycle__year", "-pk"))
    ended: dict[int, Any] = {}
    for e in history("application", [o.pk for o in others]).filter(action="transition"):
        ended[int(e.entity_id)] = e  # the last one wins
    out = []
    for o in others:
        try:
            track = policy_of(o.cycle).tracks.get(o.track)
        except QawardError:
            track = None
        last = ended.get(o.pk)
        how = last if last is not None and last.to_state == o.state else None
        out.append({
            "app": o, "year": o.cycle.year,
            "track": (track.name_en if english() else track.name_zh) if track else o.track,
            "state": public_label(o.state), "finished": is_finished(o.state),
            "reason": how.reason if how else "", "article": how.article if how else "",
            "at": how.at if how else None,
        })
    return out


def public_label(state_id: str) -> str:
    """The public words of a state (qaward.core.states); a policy's own stage keeps its id."""
    try:
        lab = label(state_id)
    except KeyError:
        return state_id
    return lab.public_en if english() else lab.public_zh


def office_action(request: HttpRequest, pk: int,
                  may: rules.Predicate = rules.can_act_on_application) -> Application:
    app = application_for(request, pk, rules.is_staff_reader)
    require(may(request.user, app))
    return app


def refused(request: HttpRequest, app: Application, form: Any, key: str,
            err: QawardError | None = None) -> HttpResponse:
    """Show the detail page again with the failed form (what was typed is kept)."""
    if isinstance(err, ServiceError):
        show_service_error(form, err)
    elif err is not None:
        form.add_error(None, str(err))
    status = 409 if isinstance(err, StaleVersion) else 200
    return render(request, "cycles/application_detail.html",
                  detail_context(request, app, **{key: form}), status=status)

