"""What the pages of cycles and applications share with each other and with the pages of
the apps built on them (recommendations, notices): state names in the reader's language,
the objects a user may see (404 otherwise), the office's application page and its context.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qaward.core.errors import QawardError
from qaward.core.notices import notice_title
from qaward.core.policy import Policy
from qaward.core.schedule import check_later_stage_may_begin
from qaward.core.states import NoticeId, StageId, is_finished, label
from qaward.core.workflow import DRAFT, ENDS, RETURNED, SUBMITTED, State, allowed_targets, states
from qaward.web.accounts import rules
from qaward.web.accounts.models import Jurisdiction
from qaward.web.audit.services import history
from qaward.web.common.errors import ServiceError, StaleVersion, in_language, refusal
from qaward.web.common.forms import show_service_error
from qaward.web.common.views import english, require
from qaward.web.cycles.forms import (
    ConcludeForm,
    EligibilityDecisionForm,
    ManualFindingForm,
    ReturnForm,
    TransitionForm,
)
from qaward.web.cycles.models import Application, Cycle, EligibilityDecision
from qaward.web.cycles.profile_changes import change_words
from qaward.web.cycles.services import EligibilityBasis, check_key, eligibility_basis
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
    for stage in (NoticeId.ELIGIBILITY, NoticeId.SHORTLIST, NoticeId.FINAL):
        if policy.notice(stage).required and names.notice_state(stage) is not None:
            out.append((stage.value, notice_label(policy, stage)))
    return out


def notice_label(policy: Policy, stage: str) -> str:
    """The name of a policy's notice in the reader's language, from the title the policy
    gives it in the regulation's words (长宁 final: 拟获奖名单公示)."""
    try:
        zh, en = notice_title(policy, stage)
    except QawardError:
        return stage
    return f"notice “{en}”" if english() else f"{zh}公示"


def publish_blocked(cycle: Cycle, policy: Policy, today: dt.date) -> ServiceError | None:
    """Why no notice may be published yet (the application window is still open, and the
    policy does not review applications on arrival), or None."""
    decision = check_later_stage_may_begin(
        today=today, applications_close_on=cycle.applications_close_on,
        reviewed_on_arrival=policy.reviewed_on_arrival,
        article=policy.cycle.reviewed_on_arrival.cite)
    return refusal(decision) if decision.refused else None


def office_targets(app: Application, names: StateNames) -> list[tuple[str, str]]:
    """Where the generic "move on" form may send an application. Submission, return, the
    eligibility decision and notices each have their own action."""
    if app.state in (DRAFT, RETURNED, StageId.ELIGIBILITY):
        return []
    skip = {SUBMITTED, RETURNED} | {s.id for s in names.by_id.values() if s.kind == "notice"}
    return [(t, names.staff(t)) for t in allowed_targets(names.policy, app.state)
            if t not in skip]


def concludes_into_notice(names: StateNames) -> bool:
    """Eligible applications of a policy with an eligibility notice move on by the notice."""
    return names.notice_state(NoticeId.ELIGIBILITY) is not None


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
        e.changes = change_words((e.data or {}).get("changes") or []) + \
            finding_words(e.action, e.data or {})
    ctx["history"] = events
    ctx.update(manual_checks_context(app, ctx["can_decide"], forms.get("finding_form")))
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
            basis = ctx["basis"]
            initial = {**version, "decision": basis.verdict if basis else None}
            ctx["decide_form"] = forms.get("decide_form") or EligibilityDecisionForm(
                initial=initial)
            ready = decision is not None and not (decision.overrides_engine
                                                 and not decision.approved)
            into_notice = decision is not None and decision.decision == "eligible" and \
                concludes_into_notice(names)
            ctx["into_notice"] = into_notice
            ctx["conclude_form"] = forms.get("conclude_form") or (
                ConcludeForm(initial=version) if ready and not into_notice else None)
    return ctx


def manual_checks_context(app: Application, can_record: bool,
                          failed_form: ManualFindingForm | None) -> dict[str, Any]:
    """The manual checks of the current screening, each with the office's finding (who,
    when, met or not, the note) and, for who may record, its form; the engine's verdict
    with the findings (``eligibility_basis``); the tiers the screening excludes."""
    if not app.engine_result:
        return {"basis": None, "checks": [], "excluded_tiers": []}
    basis: EligibilityBasis = eligibility_basis(app)
    failed_key = failed_form.data.get("key") if failed_form is not None else None
    checks = []
    for i, m in enumerate(basis.checks):
        key = check_key(m)
        finding = basis.findings.get(key)
        form = None
        if can_record:
            if failed_form is not None and failed_key == key:
                form = failed_form
            else:
                form = ManualFindingForm(index=i, initial={
                    "key": key,
                    "met": None if finding is None else ("met" if finding.met else "not_met"),
                    "note": finding.note if finding else ""})
        checks.append({**m, "key": key, "finding": finding, "form": form,
                       "recorded_text_differs": finding is not None
                       and finding.text_zh != m.get("text_zh")})
    return {"basis": basis, "checks": checks,
            "excluded_tiers": excluded_tiers(app)}


def finding_words(action: str, data: dict[str, Any]) -> list[str]:
    """The office's findings in an application's history, in words: what was found on which
    check (and what it was before), the findings a new screening archived, a decision
    withdrawn because its basis changed."""
    verdicts = {True: pgettext("finding", "符合"), False: pgettext("finding", "不符合")}
    out: list[str] = []
    if action == "manual_check_record":
        text = in_language(str(data.get("text_zh") or ""),
                           str(data.get("text_en") or data.get("text_zh") or ""))
        line = _("核实事项“%(text)s”：%(result)s") % {
            "text": text, "result": verdicts[bool(data.get("met"))]}
        previous = data.get("previous")
        if isinstance(previous, dict):
            line += _("（原为：%(result)s）") % {"result": verdicts[bool(previous.get("met"))]}
        out.append(line)
    elif action == "eligibility_decide" and data.get("not_met"):
        out.append(_("人工核实不符合，系统审查结论计为“不符合”，依据：%(articles)s") % {
            "articles": "、".join(str(f.get("article") or "—") for f in data["not_met"])})
    elif action == "eligibility_screen":
        for f in data.get("findings_archived") or []:
            text = in_language(str(f.get("text_zh") or ""),
                               str(f.get("text_en") or f.get("text_zh") or ""))
            out.append(_("重新审查后，核实事项“%(text)s”（%(article)s）已变化或不在本次审查中，"
                         "原核实结果作废") % {"text": text, "article": f.get("article") or "—"})
    if data.get("decision_withdrawn"):
        out.append(_("已记录的资格审查结论因此作废，须重新作出结论"))
    return out


def excluded_tiers(app: Application) -> list[dict[str, Any]]:
    """The screening's ``excluded_tiers`` (tiers the applicant may not receive, with article
    and end date), each tier named from the policy; none when the result has no such list."""
    rows = (app.engine_result or {}).get("excluded_tiers") or []
    try:
        declared = policy_of(app.cycle).tiers
    except QawardError:
        declared = ()
    tiers = {t.id: t for t in declared if hasattr(t, "id")} \
        if isinstance(declared, tuple) else {}
    out = []
    for r in rows:
        if not isinstance(r, dict):
            continue
        t = tiers.get(str(r.get("tier")))
        name = (t.name_en if english() else t.name_zh) if t else str(r.get("tier") or "")
        out.append({"tier": r.get("tier"), "name": name, "article": r.get("article") or "",
                    "until": r.get("until") or ""})
    return out


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
    app = application_for(request, pk, rules.reads_application_as_staff)
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

