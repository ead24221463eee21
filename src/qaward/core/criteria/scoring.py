"""Score a criteria set: item percentages in, exact points out.

Points are kept as `Fraction` (``points × percentage / 100``) so that subtotals, totals and the
mean of a review team add up exactly; `format_points` rounds only for display (one decimal,
half up, 四舍五入).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from qaward.core.errors import QawardError

from .model import Band, Category, CriteriaSet, Item


class ScoreInputError(QawardError):
    """Percentages that cannot be scored: names each item and the rule it breaks."""

    def __init__(self, criteria_id: str, problems: list[str]) -> None:
        self.criteria_id = criteria_id
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"scores for {criteria_id}: {len(problems)} problem(s)\n{lines}")


@dataclass(frozen=True)
class ItemScore:
    item: Item
    category_id: str
    percentage: Fraction
    band: Band

    @property
    def points(self) -> Fraction:
        return self.item.points * self.percentage / 100

    @property
    def display(self) -> str:
        return format_points(self.points)


@dataclass(frozen=True)
class CategoryScore:
    category: Category
    points: Fraction

    @property
    def display(self) -> str:
        return format_points(self.points)


@dataclass(frozen=True)
class ScoreSheet:
    """One reviewer's scores, or the mean of `reviewers` reviewers' scores (see `combine`)."""

    criteria: CriteriaSet
    items: tuple[ItemScore, ...]
    reviewers: int = 1

    def item(self, item_id: str) -> ItemScore:
        for score in self.items:
            if score.item.id == item_id:
                return score
        raise KeyError(item_id)

    @property
    def percentages(self) -> dict[str, Fraction]:
        return {score.item.id: score.percentage for score in self.items}

    @property
    def categories(self) -> tuple[CategoryScore, ...]:
        return tuple(
            CategoryScore(c, sum((s.points for s in self.items if s.category_id == c.id), ZERO))
            for c in self.criteria.categories
        )

    @property
    def subtotals_by_kind(self) -> dict[str, Fraction]:
        return {
            kind: sum((s.points for s in self.items if s.item.kind == kind), ZERO)
            for kind in self.criteria.kinds
        }

    @property
    def process_subtotal(self) -> Fraction:
        return self.subtotals_by_kind.get("process", ZERO)

    @property
    def result_subtotal(self) -> Fraction:
        return self.subtotals_by_kind.get("result", ZERO)

    @property
    def total(self) -> Fraction:
        return sum((s.points for s in self.items), ZERO)


ZERO = Fraction(0)


def score(criteria: CriteriaSet, percentages: Mapping[str, int]) -> ScoreSheet:
    """Score every item of `criteria` once, each with a percentage in 0..100 in steps of `step`."""
    problems = []
    ids = [item.id for item in criteria.items]
    for item_id in ids:
        if item_id not in percentages:
            problems.append(f"item {item_id}: missing (every item must be scored exactly once)")
    for item_id, pct in percentages.items():
        if item_id not in ids:
            problems.append(f"item {item_id}: not an item of {criteria.id}")
        elif type(pct) is not int:
            problems.append(f"item {item_id}: percentage must be a whole number, got {pct!r}")
        elif not 0 <= pct <= 100:
            problems.append(f"item {item_id}: percentage {pct} is outside 0..100")
        elif pct % criteria.step:
            problems.append(
                f"item {item_id}: percentage {pct} is not a multiple of {criteria.step} "
                f"(scores move in steps of {criteria.step} %)"
            )
    if problems:
        raise ScoreInputError(criteria.id, problems)
    return _sheet(criteria, {i: Fraction(percentages[i]) for i in ids}, reviewers=1)


def combine(sheets: Iterable[ScoreSheet]) -> ScoreSheet:
    """The review team's sheet: per item, the exact mean percentage over all reviewers.

    A sheet that is itself a combination counts with its number of reviewers, so combining
    in stages gives the same result as combining all individual sheets at once.
    """
    sheets = list(sheets)
    if not sheets:
        raise ScoreInputError("(none)", ["combine: at least one score sheet is needed"])
    criteria = sheets[0].criteria
    strangers = [s.criteria.id for s in sheets if s.criteria != criteria]
    if strangers:
        raise ScoreInputError(
            criteria.id, [f"combine: sheets for {', '.join(strangers)} cannot be combined"]
        )
    reviewers = sum(s.reviewers for s in sheets)
    means = {
        item.id: sum((s.reviewers * s.percentages[item.id] for s in sheets), ZERO) / reviewers
        for item in criteria.items
    }
    return _sheet(criteria, means, reviewers)


def _sheet(criteria: CriteriaSet, percentages: dict[str, Fraction], reviewers: int) -> ScoreSheet:
    items = tuple(
        ItemScore(item, category.id, percentages[item.id], criteria.band_for(percentages[item.id]))
        for category in criteria.categories
        for item in category.items
    )
    return ScoreSheet(criteria, items, reviewers)


def format_points(value: Fraction, decimals: int = 1) -> str:
    """`value` rounded half up to `decimals` places: 0.75 → "0.8", 12 → "12.0"."""
    scale = 10**decimals
    scaled = value * scale
    rounded = int(scaled + Fraction(1, 2)) if scaled >= 0 else -int(-scaled + Fraction(1, 2))
    sign = "-" if rounded < 0 else ""
    whole, frac = divmod(abs(rounded), scale)
    return f"{sign}{whole}.{frac:0{decimals}d}" if decimals else f"{sign}{whole}"
