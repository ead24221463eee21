"""The auditor's log of a jurisdiction, with the chain check on request.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from qaward.web.accounts import rules
from qaward.web.accounts.models import Jurisdiction
from qaward.web.audit.models import AuditEvent
from qaward.web.audit.services import verify_chain
from qaward.web.common.views import PAGE_SIZE, login_required, require


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
    chain = verify_chain() if request.GET.get("verify") else None
    return render(request, "audit/audit_log.html", {
        "jurisdiction": j, "page": page, "entity": entity, "chain": chain})

