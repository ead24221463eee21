"""Notices in the pages: the office publishes a stage's notice and handles objections;
the public notice board (公示栏, no login) lists notices and takes real-name objections.
The board reads through ``board.py``, the same functions as the API.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from qaward.core.notices import notice_counting
from qaward.core.states import StageId
from qaward.core.workflow import allowed_targets
from qaward.web.accounts import rules
from qaward.web.accounts.models import Jurisdiction, Role
from qaward.web.audit.services import history
from qaward.web.clock import today as office_today
from qaward.web.common.errors import ServiceError, in_language
from qaward.web.common.forms import show_service_error
from qaward.web.common.templatetags.qaward import person
from qaward.web.common.views import (
    login_required,
    require,
    require_POST,
    wants_xlsx,
    xlsx_response,
)
from qaward.web.cycles.models import Application, Cycle
from qaward.web.cycles.views.pages import (
    StateNames,
    notice_label,
    notice_stages,
    publish_blocked,
    state_names,
)

from . import services
from .board import STATUS_LABELS, filter_by_status, notice_view, notices_qs
from .forms import (
    NoticePublishForm,
    ObjectionAssignForm,
    ObjectionDecideForm,
    ObjectionForm,
    ObjectionLookupForm,
    RemovalDecideForm,
)
from .models import Notice, Objection, ObjectionEvidence


def notice_candidates(cycle: Cycle, stage: str, names: StateNames) -> QuerySet[Application]:
    """Applications that publishing the notice of ``stage`` would list: those in the state
    the notice follows (for the eligibility notice: decided eligible, signed off if needed)."""
    target = names.notice_state(stage)
    if target is None:
        return Application.objects.none()
    sources = [s for s in names.by_id if target.id in allowed_targets(names.policy, s)]
    qs = Application.objects.filter(cycle=cycle, state__in=sources).select_related("applicant")
    if StageId.ELIGIBILITY in sources:
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
                    applications=d["applications"], today=office_today(),
                    sign_off_reason=d["sign_off_reason"])
            except ServiceError as err:
                show_service_error(form, err)
            else:
                messages.success(request,
                                 _("已发布公示：%(title)s，%(period)s（计算依据：%(basis)s）")
                                 % {"title": notice.title, "period": notice.period,
                                    "basis": notice.counting_basis})
                return redirect("awards:cycle_detail", pk=cycle.pk)
    else:
        form = NoticePublishForm(initial={"stage": stage, "starts_on": office_today(),
                                          "applications": list(candidates)},
                                 state_label=names.staff,
                                 stages=stages, candidates=candidates)
    rule = names.policy.notice(stage)
    return render(request, "notices/notice_publish.html", {
        "cycle": cycle, "form": form, "stage_label": dict(stages)[stage], "rule": rule,
        "counting": in_language(*notice_counting(names.policy).basis()),
        "candidates": candidates,
        "blocked": publish_blocked(cycle, names.policy, office_today())})


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
    if wants_xlsx(request):
        return xlsx_response(
            f"objections-{notice.pk}.xlsx", _("异议"),
            ["#", _("收到时间"), _("被异议的申报"), _("异议人"), _("联系电话"), _("证明材料"),
             _("调查核实人"), _("状态")],
            [[o.pk, timezone.localtime(o.submitted_at).strftime("%Y-%m-%d %H:%M"),
              o.application.applicant.name, o.objector_name, o.objector_phone, o.n_evidence,
              person(o.investigator) if o.investigator else "", str(o.get_status_display())]
             for o in objections], [8, 18, 28, 16, 16, 10, 14, 12])
    names = state_names(notice.cycle)
    listed = list(notice.applications.select_related("applicant").order_by("applicant__name"))
    for a in listed:
        a.state_label = names.staff(a.state)
    return render(request, "notices/notice_objections.html", {
        "notice": notice, "objections": objections, "listed": listed,
        "stage_label": notice_label(names.policy, notice.stage)})


def objection_for(request: HttpRequest, pk: int) -> Objection:
    o = get_object_or_404(Objection.objects.select_related(
        "notice__cycle__jurisdiction", "notice__cycle__policy", "application__applicant",
        "investigator"), pk=pk)
    office_notice(request, o.notice)
    return o


def masked(value: str, *, name: bool = False) -> str:
    """``张三`` → ``张*``, ``13800138000`` → ``1380***8000``."""
    n = len(value)
    if not value:
        return "—"
    if name or n <= 2:
        return value[0] + "*" * (n - 1)
    if n <= 8:
        return value[0] + "*" * (n - 2) + value[-1]
    return value[:4] + "*" * (n - 8) + value[-4:]


def objector_of(user: Any, o: Objection) -> dict[str, str]:
    """The objector's personal data for those investigating it; masked for everyone else."""
    if rules.can_view_objector(user, o):
        return {"name": o.objector_name, "id_number": o.objector_id_number,
                "phone": o.objector_phone, "email": o.objector_email or "—", "masked": ""}
    email = o.objector_email
    return {"name": masked(o.objector_name, name=True), "id_number": masked(o.objector_id_number),
            "phone": masked(o.objector_phone),
            "email": (masked(email.split("@")[0], name=True) + "@" + email.split("@")[-1]) if email
            else "—", "masked": "1"}


def objection_page(request: HttpRequest, o: Objection, **forms: Any) -> HttpResponse:
    investigators = get_user_model().objects.filter(
        memberships__jurisdiction=o.notice.cycle.jurisdiction,
        memberships__role__in=[Role.OFFICE, Role.OFFICE_HEAD]).distinct().order_by("username")
    open_ = o.is_open
    may_decide = open_ and services.may_decide(request.user, o)
    earlier = Objection.objects.filter(application=o.application, pk__lt=o.pk).order_by("pk")
    pending = o.removal == Objection.Removal.PENDING
    needs_resolution = o.removal_by in ("committee", "government")
    ctx = {
        "o": o, "notice": o.notice, "evidence": o.evidence.all(),
        "objector": objector_of(request.user, o),
        "history": history("objection", [o.pk]),
        "assign_form": forms.get("assign_form") or (ObjectionAssignForm(
            investigators=investigators, initial={"investigator": o.investigator_id})
            if open_ else None),
        "decide_form": forms.get("decide_form") or (
            ObjectionDecideForm(earlier=earlier) if may_decide else None),
        "decide_refused": open_ and not may_decide,
        "removal_form": forms.get("removal_form") or (
            RemovalDecideForm(needs_resolution=needs_resolution)
            if pending and services.may_record_removal(request.user, o) else None),
        "removal_decider": services.REMOVAL_DECIDERS.get(o.removal_by, o.removal_by),
        "removal_article": services.removal_article(state_names(o.notice.cycle).policy),
        "investigators": investigators,
    }
    return render(request, "notices/objection_detail.html", ctx)


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
    form = ObjectionDecideForm(request.POST, earlier=Objection.objects.filter(
        application=o.application, pk__lt=o.pk))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.objection_decide(objection=o, actor=request.user, outcome=d["outcome"],
                                      findings=d["findings"], reason=d["reason"],
                                      not_accepted_reason=d["not_accepted_reason"],
                                      duplicate_of=d["duplicate_of"])
        except ServiceError as err:
            show_service_error(form, err)
        else:
            messages.success(request, _("已作出异议处理结论。"))
            return redirect("awards:objection_detail", pk=o.pk)
    return objection_page(request, o, decide_form=form)


@login_required
@require_POST
def objection_removal(request: HttpRequest, pk: int) -> HttpResponse:
    o = objection_for(request, pk)
    form = RemovalDecideForm(request.POST,
                             needs_resolution=o.removal_by in ("committee", "government"))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.objection_removal_decide(
                objection=o, actor=request.user, approve=d["decision"] == "approve",
                opinion=d["opinion"], resolution_on=d.get("resolution_on"),
                reference=d.get("reference") or "")
        except ServiceError as err:
            show_service_error(form, err)
        else:
            messages.success(request, _("已记录是否退出评审的决定。"))
            return redirect("awards:objection_detail", pk=o.pk)
    return objection_page(request, o, removal_form=form)


@login_required
def objection_evidence(request: HttpRequest, pk: int) -> FileResponse:
    ev = get_object_or_404(ObjectionEvidence.objects.select_related("objection"), pk=pk)
    objection_for(request, ev.objection_id)
    return FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.original_name)



# ---------------------------------------------------------------------------------------------
# The public notice board (no login)


def notice_list(request: HttpRequest) -> HttpResponse:
    today = office_today()
    jurisdiction = request.GET.get("jurisdiction", "")
    status = request.GET.get("status", "")
    qs = notices_qs()
    if jurisdiction:
        qs = qs.filter(cycle__jurisdiction__code=jurisdiction)
    if status in STATUS_LABELS:
        qs = filter_by_status(qs, status, today)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "notices/public/notice_list.html", {
        "page": page,
        "notices": [notice_view(n, today) for n in page.object_list],
        "jurisdictions": Jurisdiction.objects.filter(cycles__notices__isnull=False)
        .distinct().order_by("name_zh"),
        "selected_jurisdiction": jurisdiction,
        "selected_status": status if status in STATUS_LABELS else "",
        "statuses": list(STATUS_LABELS.items()),
        "today": today,
    })


def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(notices_qs(), pk=pk)
    today = office_today()
    view = notice_view(notice, today)
    error: ServiceError | None = None
    if request.method == "POST":
        form = ObjectionForm(request.POST, request.FILES, listed=view.names)
        if form.is_valid():
            data = form.cleaned_data
            application = notice.applications.get(pk=data["application"])
            try:
                objection = services.objection_submit_with_evidence(
                    notice=notice, application=application, name=data["name"],
                    id_number=data["id_number"], phone=data["phone"],
                    statement=data["statement"], email=data["email"] or "",
                    files=data["evidence"], idempotency_key=data["token"] or "")
            except services.ObjectionRefused as err:
                for field, message in err.problems:  # each on its field
                    form.add_error(field if field in form.fields else None, message)
                error = err
            except ServiceError as err:
                # Shown above the form, with the regulation; what was typed stays in the form,
                # and the field the service names is marked (aria-invalid, its own message).
                error = err
                if err.field in form.fields:
                    form.add_error(err.field, str(err))
            else:
                messages.success(request, _(
                    "您的异议已受理，受理编号 %(number)s。请妥善保存受理编号，凭受理编号和"
                    "身份证号可查询办理进度。评审办将调查核实，并将处理结果告知您和被异议的"
                    "申报方。") % {"number": objection.receipt_no})
                return redirect("public:notice_detail", pk=notice.pk)
    else:
        form = ObjectionForm(listed=view.names, initial={"token": secrets.token_urlsafe(24)})
    return render(request, "notices/public/notice_detail.html", {
        "n": view, "form": form, "service_error": error,
        "files_dropped": request.method == "POST" and bool(request.FILES),
    })



def notice_print(request: HttpRequest, pk: int) -> HttpResponse:
    """A notice to print and post: the list, the dates, the article and the office's contact."""
    notice = get_object_or_404(notices_qs(), pk=pk)
    view = notice_view(notice, office_today())
    return render(request, "notices/public/notice_print.html", {
        "n": view, "office": notice.cycle.jurisdiction})


def objection_status(request: HttpRequest) -> HttpResponse:
    """The objector looks the objection up with its receipt number and identity number:
    status and outcome only, no personal data. POST: the identity number stays out of
    addresses and logs."""
    found: Objection | None = None
    form = ObjectionLookupForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        found = services.objection_lookup(receipt_no=form.cleaned_data["receipt_no"],
                                          id_number=form.cleaned_data["id_number"])
        if found is None:
            form.add_error(None, _(
                "未找到该异议：请核对受理编号和身份证号（或统一社会信用代码）。"))
        else:  # the identity number is not shown back on the page
            form = ObjectionLookupForm(initial={"receipt_no": found.receipt_no})
    return render(request, "notices/public/objection_status.html", {
        "form": form, "o": found})
