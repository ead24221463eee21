"""Scores, ranking, shortlist and review reports of a cycle (issue 8).

- **Scores of an application in a stage**: the team's consensus where recorded
  (``Team.consensus_at`` set), else the mean of the submitted sheets of its active members;
  totals by the criteria set's points (``points × percentage / 100``, exact).
- **Ranking overview**: every application of a stage with mean, median, normalised score and
  disagreement side by side (``qaward.core.review.aggregation``), ranked by the basis the
  policy or the office's cited configuration chooses, ties broken by the cited rules
  (``qaward.core.review.ranking``). A fixed number of queries whatever the number of
  applications: every sheet item of the stage in one ``values_list``, the consensus items in
  another, aggregated in Python.
- **Shortlist** (入围名单): :func:`shortlist_fix` checks the office's choice against the
  ranking by the policy's method (``qaward.core.review.shortlist``), moves the chosen on and
  the others to ``not_shortlisted`` through ``application_transition`` in one transaction —
  the chosen through the shortlist notice where the policy requires one — and offers the
  others the material-review feedback where the policy gives it.
- **Reports**: the office releases a stage's reports (:func:`reports_release`); the applicant
  downloads only their own released ones (:func:`report_pdf`). Reviewers' names appear only
  where the policy allows it.

Every call into the pure review core, the documents renderer and the review's policy keys is
in the first section of this module ("The core and the policy").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from typing import Any

from django.db import transaction
from django.db.models import Case, F, IntegerField, Sum, Value, When
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from qaward.core.criteria import format_points, load_criteria
from qaward.core.criteria.model import CriteriaSet
from qaward.core.errors import ConfigurationRequired, QawardError
from qaward.core.policy.model import Policy
from qaward.core.review.aggregation import Aggregation, Review, aggregate
from qaward.core.review.ranking import (
    Ranking,
    RankingInputError,
    TieBreak,
    policy_tie_breaks,
    rank,
)
from qaward.core.review.shortlist import (
    ShortlistInputError,
    ShortlistResult,
    policy_feedback,
    policy_method,
    shortlist_for_policy,
)
from qaward.core.states import End, StageId
from qaward.core.workflow import State, main_line, states
from qaward.web.audit.services import record_event
from qaward.web.clock import now
from qaward.web.clock import today as office_today
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import Application, Cycle
from qaward.web.cycles.services import application_transition
from qaward.web.notices.services import notice_publish
from qaward.web.policies.services import policy_of

from .models import (
    ConsensusItem,
    ReportRelease,
    Sheet,
    SheetItem,
    Shortlist,
    ShortlistDeparture,
    ShortlistEntry,
    Team,
    VisitPlan,
)

# =============================================================================================
# The core and the policy: the one place this module reads the review's policy keys and calls
# the documents renderer.

BASIS_KEY = "review.ranking.basis"
TIE_BREAKS_KEY = "review.ranking.tie_breaks"


@dataclass(frozen=True)
class RankingRule:
    """What ranks a stage: the basis and the tie-break rules, each with its citation."""

    basis: str
    basis_cite: str
    tie_breaks: tuple[TieBreak, ...]
    configured: bool  # the office's configuration (not the regulation) chose it


def ranking_rule(policy: Policy, *, tie_breaks_required: bool = True) -> RankingRule:
    """The basis and tie-break rules of the policy (``review.ranking``), or
    ConfigurationRequired naming the key the office must configure where the regulation is
    silent. ``tie_breaks_required=False``: silent tie-break rules rank without any (equal
    scores share a rank), for a display."""
    basis = policy.ranking_basis()
    cited = policy.review.ranking.basis
    try:
        ties = policy_tie_breaks(policy)
    except ConfigurationRequired:
        if tie_breaks_required:
            raise
        ties = ()
    return RankingRule(str(basis), str(getattr(cited, "cite", "") or ""), ties,
                       getattr(cited, "source", "regulation") == "configuration")


def reviewer_names_allowed(policy: Policy) -> bool:
    """Whether reviewers' names may appear in the reports the applicant receives
    (``review.experts_named_to_applicants``); silence withholds them."""
    return policy.experts_named_to_applicants


def applicant_confirms_site_report(policy: Policy) -> bool:
    try:
        return policy.site_report_confirmation_required()
    except ConfigurationRequired:
        return False


def _documents() -> Any:
    """The renderer (``qaward.web.common.documents``: render_pdf, score_table_xlsx,
    reviewer_table_xlsx); imported on use, as WeasyPrint is heavy to load."""
    return importlib.import_module("qaward.web.common.documents")


def _reports() -> Any:
    """The report dataclasses (``qaward.core.review.reports``: build_report, team_sheet,
    StageTotal, reviewer_table and the three report classes)."""
    return importlib.import_module("qaward.core.review.reports")


def _render_pdf(report: Any, language: str = "zh-hans") -> bytes:
    return bytes(_documents().render_pdf(report, language=language))


def _score_table_xlsx(rows: Sequence[Any], language: str = "zh-hans") -> bytes:
    return bytes(_documents().score_table_xlsx(rows, language=language))


def _reviewer_table_xlsx(table: Any, language: str = "zh-hans") -> bytes:
    return bytes(_documents().reviewer_table_xlsx(table, language=language))


# =============================================================================================
# Scores of a stage: a fixed number of queries


@cache
def _criteria(criteria_id: str) -> CriteriaSet:
    return load_criteria(criteria_id)


@cache
def _points(criteria_id: str) -> dict[str, int]:
    return {item.id: item.points for item in _criteria(criteria_id).items}


def sheet_total(criteria_id: str, percentages: Mapping[str, int | Fraction]) -> Fraction:
    """Σ points × percentage / 100 over the items, exact."""
    points = _points(criteria_id)
    if all(type(p) is int for p in percentages.values()):
        return Fraction(sum(points[i] * p for i, p in percentages.items()), 100)
    return sum((points[i] * Fraction(p) for i, p in percentages.items()), Fraction(0)) / 100


@dataclass
class AppScores:
    """One application's scores in a stage, from the bulk queries: each submitted sheet's
    total and the consensus total; the item percentages only where asked for (``items``)."""

    application_id: int
    name: str
    state: str
    track: str
    criteria_id: str = ""
    totals: dict[int, Fraction] = field(default_factory=dict)  # expert id → sheet total
    consensus_total: Fraction | None = None
    sheets: dict[int, dict[str, int]] = field(default_factory=dict)  # expert → item → %
    consensus: dict[str, int] = field(default_factory=dict)  # item → %, where recorded

    @property
    def reviewers(self) -> int:
        return len(self.totals)

    @property
    def has_consensus(self) -> bool:
        return self.consensus_total is not None

    def percentages(self) -> dict[str, Fraction]:
        """The team's score per item (loaded with ``items=True``): the consensus where
        recorded, else the exact mean."""
        if self.consensus:
            return {i: Fraction(p) for i, p in self.consensus.items()}
        n = len(self.sheets)
        items: dict[str, Fraction] = defaultdict(Fraction)
        for sheet in self.sheets.values():
            for i, p in sheet.items():
                items[i] += Fraction(p, n)
        return dict(items)

    @property
    def score(self) -> Fraction | None:
        """The application's score in the stage: the consensus total, else the mean of the
        sheets' totals (the total of the mean sheet: totals are linear in the items)."""
        if self.consensus_total is not None:
            return self.consensus_total
        if not self.totals:
            return None
        return sum(self.totals.values(), Fraction(0)) / len(self.totals)


@dataclass
class StageScores:
    stage: str
    track: str | None
    apps: dict[int, AppScores]

    def reviews(self) -> list[Review]:
        return [Review(str(a.application_id), str(expert), total)
                for a in self.apps.values() for expert, total in a.totals.items()]

    def consensus_totals(self) -> dict[str, Fraction]:
        return {str(a.application_id): a.consensus_total for a in self.apps.values()
                if a.totals and a.consensus_total is not None}


def _weights(criteria_ids: Iterable[str], *, by_sheet: bool) -> Case:
    """Each item's points as an SQL expression (``percentage × points`` summed is 100 × the
    total, an integer)."""
    return Case(*[When(**({"sheet__criteria_id": c} if by_sheet else {}), item_id=i,
                       then=Value(p))
                  for c in criteria_ids for i, p in _points(c).items()],
                default=Value(0), output_field=IntegerField())


def stage_scores(cycle: Cycle, stage: str, track: str | None = None,
                 *, states_in: Iterable[str] | None = None, items: bool = False
                 ) -> StageScores:
    """Every application with a team for ``stage`` (optionally of ``track``, optionally only
    those now in ``states_in``) with the totals of its active members' submitted sheets and
    its consensus total, summed by the database with the criteria's points: four queries,
    whatever the number of applications. ``items``: also every item percentage (two more)."""
    teams = Team.objects.filter(cycle=cycle, stage=stage)
    if track:
        teams = teams.filter(application__track=track)
    if states_in is not None:
        teams = teams.filter(application__state__in=list(states_in))
    apps = {
        pk: AppScores(pk, name, st, tr)
        for pk, name, st, tr in teams.values_list(
            "application_id", "application__applicant__name", "application__state",
            "application__track")
    }
    submitted = SheetItem.objects.filter(
        sheet__member__team__in=teams, sheet__member__active=True,
        sheet__submitted_at__isnull=False, percentage__isnull=False)
    criteria_ids = sorted(set(Sheet.objects.filter(
        member__team__in=teams, member__active=True, submitted_at__isnull=False,
    ).values_list("criteria_id", flat=True).distinct()))
    if not criteria_ids:
        return StageScores(stage, track, apps)
    for app_id, expert_id, criteria_id, hundredfold in submitted.values_list(
            "sheet__member__team__application_id", "sheet__member__expert_id",
            "sheet__criteria_id").annotate(
            t=Sum(F("percentage") * _weights(criteria_ids, by_sheet=True))).order_by():
        a = apps[app_id]
        a.criteria_id = criteria_id
        a.totals[expert_id] = Fraction(hundredfold, 100)
    agreed = ConsensusItem.objects.filter(team__in=teams, team__consensus_at__isnull=False)
    names = {c: f"c{k}" for k, c in enumerate(criteria_ids)}
    for row in agreed.values("team__application_id").annotate(**{
            names[c]: Sum(F("percentage") * _weights([c], by_sheet=False))
            for c in criteria_ids}).order_by():
        a = apps[row["team__application_id"]]
        if a.criteria_id:
            a.consensus_total = Fraction(row[names[a.criteria_id]], 100)
    if items:
        for app_id, expert_id, item_id, pct in submitted.values_list(
                "sheet__member__team__application_id", "sheet__member__expert_id", "item_id",
                "percentage").iterator(chunk_size=5000):
            apps[app_id].sheets.setdefault(expert_id, {})[item_id] = pct
        for app_id, item_id, pct in agreed.values_list("team__application_id", "item_id",
                                                       "percentage"):
            apps[app_id].consensus[item_id] = pct
    return StageScores(stage, track, apps)


# =============================================================================================
# The ranking overview


@dataclass(frozen=True)
class OverviewRow:
    application_id: int
    name: str
    state: str
    reviewers: int
    totals: tuple[Fraction, ...]
    mean: Fraction | None
    median: Fraction | None
    normalised: float | None
    spread: Fraction | None
    std: float | None
    consensus: Fraction | None
    score: Fraction | None
    rank: int | None = None
    shares_rank: bool = False
    separated_by: str = ""  # the rule that put this row below the one above
    separated_cite: str = ""

    @property
    def score_display(self) -> str:
        return _fmt(self.score)

    @property
    def mean_display(self) -> str:
        return _fmt(self.mean)

    @property
    def median_display(self) -> str:
        return _fmt(self.median)

    @property
    def normalised_display(self) -> str:
        return "" if self.normalised is None else f"{self.normalised:.1f}"

    @property
    def spread_display(self) -> str:
        return _fmt(self.spread)

    @property
    def std_display(self) -> str:
        return "" if self.std is None else f"{self.std:.1f}"

    @property
    def consensus_display(self) -> str:
        return _fmt(self.consensus)

    @property
    def totals_display(self) -> str:
        return " / ".join(_fmt(t) for t in self.totals)


def _fmt(value: Fraction | None) -> str:
    """``format_points`` (one decimal, half up) in integer arithmetic for the overview's
    thousands of cells."""
    if value is None:
        return ""
    if value < 0:
        return format_points(value)
    tenths = (value.numerator * 20 + value.denominator) // (2 * value.denominator)
    return f"{tenths // 10}.{tenths % 10}"


@dataclass
class Overview:
    stage: str
    track: str | None
    rows: list[OverviewRow]
    rule: RankingRule | None = None
    ranking: Ranking | None = None
    aggregation: Aggregation | None = None
    # Why the rows are not ranked: the configuration the office must make, or the problem.
    needs_configuration: ConfigurationRequired | None = None
    # Ranked without tie-break rules: the regulation is silent and the office has not
    # configured them (equal scores share a rank meanwhile).
    tie_breaks_open: ConfigurationRequired | None = None
    problem: str = ""


def _tie_values(cycle: Cycle, rule: RankingRule, scores: StageScores
                ) -> dict[str, dict[str, Any]]:
    """Each application's value for each tie-break key: ``category:<id>`` / ``item:<id>``
    points in the stage (consensus, else mean), ``stage:<id>`` another stage's score,
    ``fact:<field>`` a fact of the applicant's profile."""
    out: dict[str, dict[str, Any]] = {str(a): {} for a in scores.apps}
    other_stages: dict[str, StageScores] = {}
    profiles: dict[int, dict[str, Any]] | None = None
    itemised: StageScores | None = None
    for t in rule.tie_breaks:
        kind, _sep, name = t.key.partition(":")
        for a in scores.apps.values():
            value: Any = None
            if kind in ("category", "item") and a.criteria_id:
                if itemised is None:
                    itemised = stage_scores(cycle, scores.stage, scores.track, items=True)
                pct = itemised.apps[a.application_id].percentages()
                crit = _criteria(a.criteria_id)
                ids = ([i.id for c in crit.categories if c.id == name for i in c.items]
                       if kind == "category" else [name])
                value = sum((_points(a.criteria_id)[i] * pct[i] for i in ids if i in pct),
                            Fraction(0)) / 100
            elif kind == "stage":
                if name not in other_stages:
                    other_stages[name] = stage_scores(cycle, name, scores.track)
                o = other_stages[name].apps.get(a.application_id)
                value = o.score if o is not None else None
            elif kind == "fact":
                if profiles is None:
                    profiles = dict(Application.objects.filter(pk__in=list(scores.apps))
                                    .values_list("pk", "applicant__profile"))
                value = (profiles.get(a.application_id) or {}).get(name)
            else:
                raise ServiceError(
                    _("无法取得排序规则“%(key)s”的数值：应为 category:、item:、stage: 或 "
                      "fact: 开头") % {"key": t.key}, field=TIE_BREAKS_KEY, article=t.cite)
            out[str(a.application_id)][t.key] = value
    return out


def ranking_overview(cycle: Cycle, stage: str, track: str | None = None, *,
                     states_in: Iterable[str] | None = None,
                     tie_breaks_required: bool = False) -> Overview:
    """Every application of the stage, aggregated side by side and ranked where the policy
    (or the office's configuration) says how. Never raises for a missing configuration: the
    overview says which one is needed. Silent tie-break rules rank for the display with
    none (equal scores share a rank), unless ``tie_breaks_required``."""
    policy = policy_of(cycle)
    scores = stage_scores(cycle, stage, track, states_in=states_in)
    scored = StageScores(stage, track, {k: v for k, v in scores.apps.items() if v.totals})
    agg = aggregate(scored.reviews(), consensus=scored.consensus_totals())
    overview = Overview(stage, track, [], aggregation=agg)
    ranks: dict[str, Any] = {}
    try:
        rule = ranking_rule(policy, tie_breaks_required=tie_breaks_required)
        overview.rule = rule
        if not tie_breaks_required:
            try:
                policy.tie_break_rules()
            except ConfigurationRequired as err:
                overview.tie_breaks_open = err
        if agg.applications:
            ranking = rank(agg, rule.basis, basis_cite=rule.basis_cite,
                           tie_breaks=rule.tie_breaks,
                           tie_values=_tie_values(cycle, rule, scored))
            overview.ranking = ranking
            ranks = {r.application_id: r for r in ranking.rows}
    except ConfigurationRequired as err:
        overview.needs_configuration = err
    except (RankingInputError, ServiceError) as err:
        overview.problem = str(err)
    rows = []
    for a in scores.apps.values():
        s = agg.applications.get(str(a.application_id))
        r = ranks.get(str(a.application_id))
        above = r.separated_from_above if r is not None else None
        rows.append(OverviewRow(
            application_id=a.application_id, name=a.name, state=a.state,
            reviewers=a.reviewers, totals=s.totals if s else (),
            mean=s.mean if s else None, median=s.median if s else None,
            normalised=s.normalised if s else None, spread=s.spread if s else None,
            std=s.std if s else None, consensus=s.consensus if s else None,
            score=a.score, rank=r.rank if r else None, shares_rank=bool(r and r.shares_rank),
            separated_by=above.rule if above else "",
            separated_cite=(above.cite or "") if above else ""))
    big = 10**9
    rows.sort(key=lambda x: (x.rank or big, -(x.score or 0), x.application_id))
    overview.rows = rows
    return overview


def scored_stages(cycle: Cycle) -> list[str]:
    """The stages of the cycle that have review teams, in the policy's order."""
    policy = policy_of(cycle)
    have = set(Team.objects.filter(cycle=cycle).values_list("stage", flat=True).distinct())
    return [s.id.value for s in policy.stages if s.id.value in have]


# =============================================================================================
# The shortlist


def english_reader() -> bool:
    return (get_language() or "zh-hans").startswith("en")


def policy_method_or_none(policy: Policy) -> str | None:
    """The policy's shortlist method, or None where the office must configure it."""
    try:
        return policy_method(policy)
    except ConfigurationRequired:
        return None


def shortlist_stage(policy: Policy) -> str | None:
    """The stage after which the shortlist is fixed: the one whose exit is not_shortlisted."""
    for s in policy.stages:
        if s.exit(End.NOT_SHORTLISTED.value) is not None:
            return s.id.value
    return None


def ranked_stage_for(cycle: Cycle, stage: str) -> str:
    """The stage whose scores rank the shortlist: ``stage`` itself where it is scored, else
    the last scored stage before it (瀍河 第十八条 draws the list from the ranking stage, which
    ranks the earlier reviews' scores)."""
    policy = policy_of(cycle)
    have = set(Team.objects.filter(cycle=cycle).values_list("stage", flat=True).distinct())
    order = [s.id.value for s in policy.stages]
    for sid in reversed(order[: order.index(stage) + 1]):
        if sid in have:
            return sid
    return stage


def _next_state(policy: Policy, stage: str) -> State:
    line = main_line(policy)
    target = line[line.index(stage) + 1]
    return next(s for s in states(policy) if s.id == target)


def _tracks(cycle: Cycle, track: str | None) -> str:
    policy = policy_of(cycle)
    if track:
        if track not in policy.tracks:
            raise ServiceError(_("类别“%(track)s”不在本办法中") % {"track": track}, field="track")
        return track
    if len(policy.tracks) == 1:
        return next(iter(policy.tracks))
    raise ServiceError(_("请选择申报类别（组织或个人），入围名单按类别分别确定"), field="track")


@dataclass
class ShortlistPlan:
    """What fixing the shortlist would do: the ranking, the policy's check of the choice."""

    stage: str
    scored_stage: str
    track: str
    overview: Overview
    result: ShortlistResult | None
    error: str = ""
    field: str = ""


def _pairs(reasons: Mapping[Any, str] | None) -> dict[tuple[str, str], str]:
    out = {}
    for k, v in (reasons or {}).items():
        chosen, passed = k if isinstance(k, tuple) else str(k).split(":", 1)
        out[(str(chosen), str(passed))] = v
    return out


def shortlist_plan(cycle: Cycle, *, track: str | None = None,
                   chosen_ids: Sequence[int] | None = None,
                   reasons: Mapping[Any, str] | None = None,
                   announced: int | None = None, announced_cite: str | None = None
                   ) -> ShortlistPlan:
    """The ranking of the applications now in the shortlisting stage and the policy's verdict
    on the choice (or, without one, its proposal where the method makes one)."""
    policy = policy_of(cycle)
    stage = shortlist_stage(policy)
    if stage is None:
        raise ServiceError(_("本办法没有入围环节（没有“未入围”出口）"), field="stage")
    track = _tracks(cycle, track)
    scored = ranked_stage_for(cycle, stage)
    overview = ranking_overview(cycle, scored, track, states_in=[stage],
                                tie_breaks_required=True)
    plan = ShortlistPlan(stage, scored, track, overview, None)
    ranked = {r.application_id for r in overview.rows if r.rank is not None}
    unscored = list(Application.objects.filter(cycle=cycle, state=stage, track=track)
                    .exclude(pk__in=ranked).values_list("applicant__name", flat=True)[:20])
    if overview.needs_configuration is not None:
        plan.error, plan.field = str(overview.needs_configuration), \
            overview.needs_configuration.key
        return plan
    if overview.ranking is None:
        plan.error = overview.problem or _("尚无已提交的评分，无法排名")
        plan.field = "scores"
        return plan
    if unscored:
        plan.error = _("以下申报在“%(stage)s”阶段尚无已提交的评分，不能确定入围名单：%(names)s") % {
            "stage": policy.stage(scored).name_zh if not english_reader()
            else policy.stage(scored).name_en, "names": "、".join(unscored)}
        plan.field = "scores"
        return plan
    try:
        plan.result = shortlist_for_policy(
            policy, track, overview.ranking,
            chosen=None if chosen_ids is None else [str(i) for i in chosen_ids],
            reasons=_pairs(reasons), announced=announced, announced_cite=announced_cite)
    except ConfigurationRequired as err:
        plan.error, plan.field = str(err), err.key
    except ShortlistInputError as err:
        if chosen_ids is None:  # the office chooses: no proposal is an answer, not an error
            return plan
        plan.error, plan.field = "; ".join(err.problems), "chosen"
    return plan


def shortlist_fix(*, cycle: Cycle, chosen_ids: Sequence[int],
                  reasons: Mapping[Any, str] | None, actor: Any, track: str | None = None,
                  notice_starts_on: dt.date | None = None, announced: int | None = None,
                  announced_cite: str | None = None, today: dt.date | None = None) -> Shortlist:
    """Fix the shortlist: check the choice by the policy's method (cap, ranking, a reason for
    every departure), then in one transaction record it, move the chosen to the next stage —
    or publish the shortlist notice with them where the policy requires one — and the others
    to not_shortlisted, and offer them the feedback report where the policy gives one.

    ``reasons``: the office's reason per departure, keyed ``(chosen_id, passed_over_id)`` or
    ``"chosen_id:passed_over_id"``."""
    today = today or office_today()
    policy = policy_of(cycle)
    plan = shortlist_plan(cycle, track=track, chosen_ids=chosen_ids, reasons=reasons,
                          announced=announced, announced_cite=announced_cite)
    cite = policy.shortlist.cite
    if plan.error:
        raise ServiceError(plan.error, field=plan.field, article=cite)
    result = plan.result
    assert result is not None and plan.overview.ranking is not None
    if result.problems:
        raise ServiceError(_("入围名单不符合规定：%(problems)s")
                           % {"problems": "；".join(result.problems)}, field="chosen",
                           article=cite)
    missing = result.departures_needing_reason
    if missing:
        names = {str(r.application_id): r.name for r in plan.overview.rows}
        raise ServiceError(
            _("以下选择偏离了排名，请逐项说明理由：%(pairs)s") % {"pairs": "；".join(
                _("选择“%(chosen)s”（第%(cr)s名）而未选“%(passed)s”（第%(pr)s名）")
                % {"chosen": names[d.chosen], "cr": d.chosen_rank,
                   "passed": names[d.passed_over], "pr": d.passed_over_rank}
                for d in missing)}, field="reasons", article=cite)
    next_state = _next_state(policy, plan.stage)
    if next_state.kind == "notice" and notice_starts_on is None:
        notice_starts_on = today
    feedback = policy_feedback(policy)
    ranking = plan.overview.ranking
    with transaction.atomic():
        Cycle.objects.select_for_update().filter(pk=cycle.pk).first()
        if Shortlist.objects.filter(cycle=cycle, stage=plan.stage, track=plan.track).exists():
            raise ServiceError(_("本周期该类别的入围名单已经确定，不能重复确定"),
                               field="stage", article=cite)
        chosen = set(result.shortlisted)
        sl = Shortlist.objects.create(
            cycle=cycle, stage=plan.stage, scored_stage=plan.scored_stage, track=plan.track,
            method=result.method, cap=result.cap.limit if result.cap else None,
            cap_explanation=result.cap.explanation if result.cap else "", article=cite,
            basis=ranking.basis, basis_cite=ranking.basis_cite or "",
            ranking=[{"application": int(r.application_id), "rank": r.rank,
                      "value": str(r.value), "shares_rank": r.shares_rank}
                     for r in ranking.rows],
            fixed_by=actor, fixed_at=now())
        ShortlistEntry.objects.bulk_create(
            ShortlistEntry(shortlist=sl, application_id=int(r.application_id), rank=r.rank,
                           chosen=r.application_id in chosen) for r in ranking.rows)
        ShortlistDeparture.objects.bulk_create(
            ShortlistDeparture(shortlist=sl, chosen_id=int(d.chosen),
                               passed_over_id=int(d.passed_over), reason=d.reason or "")
            for d in result.departures)
        record_event(
            actor=actor, jurisdiction=cycle.jurisdiction, entity="cycle", entity_id=cycle.pk,
            action="shortlist_fix", article=cite,
            reason="；".join(d.reason or "" for d in result.departures),
            data={"stage": plan.stage, "track": plan.track, "method": result.method,
                  "cap": result.cap.limit if result.cap else None,
                  "cap_explanation": result.cap.explanation if result.cap else "",
                  "basis": ranking.basis, "basis_cite": ranking.basis_cite,
                  "chosen": [int(a) for a in result.shortlisted],
                  "not_chosen": [int(n.application_id) for n in result.not_shortlisted],
                  "departures": [{"chosen": int(d.chosen), "passed_over": int(d.passed_over),
                                  "reason": d.reason} for d in result.departures]})
        apps = {a.pk: a for a in Application.objects.select_related(
            "cycle__jurisdiction", "cycle__policy", "applicant").filter(
            pk__in=[int(r.application_id) for r in ranking.rows])}
        exit_ = policy.stage(plan.stage).exit(End.NOT_SHORTLISTED.value)
        out_cite = (exit_.cite if exit_ and exit_.cite else None) or cite
        for n in result.not_shortlisted:
            application_transition(
                application=apps[int(n.application_id)], target=End.NOT_SHORTLISTED.value,
                actor=actor, today=today,
                reason=_("未列入入围名单（排名第%(rank)s名；%(cite)s）")
                % {"rank": n.rank, "cite": out_cite})
        picked = [apps[int(a)] for a in result.shortlisted]
        if picked and next_state.kind == "notice":
            assert next_state.notice is not None and notice_starts_on is not None
            sl.notice = notice_publish(cycle=cycle, stage=next_state.notice,
                                       starts_on=notice_starts_on, actor=actor,
                                       applications=picked, today=today)
            sl.save(update_fields=["notice"])
        else:
            for app in picked:
                application_transition(application=app, target=next_state.id, actor=actor,
                                       today=today, reason=_("列入入围名单（%(cite)s）")
                                       % {"cite": cite})
        kind = REPORT_KIND.get(plan.scored_stage)
        if feedback is not None and kind is not None:
            for n in result.not_shortlisted:
                _release(apps[int(n.application_id)], plan.scored_stage, kind, actor,
                         article=feedback.cite, as_feedback=True, policy=policy)
    return sl


# =============================================================================================
# Reports


# The report of each scored stage that has one; its kind is the stage's id.
REPORT_KIND: dict[str, str] = {s.value: s.value for s in (
    StageId.MATERIAL_REVIEW, StageId.SITE_REVIEW, StageId.COMPREHENSIVE_EVALUATION)}


def _release(app: Application, stage: str, kind: str, actor: Any, *, article: str,
             as_feedback: bool, policy: Policy) -> ReportRelease | None:
    if ReportRelease.objects.filter(application=app, kind=kind).exists():
        return None
    names = reviewer_names_allowed(policy)
    rel = ReportRelease.objects.create(
        application=app, kind=kind, stage=stage, as_feedback=as_feedback, article=article,
        names_shown=names, released_by=actor, released_at=now())
    record_event(actor=actor, jurisdiction=app.cycle.jurisdiction, entity="application",
                 entity_id=app.pk, action="report_release", article=article,
                 data={"kind": kind, "stage": stage, "as_feedback": as_feedback,
                       "names_shown": names})
    return rel


def reports_release(*, cycle: Cycle, stage: str, actor: Any,
                    application_ids: Iterable[int] | None = None) -> int:
    """Release the reports of ``stage`` to the applicants (every application with a team in
    the stage whose team's scores are in, or those given); returns how many were released."""
    kind = REPORT_KIND.get(stage)
    if kind is None:
        raise ServiceError(_("该阶段没有评审报告"), field="stage")
    policy = policy_of(cycle)
    teams = Team.objects.filter(cycle=cycle, stage=stage).filter(
        members__sheet__submitted_at__isnull=False).distinct()
    if application_ids is not None:
        teams = teams.filter(application_id__in=list(application_ids))
    article = policy.stage(stage).cite
    count = 0
    with transaction.atomic():
        for app in Application.objects.select_related("cycle__jurisdiction").filter(
                pk__in=teams.values("application_id")).order_by("pk"):
            if _release(app, stage, kind, actor, article=article, as_feedback=False,
                        policy=policy) is not None:
                count += 1
    return count


def _team_material(app: Application, stage: str) -> dict[str, Any]:
    """The team's sheets (per active member with a submitted sheet), texts and consensus."""
    team = Team.objects.filter(application=app, stage=stage).first()
    if team is None:  # never reviewed in this stage (e.g. an unscored stage's URL)
        raise ServiceError(_("该申报在此阶段尚无已提交的评分"), field="stage")
    rows = SheetItem.objects.filter(
        sheet__member__team=team, sheet__member__active=True,
        sheet__submitted_at__isnull=False).values_list(
        "sheet__member__expert_id", "sheet__member__expert__name", "sheet__criteria_id",
        "item_id", "percentage", "strengths", "opportunities").order_by(
        "sheet__member__expert_id", "item_id")
    sheets: dict[int, dict[str, int]] = {}
    names: dict[int, str] = {}
    strengths: dict[str, list[str]] = defaultdict(list)
    improvements: dict[str, list[str]] = defaultdict(list)
    criteria_id = ""
    for expert_id, name, crit, item_id, pct, good, better in rows:
        criteria_id = crit
        names[expert_id] = name
        if pct is not None:
            sheets.setdefault(expert_id, {})[item_id] = pct
        if good.strip():
            strengths[item_id].append(good)
        if better.strip():
            improvements[item_id].append(better)
    consensus: dict[str, int] | None = None
    if team.consensus_at is not None:
        consensus = {}
        c_good: dict[str, list[str]] = defaultdict(list)
        c_better: dict[str, list[str]] = defaultdict(list)
        for item_id, pct, good, better in team.consensus.values_list(
                "item_id", "percentage", "strengths", "opportunities"):
            consensus[item_id] = pct
            if good.strip():
                c_good[item_id].append(good)
            if better.strip():
                c_better[item_id].append(better)
        if c_good or c_better:
            strengths, improvements = c_good, c_better
    return {"team": team, "sheets": sheets, "names": names, "criteria_id": criteria_id,
            "strengths": dict(strengths), "improvements": dict(improvements),
            "consensus": consensus}


def build_report(app: Application, stage: str, *, names_shown: bool,
                 date: dt.date | None = None) -> Any:
    """The report of ``app`` for ``stage`` as the documents' dataclass."""
    core_reports = _reports()
    policy = policy_of(app.cycle)
    m = _team_material(app, stage)
    if not m["sheets"]:
        raise ServiceError(_("该申报在此阶段尚无已提交的评分"), field="stage")
    criteria = _criteria(m["criteria_id"])
    order = sorted(m["sheets"])
    if m["consensus"]:
        scores: Any = m["consensus"]
        basis = "consensus"
    else:
        scores = core_reports.team_sheet(criteria, [m["sheets"][e] for e in order])
        basis = "mean"
    cls = next(c for c in (core_reports.MaterialReviewReport, core_reports.SiteReviewReport,
                           core_reports.ComprehensiveEvaluationReport)
               if c.default_stage.value == REPORT_KIND[stage])
    extra: dict[str, Any] = {}
    if stage == StageId.SITE_REVIEW.value:
        extra["applicant_confirms"] = applicant_confirms_site_report(policy)
        plan = VisitPlan.objects.filter(team__application=app, team__stage=stage).first()
        extra["visit_dates"] = (plan.date,) if plan is not None else ()
    if stage == StageId.COMPREHENSIVE_EVALUATION.value:
        totals = []
        for other in scored_stages(app.cycle):
            if other == stage:
                continue
            o = stage_scores(app.cycle, other).apps.get(app.pk)
            if o is not None and o.score is not None:
                totals.append(core_reports.StageTotal(
                    stage=other, total=o.score, total_available=criteria.total_points,
                    basis="consensus" if o.has_consensus else "mean"))
        extra["stage_totals"] = tuple(totals)
    return core_reports.build_report(
        cls, criteria=criteria, scores=scores, basis=basis,
        award_title=policy.award_name_zh, cycle_title=app.cycle.title,
        regulation=policy.title_zh, article=policy.stage(stage).cite,
        applicant_name=app.applicant.name, date=date or office_today(),
        reviewer_count=len(order),
        reviewer_names=[m["names"][e] for e in order] if names_shown else None,
        summary="", stage=stage, strengths=m["strengths"], improvements=m["improvements"],
        **extra)


def released_reports(app: Application) -> list[ReportRelease]:
    return list(ReportRelease.objects.filter(application=app).defer("pdf").order_by("pk"))


def report_pdf(release: ReportRelease) -> bytes:
    """The released report's PDF: made on first download and kept (the same document every
    time after)."""
    if release.pdf:
        return bytes(release.pdf)
    app = Application.objects.select_related("cycle__policy", "applicant").get(
        pk=release.application_id)
    try:
        report = build_report(app, release.stage, names_shown=release.names_shown,
                              date=release.released_at.date())
    except QawardError as err:
        raise ServiceError(str(err), field="report") from None
    pdf = _render_pdf(report)
    with transaction.atomic():
        locked = ReportRelease.objects.select_for_update().get(pk=release.pk)
        if locked.pdf:
            return bytes(locked.pdf)
        locked.pdf, locked.sha256 = pdf, hashlib.sha256(pdf).hexdigest()
        locked.save(update_fields=["pdf", "sha256"])
    return pdf


def score_table(cycle: Cycle, stage: str, track: str | None = None) -> bytes:
    """The office's xlsx score table of a stage: a row per application (points per item,
    subtotals, total; the consensus where recorded, else the mean)."""
    core_reports = _reports()
    policy = policy_of(cycle)
    rows = []
    for a in sorted(stage_scores(cycle, stage, track, items=True).apps.values(),
                    key=lambda x: x.name):
        if not a.sheets:
            continue
        criteria = _criteria(a.criteria_id)
        if a.consensus:
            scores: Any = a.consensus
        else:
            scores = core_reports.team_sheet(criteria, list(a.sheets.values()))
        report = core_reports.build_report(
            core_reports.MaterialReviewReport, criteria=criteria, scores=scores,
            basis="consensus" if a.consensus else "mean", award_title=policy.award_name_zh,
            cycle_title=cycle.title, regulation=policy.title_zh,
            article=policy.stage(stage).cite, applicant_name=a.name, date=office_today(),
            reviewer_count=len(a.sheets), stage=stage)
        rows.append(report.row)
    return _score_table_xlsx(rows)


def reviewer_table(app: Application, stage: str) -> bytes:
    """One application's scores reviewer by reviewer (xlsx, for the office: names shown)."""
    core_reports = _reports()
    m = _team_material(app, stage)
    if not m["sheets"]:
        raise ServiceError(_("该申报在此阶段尚无已提交的评分"), field="stage")
    order = sorted(m["sheets"])
    table = core_reports.reviewer_table(
        _criteria(m["criteria_id"]), applicant_name=app.applicant.name, stage=stage,
        sheets=[m["sheets"][e] for e in order], reviewer_names=[m["names"][e] for e in order],
        consensus=m["consensus"])
    return _reviewer_table_xlsx(table)
