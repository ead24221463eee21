"""The pool's pages: the office's pool list, import and export, an expert's page (profile,
relations, availability per cycle, sanctions), a cycle's conflicts; the reviewer's pledge and
declaration pages; an office member's own recusal from an application."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from qaward.core.errors import ConfigurationRequired
from qaward.core.review.conflicts import relation_text
from qaward.web.accounts import rules
from qaward.web.accounts.models import Jurisdiction
from qaward.web.common.errors import ServiceError, in_language
from qaward.web.common.forms import show_service_error
from qaward.web.common.views import login_required, require, require_POST
from qaward.web.cycles.models import Application, Cycle
from qaward.web.policies.services import policy_of

from . import services, xlsx
from .forms import (
    AvailabilityForm,
    ConflictFilterForm,
    DecideForm,
    DeclareForm,
    ExpertForm,
    ImportForm,
    PoolFilterForm,
    RelationFormSet,
    SanctionForm,
    StatementForm,
)
from .models import Conflict, Expert, ExpertCycle

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _office_jurisdiction(request: HttpRequest, code: str) -> Jurisdiction:
    j = get_object_or_404(Jurisdiction, code=code)
    if not rules.can_view_console(request.user, j):
        raise Http404
    require(rules.can_manage_pool(request.user, j))
    return j


@login_required
def pool(request: HttpRequest, code: str) -> HttpResponse:
    j = _office_jurisdiction(request, code)
    filters = PoolFilterForm(request.GET or None)
    f = filters.cleaned_data if filters.is_valid() else {}
    experts = services.experts_of(j, sector=f.get("sector", ""), status=f.get("status", ""),
                                  q=f.get("q", ""))
    if request.GET.get("export") == "xlsx":
        response = HttpResponse(xlsx.export_pool(j, experts), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="experts.xlsx"'
        return response
    form = ImportForm()
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = xlsx.import_pool(j, form.cleaned_data["file"].read(), request.user)
            except ServiceError as err:
                show_service_error(form, err)
            else:
                messages.success(request, _("导入完成：新增%(c)s人，更新%(u)s人，未变%(n)s人，"
                                            "%(e)s行有错误。") % {
                    "c": report.created, "u": report.updated, "n": report.unchanged,
                    "e": report.rows_failed})
                experts = services.experts_of(j)
    return render(request, "experts/pool.html", {
        "jurisdiction": j, "experts": experts, "filters": filters, "import_form": form,
        "report": report, "query": request.GET.urlencode()})


@login_required
def expert_new(request: HttpRequest, code: str) -> HttpResponse:
    j = _office_jurisdiction(request, code)
    form = ExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            e = services.expert_create(jurisdiction=j, actor=request.user, **form.values())
        except ServiceError as err:
            show_service_error(form, err)
        else:
            messages.success(request, _("已添加专家。"))
            return redirect("awards:expert_detail", e.pk)
    return render(request, "experts/expert_new.html", {"jurisdiction": j, "form": form})


def _relations_initial(e: Expert) -> list[dict[str, Any]]:
    return [{"id": r.pk, "kind": r.kind, "organization_name": r.organization_name,
             "organization_code": r.organization_code, "since": r.since, "until": r.until}
            for r in e.relations.order_by("kind", "pk")]


def _save_relations(e: Expert, formset: Any, actor: Any) -> None:
    existing = {r.pk: r for r in e.relations.all()}
    for f in formset.forms:
        d = f.cleaned_data
        if not d:
            continue
        rel = existing.get(d.get("id") or 0)
        if d.get("DELETE"):
            if rel is not None:
                services.relation_remove(relation=rel, actor=actor)
            continue
        since, until = d.get("since") or None, d.get("until") or None
        if rel is None:
            services.relation_add(expert=e, actor=actor, kind=d["kind"],
                                  organization_name=d["organization_name"],
                                  organization_code=d.get("organization_code", ""),
                                  since=since, until=until)
        else:
            services.relation_update(relation=rel, actor=actor, kind=d["kind"],
                                     organization_name=d["organization_name"],
                                     organization_code=d.get("organization_code", ""),
                                     since=since, until=until, note=rel.note)


@login_required
def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    e = get_object_or_404(Expert.objects.select_related("jurisdiction", "user"), pk=pk)
    j = _office_jurisdiction(request, e.jurisdiction.code)
    cycles = list(Cycle.objects.filter(jurisdiction=j).select_related("policy")
                  .order_by("-year"))
    form = ExpertForm(initial=ExpertForm.initial_of(e))
    formset = RelationFormSet(initial=_relations_initial(e), prefix="rel")
    what = request.POST.get("what")
    if request.method == "POST" and what == "profile":
        form = ExpertForm(request.POST)
        formset = RelationFormSet(request.POST, initial=_relations_initial(e), prefix="rel")
        if form.is_valid() and formset.is_valid():
            try:
                with transaction.atomic():
                    services.expert_update(expert=e, actor=request.user, **form.values())
                    _save_relations(e, formset, request.user)
            except ServiceError as err:
                show_service_error(form, err)
            else:
                messages.success(request, _("已保存专家信息。"))
                return redirect("awards:expert_detail", e.pk)
    elif request.method == "POST" and what == "availability":
        af = AvailabilityForm(request.POST)
        if af.is_valid():
            cycle = get_object_or_404(Cycle, pk=af.cleaned_data["cycle"], jurisdiction=j)
            try:
                services.availability_set(expert=e, cycle=cycle, actor=request.user,
                                          available=af.cleaned_data["available"],
                                          min_load=af.cleaned_data["min_load"],
                                          max_load=af.cleaned_data["max_load"])
            except ServiceError as err:
                messages.error(request, str(err))
            else:
                messages.success(request, _("已保存本届评审安排。"))
        else:
            messages.error(request, _("请填写评审数（不小于0的整数）。"))
        return redirect(reverse("awards:expert_detail", args=[e.pk]) + "#cycles")
    elif request.method == "POST" and what == "sanction":
        cycle = get_object_or_404(Cycle, pk=request.POST.get("cycle") or 0, jurisdiction=j)
        sf = SanctionForm(request.POST, offered=services.offered_sanctions(policy_of(cycle)))
        if sf.is_valid():
            try:
                services.sanction_record(expert=e, cycle=cycle, actor=request.user,
                                         kind=sf.cleaned_data["kind"],
                                         decision=sf.cleaned_data["decision"],
                                         until=sf.cleaned_data["until"])
            except ServiceError as err:
                messages.error(request, str(err))
            else:
                messages.success(request, _("已登记处理决定。"))
        else:
            messages.error(request, _("请选择管理办法规定的处理方式并写明处理决定。"))
        return redirect(reverse("awards:expert_detail", args=[e.pk]) + "#sanctions")
    per_cycle = {ec.cycle_id: ec for ec in ExpertCycle.objects.filter(expert=e)}
    cycle_rows = []
    for c in cycles:
        ec = per_cycle.get(c.pk)
        cycle_rows.append({"cycle": c, "ec": ec, "form": AvailabilityForm(
            initial={"cycle": c.pk, "available": ec.available if ec else False,
                     "min_load": ec.min_load if ec else 0,
                     "max_load": ec.max_load if ec else 10}, auto_id=f"c{c.pk}-%s")})
    sanction_form = None
    if cycles and rules.can_sanction_experts(request.user, j):
        offered = services.offered_sanctions(policy_of(cycles[0]))
        if offered:
            sanction_form = SanctionForm(initial={"cycle": cycles[0].pk}, offered=offered)
    return render(request, "experts/expert_detail.html", {
        "jurisdiction": j, "expert": e, "form": form, "formset": formset,
        "cycle_rows": cycle_rows, "sanctions": e.sanctions.order_by("-decided_on", "-pk"),
        "sanction_form": sanction_form,
        "conflicts": e.conflicts.select_related("application__applicant", "cycle")
        .order_by("-created_at")[:50]})


@login_required
def cycle_conflicts(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(Cycle.objects.select_related("jurisdiction", "policy"), pk=pk)
    if not rules.can_view_console(request.user, cycle):
        raise Http404
    require(rules.can_decide_conflicts(request.user, cycle))
    if request.method == "POST":
        try:
            if request.POST.get("what") == "detect":
                years_text = request.POST.get("years", "").strip()
                if years_text and not (years_text.isdigit() and int(years_text) <= 50):
                    raise ServiceError(_("曾任职单位回溯年数应为0至50的整数"), field="years")
                r = services.detect_conflicts(cycle, request.user,
                                              years=int(years_text) if years_text else None)
                messages.success(request, _("比对完成：%(p)s对，新增%(c)s条，更新%(u)s条，"
                                            "撤回%(w)s条。") % {
                    "p": r.pairs, "c": r.created, "u": r.updated, "w": r.withdrawn})
            else:
                c = get_object_or_404(Conflict, pk=request.POST.get("conflict") or 0,
                                      cycle=cycle)
                form = DecideForm(request.POST)
                if not form.is_valid():
                    raise ServiceError(_("请选择决定并写明理由"), field="reason")
                services.conflict_decide(conflict=c, actor=request.user,
                                         status=form.cleaned_data["status"],
                                         reason=form.cleaned_data["reason"])
                messages.success(request, _("已记录决定。"))
        except ServiceError as err:
            messages.error(request, str(err))
        except ConfigurationRequired as err:
            messages.error(request, _("管理办法未规定回避情形，须先配置：%(e)s") % {"e": err})
        return redirect(reverse("awards:cycle_conflicts", args=[cycle.pk]) + "?"
                        + request.GET.urlencode())
    filters = ConflictFilterForm(request.GET or None)
    status = filters.cleaned_data.get("status", "") if filters.is_valid() else ""
    rows = list(services.conflicts_of(cycle, status or None))
    recused = services.recused_application_ids(request.user, cycle)
    for c in rows:
        c.relation_label = in_language(*relation_text(c.relation))
        c.recused = c.application_id in recused
    counts = {s: 0 for s in Conflict.Status.values}
    for s in services.conflicts_of(cycle).values_list("status", flat=True):
        counts[s] += 1
    return render(request, "experts/cycle_conflicts.html", {
        "cycle": cycle, "rows": rows, "filters": filters, "counts": counts,
        "decide_form": DecideForm(), "available": len(services.available_experts(cycle)),
        "years": services.past_employer_years(policy_of(cycle)),
        "in_review": services.review_applications(cycle).count()})


def _own_expert(request: HttpRequest, cycle: Cycle) -> Expert:
    e = Expert.objects.filter(user_id=getattr(request.user, "pk", None),
                              jurisdiction_id=cycle.jurisdiction_id).first()
    if e is None:
        raise Http404
    return e


@login_required
def pledge(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(Cycle.objects.select_related("jurisdiction", "policy"), pk=pk)
    e = _own_expert(request, cycle)
    ec = ExpertCycle.objects.filter(expert=e, cycle=cycle).first()
    if request.method == "POST":
        if request.POST.get("agree") != "1":
            messages.error(request, _("请勾选“本人已阅读并承诺遵守”后再签署。"))
        else:
            try:
                services.pledge_sign(e, cycle, request.user)
            except ServiceError as err:
                messages.error(request, str(err))
            else:
                messages.success(request, _("已签署承诺。"))
                return redirect("awards:expert_declare", cycle.pk)
        return redirect("awards:expert_pledge", cycle.pk)
    text = ec.pledge_text if ec and ec.pledge_signed_at else services.pledge_text(
        policy_of(cycle))
    return render(request, "experts/pledge.html", {"cycle": cycle, "expert": e, "ec": ec,
                                                   "text": text})


@login_required
def declare(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(Cycle.objects.select_related("jurisdiction", "policy"), pk=pk)
    e = _own_expert(request, cycle)
    if not services.pledge_signed_for(e, cycle):
        return redirect("awards:expert_pledge", cycle.pk)
    relations = [(r, in_language(*relation_text(r)))
                 for r in services.recusal_relations(policy_of(cycle))]
    if request.method == "POST":
        form = DeclareForm(request.POST, relations=relations)
        if form.is_valid():
            app = get_object_or_404(services.review_applications(cycle),
                                    pk=form.cleaned_data["application"])
            try:
                services.conflict_declare(expert=e, application=app,
                                          relation=form.cleaned_data["relation"],
                                          statement=form.cleaned_data["statement"],
                                          actor=request.user)
            except ServiceError as err:
                messages.error(request, str(err))
            else:
                messages.success(request, _("已申报回避。"))
        else:
            messages.error(request, _("请选择回避情形并说明具体情况。"))
        return redirect("awards:expert_declare", cycle.pk)
    declared = {(c.application_id, c.relation) for c in
                Conflict.objects.filter(expert=e, cycle=cycle, origin="declared")}
    apps = [{"app": a, "form": DeclareForm(initial={"application": a.pk}, relations=relations,
                                           auto_id=f"a{a.pk}-%s"),
             "declared": [in_language(*relation_text(r)) for (ap, r) in declared if ap == a.pk]}
            for a in services.review_applications(cycle).order_by("pk")]
    return render(request, "experts/declare.html", {"cycle": cycle, "expert": e, "apps": apps})


@login_required
@require_POST
def staff_recuse(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_object_or_404(Application.objects.select_related("cycle__jurisdiction"), pk=pk)
    if not rules.can_view_application(request.user, app):
        raise Http404
    require(rules.is_office(request.user, app))
    form = StatementForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError(_("请说明与该申报组织的利害关系"), field="statement")
        services.staff_recusal_declare(application=app, user=request.user,
                                       statement=form.cleaned_data["statement"])
    except ServiceError as err:
        messages.error(request, str(err))
    except ConfigurationRequired as err:
        messages.error(request, _("管理办法未规定工作人员回避，须先配置：%(e)s") % {"e": err})
    else:
        messages.success(request, _("已登记您对该申报的回避；您将不能处理与其有关的事项。"))
    return redirect("awards:application_detail", app.pk)


@login_required
def cycle_pool(request: HttpRequest, pk: int) -> HttpResponse:
    """The pool for one cycle: who is available, with what loads, who signed the pledge; the
    office edits every row in one form (only changed rows are written)."""
    cycle = get_object_or_404(Cycle.objects.select_related("jurisdiction", "policy"), pk=pk)
    if not rules.can_view_console(request.user, cycle):
        raise Http404
    require(rules.can_manage_pool(request.user, cycle))
    experts = services.experts_of(cycle.jurisdiction)
    per = {ec.expert_id: ec for ec in ExpertCycle.objects.filter(cycle=cycle)}
    if request.method == "POST":
        saved, failed = 0, []
        for e in experts:
            key = f"e{e.pk}"
            if f"{key}-min" not in request.POST:
                continue
            ec = per.get(e.pk)
            available = request.POST.get(f"{key}-available") == "on"
            try:
                lo, hi = int(request.POST[f"{key}-min"]), int(request.POST[f"{key}-max"])
            except (KeyError, ValueError):
                failed.append(f"{e.name}：" + _("请填写评审数（不小于0的整数）。"))
                continue
            if ec is None and not available:
                continue
            if ec is not None and (ec.available, ec.min_load, ec.max_load) == (available, lo,
                                                                               hi):
                continue
            try:
                services.availability_set(expert=e, cycle=cycle, actor=request.user,
                                          available=available, min_load=lo, max_load=hi)
                saved += 1
            except ServiceError as err:
                failed.append(f"{e.name}：{err}")
        if saved:
            messages.success(request, _("已保存%(n)s位专家的本届评审安排。") % {"n": saved})
        for f in failed:
            messages.error(request, f)
        return redirect("awards:cycle_pool", cycle.pk)
    rows: list[dict[str, Any]] = [
        {"expert": e, "ec": per.get(e.pk), "can_serve": services.expert_can_serve(e)}
        for e in experts]
    ecs = [ec for ec in per.values() if ec.expert_id in {e.pk for e in experts}]
    return render(request, "experts/cycle_pool.html", {
        "cycle": cycle, "rows": rows, "available": sum(1 for ec in ecs if ec.available),
        "pledged": sum(1 for ec in ecs if ec.pledge_signed_at)})
