"""A review team's sheets side by side: per-item spread, flags for the consensus meeting, and
the check of the consensus the team leader records.

Input is what the team submitted: ``{reviewer_id: {item_id: percentage}}``, each sheet a whole
sheet in the criteria's steps (checked by :func:`qaward.core.criteria.score`). Everything is
exact (`Fraction`); nothing depends on the order in which sheets or items are given.

Rules (docs/conventions.md, "Scores, consensus and ranking"):

- An item is flagged when its spread (highest minus lowest percentage) **exceeds** the
  threshold: with the product default of 20 points, 60/80 is not flagged, 60/85 is.
- The consensus percentage of every item lies on the criteria's step grid. It needs a reason
  where it departs from the team's mean by **more than half a step**: with steps of 5, a mean
  of 72.5 lets the leader write 70 or 75 without a reason, a mean of 71⅔ allows 70 only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from qaward.core.criteria.model import CriteriaSet
from qaward.core.criteria.scoring import ScoreInputError, ScoreSheet, combine, score
from qaward.core.errors import QawardError
from qaward.core.policy.model import DEFAULT_SPREAD_THRESHOLD

# DEFAULT_SPREAD_THRESHOLD (20) is the product default (docs/conventions.md); an office may
# configure another (policy ``review.spread_threshold``; ``Policy.spread_threshold``).
__all__ = [
    "DEFAULT_SPREAD_THRESHOLD",
    "ConsensusCheck",
    "ConsensusError",
    "ConsensusItem",
    "ConsensusRecord",
    "ItemSpread",
    "SpreadReport",
    "check_consensus",
    "needs_reason",
    "spread_report",
    "suggested_consensus",
]

Sheets = Mapping[str, Mapping[str, int]]


class ConsensusError(QawardError):
    """A consensus record that cannot be accepted: names each item and the rule it breaks."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"consensus: {len(problems)} problem(s)\n{lines}")


@dataclass(frozen=True)
class ItemSpread:
    """One item across the team's sheets."""

    item_id: str
    percentages: tuple[tuple[str, int], ...]  # (reviewer, percentage), by reviewer id
    mean: Fraction
    minimum: int
    maximum: int
    flagged: bool  # spread exceeds the threshold: discuss it in the consensus meeting

    @property
    def spread(self) -> int:
        return self.maximum - self.minimum


@dataclass(frozen=True)
class SpreadReport:
    criteria_id: str
    reviewers: tuple[str, ...]  # sorted
    threshold: int
    items: tuple[ItemSpread, ...]  # in the criteria's order
    mean_sheet: ScoreSheet  # the team's exact mean (qaward.core.criteria.combine)

    @property
    def flagged(self) -> tuple[ItemSpread, ...]:
        return tuple(i for i in self.items if i.flagged)

    def item(self, item_id: str) -> ItemSpread:
        for spread in self.items:
            if spread.item_id == item_id:
                return spread
        raise KeyError(item_id)


def _scored(criteria: CriteriaSet, sheets: Sheets) -> dict[str, ScoreSheet]:
    if not sheets:
        raise ScoreInputError(criteria.id, ["no submitted sheet: at least one is needed"])
    problems: list[str] = []
    scored: dict[str, ScoreSheet] = {}
    for reviewer in sorted(sheets):
        try:
            scored[reviewer] = score(criteria, sheets[reviewer])
        except ScoreInputError as e:
            problems.extend(f"reviewer {reviewer}: {p}" for p in e.problems)
    if problems:
        raise ScoreInputError(criteria.id, problems)
    return scored


def spread_report(
    criteria: CriteriaSet, sheets: Sheets, *, threshold: int = DEFAULT_SPREAD_THRESHOLD
) -> SpreadReport:
    """Per item: every reviewer's percentage, the exact mean, min, max, and the flag."""
    if type(threshold) is not int or threshold < 0:
        raise ValueError(f"spread threshold must be a whole number ≥ 0, got {threshold!r}")
    scored = _scored(criteria, sheets)
    reviewers = tuple(scored)
    items = []
    for item in criteria.items:
        values = tuple((r, sheets[r][item.id]) for r in reviewers)
        pcts = [v for _, v in values]
        lo, hi = min(pcts), max(pcts)
        items.append(ItemSpread(
            item_id=item.id,
            percentages=values,
            mean=Fraction(sum(pcts), len(pcts)),
            minimum=lo,
            maximum=hi,
            flagged=hi - lo > threshold,
        ))
    return SpreadReport(
        criteria_id=criteria.id,
        reviewers=reviewers,
        threshold=threshold,
        items=tuple(items),
        mean_sheet=combine(scored.values()),
    )


def needs_reason(mean: Fraction, percentage: int, step: int) -> bool:
    """A consensus percentage departs from the mean by more than half a step."""
    return abs(Fraction(percentage) - mean) * 2 > step


def suggested_consensus(criteria: CriteriaSet, sheets: Sheets) -> dict[str, int]:
    """Per item, the step nearest the mean (halves go up): a start for the leader that never
    needs a reason."""
    report = spread_report(criteria, sheets)
    step = criteria.step
    out = {}
    for item in report.items:
        k = item.mean / step
        nearest = int(k + Fraction(1, 2))  # k ≥ 0: floor(k + ½) is round half up
        out[item.item_id] = nearest * step
    return out


@dataclass(frozen=True)
class ConsensusRecord:
    """What the team leader records after the consensus meeting."""

    leader: str
    percentages: Mapping[str, int]
    reasons: Mapping[str, str]  # item id -> reason; needed where the consensus departs


@dataclass(frozen=True)
class ConsensusItem:
    item_id: str
    percentage: int
    mean: Fraction
    flagged: bool  # the team's spread exceeded the threshold
    departs: bool  # more than half a step from the mean: a reason is needed
    reason: str | None


@dataclass(frozen=True)
class ConsensusCheck:
    record: ConsensusRecord
    report: SpreadReport
    items: tuple[ConsensusItem, ...]
    problems: tuple[str, ...]  # empty: the record can be accepted

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def departures(self) -> tuple[ConsensusItem, ...]:
        return tuple(i for i in self.items if i.departs)

    def sheet(self) -> ScoreSheet:
        """The consensus as a scored sheet (its total is the application's consensus score);
        raises ConsensusError if the record has problems."""
        if self.problems:
            raise ConsensusError(list(self.problems))
        criteria = self.report.mean_sheet.criteria
        return score(criteria, dict(self.record.percentages))


def check_consensus(
    criteria: CriteriaSet,
    sheets: Sheets,
    record: ConsensusRecord,
    *,
    threshold: int = DEFAULT_SPREAD_THRESHOLD,
) -> ConsensusCheck:
    """Check a consensus record against the team's submitted sheets.

    Problems (each naming the item): a missing or unknown item, a percentage off the step grid
    or outside 0..100, a departure of more than half a step from the mean without a reason,
    a leader who did not submit a sheet in this team.
    """
    report = spread_report(criteria, sheets, threshold=threshold)
    problems: list[str] = []
    if record.leader not in sheets:
        problems.append(
            f"leader {record.leader}: not a member of this team with a submitted sheet")
    try:
        score(criteria, dict(record.percentages))
    except ScoreInputError as e:
        problems.extend(e.problems)
    for item_id in sorted(set(record.reasons) - {i.id for i in criteria.items}):
        problems.append(f"item {item_id}: a reason is given but it is not an item of "
                        f"{criteria.id}")
    items = []
    for spread in report.items:
        pct = record.percentages.get(spread.item_id)
        if type(pct) is not int:
            continue  # reported by score() above
        reason = (record.reasons.get(spread.item_id) or "").strip() or None
        departs = needs_reason(spread.mean, pct, criteria.step)
        if departs and reason is None:
            problems.append(
                f"item {spread.item_id}: consensus {pct} % departs from the team's mean "
                f"{_pct(spread.mean)} % by more than half a step ({criteria.step} / 2): "
                "give a reason")
        items.append(ConsensusItem(spread.item_id, pct, spread.mean, spread.flagged,
                                   departs, reason))
    return ConsensusCheck(record, report, tuple(items), tuple(problems))


def _pct(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.2f}".rstrip("0").rstrip(".")
