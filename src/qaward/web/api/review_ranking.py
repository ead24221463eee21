"""The ranking of a scored stage, the shortlist and the released review reports
(``review.ranking``): the same services and permissions as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from qaward.web.accounts import rules
from qaward.web.cycles.models import Application, Cycle
from qaward.web.policies.services import policy_of
from qaward.web.review import ranking as services
from qaward.web.review.models import ReportRelease

from .schemas import ErrorOut

review_ranking = Router(tags=["review"])

can_view_ranking = rules.is_office | rules.is_committee | rules.is_auditor


class RankingRowOut(Schema):
    application_id: int
    name: str
    state: str
    reviewers: int
    totals: list[str]
    mean: str | None
    median: str | None
    normalised: float | None
    spread: str | None
    std: float | None
    consensus: str | None
    score: str | None
    rank: int | None
    shares_rank: bool
    separated_by: str
    separated_cite: str


class RankingOut(Schema):
    stage: str
    track: str | None
    basis: str | None
    basis_cite: str | None
    # The key the office must configure where the regulation is silent (else None).
    needs_configuration: str | None
    problem: str
    rows: list[RankingRowOut]


class ShortlistIn(Schema):
    track: str | None = None
    chosen: list[int]
    # One reason per departure, keyed "chosen_id:passed_over_id".
    reasons: dict[str, str] = Field(default_factory=dict)
    notice_starts_on: dt.date | None = None


class ShortlistOut(Schema):
    id: int
    stage: str
    track: str
    method: str
    cap: int | None
    article: str
    chosen: list[int]
    not_chosen: list[int]
    notice_id: int | None


class ReportOut(Schema):
    id: int
    kind: str
    stage: str
    as_feedback: bool
    released_at: dt.datetime
    article: str
    url: str


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def _cycle(user: Any, pk: int, *, office: bool = False) -> Cycle:
    """As the pages: not found unless the user reads the ranking; ``office``: 403 for the
    committee and auditors, who read it but do not act."""
    cycle = get_object_or_404(Cycle.objects.select_related("jurisdiction", "policy"), pk=pk)
    if not can_view_ranking(user, cycle):
        raise Http404
    if office and not rules.is_office(user, cycle):
        raise HttpError(403, _("只有评审办可以确定入围名单"))
    return cycle


@review_ranking.get("/cycles/{cycle_id}/ranking/{stage}",
                    response={200: RankingOut, 404: ErrorOut},
                    summary="Every application of a scored stage, aggregated and ranked")
def ranking_get(request: HttpRequest, cycle_id: int, stage: str,
                track: str | None = None) -> dict[str, Any]:
    """Mean, median, normalised score and disagreement side by side; ranked by the basis the
    policy or the office's configuration chooses (``needs_configuration`` names the key
    where neither does). The office, the committee and auditors."""
    cycle = _cycle(request.auth, cycle_id)
    policy = policy_of(cycle)
    # As the page: a stage or a track the cycle's policy does not have is not found.
    if stage not in {s.id.value for s in policy.stages} or (
            track is not None and track not in policy.tracks):
        raise Http404
    ov = services.ranking_overview(cycle, stage, track)
    return {
        "stage": stage, "track": track,
        "basis": ov.rule.basis if ov.rule else None,
        "basis_cite": ov.rule.basis_cite if ov.rule else None,
        "needs_configuration": ov.needs_configuration.key if ov.needs_configuration else None,
        "problem": ov.problem,
        "rows": [{"application_id": r.application_id, "name": r.name, "state": r.state,
                  "reviewers": r.reviewers, "totals": [str(t) for t in r.totals],
                  "mean": _s(r.mean), "median": _s(r.median), "normalised": r.normalised,
                  "spread": _s(r.spread), "std": r.std, "consensus": _s(r.consensus),
                  "score": _s(r.score), "rank": r.rank, "shares_rank": r.shares_rank,
                  "separated_by": r.separated_by, "separated_cite": r.separated_cite}
                 for r in ov.rows],
    }


@review_ranking.post("/cycles/{cycle_id}/shortlist",
                     response={201: ShortlistOut, 400: ErrorOut, 403: ErrorOut,
                               404: ErrorOut},
                     summary="Fix the shortlist (the office)")
def shortlist_post(request: HttpRequest, cycle_id: int, payload: ShortlistIn
                   ) -> Status[dict[str, Any]]:
    """400 with the article when the choice breaks the policy's method (over the cap, a
    departure from the ranking without its reason, `ranking` taking a lower one)."""
    cycle = _cycle(request.auth, cycle_id, office=True)
    sl = services.shortlist_fix(cycle=cycle, chosen_ids=payload.chosen,
                                reasons=payload.reasons, actor=request.auth,
                                track=payload.track, notice_starts_on=payload.notice_starts_on)
    entries = list(sl.entries.values_list("application_id", "chosen"))
    return Status(201, {"id": sl.pk, "stage": sl.stage, "track": sl.track, "method": sl.method,
                 "cap": sl.cap, "article": sl.article,
                 "chosen": [a for a, c in entries if c],
                 "not_chosen": [a for a, c in entries if not c], "notice_id": sl.notice_id})


@review_ranking.get("/applications/{application_id}/reports",
                    response={200: list[ReportOut], 404: ErrorOut},
                    summary="The released review reports of an application")
def reports_list(request: HttpRequest, application_id: int) -> list[dict[str, Any]]:
    """The applicant of the application (only their own), or the office."""
    app = get_object_or_404(Application.objects.select_related("cycle__jurisdiction"),
                            pk=application_id)
    if not (rules.is_own_applicant(request.auth, app) or rules.is_office(request.auth, app)):
        raise Http404
    return [{"id": r.pk, "kind": r.kind, "stage": r.stage, "as_feedback": r.as_feedback,
             "released_at": r.released_at, "article": r.article,
             "url": f"/api/review/reports/{r.pk}.pdf"}
            for r in services.released_reports(app)]


@review_ranking.get("/reports/{report_id}.pdf", response={404: ErrorOut},
                    summary="A released review report (PDF)")
def report_get(request: HttpRequest, report_id: int) -> HttpResponse:
    release = get_object_or_404(ReportRelease.objects.defer("pdf"), pk=report_id)
    app = Application.objects.select_related("cycle__jurisdiction").get(
        pk=release.application_id)
    if not (rules.is_own_applicant(request.auth, app) or rules.is_office(request.auth, app)):
        raise Http404
    response = HttpResponse(services.report_pdf(release), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{release.kind}-{app.pk}.pdf"'
    return response
