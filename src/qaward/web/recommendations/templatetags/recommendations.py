"""The recommendations' parts of the pages of cycles (``{% load recommendations %}``): the
third-party invitations of a cycle, the written consultations of an application, the
invitations awaiting an applicant's answer. The cycles app shows them by tag name, so it
does not import this app."""

from __future__ import annotations

from typing import Any

from django import template

from qaward.core.policy.model import given
from qaward.web.accounts import rules
from qaward.web.recommendations.forms import ConsultationForm, InvitationForm
from qaward.web.recommendations.models import Invitation

register = template.Library()


def cycle_invitations(context: template.Context) -> dict[str, Any]:
    """The office's cycle page: the cycle's invitations and, where the regulation allows
    third parties, the form to record one."""
    cycle, policy = context["cycle"], context["policy"]
    form = None
    rec = policy.recommendation
    if context.get("is_office") and given(rec) and rec.third_party_allowed:
        form = InvitationForm(applicants=cycle.jurisdiction.applicants.filter(
            kind="organization").order_by("name"))
    return {"cycle": cycle, "policy": policy, "invitation_form": form,
            "invitations": cycle.invitations.select_related("applicant").order_by("-created_at"),
            "csrf_token": context.get("csrf_token")}


def application_consultations(context: template.Context) -> dict[str, Any]:
    """The office's application page: its written consultations, an answer form for each
    open one, and the form to record another (the failed one when it was refused)."""
    app = context["app"]
    return {"app": app, "consultations": app.consultations.order_by("asked_at"),
            "consultation_form": context.get("consultation_form") or ConsultationForm(),
            "csrf_token": context.get("csrf_token")}


def pending_invitations(context: template.Context) -> dict[str, Any]:
    """The applicant portal: invitations of the user's applicants (those not yet answered
    ask for an answer)."""
    ids = rules.applicant_ids(context["request"].user)
    return {"invitations": Invitation.objects.filter(applicant_id__in=ids).select_related(
        "cycle", "applicant").order_by("-created_at"), "csrf_token": context.get("csrf_token")}


# Registered by call rather than by decorator, as in common's tags (typed for mypy).
register.inclusion_tag("recommendations/_cycle_invitations.html", takes_context=True)(
    cycle_invitations)
register.inclusion_tag("recommendations/_application_consultations.html", takes_context=True)(
    application_consultations)
register.inclusion_tag("recommendations/_pending_invitations.html", takes_context=True)(
    pending_invitations)
