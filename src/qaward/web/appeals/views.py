"""Appeals in the pages: the applicant files one from the portal, the decider decides it on
the office's application page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from qaward.core.errors import QawardError
from qaward.web.accounts import rules
from qaward.web.common.views import login_required, require_POST
from qaward.web.cycles.models import Application

from . import services
from .models import Appeal


@login_required
@require_POST
def appeal_file(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_object_or_404(Application.objects.select_related("cycle__jurisdiction"), pk=pk)
    if not rules.is_own_applicant(request.user, app):
        raise Http404
    try:
        services.appeal_file(application=app, actor=request.user,
                             reason=request.POST.get("reason", ""))
    except QawardError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("申诉已提交，处理期间申报状态保持不变。"))
    return redirect("awards:portal_application", pk=app.pk)


@login_required
@require_POST
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(Appeal.objects.select_related("application__cycle__jurisdiction"),
                               pk=pk)
    if not rules.reads_application_as_staff(request.user, appeal.application):
        raise Http404
    try:
        services.appeal_decide(appeal=appeal, actor=request.user,
                               upheld=request.POST.get("upheld") == "1",
                               findings=request.POST.get("findings", ""))
    except QawardError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("已记录申诉处理结论。"))
    return redirect("awards:application_detail", pk=appeal.application_id)
