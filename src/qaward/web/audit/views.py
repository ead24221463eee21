"""The auditor's log of a jurisdiction, with the chain check on request.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from qaward.web.accounts import rules
from qaward.web.accounts.models import Jurisdiction
from qaward.web.audit.forms import AuditFilterForm
from qaward.web.audit.models import AuditEvent
from qaward.web.audit.services import verify_chain
from qaward.web.common.templatetags.qaward import (
    ACTION_LABELS,
    action_label,
    entity_label,
    person,
    state_change,
)
from qaward.web.common.views import (
    PAGE_SIZE,
    login_required,
    require,
    wants_xlsx,
    xlsx_response,
)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filtered_events(request: HttpRequest, j: Jurisdiction) -> tuple[AuditFilterForm,
                                                                     QuerySet[AuditEvent]]:
    """The jurisdiction's events and the filter form, the events filtered by what it holds."""
    events = AuditEvent.objects.filter(jurisdiction=j).select_related("actor").order_by("-seq")
    actors = get_user_model().objects.filter(
        pk__in=events.exclude(actor=None).values("actor_id"))
    people = sorted(((str(u.pk), person(u)) for u in actors), key=lambda p: p[1])
    recorded = set(events.values_list("action", flat=True).distinct())
    actions = sorted(((a, action_label(a)) for a in set(ACTION_LABELS) | recorded),
                     key=lambda a: a[1])
    form = AuditFilterForm(request.GET or None, people=people, actions=actions)
    if form.is_valid():
        d: dict[str, Any] = form.cleaned_data
        if d["entity"]:
            events = events.filter(entity=d["entity"])
        if d["date_from"]:
            events = events.filter(at__gte=_day_start(d["date_from"]))
        if d["date_to"]:
            events = events.filter(at__lt=_day_start(d["date_to"] + dt.timedelta(days=1)))
        if d["person"]:
            events = events.filter(actor_id=int(d["person"]))
        if d["action"]:
            events = events.filter(action=d["action"])
    elif form.is_bound:
        events = events.none()
    return form, events


@login_required
def audit_log(request: HttpRequest, code: str) -> HttpResponse:
    j = get_object_or_404(Jurisdiction, code=code)
    if not rules.can_view_console(request.user, j):
        raise Http404
    require(rules.can_view_audit_log(request.user, j))
    form, events = filtered_events(request, j)
    if wants_xlsx(request):
        return xlsx_response(
            f"audit-{j.code}.xlsx", _("审计日志"),
            ["#", _("时间"), _("操作人"), _("对象"), _("操作"), _("状态变化"), _("理由"),
             _("依据"), _("哈希")],
            [[e.seq, timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), e.actor_label,
              f"{entity_label(e.entity)} {e.entity_id}", action_label(e.action),
              state_change(e), e.reason, e.article, e.hash] for e in events],
            [8, 20, 16, 14, 18, 24, 40, 16, 20])
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    chain = verify_chain() if request.GET.get("verify") else None
    query = request.GET.copy()
    for key in ("page", "verify", "export"):
        query.pop(key, None)
    return render(request, "audit/audit_log.html", {
        "jurisdiction": j, "page": page, "form": form, "query": query.urlencode(),
        "chain": chain})
