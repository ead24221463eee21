"""The office console: the jurisdiction's cycles, opening a cycle, a cycle's applications,
one application (eligibility review, transitions, return for completion) and its files.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from qaward.core import duties
from qaward.core.errors import QawardError
from qaward.core.policy.inspect import no_rules, silent_values
from qaward.core.states import Kind, StageId, kind_of
from qaward.web.accounts import rules
from qaward.web.accounts.models import Role
from qaward.web.clock import today as office_today
from qaward.web.common.errors import ServiceError, StaleVersion
from qaward.web.common.forms import show_service_error
from qaward.web.common.views import (
    PAGE_SIZE,
    done,
    english,
    login_required,
    require,
    require_POST,
    wants_xlsx,
    xlsx_response,
)
from qaward.web.cycles import services
from qaward.web.cycles.forms import (
    ApplicationFilterForm,
    BatchForm,
    ConcludeForm,
    CycleOpenForm,
    CycleRepinForm,
    EligibilityDecisionForm,
    ManualFindingForm,
    OfficeContactForm,
    ReturnForm,
    SignOffForm,
    TransitionForm,
)
from qaward.web.cycles.models import Applicant, Application, Cycle, Document, EligibilityDecision
from qaward.web.policies.models import PolicyVersion
from qaward.web.policies.services import pending_change

from .pages import (
    application_for,
    detail_context,
    notice_stages,
    office_action,
    office_targets,
    publish_blocked,
    refused,
    staff_jurisdiction,
    state_names,
)


@login_required
def console(request: HttpRequest, code: str) -> HttpResponse:
    j = staff_jurisdiction(request, code)
    cycles = (Cycle.objects.filter(jurisdiction=j).select_related("policy")
              .annotate(n_applications=Count("applications")).order_by("-year"))
    return render(request, "cycles/console.html", {
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
    return render(request, "cycles/cycle_open.html", {"jurisdiction": j, "form": form})


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
    if wants_xlsx(request):
        return xlsx_response(
            f"applications-{cycle.pk}.xlsx", _("申报"),
            [_("申报方"), _("类别"), _("行业领域"), _("状态"), _("提交时间"), _("推荐"),
             _("报告字数"), _("资格审查")],
            [[a.applicant.name, dict(tracks).get(a.track, a.track), a.applicant.sector,
              names.staff(a.state),
              a.submitted_at.strftime("%Y-%m-%d") if a.submitted_at else "",
              _("已签署") if getattr(a.recommendation_or_none, "signed_at", None) else "",
              a.report_chars or "",
              a.decision_label] for a in _with_labels(apps)],
            [30, 12, 16, 18, 14, 10, 10, 12])
    page = Paginator(apps, PAGE_SIZE).get_page(request.GET.get("page"))
    for app in page:
        app.state_label = names.staff(app.state)
        app.track_label = dict(tracks).get(app.track, app.track)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    is_office = rules.is_office(request.user, cycle)
    existing = set(cycle.notices.values_list("stage", flat=True))
    blocked = publish_blocked(cycle, policy, office_today()) if is_office else None
    return render(request, "cycles/cycle_detail.html", {
        "cycle": cycle, "policy": policy, "form": form, "page": page, "query": query.urlencode(),
        "counts": [(sid, names.staff(sid), counts[sid]) for sid in names.by_id if sid in counts],
        "total": sum(counts.values()),
        "notices": cycle.notices.annotate(n_objections=Count("objections")).order_by("starts_on"),
        "publishable": [(s, label) for s, label in notice_stages(policy, names)
                        if s not in existing] if is_office else [],
        "publish_blocked": blocked,
        "is_office": is_office,
        "batch_form": BatchForm(cycle=cycle) if is_office else None,
        "policy_change": _policy_change(cycle) if is_office else None,
        "can_repin": rules.is_office_head(request.user, cycle),
        "stages": [(s.id, s.name_en if english() else s.name_zh, s.cite) for s in policy.stages],
        **_duties_context(policy, counts, cycle.status == Cycle.Status.CLOSED),
        "left_open": [(k, v.silent, v.cite) for k, v in silent_values(policy)],
        "no_rules": [(k, v.none, v.cite) for k, v in no_rules(policy)],
    })


def _duty_group_label(policy: Any, group: str) -> str:
    if group == duties.THROUGHOUT:
        return _("全过程")
    if group == duties.AFTER_AWARD:
        return _("表彰之后")
    stage = policy.stage(group)
    return str(stage.name_en if english() else stage.name_zh)


def _duty_rows(items: Any) -> list[tuple[str, str, str]]:
    return [(d.id, d.text_en if english() else d.text_zh, d.cite) for d in items]


def _duties_context(policy: Any, counts: dict[str, int], closed: bool) -> dict[str, Any]:
    """The office's checklist (duties that change no verdict, qaward.core.duties): the
    current stage's, and every stage's."""
    stage = duties.current_stage(policy, counts, closed=closed)
    return {
        "duty_stage": _duty_group_label(policy, stage),
        "duties_now": _duty_rows(duties.checklist(policy, stage)),
        "duties_all": [(_duty_group_label(policy, g), _duty_rows(items))
                       for g, items in duties.by_stage(policy)],
    }


def next_stage(app: Application) -> str | None:
    """Where "move to the next stage" sends an application: the first target the office may
    choose that is a stage, not an end (eligibility, notices, ends are handled one by one)."""
    names = state_names(app.cycle)
    for target, _label in office_targets(app, names):
        if kind_of(target) not in (Kind.END, Kind.NOTICE):
            return target
    return None


@login_required
@require_POST
def application_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """Batch actions on the selected applications of a cycle: each one guarded and audited
    on its own; the summary says what moved and what was refused, and why."""
    cycle = get_object_or_404(Cycle.objects.select_related("jurisdiction", "policy"), pk=pk)
    if not rules.can_view_console(request.user, cycle):
        raise Http404
    require(rules.can_act_on_application(request.user, cycle))
    back = reverse("awards:cycle_detail", args=[cycle.pk])
    query = request.POST.get("query", "")
    if query:
        back = f"{back}?{query}"
    form = BatchForm(request.POST, cycle=cycle)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect(back)
    d = form.cleaned_data
    outcomes = services.application_batch(
        applications=list(d["applications"].order_by("applicant__name", "pk")),
        action=d["action"], actor=request.user, next_target=next_stage, reason=d["reason"])
    names = state_names(cycle)
    moved = [o for o in outcomes if o.moved]
    kept = [o for o in outcomes if not o.moved]
    messages.success(request, _("批量办理：已办理 %(moved)d 件，未办理 %(refused)d 件。")
                     % {"moved": len(moved), "refused": len(kept)})
    for o in moved:
        messages.info(request, _("%(name)s：已转入“%(state)s”") % {
            "name": o.application.applicant.name, "state": names.staff(o.state)})
    for o in kept:
        messages.error(request, _("%(name)s：未办理，%(reason)s") % {
            "name": o.application.applicant.name, "reason": o.reason})
    return redirect(back)


def _with_labels(apps: Any) -> list[Application]:
    """The exported rows: the recommendation and eligibility decision read safely."""
    out = []
    for a in apps:
        a.recommendation_or_none = rules.recommendation_of(a)
        try:
            d = a.eligibility_decision
        except EligibilityDecision.DoesNotExist:
            d = None
        a.decision_label = str(d.get_decision_display()) if d else ""
        out.append(a)
    return out


def _policy_change(cycle: Cycle) -> dict[str, object] | None:
    """The policy file's newest content when it is not the one the cycle pinned: its
    version and the changed values (key, pinned value, new value, article)."""
    change = pending_change(cycle)
    if change is None:
        return None
    current, rows = change
    out = []
    for r in rows:
        either = r.right or r.left
        out.append((r.key, r.left.value if r.left else "—", r.right.value if r.right else "—",
                    either.cite if either else ""))
    return {"version": current, "rows": out}


@login_required
def cycle_repin(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation step, then the office head's move of the cycle to the policy file's
    newest content (``services.cycle_repin``)."""
    cycle = get_object_or_404(Cycle.objects.select_related("jurisdiction", "policy"), pk=pk)
    if not rules.can_view_console(request.user, cycle):
        raise Http404
    require(rules.is_office_head(request.user, cycle))
    change = _policy_change(cycle)
    if request.method == "POST":
        form = CycleRepinForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            target = PolicyVersion.objects.filter(pk=d["to_version"]).first()
            try:
                if target is None:
                    raise ServiceError(_("没有这个管理办法版本"), field="to_version")
                services.cycle_repin(cycle=cycle, to_version=target, actor=request.user,
                                     reason=d["reason"], expected_from=d["from_version"])
            except ServiceError as err:
                if err.field == "reason":
                    show_service_error(form, err)
                else:  # the versions are hidden fields: say it above the form
                    form.add_error(None, str(err))
            else:
                messages.success(request, _("本周期已改按管理办法新版本（%(digest)s）执行。")
                                 % {"digest": target.digest[:12]})
                return redirect("awards:cycle_detail", pk=cycle.pk)
    elif change is None:
        messages.info(request, _("管理办法文件未变化，本周期已依据其最新版本。"))
        return redirect("awards:cycle_detail", pk=cycle.pk)
    else:
        version = change["version"]
        assert isinstance(version, PolicyVersion)
        form = CycleRepinForm(initial={"from_version": cycle.policy.pk,
                                       "to_version": version.pk})
    return render(request, "cycles/cycle_repin.html",
                  {"cycle": cycle, "change": change, "form": form})


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_for(request, pk, rules.reads_application_as_staff)
    return render(request, "cycles/application_detail.html", detail_context(request, app))


@login_required
@require_POST
def eligibility_screen(request: HttpRequest, pk: int) -> HttpResponse:
    app = office_action(request, pk, rules.can_decide_eligibility)
    try:
        result = services.eligibility_screen(application=app, actor=request.user)
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
def manual_check_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The office records its finding on one manual check of the current screening."""
    app = office_action(request, pk, rules.can_decide_eligibility)
    keys = [services.check_key(m) for m in services.manual_checks_of(app)]
    key = request.POST.get("key", "")
    form = ManualFindingForm(request.POST, index=keys.index(key) if key in keys else 0)
    if not form.is_valid():
        return refused(request, app, form, "finding_form")
    try:
        services.manual_check_record(
            application=app, actor=request.user, key=form.cleaned_data["key"],
            met=form.cleaned_data["met"] == "met", note=form.cleaned_data["note"])
    except ServiceError as err:
        if err.field == "key":  # the check is gone (screened again meanwhile): say so above
            messages.error(request, str(err))
            return redirect("awards:application_detail", pk=app.pk)
        return refused(request, app, form, "finding_form", err)
    return done(request, app, _("已记录人工核实结果。"))


@login_required
def head_desk(request: HttpRequest, code: str) -> HttpResponse:
    """The office head's landing page: what waits for the head's sign-off."""
    j = staff_jurisdiction(request, code)
    require(rules.is_office_head(request.user, j))
    waiting = [d for d in EligibilityDecision.objects.filter(
        application__cycle__jurisdiction=j, application__state=StageId.ELIGIBILITY,
        signed_off_at__isnull=True).select_related(
        "application__applicant", "application__cycle", "decided_by")
        .order_by("decided_at") if d.overrides_engine]
    verdicts = {"eligible": _("符合"), "ineligible": _("不符合")}
    for d in waiting:
        d.engine_label = verdicts.get(d.engine_verdict, d.engine_verdict)
    # Upheld objections whose removal the policy leaves to the head (read through the reverse
    # relation: the notices app sits above this one).
    removals = [o for app in Application.objects.filter(
        cycle__jurisdiction=j, objections__status="upheld", objections__removal="pending",
        objections__removal_by=Role.OFFICE_HEAD).distinct().select_related("applicant", "cycle")
        for o in app.objections.filter(status="upheld", removal="pending",
                                       removal_by=Role.OFFICE_HEAD).order_by("decided_at")]
    return render(request, "cycles/head_desk.html", {
        "jurisdiction": j, "waiting": waiting, "removals": removals,
        "can_audit": rules.can_view_audit_log(request.user, j)})


@login_required
def office_contact(request: HttpRequest, code: str) -> HttpResponse:
    """The head edits the office's contact shown on its notices."""
    j = staff_jurisdiction(request, code)
    require(rules.is_office_head(request.user, j))
    form = OfficeContactForm(request.POST or None, initial={
        "address": j.address, "telephone": j.telephone, "objection_email": j.objection_email})
    if request.method == "POST" and form.is_valid():
        try:
            services.office_contact_update(jurisdiction=j, actor=request.user,
                                           **form.cleaned_data)
        except ServiceError as err:
            show_service_error(form, err)
        else:
            messages.success(request, _("已更新评审办联系方式。"))
            return redirect("awards:head_desk", code=j.code)
    return render(request, "cycles/office_contact.html", {"jurisdiction": j, "form": form})


@login_required
def eligibility_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    """The head's sign-off page (GET) and answer (POST): opinion, agree or refuse, confirm."""
    app = office_action(request, pk, rules.can_sign_off_eligibility)
    decision = get_object_or_404(EligibilityDecision.objects.select_related("decided_by"),
                                 application=app)
    if not decision.awaits_sign_off:
        messages.error(request, _("该结论无需或已经签批。"))
        return redirect("awards:application_detail", pk=app.pk)
    form = SignOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refuse = form.cleaned_data["answer"] == "refuse"
        try:
            services.eligibility_sign_off(decision=decision, actor=request.user,
                                          opinion=form.cleaned_data["opinion"], refuse=refuse)
        except ServiceError as err:
            show_service_error(form, err)
        else:
            messages.success(request, _("已签批：不同意，已退回评审办重新审查。") if refuse
                             else _("已签批：同意评审办的结论。"))
            return redirect("awards:head_desk", code=app.cycle.jurisdiction.code)
    verdicts = {"eligible": _("符合"), "ineligible": _("不符合")}
    return render(request, "cycles/sign_off.html", {
        "app": app, "decision": decision, "form": form,
        "engine_label": verdicts.get(decision.engine_verdict, ""),
        "decision_label": verdicts.get(decision.decision, "")})


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
            return refused(request, app, form, "transition_form", StaleVersion())
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
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    doc = get_object_or_404(Document, pk=pk)
    application_for(request, doc.application_id)
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.original_name)

