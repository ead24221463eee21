"""A cycle's review totals per application: mean, median and normalised scores side by side,
with the disagreement.

Input: one :class:`Review` per (application, reviewer) for one stage of one cycle, each with
the reviewer's total (points as `Fraction`, :attr:`ScoreSheet.total`). Output per
application: the exact mean and median (`Fraction`), the per-reviewer normalised scores
(`float`), the mean of those, and the disagreement (spread = highest − lowest total, and the
population standard deviation of the totals).

Normalisation (docs/conventions.md, "Scores, consensus and ranking"): each reviewer's totals
are standardised against that reviewer's own totals in this cycle (z = (x − m_r) / s_r, with
m_r and s_r the mean and population standard deviation of the reviewer's totals), then
rescaled to the pool (normalised = M + z · S, M and S the mean and population standard
deviation of every total in the cycle). A reviewer whose totals cannot be standardised —
one application only, or all totals equal — keeps the raw total as the normalised score
(``fallback`` says which case; ``z`` is None).

Every result is a function of the set of reviews, not of their order: reviews are grouped by
application and reviewer id, and float sums run in a fixed order. One pass over the reviews,
then one per application: O(N) for N reviews (plus sorting inside each group).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from qaward.core.errors import QawardError

Fallback = Literal["single_application", "zero_deviation"]


class AggregationInputError(QawardError):
    """Reviews that cannot be aggregated: names each application and reviewer."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"review totals: {len(problems)} problem(s)\n{lines}")


@dataclass(frozen=True)
class Review:
    application_id: str
    reviewer_id: str
    total: Fraction


@dataclass(frozen=True)
class ReviewerStats:
    """A reviewer's own scoring in the cycle: what their totals are standardised against."""

    reviewer_id: str
    count: int
    mean: Fraction
    variance: Fraction  # population variance, exact
    fallback: Fallback | None

    @property
    def std(self) -> float:
        return math.sqrt(self.variance)


@dataclass(frozen=True)
class NormalisedScore:
    reviewer_id: str
    raw: Fraction
    z: float | None  # None where the reviewer falls back (see ``fallback``)
    normalised: float
    fallback: Fallback | None


@dataclass(frozen=True)
class ApplicationScores:
    application_id: str
    scores: tuple[NormalisedScore, ...]  # by reviewer id
    mean: Fraction
    median: Fraction
    normalised: float  # mean of the reviewers' normalised scores
    spread: Fraction  # highest − lowest total
    std: float  # population standard deviation of the totals
    consensus: Fraction | None = None  # the team's consensus total, where recorded

    @property
    def count(self) -> int:
        return len(self.scores)

    @property
    def totals(self) -> tuple[Fraction, ...]:
        return tuple(s.raw for s in self.scores)


@dataclass(frozen=True)
class Aggregation:
    applications: Mapping[str, ApplicationScores]
    reviewers: Mapping[str, ReviewerStats]
    pool_mean: Fraction
    pool_variance: Fraction

    @property
    def pool_std(self) -> float:
        return math.sqrt(self.pool_variance)

    def __getitem__(self, application_id: str) -> ApplicationScores:
        return self.applications[application_id]


def _moments(values: Iterable[Fraction]) -> tuple[int, Fraction, Fraction]:
    """(count, mean, population variance), exact, in integer arithmetic over the common
    denominator (much faster than summing Fractions one by one)."""
    vs = list(values)
    if not vs:
        raise ValueError("mean of no values")
    d = math.lcm(*(v.denominator for v in vs))
    ns = [v.numerator * (d // v.denominator) for v in vs]
    n, s1, s2 = len(ns), sum(ns), sum(x * x for x in ns)
    return n, Fraction(s1, d * n), Fraction(n * s2 - s1 * s1, d * d * n * n)


def mean(values: Iterable[Fraction]) -> Fraction:
    return _moments(values)[1]


def median(values: Iterable[Fraction]) -> Fraction:
    """The middle value; with an even count, the exact mean of the two middle values."""
    vs = sorted(values)
    if not vs:
        raise ValueError("median of no values")
    mid = len(vs) // 2
    return vs[mid] if len(vs) % 2 else (vs[mid - 1] + vs[mid]) / 2


def variance(values: Iterable[Fraction]) -> Fraction:
    """Population variance (divide by n), exact."""
    return _moments(values)[2]


def _as_fraction(value: object) -> Fraction | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Fraction):
        return Fraction(value)
    return None


def aggregate(
    reviews: Iterable[Review], *, consensus: Mapping[str, Fraction] | None = None
) -> Aggregation:
    """Every application's scores side by side. ``consensus``: application id → the team's
    consensus total, where recorded (ranked on when the basis is ``consensus``)."""
    by_app: dict[str, dict[str, Fraction]] = defaultdict(dict)
    by_reviewer: dict[str, list[Fraction]] = defaultdict(list)
    problems: list[str] = []
    for r in reviews:
        total = _as_fraction(r.total)
        if total is None:
            problems.append(f"application {r.application_id}, reviewer {r.reviewer_id}: "
                            f"total must be a Fraction or int, got {r.total!r}")
            continue
        if r.reviewer_id in by_app[r.application_id]:
            problems.append(f"application {r.application_id}, reviewer {r.reviewer_id}: "
                            "scored twice (one total per reviewer and application)")
            continue
        by_app[r.application_id][r.reviewer_id] = total
        by_reviewer[r.reviewer_id].append(total)
    for aid, c in sorted((consensus or {}).items()):
        if _as_fraction(c) is None:
            problems.append(f"application {aid}: consensus total must be a Fraction or int, "
                            f"got {c!r}")
    unknown = sorted(set(consensus or {}) - set(by_app))
    problems.extend(f"application {a}: a consensus total but no review" for a in unknown)
    if problems:
        raise AggregationInputError(problems)

    everything = [t for ts in by_reviewer.values() for t in ts]
    if not everything:
        return Aggregation({}, {}, Fraction(0), Fraction(0))
    _, pool_mean, pool_var = _moments(everything)
    pool_std = math.sqrt(pool_var)

    stats: dict[str, ReviewerStats] = {}
    for rid in sorted(by_reviewer):
        ts = by_reviewer[rid]
        n, m, var = _moments(ts)
        fallback: Fallback | None = (
            "single_application" if n == 1 else "zero_deviation" if var == 0 else None)
        stats[rid] = ReviewerStats(rid, n, m, var, fallback)

    apps: dict[str, ApplicationScores] = {}
    for aid in sorted(by_app):
        given = by_app[aid]
        scores = []
        for rid in sorted(given):
            raw = given[rid]
            s = stats[rid]
            if s.fallback is None:
                z = float(raw - s.mean) / s.std
                scores.append(NormalisedScore(rid, raw, z, float(pool_mean) + z * pool_std, None))
            else:
                scores.append(NormalisedScore(rid, raw, None, float(raw), s.fallback))
        totals = [s.raw for s in scores]
        _, app_mean, app_var = _moments(totals)
        apps[aid] = ApplicationScores(
            application_id=aid,
            scores=tuple(scores),
            mean=app_mean,
            median=median(totals),
            normalised=math.fsum(s.normalised for s in scores) / len(scores),
            spread=max(totals) - min(totals),
            std=math.sqrt(app_var),
            consensus=None if consensus is None or aid not in consensus
            else Fraction(consensus[aid]),
        )
    return Aggregation(apps, stats, pool_mean, pool_var)
