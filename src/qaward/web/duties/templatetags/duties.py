"""The duties' part of the cycle page (``{% load duties %}``): the office's checklist of the
stage the cycle is at, with what was ticked done (who, when, note), and every stage's list.
The cycles view computes the lists from the policy (qaward.core.duties); this app adds the
records, so the cycles app does not import it."""

from __future__ import annotations

from typing import Any

from django import template

from qaward.web.duties.models import DutyRecord

register = template.Library()


def cycle_duties(context: template.Context) -> dict[str, Any]:
    cycle = context["cycle"]
    done = {r.duty_id: r for r in DutyRecord.objects.filter(cycle=cycle)
            .select_related("done_by")}

    def rows(items: list[tuple[str, str, str]]) -> list[tuple[str, str, str, Any]]:
        return [(i, text, cite, done.get(i)) for i, text, cite in items]

    return {"cycle": cycle, "is_office": context.get("is_office"),
            "duty_stage": context.get("duty_stage"),
            "duties_now": rows(context.get("duties_now") or []),
            "duties_all": [(label, rows(items)) for label, items in
                           context.get("duties_all") or []],
            "csrf_token": context.get("csrf_token")}


# Registered by call rather than by decorator, as in common's tags (typed for mypy).
register.inclusion_tag("duties/_cycle_duties.html", takes_context=True)(cycle_duties)
