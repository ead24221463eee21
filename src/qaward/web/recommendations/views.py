"""Recommendations in the pages: the department's list and its signing page, the office's
third-party invitations and written consultations, the applicant's answer to an
invitation.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from qaward.core.errors import QawardError
from qaward.web.accounts import rules
from qaward.web.accounts.models import Membership, Role
from qaward.web.common.errors import ServiceError
from qaward.web.common.forms import show_service_error
from qaward.web.common.views import PAGE_SIZE, done, login_required, require, require_POST
from qaward.web.cycles.models import Application, Cycle
from qaward.web.cycles.views.pages import application_for, office_action, refused, state_names

from . import services
from .forms import (
    ConsultationAnswerForm,
    ConsultationForm,
    DeclineForm,
    InvitationForm,
    RecommendationForm,
)
from .models import Consultation, Invitation


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
        app.declined = bool(rec and rec.declined_at)
    return render(request, "recommendations/department.html", {"memberships": mine, "page": page})


@login_required
def department_application(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_for(request, pk, rules.is_recommending_department)
    form = decline_form = None
    if rules.can_recommend(request.user, app):
        declining = request.method == "POST" and "decline" in request.POST
        form = RecommendationForm(None if declining else (request.POST or None))
        decline_form = DeclineForm(request.POST if declining else None)
        if request.method == "POST" and not declining and form.is_valid():
            try:
                services.recommendation_sign(application=app, actor=request.user,
                                             opinion=form.cleaned_data["opinion"])
            except ServiceError as err:
                show_service_error(form, err)
            else:
                messages.success(request, _("推荐意见已签署。"))
                return redirect("awards:department_application", pk=app.pk)
        if declining and decline_form.is_valid():
            try:
                services.recommendation_decline(application=app, actor=request.user,
                                                reason=decline_form.cleaned_data["reason"])
            except ServiceError as err:
                show_service_error(decline_form, err)
            else:
                messages.success(request, _("已作出不予推荐的决定。"))
                return redirect("awards:department_application", pk=app.pk)
    elif request.method == "POST":
        raise PermissionDenied
    names = state_names(app.cycle)
    policy = names.policy
    return render(request, "recommendations/department_application.html", {
        "app": app, "form": form, "decline_form": decline_form,
        "state_label": names.staff(app.state),
        "recommendation": rules.recommendation_of(app), "policy": policy,
        "documents": app.documents.order_by("kind", "-uploaded_at"),
        "profile": app.profile_snapshot or app.applicant.profile})

