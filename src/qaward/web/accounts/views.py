"""The home page: where each user works, by role (the landing page for visitors).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from qaward.web.accounts import rules
from qaward.web.accounts.models import Jurisdiction


@dataclass(frozen=True)
class Console:
    label: str
    url: str


def consoles(user: Any) -> list[Console]:
    """The pages a logged-in user works on, by role."""
    out: list[Console] = []
    grants = rules.grants(user)
    rows = list(Jurisdiction.objects.filter(pk__in={g.jurisdiction_id for g in grants})
                .values_list("pk", "code", "name_zh"))
    names = {pk: code for pk, code, _name in rows}
    labels = {pk: name for pk, _code, name in rows}
    for jid in sorted(rules.staff_jurisdictions(user)):
        out.append(Console(_("%(place)s 评审工作台") % {"place": labels[jid]},
                           reverse("awards:console", args=[names[jid]])))
    for jid in sorted(rules.staff_jurisdictions(user, rules.OFFICE_HEAD)):
        out.append(Console(_("%(place)s 待签批事项") % {"place": labels[jid]},
                           reverse("awards:head_desk", args=[names[jid]])))
    for jid in sorted(rules.staff_jurisdictions(user, rules.AUDITOR, rules.OFFICE_HEAD)):
        out.append(Console(_("%(place)s 审计日志") % {"place": labels[jid]},
                           reverse("awards:audit_log", args=[names[jid]])))
    if any(g.role == rules.REVIEWER for g in grants):
        out.append(Console(_("我的评审任务"), reverse("awards:review_tasks")))
    if rules.applicant_ids(user):
        out.append(Console(_("我的申报"), reverse("awards:portal")))
    if any(g.role == rules.DEPARTMENT for g in grants):
        out.append(Console(_("推荐工作"), reverse("awards:department")))
    return out


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "accounts/home.html", {"consoles": []})
    mine = consoles(request.user)
    if len(mine) == 1:
        return redirect(mine[0].url)
    return render(request, "accounts/home.html", {"consoles": mine})

