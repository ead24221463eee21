"""Ticking a duty of the office's checklist on the cycle page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from qaward.web.accounts import rules
from qaward.web.common.errors import ServiceError
from qaward.web.common.views import login_required, require, require_POST
from qaward.web.cycles.models import Cycle

from . import services


@login_required
@require_POST
def duty_done(request: HttpRequest, pk: int, duty_id: str) -> HttpResponse:
    cycle = get_object_or_404(Cycle.objects.select_related("jurisdiction", "policy"), pk=pk)
    if not rules.can_view_console(request.user, cycle):
        raise Http404
    require(rules.is_office(request.user, cycle))
    try:
        services.duty_mark_done(cycle=cycle, duty_id=duty_id, actor=request.user,
                                note=request.POST.get("note", ""))
    except ServiceError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("已记录该事项完成。"))
    return redirect(reverse("awards:cycle_detail", args=[cycle.pk]) + "#duties")
