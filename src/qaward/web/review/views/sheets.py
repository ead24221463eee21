"""The pages of scoring: the reviewer's sheet (autosave), the team's sheets side by side with
the leader's consensus, the office's progress per stage, the visit plan and the ratings of
two-way supervision, and the applicant's site-review page (report confirmation, ratings).

Every reviewer page goes through ``access.member_for`` (active member, stage, pledge; the
access is recorded). The office sees who has submitted, and scores only once all are in.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from qaward.core.criteria import CriteriaSet, format_points
from qaward.core.errors import QawardError
from qaward.core.states import StageId
from qaward.web.accounts import rules
from qaward.web.common.errors import ServiceError
from qaward.web.common.views import english, login_required, require
from qaward.web.cycles.models import Cycle
from qaward.web.policies.services import policy_of
from qaward.web.review import sheets as services
from qaward.web.review.access import member_for
from qaward.web.review.models import (
    ConsensusItem,
    Sheet,
    SiteReportConfirmation,
    SupervisionRating,
    Team,
    TeamMember,
    VisitPlan,
)

# ---------------------------------------------------------------------------------------------
# Helpers


def _team(request: HttpRequest, pk: int) -> Team:
    """The team, 404 where the user may not see its application at all."""
    team = get_object_or_404(Team.objects.select_related(
        "application__cycle__jurisdiction", "application__cycle__policy",
        "application__applicant", "cycle__jurisdiction"), pk=pk)
    # A reviewer is no staff reader (issue 8): a member of this team (active or not) gets past
    # here to ``member_for``, which says why not (403); anyone else who may not see the
    # application gets 404.
    if not (rules.can_view_application(request.user, team.application)
            or team.members.filter(expert__user_id=request.user.pk).exists()):
        raise Http404
    return team


def _member(request: HttpRequest, team: Team, what: str) -> TeamMember:
    """The user's active membership of this team, while the application is in the team's
    stage (403 otherwise: a reviewer sees an application only in the stage they review),
    access recorded."""
    member = member_for(request.user, team.application, what=what)
    require(member.team_id == team.pk)
    return member


def _stage_name(team: Team) -> str:
    for stage in policy_of(team.cycle).stages:
        if stage.id == team.stage:
            return stage.name_en if english() else stage.name_zh
    return team.stage


def _site_report_rule(policy: Any) -> services.SiteReportRule | None:
    """For display: the rule, or None where there is none or it awaits configuration."""
    try:
        return services.site_report_rule(policy)
    except ServiceError:
        return None


def _points(value: Any) -> str | None:
    return None if value is None else format_points(value)


def _text(zh: str, en: str) -> str:
    return en if english() else zh


def _band_texts(criteria: CriteriaSet, kind: str) -> list[dict[str, Any]]:
    return [{"low": b.low, "high": b.high,
             "text": _text(b.descriptions[kind].zh, b.descriptions[kind].en)}
            for b in criteria.bands]


def _band_text(criteria: CriteriaSet, kind: str, percentage: int | None) -> str:
    if percentage is None:
        return _("尚未评分")
    d = criteria.band_for(percentage).descriptions[kind]
    return _text(d.zh, d.en)


def _items_from_post(request: HttpRequest, criteria: CriteriaSet) -> dict[str, Any]:
    items: dict[str, dict[str, Any]] = {}
    prefixes = {"p": "percentage", "s": "strengths", "o": "opportunities",
                "e": "evidence_notes"}
    for item in criteria.items:
        values = {key: request.POST[f"{p}-{item.id}"] for p, key in prefixes.items()
                  if f"{p}-{item.id}" in request.POST}
        if values:
            items[item.id] = values
    data: dict[str, Any] = {"items": items}
    if "summary" in request.POST:
        data["summary"] = request.POST["summary"]
    return data


# ---------------------------------------------------------------------------------------------
# The reviewer's list and sheet


@login_required
def my_teams(request: HttpRequest) -> HttpResponse:
    """The reviewer's tasks have one list, 我的评审任务 (``review_tasks``): the pledge, the
    material, the sheet and the team page of every assignment."""
    return redirect("awards:review_tasks")


@login_required
def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the member's sheet. POST ``action=save`` (the no-JS button, or the autosave's
    fetch with ``X-Autosave: 1``, answered in JSON) or ``action=submit`` (with the
    confirmation box)."""
    team = _team(request, pk)
    member = _member(request, team, f"score sheet ({team.stage})")
    criteria = services.criteria_for(team.application)
    try:
        the_sheet = services.sheet_for(member)
    except QawardError as err:
        messages.error(request, str(err))
        return redirect("awards:home")
    autosave = request.headers.get("X-Autosave") == "1"
    error: ServiceError | None = None
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action in ("save", "submit"):
                services.sheet_save(member, _items_from_post(request, criteria), request.user)
            if action == "submit":
                if request.POST.get("confirm") != "1":
                    raise ServiceError(_("请勾选确认后再提交评分表（提交后不能修改）"),
                                       field="confirm")
                services.sheet_submit(member, request.user)
        except ServiceError as err:
            if autosave:
                return JsonResponse({"ok": False, "error": str(err), "field": err.field},
                                    status=400)
            error = err
        else:
            if autosave:
                the_sheet.refresh_from_db()
                return JsonResponse({"ok": True,
                                     "saved_at": the_sheet.updated_at.isoformat()})
            messages.success(request, _("评分表已提交，现为只读。") if action == "submit"
                             else _("评分表已保存。"))
            return redirect("awards:review_sheet", pk=team.pk)
    the_sheet = Sheet.objects.prefetch_related("items").get(pk=the_sheet.pk)
    rows = {r.item_id: r for r in the_sheet.items.all()}
    posted = request.POST if error is not None else None
    items = []
    for category in criteria.categories:
        for item in category.items:
            row = rows[item.id]
            value: Any = row.percentage
            if posted is not None and f"p-{item.id}" in posted:
                value = posted[f"p-{item.id}"]
            pct = value if isinstance(value, int) else None
            items.append({
                "item": item, "name": _text(item.name_zh, item.name_en),
                "category": _text(category.name_zh, category.name_en), "row": row,
                "value": "" if value is None else value, "band": _band_text(
                    criteria, item.kind, pct),
                "bands_json": json.dumps(_band_texts(criteria, item.kind), ensure_ascii=False),
                "kind": _text(criteria.kinds[item.kind].name_zh,
                              criteria.kinds[item.kind].name_en),
                "dimensions": _text(criteria.kinds[item.kind].dimensions_zh,
                                    criteria.kinds[item.kind].dimensions_en),
                "error": error is not None and error.field is not None
                and error.field.startswith(f"items.{item.id}."),
            })
    return render(request, "review/sheets_sheet.html", {
        "team": team, "member": member, "sheet": the_sheet, "criteria": criteria,
        "items": items, "readonly": the_sheet.submitted_at is not None, "error": error,
        "stage_name": _stage_name(team), "is_site_review": team.stage == StageId.SITE_REVIEW,
        "criteria_title": _text(criteria.title_zh, criteria.title_en),
    }, status=400 if error is not None else 200)


# ---------------------------------------------------------------------------------------------
# The team's page: every sheet side by side, spread, consensus


def _side_by_side(team: Team, criteria: CriteriaSet, sheets: list[Sheet]) -> list[dict[str, Any]]:
    spreads = {s.item_id: s for s in services.team_spread(team)}
    agreed = {c.item_id: c for c in ConsensusItem.objects.filter(team=team)}
    by_sheet = [{r.item_id: r for r in s.items.all()} for s in sheets]
    rows = []
    for item in criteria.items:
        spread = spreads.get(item.id)
        rows.append({
            "item": item, "name": _text(item.name_zh, item.name_en),
            "cells": [rows_of.get(item.id) for rows_of in by_sheet],
            "spread": spread, "mean": format_points(spread.mean) if spread else "",
            "suggested": (round(spread.mean / criteria.step) * criteria.step
                          if spread else ""),
            "consensus": agreed.get(item.id),
        })
    return rows


@login_required
def team(request: HttpRequest, pk: int) -> HttpResponse:
    """After the member's own submission: all sheets side by side, flagged spreads, and for
    the leader the consensus form per item. POST ``action=consensus|close|rate``."""
    the_team = _team(request, pk)
    member = _member(request, the_team, f"team sheets ({the_team.stage})")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "consensus":
                services.consensus_record(
                    the_team, request.POST.get("item_id", ""), request.POST.get("percentage"),
                    request.POST.get("reason", ""), request.POST.get("strengths", ""),
                    request.POST.get("opportunities", ""), request.user)
                messages.success(request, _("已记录该评分项的共识。"))
            elif action == "close":
                services.consensus_close(the_team, request.user)
                messages.success(request, _("评审组共识已确定。"))
            elif action == "rate":
                services.rating_record(
                    the_team, request.user, direction=services.OF_APPLICANT,
                    member=member, score=request.POST.get("score", ""),
                    comment=request.POST.get("comment", ""))
                messages.success(request, _("评价已记录，将报送相关部门。"))
            else:
                raise ServiceError(_("未知的操作"), field="action")
        except QawardError as err:
            messages.error(request, str(err))
        return redirect("awards:review_team", pk=the_team.pk)
    criteria = services.criteria_for(the_team.application)
    own = Sheet.objects.filter(member=member).prefetch_related("items").first()
    submitted = own is not None and own.submitted_at is not None
    sheets = ([own, *services.sheets_visible_to(member)] if submitted and own else [])
    sheets.sort(key=lambda s: s.member_id)
    progress = services.team_progress(the_team)
    all_in = bool(progress) and all(p.submitted_at is not None for p in progress)
    leader = services.leader_of(the_team)
    is_leader = leader is not None and leader.pk == member.pk
    policy = policy_of(the_team.cycle)
    try:
        rule = services.supervision(policy)
    except ServiceError:
        rule = None
    rated = SupervisionRating.objects.filter(
        member=member, direction=services.OF_APPLICANT).exists()
    return render(request, "review/sheets_team.html", {
        "team": the_team, "member": member, "submitted": submitted, "sheets": sheets,
        "rows": _side_by_side(the_team, criteria, sheets) if submitted else [],
        "progress": progress, "all_in": all_in, "is_leader": is_leader, "leader": leader,
        "can_record": is_leader and all_in and the_team.consensus_at is None,
        "threshold": services.spread_threshold(policy), "step": criteria.step,
        "stage_name": _stage_name(the_team),
        "total": _points(services.consensus_total(the_team)),
        "supervision": rule if the_team.stage == StageId.SITE_REVIEW else None,
        "rated": rated,
    })


# ---------------------------------------------------------------------------------------------
# The office: progress per stage, the visit plan, the ratings


def _office_cycle(request: HttpRequest, pk: int) -> Cycle:
    cycle = get_object_or_404(Cycle.objects.select_related("jurisdiction", "policy"), pk=pk)
    if not rules.can_view_console(request.user, cycle):
        raise Http404
    require(rules.is_office(request.user, cycle))
    return cycle


@login_required
def progress(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """Who has submitted, per team of the stage; scores only for teams whose members are all
    in (independence: the office cannot see a score while a member is still scoring)."""
    cycle = _office_cycle(request, pk)
    policy = policy_of(cycle)
    scored = services.review_stages(policy)
    stages = [s for s in policy.stages if s.id in scored]
    if stage not in {s.id for s in stages}:
        raise Http404
    teams = (Team.objects.filter(cycle=cycle, stage=stage)
             .select_related("application__applicant", "cycle", "application__cycle")
             .order_by("application__pk"))
    rows = []
    for t in teams:
        prog = services.team_progress(t)
        open_ = bool(prog) and all(p.submitted_at is not None for p in prog)
        spreads = services.team_spread(t) if open_ else []
        total = services.consensus_total(t)
        rows.append({"team": t, "progress": prog, "open": open_,
                     "flagged": sum(1 for s in spreads if s.flagged),
                     "total": format_points(total) if total is not None else "",
                     "plan": VisitPlan.objects.filter(team=t).first(),
                     "answer": SiteReportConfirmation.objects.filter(team=t).first()})
    return render(request, "review/sheets_progress.html", {
        "cycle": cycle, "stage": stage, "stages": [
            (s.id, s.name_en if english() else s.name_zh) for s in stages],
        "rows": rows, "threshold": services.spread_threshold(policy),
        "duty": _site_report_rule(policy) if stage == StageId.SITE_REVIEW else None,
    })


@login_required
def visit_plan(request: HttpRequest, pk: int) -> HttpResponse:
    the_team = _team(request, pk)
    require(rules.is_office(request.user, the_team.cycle))
    plan = VisitPlan.objects.filter(team=the_team).first()
    error = None
    if request.method == "POST":
        try:
            day = dt.date.fromisoformat(request.POST.get("date", ""))
        except ValueError:
            day = None
        try:
            services.visit_plan_save(the_team, request.user, date=day,
                                     place=request.POST.get("place", ""),
                                     agenda=request.POST.get("agenda", ""),
                                     participants=request.POST.get("participants", ""))
        except ServiceError as err:
            error = err
        else:
            messages.success(request, _("现场评审计划已保存。"))
            return redirect(reverse("awards:review_progress",
                                    kwargs={"pk": the_team.cycle_id, "stage": the_team.stage}))
    return render(request, "review/sheets_visit_plan.html", {
        "team": the_team, "plan": plan, "error": error, "post": request.POST or None,
        "members": the_team.members.filter(active=True).select_related("expert"),
    }, status=400 if error else 200)


@login_required
def ratings(request: HttpRequest, pk: int) -> HttpResponse:
    """The ratings of two-way supervision, for the body the policy names."""
    cycle = _office_cycle(request, pk)
    policy = policy_of(cycle)
    try:
        rule = services.supervision(policy)
        silent = None
    except ServiceError as err:
        rule, silent = None, str(err)
    none = policy.reviewers.two_way_supervision
    return render(request, "review/sheets_ratings.html", {
        "cycle": cycle, "rule": rule, "silent": silent,
        "none_text": getattr(none, "none", None),
        "ratings": services.ratings_for_body(cycle) if rule else [],
    })


# ---------------------------------------------------------------------------------------------
# The applicant: the site-review page


@login_required
def portal_site_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's page of a site-review team: the visit plan, the report once the
    consensus is closed, its confirmation (where the policy requires it), the ratings of the
    reviewers' conduct (where the policy has two-way supervision)."""
    the_team = _team(request, pk)
    if not rules.is_own_applicant(request.user, the_team.application):
        raise Http404
    if the_team.stage != StageId.SITE_REVIEW:
        raise Http404
    policy = policy_of(the_team.cycle)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("confirm", "object"):
                services.site_report_answer(the_team, request.user,
                                            confirmed=action == "confirm",
                                            objection=request.POST.get("objection", ""))
                messages.success(request, _("已提交对现场评审报告的答复。"))
            elif action == "rate":
                member = get_object_or_404(TeamMember, pk=request.POST.get("member") or 0,
                                           team=the_team)
                services.rating_record(
                    the_team, request.user, direction=services.OF_REVIEWER,
                    member=member, score=request.POST.get("score", ""),
                    comment=request.POST.get("comment", ""))
                messages.success(request, _("评价已记录，将报送相关部门。"))
            else:
                raise ServiceError(_("未知的操作"), field="action")
        except QawardError as err:
            messages.error(request, str(err))
        return redirect("awards:portal_site_review", pk=the_team.pk)
    criteria = services.criteria_for(the_team.application)
    report = []
    if the_team.consensus_at is not None:
        agreed = {c.item_id: c for c in ConsensusItem.objects.filter(team=the_team)}
        report = [{"item": i, "name": _text(i.name_zh, i.name_en), "c": agreed.get(i.id)}
                  for i in criteria.items]
    try:
        rule = services.supervision(policy)
    except ServiceError:
        rule = None
    return render(request, "review/sheets_portal.html", {
        "team": the_team, "plan": VisitPlan.objects.filter(team=the_team).first(),
        "report": report, "duty": _site_report_rule(policy),
        "answer": SiteReportConfirmation.objects.filter(team=the_team).first(),
        "supervision": rule,
        "can_rate": rule is not None and services.site_review_over(the_team),
        "to_rate": services.pending_ratings_of_applicant(the_team) if rule else [],
    })
