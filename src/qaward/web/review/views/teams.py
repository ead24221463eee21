"""The teams pages: the office's teams of a cycle's scored stage (propose → the proposal with
its explanation → accept; adjust by hand with a reason; the pending conflicts that blocked
pairs), and the reviewer's own pages (我的评审任务, an assigned application's material with
its documents, every view and download logged through ``review.access.member_for``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from qaward.core.errors import QawardError
from qaward.web.accounts import rules
from qaward.web.common.errors import ServiceError, in_language
from qaward.web.common.views import english, login_required, require, require_POST
from qaward.web.cycles.models import Application, Cycle, Document
from qaward.web.experts.models import Expert
from qaward.web.policies.services import policy_of
from qaward.web.review import teams as services
from qaward.web.review.access import member_for, pledge_signed
from qaward.web.review.models import Sheet, Team, TeamMember, TeamProposal


def _office_cycle(request: HttpRequest, pk: int) -> Cycle:
    cycle = get_object_or_404(Cycle.objects.select_related("jurisdiction", "policy"), pk=pk)
    if not rules.can_view_console(request.user, cycle):
        raise Http404
    return cycle


def _stage_name(cycle: Cycle, stage: str) -> str:
    try:
        s = policy_of(cycle).stage(stage)
    except KeyError:
        return stage
    return s.name_en if english() else s.name_zh


def _reason_words(reasons: list[dict[str, Any]]) -> str:
    """The solver's reasons in the reader's language, each conflict with its record number."""
    words = []
    for r in reasons:
        w = in_language(r.get("zh", ""), r.get("en", "")) or str(r.get("kind", ""))
        if r.get("conflict"):
            w += f" #{r['conflict']}"
        words.append(w)
    return ("; " if english() else "；").join(words)


def _proposal_rows(proposal: TeamProposal) -> list[dict[str, Any]]:
    ids = {m["expert"] for t in proposal.teams for m in t["members"]} | {
        w["expert"] for t in proposal.teams for w in t.get("why_not", [])}
    experts = Expert.objects.in_bulk(ids)
    apps = Application.objects.select_related("applicant").in_bulk(
        [t["application"] for t in proposal.teams])
    rows = []
    for t in proposal.teams:
        rows.append({
            "application": apps.get(t["application"]),
            "members": [{**m, "name": experts[m["expert"]].name if m["expert"] in experts
                         else m["expert"]} for m in t["members"]],
            "why_not": [{**w, "name": experts[w["expert"]].name if w["expert"] in experts
                         else w["expert"], "why": _reason_words(w["reasons"])}
                        for w in t.get("why_not", [])],
        })
    return rows


@login_required
def teams_page(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    cycle = _office_cycle(request, pk)
    require(rules.is_office(request.user, cycle))
    policy = policy_of(cycle)
    if stage not in services.review_stages(policy):
        raise Http404
    size_error = None
    size = None
    try:
        size = services.team_size(policy)
    except ServiceError as err:
        size_error = str(err)
    proposal = services.open_proposal(cycle, stage)
    teams = services.teams_of(cycle, stage)
    loads = services.load_summary(cycle)
    ctx = {
        "cycle": cycle, "stage": stage, "stage_name": _stage_name(cycle, stage),
        "stages": [(s, _stage_name(cycle, s)) for s in services.review_stages(policy)],
        "size": size, "size_error": size_error, "leaders_required": services.has_leaders(policy),
        "proposal": proposal, "proposal_rows": _proposal_rows(proposal) if proposal else [],
        "teams": [{"team": t, "members": sorted(t.members.all(),
                                                key=lambda m: (not m.active, not m.is_leader,
                                                               m.pk)),
                   "short": size is not None
                   and sum(1 for m in t.members.all() if m.active) < size.value}
                  for t in teams],
        "pending": services.pending_conflicts(cycle, stage),
        "conflicted": services.conflicted_members(cycle),
        "pool": [(ec.expert, loads.get(ec.expert_id, 0), ec.max_load)
                 for ec in services.pool(cycle)],
    }
    return render(request, "review/teams_stage.html", ctx)


def _back(cycle: Cycle, stage: str) -> HttpResponse:
    return redirect("awards:review_teams", pk=cycle.pk, stage=stage)


@login_required
@require_POST
def teams_propose(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    cycle = _office_cycle(request, pk)
    require(rules.is_office(request.user, cycle))
    try:
        p = services.propose_teams(cycle=cycle, stage=stage, actor=request.user)
    except QawardError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("已生成评审组方案（%(method)s，用时%(seconds).2f秒）")
                         % {"method": p.method, "seconds": p.seconds})
    return _back(cycle, stage)


@login_required
@require_POST
def teams_accept(request: HttpRequest, pk: int, stage: str, proposal: int) -> HttpResponse:
    cycle = _office_cycle(request, pk)
    require(rules.is_office(request.user, cycle))
    prop = get_object_or_404(TeamProposal, pk=proposal, cycle=cycle, stage=stage)
    try:
        formed = services.accept_proposal(proposal=prop, actor=request.user,
                                          reason=request.POST.get("reason", ""))
    except QawardError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("已按方案组建%(n)s个评审组") % {"n": len(formed)})
    return _back(cycle, stage)


@login_required
@require_POST
def teams_recuse_blocked(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """Record the recusal of the members whose conflict the office has confirmed."""
    cycle = _office_cycle(request, pk)
    require(rules.is_office(request.user, cycle))
    done = services.recuse_blocked(cycle, request.user)
    messages.success(request, _("已记录%(n)s名成员回避") % {"n": len(done)})
    return _back(cycle, stage)


@login_required
@require_POST
def team_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    """One hand adjustment of a team: ``action`` add, remove, replace or leader, with a reason."""
    team = get_object_or_404(Team.objects.select_related("cycle__jurisdiction"), pk=pk)
    cycle = team.cycle
    if not rules.can_view_console(request.user, cycle):
        raise Http404
    require(rules.is_office(request.user, cycle))
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")

    def expert() -> Expert:
        try:
            return Expert.objects.get(pk=int(request.POST.get("expert", "")),
                                      jurisdiction=cycle.jurisdiction)
        except (ValueError, Expert.DoesNotExist):
            raise ServiceError(_("请选择专家"), field="expert") from None

    def member() -> TeamMember:
        try:
            return team.members.get(pk=int(request.POST.get("member", "")))
        except (ValueError, TeamMember.DoesNotExist):
            raise ServiceError(_("请选择评审组成员"), field="member") from None

    try:
        if action == "add":
            services.member_add(team=team, expert=expert(), actor=request.user, reason=reason)
        elif action == "remove":
            services.member_remove(member=member(), actor=request.user, reason=reason)
        elif action == "replace":
            services.member_replace(member=member(), expert=expert(), actor=request.user,
                                    reason=reason)
        elif action == "leader":
            services.leader_change(member=member(), actor=request.user, reason=reason)
        elif action == "recuse":
            services.recuse_member(member(), reason, request.user)
        else:
            raise ServiceError(_("未知的调整操作"), field="action")
    except QawardError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("已调整评审组（%(applicant)s）")
                         % {"applicant": team.application.applicant.name})
    return _back(cycle, team.stage)


# ---------------------------------------------------------------------------------------------
# The reviewer's pages


@login_required
def review_tasks(request: HttpRequest) -> HttpResponse:
    tasks = services.tasks_of(request.user)
    sheets = {sh.member_id: sh for sh in Sheet.objects.filter(member__in=tasks)}
    rows = [{"member": m, "app": m.team.application, "sheet": sheets.get(m.pk),
             "stage_name": _stage_name(m.team.cycle, m.team.stage),
             "pledged": pledge_signed(request.user, m.team.application)} for m in tasks]
    return render(request, "review/teams_tasks.html", {"rows": rows})


def _assigned(request: HttpRequest, pk: int, what: str) -> tuple[Application, TeamMember]:
    """The application, if the user is an active member of its team for its current stage
    (pledge signed); else 404 (nobody learns what exists beyond their own tasks). The access
    is recorded as ``what``."""
    app = get_object_or_404(Application.objects.select_related("cycle", "applicant"), pk=pk)
    try:
        member = member_for(request.user, app, what=what)
    except PermissionDenied:
        if any(m.team.application_id == app.pk for m in services.tasks_of(request.user)):
            raise  # their own task, pledge not signed or a conflict: 403 with the reason
        raise Http404 from None
    return app, member


@login_required
def review_application(request: HttpRequest, pk: int) -> HttpResponse:
    app, member = _assigned(request, pk, "page:application")
    return render(request, "review/teams_application.html", {
        "app": app, "member": member, "stage_name": _stage_name(app.cycle, member.team.stage),
        "profile": app.profile_snapshot or app.applicant.profile,
        "documents": app.documents.order_by("kind", "uploaded_at"),
        "colleagues": member.team.members.filter(active=True).select_related("expert"),
    })


@login_required
def review_document(request: HttpRequest, pk: int, doc: int) -> FileResponse:
    d = get_object_or_404(Document, pk=doc, application_id=pk)
    _assigned(request, pk, f"document:{d.pk} {d.original_name}")
    return FileResponse(d.file.open("rb"), as_attachment=True, filename=d.original_name)
