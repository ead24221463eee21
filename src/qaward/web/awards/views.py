"""Server-rendered pages: the office console (评审办), the applicant portal, the recommending
department's pages and the read-only lists of reviewers, committee members and auditors.

Views are thin: they find the object (404 when the user may not see it, 403 when they may see
but not act), parse a form, call one service, and render. Permissions are the predicates of
``rules.py``; every write is a function of ``services.py`` (a few writes the services do not
offer yet are at the end of this module, written the same way, to move there).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required as _login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST as _require_POST

from qaward.core.errors import QawardError
from qaward.core.policy import Policy
from qaward.core.workflow import (
    DRAFT,
    ENDS,
    RETURNED,
    SUBMITTED,
    State,
    allowed_targets,
    states,
)
from qaward.web.clock import today as office_today

from . import rules, services, uploads
from .forms import (
    ApplicationCreateForm,
    ApplicationFilterForm,
    ConcludeForm,
    ConsultationAnswerForm,
    ConsultationForm,
    CycleOpenForm,
    DocumentUploadForm,
    EligibilityDecisionForm,
    InvitationForm,
    NoticePublishForm,
    ObjectionAssignForm,
    ObjectionDecideForm,
    ProfileForm,
    RecommendationForm,
    ReturnForm,
    SubmitForm,
    TransitionForm,
    show_service_error,
)
from .models import (
    Applicant,
    Application,
    AuditEvent,
    Consultation,
    Cycle,
    Document,
    EligibilityDecision,
    Invitation,
    Jurisdiction,
    Membership,
    Notice,
    Objection,
    ObjectionEvidence,
    Role,
)
from .services import ServiceError

PAGE_SIZE = 50
NEGATIVE = (*ENDS, RETURNED)

View = TypeVar("View", bound=Callable[..., HttpResponse])


def login_required(view: View) -> View:
    """Anonymous visitors go to the login page (typed wrapper of Django's decorator)."""
    return cast(View, _login_required(view))


def require_POST(view: View) -> View:
    """Only POST is allowed (typed wrapper of Django's decorator)."""
    return cast(View, _require_POST(view))


# ---------------------------------------------------------------------------------------------
# Small read-only helpers


def english() -> bool:
    return (get_language() or "zh-hans").startswith("en")


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
    return StateNames(services.policy_of(cycle))


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


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def history(entity: str, ids: Iterable[Any]) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(entity=entity, entity_id__in=[str(i) for i in ids]
                                     ).select_related("actor").order_by("seq")


def decision_of(app: Application) -> EligibilityDecision | None:
    return EligibilityDecision.objects.filter(application=app).select_related(
        "decided_by", "signed_off_by").first()


@dataclass(frozen=True)
class Console:
    label: str
    url: str


def consoles(user: Any) -> list[Console]:
    """The pages a logged-in user works on, by role."""
    out: list[Console] = []
    grants = rules.grants(user)
    rows = list(Jurisdiction.objects.filter(pk__in={g.jurisdiction_id for g in grants})
                .values_list("pk", "code", "name_zh"))
    names = {pk: code for pk, code, _name in rows}
    labels = {pk: name for pk, _code, name in rows}
    for jid in sorted(rules.staff_jurisdictions(user)):
        out.append(Console(_("%(place)s 评审工作台") % {"place": labels[jid]},
                           reverse("awards:console", args=[names[jid]])))
    for jid in sorted(rules.staff_jurisdictions(user, rules.AUDITOR, rules.OFFICE_HEAD)):
        out.append(Console(_("%(place)s 审计日志") % {"place": labels[jid]},
                           reverse("awards:audit_log", args=[names[jid]])))
    if rules.applicant_ids(user):
        out.append(Console(_("我的申报"), reverse("awards:portal")))
    if any(g.role == rules.DEPARTMENT for g in grants):
        out.append(Console(_("推荐工作"), reverse("awards:department")))
    return out


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "awards/home.html", {"consoles": []})
    mine = consoles(request.user)
    if len(mine) == 1:
        return redirect(mine[0].url)
    return render(request, "awards/home.html", {"consoles": mine})


# ---------------------------------------------------------------------------------------------
# Office console: cycles


@login_required
def console(request: HttpRequest, code: str) -> HttpResponse:
    j = staff_jurisdiction(request, code)
    cycles = (Cycle.objects.filter(jurisdiction=j).select_related("policy")
              .annotate(n_applications=Count("applications")).order_by("-year"))
    return render(request, "awards/console.html", {
        "jurisdiction": j, "cycles": cycles,
        "can_open": rules.can_open_cycle(request.user, j),
        "can_audit": rules.can_view_audit_log(request.user, j)})


@login_required
def cycle_open(request: HttpRequest, code: str) -> HttpResponse:
    j = staff_jurisdiction(request, code)
    require(rules.can_open_cycle(request.user, j))
    today = office_today()
    if request.method == "POST":
        form = CycleOpenForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                cycle = services.cycle_open(
                    jurisdiction=j, year=d["year"], title=d["title"], opened_on=d["opened_on"],
                    applications_close_on=d["applications_close_on"], actor=request.user,
                    override_reason=d["override_reason"])
            except ServiceError as err:
                show_service_error(form, err)
            else:
                messages.success(request, _("已开启评选周期：%(title)s") % {"title": cycle.title})
                return redirect("awards:cycle_detail", pk=cycle.pk)
    else:
        form = CycleOpenForm(initial={"year": today.year, "opened_on": today})
    return render(request, "awards/cycle_open.html", {"jurisdiction": j, "form": form})


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


@login_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The applications of a cycle: filters, counts per state, one page at a time."""
    cycle = get_object_or_404(Cycle.objects.select_related("jurisdiction", "policy"), pk=pk)
    if not rules.can_view_console(request.user, cycle):
        raise Http404
    names = state_names(cycle)
    policy = names.policy
    base = Application.objects.filter(cycle=cycle)
    counts = dict(base.values_list("state").annotate(n=Count("pk")).order_by())
    sectors = list(Applicant.objects.filter(applications__cycle=cycle).exclude(sector="")
                   .values_list("sector", flat=True).distinct().order_by("sector"))
    tracks: list[tuple[str, str]] = [(k, t.name_en if english() else t.name_zh)
                                     for k, t in policy.tracks.items()]
    form = ApplicationFilterForm(request.GET or None, states=names.choices(), tracks=tracks,
                                 sectors=sectors)
    apps = (base.select_related("applicant", "recommendation", "eligibility_decision")
            .defer("profile_snapshot", "engine_result", "applicant__profile")
            .annotate(has_report=Exists(Document.objects.filter(
                application=OuterRef("pk"), kind=Document.Kind.REPORT)))
            .order_by("applicant__name", "pk"))
    if form.is_valid():
        d = form.cleaned_data
        if d["state"]:
            apps = apps.filter(state=d["state"])
        if d["track"]:
            apps = apps.filter(track=d["track"])
        if d["sector"]:
            apps = apps.filter(applicant__sector=d["sector"])
        if d["q"]:
            apps = apps.filter(applicant__name__icontains=d["q"].strip())
    page = Paginator(apps, PAGE_SIZE).get_page(request.GET.get("page"))
    for app in page:
        app.state_label = names.staff(app.state)
        app.track_label = dict(tracks).get(app.track, app.track)
    query = request.GET.copy()
    query.pop("page", None)
    is_office = rules.is_office(request.user, cycle)
    existing = set(cycle.notices.values_list("stage", flat=True))
    return render(request, "awards/cycle_detail.html", {
        "cycle": cycle, "policy": policy, "form": form, "page": page, "query": query.urlencode(),
        "counts": [(sid, names.staff(sid), counts[sid]) for sid in names.by_id if sid in counts],
        "total": sum(counts.values()),
        "notices": cycle.notices.annotate(n_objections=Count("objections")).order_by("starts_on"),
        "publishable": [(s, label) for s, label in notice_stages(policy, names)
                        if s not in existing] if is_office else [],
        "is_office": is_office,
        "stages": [(s.id, s.name_en if english() else s.name_zh, s.cite) for s in policy.stages],
        "invitation_form": (InvitationForm(applicants=cycle.jurisdiction.applicants.filter(
            kind="organization").order_by("name"))
            if is_office and policy.recommendation.third_party_allowed else None),
        "invitations": cycle.invitations.select_related("applicant").order_by("-created_at"),
    })


@login_required
@require_POST
def invitation_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a third-party recommendation: the organization is asked to confirm."""
    cycle = get_object_or_404(Cycle.objects.select_related("jurisdiction", "policy"), pk=pk)
    if not rules.can_view_console(request.user, cycle):
        raise Http404
    require(rules.is_office(request.user, cycle))
    form = InvitationForm(request.POST, applicants=cycle.jurisdiction.applicants.filter(
        kind="organization"))
    if form.is_valid():
        try:
            services.invitation_create(cycle=cycle, actor=request.user, **form.cleaned_data)
        except ServiceError as err:
            messages.error(request, str(err))
        else:
            messages.success(request, _("已记录推荐，并请被推荐组织确认申报意愿。"))
    else:
        messages.error(request, _("请选择被推荐组织并填写推荐方和推荐理由。"))
    return redirect("awards:cycle_detail", pk=cycle.pk)


# ---------------------------------------------------------------------------------------------
# Office console: one application


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
        "consultations": app.consultations.order_by("asked_at"),
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
    events = list(history("application", [app.pk]))
    for e in events:
        e.from_label = names.staff(e.from_state) if e.from_state else ""
        e.to_label = names.staff(e.to_state) if e.to_state else ""
    ctx["history"] = events
    if is_office:
        targets = office_targets(app, names)
        ctx["transition_form"] = forms.get("transition_form") or (
            TransitionForm(initial=version, targets=targets) if targets else None)
        ctx["return_form"] = forms.get("return_form") or (
            ReturnForm(initial=version) if RETURNED in allowed_targets(names.policy, app.state)
            else None)
        ctx["consultation_form"] = forms.get("consultation_form") or ConsultationForm()
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


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_for(request, pk, rules.is_staff_reader)
    return render(request, "awards/application_detail.html", detail_context(request, app))


def office_action(request: HttpRequest, pk: int,
                  may: rules.Predicate = rules.can_act_on_application) -> Application:
    app = application_for(request, pk, rules.is_staff_reader)
    require(may(request.user, app))
    return app


def done(request: HttpRequest, app: Application, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("awards:application_detail", pk=app.pk)


def refused(request: HttpRequest, app: Application, form: Any, key: str,
            err: QawardError | None = None) -> HttpResponse:
    """Show the detail page again with the failed form (what was typed is kept)."""
    if isinstance(err, ServiceError):
        show_service_error(form, err)
    elif err is not None:
        form.add_error(None, str(err))
    status = 409 if isinstance(err, services.StaleVersion) else 200
    return render(request, "awards/application_detail.html",
                  detail_context(request, app, **{key: form}), status=status)


@login_required
@require_POST
def eligibility_screen(request: HttpRequest, pk: int) -> HttpResponse:
    app = office_action(request, pk, rules.can_decide_eligibility)
    try:
        result = services.eligibility_screen(application=app)
    except QawardError as err:
        messages.error(request, str(err))
        return redirect("awards:application_detail", pk=app.pk)
    verdict = _("符合") if result["verdict"] == "eligible" else _("不符合")
    return done(request, app, _("系统审查结论：%(verdict)s") % {"verdict": verdict})


@login_required
@require_POST
def eligibility_decide(request: HttpRequest, pk: int) -> HttpResponse:
    app = office_action(request, pk, rules.can_decide_eligibility)
    form = EligibilityDecisionForm(request.POST)
    if not form.is_valid():
        return refused(request, app, form, "decide_form")
    try:
        d = services.eligibility_decide(
            application=app, actor=request.user, decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["expected_version"])
    except QawardError as err:
        return refused(request, app, form, "decide_form", err)
    if d.overrides_engine:
        return done(request, app, _("已记录审查结论；与系统结论不一致，须经评审办负责人签批。"))
    return done(request, app, _("已记录审查结论。"))


@login_required
@require_POST
def eligibility_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    app = office_action(request, pk, rules.can_sign_off_eligibility)
    decision = get_object_or_404(EligibilityDecision, application=app)
    try:
        services.eligibility_sign_off(decision=decision, actor=request.user)
    except QawardError as err:
        messages.error(request, str(err))
        return redirect("awards:application_detail", pk=app.pk)
    return done(request, app, _("已签批。"))


@login_required
@require_POST
def eligibility_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    app = office_action(request, pk, rules.can_decide_eligibility)
    form = ConcludeForm(request.POST)
    if not form.is_valid():
        return refused(request, app, form, "conclude_form")
    try:
        app = services.eligibility_conclude(
            application=app, actor=request.user,
            expected_version=form.cleaned_data["expected_version"])
    except QawardError as err:
        return refused(request, app, form, "conclude_form", err)
    return done(request, app, _("资格审查已办结，当前状态：%(state)s")
                % {"state": state_names(app.cycle).staff(app.state)})


@login_required
@require_POST
def application_return(request: HttpRequest, pk: int) -> HttpResponse:
    app = office_action(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return refused(request, app, form, "return_form")
    try:
        services.application_return(application=app, actor=request.user,
                                    reason=form.cleaned_data["reason"],
                                    expected_version=form.cleaned_data["expected_version"])
    except QawardError as err:
        return refused(request, app, form, "return_form", err)
    return done(request, app, _("已退回申报方补正。"))


@login_required
@require_POST
def application_transition(request: HttpRequest, pk: int) -> HttpResponse:
    app = office_action(request, pk)
    names = state_names(app.cycle)
    form = TransitionForm(request.POST, targets=office_targets(app, names))
    if not form.is_valid():
        # A target no longer offered usually means the application moved on meanwhile.
        if "target" in form.errors and form.data.get("expected_version") != str(app.version):
            form.errors.pop("target")  # the stale version, not the choice, is the problem
            return refused(request, app, form, "transition_form", services.StaleVersion())
        return refused(request, app, form, "transition_form")
    try:
        app = services.application_transition(
            application=app, target=form.cleaned_data["target"], actor=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["expected_version"])
    except QawardError as err:
        return refused(request, app, form, "transition_form", err)
    return done(request, app, _("已转入：%(state)s") % {"state": names.staff(app.state)})


@login_required
@require_POST
def consultation_add(request: HttpRequest, pk: int) -> HttpResponse:
    app = office_action(request, pk)
    form = ConsultationForm(request.POST)
    if not form.is_valid():
        return refused(request, app, form, "consultation_form")
    try:
        services.consultation_record(application=app, actor=request.user, **form.cleaned_data)
    except QawardError as err:
        return refused(request, app, form, "consultation_form", err)
    return done(request, app, _("已登记书面征求意见。"))


@login_required
@require_POST
def consultation_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_object_or_404(Consultation, pk=pk)
    app = office_action(request, c.application_id)
    form = ConsultationAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写书面回复。"))
        return redirect("awards:application_detail", pk=app.pk)
    try:
        services.consultation_answer(consultation=c, actor=request.user,
                            answer=form.cleaned_data["answer"])
    except QawardError as err:
        messages.error(request, str(err))
        return redirect("awards:application_detail", pk=app.pk)
    return done(request, app, _("已登记书面回复。"))


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    doc = get_object_or_404(Document, pk=pk)
    application_for(request, doc.application_id)
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.original_name)


# ---------------------------------------------------------------------------------------------
# Office console: notices and objections


def notice_candidates(cycle: Cycle, stage: str, names: StateNames) -> QuerySet[Application]:
    """Applications that publishing the notice of ``stage`` would list: those in the state
    the notice follows (for the eligibility notice: decided eligible, signed off if needed)."""
    target = names.notice_state(stage)
    if target is None:
        return Application.objects.none()
    sources = [s for s in names.by_id if target.id in allowed_targets(names.policy, s)]
    qs = Application.objects.filter(cycle=cycle, state__in=sources).select_related("applicant")
    if "eligibility" in sources:
        overridden_unsigned = (~Q(eligibility_decision__engine_verdict="eligible")
                               & Q(eligibility_decision__signed_off_at__isnull=True))
        qs = qs.filter(eligibility_decision__decision="eligible").exclude(overridden_unsigned)
    return qs.order_by("applicant__name", "pk")


@login_required
def notice_publish(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    cycle = get_object_or_404(Cycle.objects.select_related("jurisdiction", "policy"), pk=pk)
    if not rules.can_view_console(request.user, cycle):
        raise Http404
    require(rules.can_publish_notice(request.user, cycle))
    names = state_names(cycle)
    stages = notice_stages(names.policy, names)
    if stage not in dict(stages):
        raise Http404
    candidates = notice_candidates(cycle, stage, names)
    if request.method == "POST":
        form = NoticePublishForm(request.POST, stages=stages, candidates=candidates,
                                 state_label=names.staff)
        if form.is_valid():
            d = form.cleaned_data
            try:
                notice = services.notice_publish(
                    cycle=cycle, stage=stage, starts_on=d["starts_on"], actor=request.user,
                    applications=d["applications"])
            except ServiceError as err:
                show_service_error(form, err)
            else:
                messages.success(request, _("已发布公示：%(title)s，公示期 %(start)s 至 %(end)s")
                                 % {"title": notice.title, "start": notice.starts_on,
                                    "end": notice.ends_on})
                return redirect("awards:cycle_detail", pk=cycle.pk)
    else:
        form = NoticePublishForm(initial={"stage": stage, "starts_on": office_today(),
                                          "applications": list(candidates)},
                                 state_label=names.staff,
                                 stages=stages, candidates=candidates)
    rule = names.policy.notice(stage)
    return render(request, "awards/notice_publish.html", {
        "cycle": cycle, "form": form, "stage_label": dict(stages)[stage], "rule": rule,
        "candidates": candidates})


def office_notice(request: HttpRequest, notice: Notice) -> None:
    if not rules.can_view_console(request.user, notice):
        raise Http404
    require(rules.can_handle_objections(request.user, notice))


@login_required
def notice_objections(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notice.objects.select_related("cycle__jurisdiction",
                                                             "cycle__policy"), pk=pk)
    office_notice(request, notice)
    objections = (notice.objections.select_related("application__applicant", "investigator")
                  .annotate(n_evidence=Count("evidence")).order_by("submitted_at"))
    names = state_names(notice.cycle)
    listed = list(notice.applications.select_related("applicant").order_by("applicant__name"))
    for a in listed:
        a.state_label = names.staff(a.state)
    return render(request, "awards/notice_objections.html", {
        "notice": notice, "objections": objections, "listed": listed,
        "stage_label": NOTICE_LABELS[notice.stage]() if notice.stage in NOTICE_LABELS
        else notice.stage})


def objection_for(request: HttpRequest, pk: int) -> Objection:
    o = get_object_or_404(Objection.objects.select_related(
        "notice__cycle__jurisdiction", "notice__cycle__policy", "application__applicant",
        "investigator"), pk=pk)
    office_notice(request, o.notice)
    return o


def objection_page(request: HttpRequest, o: Objection, **forms: Any) -> HttpResponse:
    investigators = get_user_model().objects.filter(
        memberships__jurisdiction=o.notice.cycle.jurisdiction,
        memberships__role__in=[Role.OFFICE, Role.OFFICE_HEAD]).distinct().order_by("username")
    open_ = o.status in (Objection.Status.RECEIVED, Objection.Status.INVESTIGATING)
    ctx = {
        "o": o, "notice": o.notice, "evidence": o.evidence.all(),
        "history": history("objection", [o.pk]),
        "assign_form": forms.get("assign_form") or (ObjectionAssignForm(
            investigators=investigators, initial={"investigator": o.investigator_id})
            if open_ else None),
        "decide_form": forms.get("decide_form") or (ObjectionDecideForm() if open_ else None),
        "investigators": investigators,
    }
    return render(request, "awards/objection_detail.html", ctx)


@login_required
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return objection_page(request, objection_for(request, pk))


@login_required
@require_POST
def objection_assign(request: HttpRequest, pk: int) -> HttpResponse:
    o = objection_for(request, pk)
    investigators = get_user_model().objects.filter(
        memberships__jurisdiction=o.notice.cycle.jurisdiction,
        memberships__role__in=[Role.OFFICE, Role.OFFICE_HEAD]).distinct()
    form = ObjectionAssignForm(request.POST, investigators=investigators)
    if form.is_valid():
        try:
            services.objection_assign(objection=o, investigator=form.cleaned_data["investigator"],
                                      actor=request.user)
        except ServiceError as err:
            show_service_error(form, err)
        else:
            messages.success(request, _("已指定调查核实人。"))
            return redirect("awards:objection_detail", pk=o.pk)
    return objection_page(request, o, assign_form=form)


@login_required
@require_POST
def objection_decide(request: HttpRequest, pk: int) -> HttpResponse:
    o = objection_for(request, pk)
    form = ObjectionDecideForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.objection_decide(objection=o, actor=request.user,
                                      upheld=d["outcome"] == "upheld", findings=d["findings"],
                                      reason=d["reason"])
        except ServiceError as err:
            show_service_error(form, err)
        else:
            messages.success(request, _("已作出异议处理结论。"))
            return redirect("awards:objection_detail", pk=o.pk)
    return objection_page(request, o, decide_form=form)


@login_required
def objection_evidence(request: HttpRequest, pk: int) -> FileResponse:
    ev = get_object_or_404(ObjectionEvidence.objects.select_related("objection"), pk=pk)
    objection_for(request, ev.objection_id)
    return FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.original_name)


@login_required
def audit_log(request: HttpRequest, code: str) -> HttpResponse:
    j = get_object_or_404(Jurisdiction, code=code)
    if not rules.can_view_console(request.user, j):
        raise Http404
    require(rules.can_view_audit_log(request.user, j))
    events = AuditEvent.objects.filter(jurisdiction=j).select_related("actor").order_by("-seq")
    entity = request.GET.get("entity", "")
    if entity:
        events = events.filter(entity=entity)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    chain = services.verify_chain() if request.GET.get("verify") else None
    return render(request, "awards/audit_log.html", {
        "jurisdiction": j, "page": page, "entity": entity, "chain": chain})


# ---------------------------------------------------------------------------------------------
# Applicant portal


def portal_application_for(request: HttpRequest, pk: int) -> Application:
    return application_for(request, pk, rules.is_own_applicant)


def outcome_events(apps: list[Application]) -> dict[int, AuditEvent]:
    """For each application in a negative state, the transition that put it there."""
    negative = [a for a in apps if a.state in NEGATIVE]
    if not negative:
        return {}
    out: dict[int, AuditEvent] = {}
    for e in history("application", [a.pk for a in negative]).filter(action="transition"):
        out[int(e.entity_id)] = e  # the last one wins
    return out


def create_offers(user: Any) -> list[tuple[str, str]]:
    """(applicant, open cycle, track) an applicant may still start."""
    today = office_today()
    ids = rules.applicant_ids(user)
    applicants = Applicant.objects.filter(pk__in=ids).select_related("jurisdiction")
    taken = set(Application.objects.filter(applicant_id__in=ids).values_list(
        "applicant_id", "cycle_id", "track"))
    cycles = Cycle.objects.filter(
        jurisdiction__in={a.jurisdiction_id for a in applicants}, status=Cycle.Status.OPEN,
        applications_close_on__gte=today).select_related("policy")
    offers = []
    for a in applicants:
        for c in cycles:
            if c.jurisdiction_id != a.jurisdiction_id:
                continue
            track = services.policy_of(c).tracks.get(a.kind)
            if track is not None and (a.pk, c.pk, a.kind) not in taken:
                name = track.name_en if english() else track.name_zh
                offers.append((f"{a.pk}:{c.pk}:{a.kind}", f"{c.title} · {name} · {a.name}"))
    return offers


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    ids = rules.applicant_ids(request.user)
    if not ids:
        raise Http404
    apps = list(Application.objects.filter(applicant_id__in=ids)
                .select_related("cycle__policy", "cycle__jurisdiction", "applicant")
                .order_by("-cycle__year", "pk"))
    outcomes = outcome_events(apps)
    for app in apps:
        names = state_names(app.cycle)
        app.public_label = names.public(app.state)
        app.outcome = outcomes.get(app.pk)
        app.editable = app.state in rules.EDITABLE
    invitations = Invitation.objects.filter(applicant_id__in=ids).select_related(
        "cycle", "applicant").order_by("-created_at")
    offers = create_offers(request.user)
    return render(request, "awards/portal.html", {
        "apps": apps, "invitations": invitations,
        "create_form": ApplicationCreateForm(offers=offers) if offers else None})


@login_required
@require_POST
def portal_create(request: HttpRequest) -> HttpResponse:
    if not rules.applicant_ids(request.user):
        raise Http404
    offers = create_offers(request.user)
    form = ApplicationCreateForm(request.POST, offers=offers)
    if not form.is_valid():
        messages.error(request, _("请选择可以申报的评选周期和类别。"))
        return redirect("awards:portal")
    applicant_id, cycle_id, track = form.parsed()
    applicant = get_object_or_404(Applicant, pk=applicant_id)
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    pending = Invitation.objects.filter(applicant=applicant, cycle=cycle, accepted_at__isnull=True,
                                        declined_at__isnull=True)
    if pending.exists():
        messages.error(request, _("请先答复推荐邀请，确认申报意愿后再填写申报。"))
        return redirect("awards:portal")
    try:
        app = services.application_create(cycle=cycle, applicant=applicant, track=track,
                                           actor=request.user)
    except ServiceError as err:
        messages.error(request, str(err))
        return redirect("awards:portal")
    messages.success(request, _("已创建申报，请填写申报条件信息并上传材料。"))
    return redirect("awards:portal_application", pk=app.pk)


def report_limit(app: Application) -> Any:
    limit = services.policy_of(app.cycle).tracks[app.track].report_max_chars
    return limit if hasattr(limit, "value") else None


def last_report_count(app: Application) -> int | None:
    """The 字数 recorded when the latest report was uploaded."""
    e = (AuditEvent.objects.filter(entity="application", entity_id=str(app.pk),
                                   action="document_add", data__kind=Document.Kind.REPORT)
         .order_by("-seq").first())
    return e.data.get("report_chars") if e else None


def portal_context(request: HttpRequest, app: Application, **forms: Any) -> dict[str, Any]:
    names = state_names(app.cycle)
    policy = names.policy
    editable = rules.can_edit_application(request.user, app)
    internal = policy.notices.internal.required
    outcome = outcome_events([app]).get(app.pk)
    engine = app.engine_result or {}
    return {
        "app": app, "policy": policy, "public_label": names.public(app.state),
        "editable": editable, "outcome": outcome,
        "engine_reasons": engine.get("reasons", []) if app.state == "ineligible" else [],
        "documents": app.documents.order_by("kind", "-uploaded_at"),
        "recommendation": rules.recommendation_of(app),
        "report_count": last_report_count(app), "report_limit": report_limit(app),
        "internal_notice": internal, "internal_cite": policy.notices.internal.cite,
        "track": policy.tracks[app.track],
        "upload_form": forms.get("upload_form") or (
            DocumentUploadForm(internal_notice=internal) if editable else None),
        "submit_form": forms.get("submit_form") or (
            SubmitForm(initial={"expected_version": app.version}) if editable else None),
        "profile": app.profile_snapshot or app.applicant.profile,
        "notices": app.notices.order_by("starts_on"),
    }


@login_required
def portal_application(request: HttpRequest, pk: int) -> HttpResponse:
    app = portal_application_for(request, pk)
    return render(request, "awards/portal_application.html", portal_context(request, app))


@login_required
def portal_profile(request: HttpRequest, pk: int) -> HttpResponse:
    app = portal_application_for(request, pk)
    require(rules.can_edit_application(request.user, app))
    today = office_today()
    applicant = app.applicant
    if request.method == "POST":
        form = ProfileForm(request.POST, track=app.track, today=today)
        if form.is_valid():
            profile = form.profile(previous=applicant.profile)
            try:
                services.applicant_profile_update(applicant=applicant, actor=request.user,
                                         profile=profile)
            except ServiceError as err:
                show_service_error(form, err)
            else:
                messages.success(request, _("申报条件信息已保存。"))
                return redirect("awards:portal_application", pk=app.pk)
    else:
        form = ProfileForm(initial=ProfileForm.initial_from(applicant, today), track=app.track,
                           today=today)
    return render(request, "awards/portal_profile.html", {"app": app, "form": form})


@login_required
@require_POST
def portal_upload(request: HttpRequest, pk: int) -> HttpResponse:
    app = portal_application_for(request, pk)
    require(rules.can_edit_application(request.user, app))
    internal = services.policy_of(app.cycle).notices.internal.required
    form = DocumentUploadForm(request.POST, request.FILES, internal_notice=internal)
    if form.is_valid():
        try:
            doc = uploads.document_add(application=app, actor=request.user,
                                       kind=form.cleaned_data["kind"],
                                       upload=form.cleaned_data["file"])
        except ValidationError as err:
            form.add_error("file", err)
        except ServiceError as err:
            show_service_error(form, err)
        else:
            messages.success(request, _("已上传：%(name)s") % {"name": doc.original_name})
            return redirect("awards:portal_application", pk=app.pk)
    return render(request, "awards/portal_application.html",
                  portal_context(request, app, upload_form=form))


@login_required
@require_POST
def portal_submit(request: HttpRequest, pk: int) -> HttpResponse:
    app = portal_application_for(request, pk)
    if app.state not in (DRAFT, RETURNED) and rules.can_view_application(request.user, app):
        # A second click on 提交 after the first went through: say so, not "forbidden".
        messages.info(request, _("申报已提交。"))
        return redirect("awards:portal_application", pk=app.pk)
    require(rules.can_edit_application(request.user, app))
    form = SubmitForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            chars = uploads.report_chars(app)
            app = services.application_submit(
                application=app, actor=request.user, report_chars=chars,
                expected_version=form.cleaned_data["expected_version"])
        except ValidationError as err:
            form.add_error(None, err)
        except QawardError as err:
            if isinstance(err, services.StaleVersion):
                app.refresh_from_db()
                if app.state == SUBMITTED:  # the same submission, clicked twice at once
                    messages.info(request, _("申报已提交。"))
                    return redirect("awards:portal_application", pk=app.pk)
                status = 409
            field = getattr(err, "field", None)
            label = SUBMIT_FIELDS.get(field or "")
            form.add_error(None, f"{label()}：{err}" if label else str(err))
        else:
            messages.success(request, _("申报已提交。"))
            return redirect("awards:portal_application", pk=app.pk)
    return render(request, "awards/portal_application.html",
                  portal_context(request, app, submit_form=form), status=status)


SUBMIT_FIELDS: dict[str, Callable[[], str]] = {
    "report": lambda: _("自我评价报告"),
    "profile": lambda: _("申报条件信息"),
    "applications_close_on": lambda: _("申报截止日期"),
}


@login_required
@require_POST
def invitation_respond_view(request: HttpRequest, pk: int, answer: str) -> HttpResponse:
    inv = get_object_or_404(Invitation.objects.select_related("cycle"), pk=pk)
    if inv.applicant_id not in rules.applicant_ids(request.user, inv.jurisdiction_id):
        raise Http404
    if answer not in ("accept", "decline"):
        raise Http404
    try:
        services.invitation_respond(invitation=inv, actor=request.user, accept=answer == "accept")
    except ServiceError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("已接受推荐邀请。") if answer == "accept"
                         else _("已谢绝推荐邀请。"))
    return redirect("awards:portal")


# ---------------------------------------------------------------------------------------------
# Recommending department


def department_memberships(user: Any) -> list[Membership]:
    return list(Membership.objects.filter(user=user, role=Role.DEPARTMENT)
                .select_related("department", "jurisdiction"))


@login_required
def department(request: HttpRequest) -> HttpResponse:
    mine = department_memberships(request.user)
    if not mine:
        raise Http404
    q = Q()
    for m in mine:
        q |= Q(cycle__jurisdiction_id=m.jurisdiction_id) & (
            Q(recommendation__department_id=m.department_id)
            | Q(recommendation__isnull=True, state__in=rules.AWAITING_RECOMMENDATION))
    apps = (Application.objects.filter(q).select_related("applicant", "cycle__policy",
                                                          "recommendation")
            .order_by("recommendation__signed_at", "applicant__name", "pk"))
    page = Paginator(apps, PAGE_SIZE).get_page(request.GET.get("page"))
    for app in page:
        app.state_label = state_names(app.cycle).staff(app.state)
        rec = rules.recommendation_of(app)
        app.signed = bool(rec and rec.signed_at)
    return render(request, "awards/department.html", {"memberships": mine, "page": page})


@login_required
def department_application(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_for(request, pk, rules.is_recommending_department)
    form = None
    if rules.can_recommend(request.user, app):
        form = RecommendationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.recommendation_sign(application=app, actor=request.user,
                                             opinion=form.cleaned_data["opinion"])
            except ServiceError as err:
                show_service_error(form, err)
            else:
                messages.success(request, _("推荐意见已签署。"))
                return redirect("awards:department_application", pk=app.pk)
    elif request.method == "POST":
        raise PermissionDenied
    names = state_names(app.cycle)
    policy = names.policy
    return render(request, "awards/department_application.html", {
        "app": app, "form": form, "state_label": names.staff(app.state),
        "recommendation": rules.recommendation_of(app), "policy": policy,
        "documents": app.documents.order_by("kind", "-uploaded_at"),
        "profile": app.profile_snapshot or app.applicant.profile})
