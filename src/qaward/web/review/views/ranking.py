"""The ranking pages: the ranking overview of a scored stage (office; committee and auditors
read-only), the shortlist (office), the release of the reports and their downloads (the
applicant only their own released reports; the office the score tables)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from qaward.core.errors import QawardError
from qaward.core.workflow import state
from qaward.web.accounts import rules
from qaward.web.common.errors import ServiceError, in_language
from qaward.web.common.views import XLSX, english, login_required, require_POST
from qaward.web.cycles.models import Application, Cycle
from qaward.web.policies.services import policy_of

from .. import ranking as services
from ..models import ReportRelease, Shortlist

# Who sees the ranking: the office, the committee and the auditors (read-only); reviewers see
# only the applications assigned to them (review.access), never the whole ranking.
can_view_ranking = rules.is_office | rules.is_committee | rules.is_auditor

PDF = "application/pdf"


def _cycle(request: HttpRequest, pk: int, *, office: bool = False) -> Cycle:
    """The cycle whose ranking the user may read (else not found); ``office``: and act on
    (403 for the committee and auditors, who read it)."""
    cycle = get_object_or_404(Cycle.objects.select_related("jurisdiction", "policy"), pk=pk)
    if not can_view_ranking(request.user, cycle):
        raise Http404
    if office and not rules.is_office(request.user, cycle):
        raise PermissionDenied
    return cycle


def _download(body: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _stage_name(policy: Any, stage: str) -> str:
    st = state(policy, stage)
    return in_language(st.name_zh, st.name_en)


def _track(request: HttpRequest, policy: Any) -> str | None:
    track = request.GET.get("track") or request.POST.get("track") or None
    if track is None and len(policy.tracks) == 1:
        track = next(iter(policy.tracks))
    if track is not None and track not in policy.tracks:
        raise Http404
    return track


def _tracks(policy: Any) -> list[tuple[str, str]]:
    return [(k, t.name_en if english() else t.name_zh) for k, t in policy.tracks.items()]


@login_required
def ranking_overview(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    cycle = _cycle(request, pk)
    policy = policy_of(cycle)
    if stage not in {s.id.value for s in policy.stages}:
        raise Http404
    track = _track(request, policy)
    is_office = rules.is_office(request.user, cycle)
    if request.GET.get("export") == "xlsx":
        if not is_office:
            raise PermissionDenied
        return _download(services.score_table(cycle, stage, track),
                         f"scores-{cycle.pk}-{stage}.xlsx", XLSX)
    overview = services.ranking_overview(cycle, stage, track)
    names = {s: _stage_name(policy, s) for s in {r.state for r in overview.rows} | {stage}}
    table = reverse("awards:ranking_reviewer_table", args=[0, stage]).replace("/0/", "/{}/")
    rows = _rows_html(overview.rows, names, table if is_office else "", _rule_labels(overview))
    return render(request, "review/ranking_overview.html", {
        "cycle": cycle, "policy": policy, "stage": stage, "stage_name": names[stage],
        "track": track, "tracks": _tracks(policy), "overview": overview, "rows": rows,
        "stages": [(s, _stage_name(policy, s)) for s in services.scored_stages(cycle)],
        "is_office": is_office, "report_stage": stage in services.REPORT_KIND,
        "basis_name": basis_names().get(overview.rule.basis, "") if overview.rule else "",
        "shortlist_stage": services.shortlist_stage(policy),
    })


def basis_names() -> dict[str, str]:
    return {"mean": _("平均分"), "median": _("中位数"), "normalised": _("标准化分"),
            "consensus": _("共识分")}


def _rule_labels(overview: services.Overview) -> dict[str, str]:
    """What to call the rule that separated two rows: the basis, or a tie-break rule."""
    labels = {}
    if overview.rule is not None:
        labels["basis"] = basis_names().get(overview.rule.basis, overview.rule.basis)
        for t in overview.rule.tie_breaks:
            label = t.label_en if english() else t.label_zh
            labels[t.key] = label or t.key
    return labels


def _rows_html(rows: list[services.OverviewRow], names: dict[str, str], table: str,
               labels: dict[str, str]) -> SafeString:
    """The table's rows, built here rather than in the template: the page lists every
    application of the stage (thousands of rows), and the template engine's per-cell cost
    would dominate the page."""
    tied, by_reviewer = escape(_("（并列）")), escape(_("逐位评审员的评分（xlsx）"))
    out = []
    for r in rows:
        rank = f"{r.rank}{' ' + tied if r.shares_rank else ''}" if r.rank else ""
        link = (f' <a href="{table.format(r.application_id)}" title="{by_reviewer}">xlsx</a>'
                if table and r.reviewers else "")
        sep = (f"{escape(labels.get(r.separated_by, r.separated_by))} "
               f'<span class="cite">{escape(r.separated_cite)}</span>' if r.separated_by else "")
        cells = [rank, f"{escape(r.name)}{link}", escape(names[r.state]), r.totals_display,
                 r.mean_display, r.median_display, r.normalised_display, r.spread_display,
                 r.std_display, r.consensus_display, r.score_display, sep]
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return mark_safe("\n".join(out))


def _chosen_and_reasons(request: HttpRequest) -> tuple[list[int], dict[str, str]]:
    chosen = [int(v) for v in request.POST.getlist("chosen") if v.isdigit()]
    reasons = {k.removeprefix("reason_").replace("_", ":", 1): v
               for k, v in request.POST.items() if k.startswith("reason_") and v.strip()}
    return chosen, reasons


@login_required
def shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    """The office ticks its choice beside the ranking; "check" shows what the policy says of
    it (the cap, the departures that need a reason), "fix" fixes it."""
    cycle = _cycle(request, pk)
    policy = policy_of(cycle)
    is_office = rules.is_office(request.user, cycle)
    track = _track(request, policy)
    fixed = Shortlist.objects.filter(cycle=cycle, track=track or "").first()
    chosen: list[int] | None = None
    reasons: dict[str, str] = {}
    error = ""
    announced: int | None = None
    announced_cite = ""
    if request.method == "POST":
        if not is_office:
            raise PermissionDenied
        chosen, reasons = _chosen_and_reasons(request)
        # Fewer places announced in the call than the quotas plan (the cap follows them).
        announced_cite = request.POST.get("announced_cite", "").strip()
        raw = request.POST.get("announced", "").strip()
        if raw:
            if raw.isdigit() and int(raw) > 0:
                announced = int(raw)
            else:
                error = _("申报通知公布的获奖名额须为正整数（announced），请改正后再核对")
        if announced is not None and not announced_cite:
            error = _("填写了申报通知公布的获奖名额时，须写明其依据（如通知文号）")
            announced = None
        if request.POST.get("action") == "fix" and not error:
            starts = request.POST.get("notice_starts_on") or ""
            try:
                services.shortlist_fix(
                    cycle=cycle, chosen_ids=chosen, reasons=reasons, actor=request.user,
                    track=track, announced=announced, announced_cite=announced_cite or None,
                    notice_starts_on=dt.date.fromisoformat(starts) if starts else None)
            except (ServiceError, QawardError, ValueError) as err:
                error = str(err)
            else:
                messages.success(request, _("入围名单已确定。"))
                url = f"{request.path}?track={track}" if track else request.path
                return redirect(url)
    plan = None
    if track is not None and fixed is None:
        try:
            plan = services.shortlist_plan(cycle, track=track, chosen_ids=chosen,
                                           reasons=reasons, announced=announced,
                                           announced_cite=announced_cite or None)
        except (ServiceError, QawardError) as err:
            error = error or str(err)
    result = plan.result if plan else None
    picked = set(result.shortlisted) if result else set()
    names = {}
    if plan:
        names = {s: _stage_name(policy, s) for s in {r.state for r in plan.overview.rows}}
    next_is_notice = False
    if plan:
        next_is_notice = services._next_state(policy, plan.stage).kind == "notice"
    methods = {"ratio_of_awards": _("按获奖总数的比例确定"), "ranking": _("按排名确定"),
               "best_of_good": _("好中选优，由评审办确定")}
    method = services.policy_method_or_none(policy)
    app_names = ({str(r.application_id): r.name for r in plan.overview.rows} if plan else {})
    return render(request, "review/ranking_shortlist.html", {
        "method": method, "method_name": methods.get(method or "", ""),
        "app_names": app_names,
        "cycle": cycle, "policy": policy, "track": track, "tracks": _tracks(policy),
        "plan": plan, "result": result, "picked": picked, "reasons": reasons,
        "error": error or (plan.error if plan else ""), "is_office": is_office,
        "fixed": fixed, "names": names, "next_is_notice": next_is_notice,
        "announced": announced, "announced_cite": announced_cite,
        "entries": (fixed.entries.select_related("application__applicant").order_by("rank")
                    if fixed else []),
        "departures": (fixed.departures.select_related("chosen__applicant",
                                                       "passed_over__applicant")
                       if fixed else []),
    })


@login_required
@require_POST
def reports_release(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    cycle = _cycle(request, pk, office=True)
    try:
        n = services.reports_release(cycle=cycle, stage=stage, actor=request.user)
    except ServiceError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("已向申报方发布 %(n)s 份评审报告。") % {"n": n})
    return redirect("awards:ranking_overview", pk=cycle.pk, stage=stage)


@login_required
def reviewer_table(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """One application's scores reviewer by reviewer (xlsx): the office only."""
    app = get_object_or_404(Application.objects.select_related(
        "cycle__jurisdiction", "cycle__policy", "applicant"), pk=pk)
    if not can_view_ranking(request.user, app.cycle):
        raise Http404
    if not rules.is_office(request.user, app.cycle):
        raise PermissionDenied
    try:
        body = services.reviewer_table(app, stage)
    except ServiceError as err:
        messages.error(request, str(err))
        return redirect("awards:ranking_overview", pk=app.cycle_id, stage=stage)
    return _download(body, f"reviewers-{app.pk}-{stage}.xlsx", XLSX)


def _own_application(request: HttpRequest, pk: int) -> Application:
    app = get_object_or_404(Application.objects.select_related(
        "cycle__jurisdiction", "cycle__policy", "applicant"), pk=pk)
    if not (rules.is_own_applicant(request.user, app) or rules.is_office(request.user, app)):
        raise Http404
    return app


@login_required
def portal_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's released review reports for one application."""
    app = _own_application(request, pk)
    return render(request, "review/ranking_reports.html", {
        "app": app, "reports": services.released_reports(app)})


@login_required
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A released report (PDF): the applicant of the application, or the office."""
    release = get_object_or_404(ReportRelease.objects.defer("pdf"), pk=pk)
    app = _own_application(request, release.application_id)
    try:
        body = services.report_pdf(release)
    except ServiceError as err:
        messages.error(request, str(err))
        return redirect("awards:portal_reports", pk=app.pk)
    return _download(body, f"{release.kind}-{app.pk}.pdf", PDF)
