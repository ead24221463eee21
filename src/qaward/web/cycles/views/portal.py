"""The applicant portal: the applicant's applications, starting one, the eligibility
profile, uploads and submission.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from qaward.core.errors import QawardError
from qaward.core.states import End, NoticeId
from qaward.core.workflow import DRAFT, RETURNED, SUBMITTED
from qaward.web.accounts import rules
from qaward.web.audit.models import AuditEvent
from qaward.web.audit.services import history
from qaward.web.clock import today as office_today
from qaward.web.common.errors import ServiceError, StaleVersion
from qaward.web.common.forms import show_service_error
from qaward.web.common.views import english, login_required, require, require_POST
from qaward.web.cycles import services
from qaward.web.cycles.forms import (
    ApplicationCreateForm,
    DocumentUploadForm,
    ProfileForms,
    SubmitForm,
)
from qaward.web.cycles.models import Applicant, Application, Cycle, Document
from qaward.web.policies.services import policy_of

from .pages import NEGATIVE, application_for, state_names


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
    """(applicant, open cycle, track) an applicant may still start: a cycle is offered from
    its opening date through its closing date."""
    today = office_today()
    ids = rules.applicant_ids(user)
    applicants = Applicant.objects.filter(pk__in=ids).select_related("jurisdiction")
    taken = set(Application.objects.filter(applicant_id__in=ids).values_list(
        "applicant_id", "cycle_id", "track"))
    cycles = Cycle.objects.filter(
        jurisdiction__in={a.jurisdiction_id for a in applicants}, status=Cycle.Status.OPEN,
        opened_on__lte=today, applications_close_on__gte=today).select_related("policy")
    offers = []
    for a in applicants:
        for c in cycles:
            if c.jurisdiction_id != a.jurisdiction_id:
                continue
            track = policy_of(c).tracks.get(a.kind)
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
    offers = create_offers(request.user)
    return render(request, "cycles/portal.html", {
        "apps": apps,
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
    pending = applicant.invitations.filter(cycle=cycle, accepted_at__isnull=True,
                                           declined_at__isnull=True)
    if pending.exists():
        messages.error(request, _("请先答复推荐邀请，确认申报意愿后再填写申报。"))
        return redirect("awards:portal")
    try:
        app = services.application_create(cycle=cycle, applicant=applicant, track=track,
                                           actor=request.user, today=office_today())
    except ServiceError as err:
        messages.error(request, str(err))
        return redirect("awards:portal")
    messages.success(request, _("已创建申报，请填写申报条件信息并上传材料。"))
    return redirect("awards:portal_application", pk=app.pk)


def report_limit(app: Application) -> Any:
    limit = policy_of(app.cycle).tracks[app.track].report_max_chars
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
    internal = policy.notice_required(NoticeId.INTERNAL)
    outcome = outcome_events([app]).get(app.pk)
    engine = app.engine_result or {}
    return {
        "app": app, "policy": policy, "public_label": names.public(app.state),
        "editable": editable, "outcome": outcome,
        "engine_reasons": engine.get("reasons", []) if app.state == End.INELIGIBLE else [],
        "documents": app.documents.order_by("kind", "-uploaded_at"),
        "recommendation": rules.recommendation_of(app),
        "report_count": last_report_count(app), "report_limit": report_limit(app),
        "internal_notice": internal,
        "internal_cite": policy.notice_rule(NoticeId.INTERNAL).cite,
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
    return render(request, "cycles/portal_application.html", portal_context(request, app))


@login_required
def portal_profile(request: HttpRequest, pk: int) -> HttpResponse:
    app = portal_application_for(request, pk)
    require(rules.can_edit_application(request.user, app))
    today = office_today()
    applicant = app.applicant
    if request.method == "POST":
        profile_forms = ProfileForms(request.POST, track=app.track, today=today)
        if profile_forms.is_valid():
            profile = profile_forms.profile(previous=applicant.profile)
            try:
                services.applicant_profile_update(applicant=applicant, actor=request.user,
                                                  profile=profile)
            except ServiceError as err:
                show_service_error(profile_forms.form, err)
            else:
                messages.success(request, _("申报条件信息已保存。"))
                return redirect("awards:portal_application", pk=app.pk)
    else:
        profile_forms = ProfileForms(track=app.track, today=today, applicant=applicant)
    return render(request, "cycles/portal_profile.html",
                  {"app": app, "form": profile_forms.form, "lists": profile_forms.lists,
                   "adding": profile_forms.adding})


@login_required
@require_POST
def portal_upload(request: HttpRequest, pk: int) -> HttpResponse:
    app = portal_application_for(request, pk)
    require(rules.can_edit_application(request.user, app))
    internal = policy_of(app.cycle).notice_required(NoticeId.INTERNAL)
    form = DocumentUploadForm(request.POST, request.FILES, internal_notice=internal)
    if form.is_valid():
        try:
            doc = services.document_add(application=app, actor=request.user,
                                       kind=form.cleaned_data["kind"],
                                       upload=form.cleaned_data["file"])
        except ValidationError as err:
            form.add_error("file", err)
        except ServiceError as err:
            show_service_error(form, err)
        else:
            messages.success(request, _("已上传：%(name)s") % {"name": doc.original_name})
            return redirect("awards:portal_application", pk=app.pk)
    return render(request, "cycles/portal_application.html",
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
            chars = services.report_chars(app)
            app = services.application_submit(
                application=app, actor=request.user, report_chars=chars,
                expected_version=form.cleaned_data["expected_version"])
        except ValidationError as err:
            form.add_error(None, err)
        except QawardError as err:
            if isinstance(err, StaleVersion):
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
    return render(request, "cycles/portal_application.html",
                  portal_context(request, app, submit_form=form), status=status)


SUBMIT_FIELDS: dict[str, Callable[[], str]] = {
    "report": lambda: _("自我评价报告"),
    "profile": lambda: _("申报条件信息"),
    "applications_close_on": lambda: _("申报截止日期"),
}

