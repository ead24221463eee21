"""The review reports as plain content (no Django): what a report says, not how it looks.

Three reports come out of the review (issue 8, "Reports as documents"):

- `MaterialReviewReport` — 资料评审报告, with improvement suggestions;
- `SiteReviewReport` — 现场评审报告, strengths and areas to improve (where the policy says so the
  applicant confirms it: `applicant_confirms`);
- `ComprehensiveEvaluationReport` — 综合评价报告, the final item scores with each review stage's
  total beside them.

Each carries, per category and per item, the points available, the team's score (the consensus
percentage or the mean of the reviewers' percentages, `basis`), and per item the strengths and
the opportunities for improvement (several texts each). Points are exact (`Fraction`,
``points × percentage / 100`` as :mod:`qaward.core.criteria.scoring` computes them); they are
rounded only for display, by :func:`~qaward.core.criteria.scoring.format_points`.

Reviewers' names are `None` where the policy does not let them appear: a renderer then names
only the panel (评审组), never a person. The web layer decides from the policy; this module
only carries the decision.

`ScoreRow` is the part of a report a score table needs (no texts), and `ReviewerTable` is one
application's scores reviewer by reviewer, for the sheet-by-reviewer export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import ClassVar, Literal, TypeVar

from qaward.core.criteria.model import CriteriaSet
from qaward.core.criteria.scoring import (
    ScoreInputError,
    ScoreSheet,
    combine,
    format_points,
    score,
)
from qaward.core.errors import QawardError
from qaward.core.states import StageId

Basis = Literal["consensus", "mean"]
BASES: tuple[Basis, ...] = ("consensus", "mean")
ApplicantKind = Literal["organization", "individual"]


class ReportInputError(QawardError):
    """Inputs a report cannot be built from: names each field and what is wrong with it."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"review report: {len(problems)} problem(s)\n{lines}")


@dataclass(frozen=True)
class ItemLine:
    """One criteria item in a report: its points, the team's score and the written feedback."""

    item_id: str
    name_zh: str
    name_en: str
    kind: str
    points_available: int
    percentage: Fraction
    points: Fraction
    band_label: str
    strengths: tuple[str, ...] = ()
    improvements: tuple[str, ...] = ()

    @property
    def display(self) -> str:
        return format_points(self.points)

    @property
    def percentage_display(self) -> str:
        return format_points(self.percentage)

    @property
    def has_feedback(self) -> bool:
        return bool(self.strengths or self.improvements)


@dataclass(frozen=True)
class CategoryLine:
    """A category with its items; `points` is the exact subtotal of its items' points."""

    category_id: str
    name_zh: str
    name_en: str
    points_available: int
    points: Fraction
    items: tuple[ItemLine, ...]

    @property
    def display(self) -> str:
        return format_points(self.points)


@dataclass(frozen=True, kw_only=True)
class ScoreRow:
    """One application's scores in one stage: a row of the stage's score table."""

    stage: str
    applicant_name: str
    reference: str = ""
    criteria_id: str
    criteria_title_zh: str
    criteria_title_en: str
    applicant_kind: ApplicantKind
    categories: tuple[CategoryLine, ...]
    total: Fraction
    total_available: int
    basis: Basis
    reviewer_count: int

    @property
    def items(self) -> tuple[ItemLine, ...]:
        return tuple(item for category in self.categories for item in category.items)

    @property
    def total_display(self) -> str:
        return format_points(self.total)


@dataclass(frozen=True, kw_only=True)
class StageTotal:
    """A review stage's total for the comprehensive evaluation (as that stage's report has it)."""

    stage: str
    total: Fraction
    total_available: int
    basis: Basis

    @property
    def display(self) -> str:
        return format_points(self.total)


@dataclass(frozen=True, kw_only=True)
class ReviewReport:
    """What every review report says. Use one of the three subclasses."""

    kind: ClassVar[str] = ""
    default_stage: ClassVar[StageId]

    award_title: str
    cycle_title: str
    regulation: str
    article: str
    applicant_name: str
    reference: str = ""
    stage: str
    criteria_id: str
    criteria_title_zh: str
    criteria_title_en: str
    applicant_kind: ApplicantKind
    categories: tuple[CategoryLine, ...]
    total: Fraction
    total_available: int
    basis: Basis
    reviewer_count: int
    reviewer_names: tuple[str, ...] | None
    summary: str
    date: dt.date

    @property
    def items(self) -> tuple[ItemLine, ...]:
        return tuple(item for category in self.categories for item in category.items)

    @property
    def total_display(self) -> str:
        return format_points(self.total)

    @property
    def names_withheld(self) -> bool:
        return self.reviewer_names is None

    @property
    def row(self) -> ScoreRow:
        return ScoreRow(
            stage=self.stage,
            applicant_name=self.applicant_name,
            reference=self.reference,
            criteria_id=self.criteria_id,
            criteria_title_zh=self.criteria_title_zh,
            criteria_title_en=self.criteria_title_en,
            applicant_kind=self.applicant_kind,
            categories=self.categories,
            total=self.total,
            total_available=self.total_available,
            basis=self.basis,
            reviewer_count=self.reviewer_count,
        )


@dataclass(frozen=True, kw_only=True)
class MaterialReviewReport(ReviewReport):
    """资料评审报告: the material review's scores with improvement suggestions."""

    kind: ClassVar[str] = StageId.MATERIAL_REVIEW
    default_stage: ClassVar[StageId] = StageId.MATERIAL_REVIEW


@dataclass(frozen=True, kw_only=True)
class SiteReviewReport(ReviewReport):
    """现场评审报告: the site review's scores, strengths and areas to improve.

    `visit_dates` are the days of the visit; `applicant_confirms` adds the applicant's
    confirmation block where the policy has the applicant confirm the report.
    """

    kind: ClassVar[str] = StageId.SITE_REVIEW
    default_stage: ClassVar[StageId] = StageId.SITE_REVIEW

    visit_dates: tuple[dt.date, ...] = ()
    applicant_confirms: bool = False


@dataclass(frozen=True, kw_only=True)
class ComprehensiveEvaluationReport(ReviewReport):
    """综合评价报告: the final scores, with each earlier review stage's total beside them."""

    kind: ClassVar[str] = StageId.COMPREHENSIVE_EVALUATION
    default_stage: ClassVar[StageId] = StageId.COMPREHENSIVE_EVALUATION

    stage_totals: tuple[StageTotal, ...] = field(default=())


R = TypeVar("R", bound=ReviewReport)


def team_sheet(criteria: CriteriaSet, sheets: Sequence[Mapping[str, int]]) -> ScoreSheet:
    """The mean of the reviewers' sheets (each scored and checked by `score`)."""
    if not sheets:
        raise ReportInputError(["sheets: at least one reviewer's sheet is needed for a mean"])
    return combine(score(criteria, sheet) for sheet in sheets)


def build_lines(
    criteria: CriteriaSet,
    scores: ScoreSheet | Mapping[str, int],
    *,
    strengths: Mapping[str, Sequence[str]] | None = None,
    improvements: Mapping[str, Sequence[str]] | None = None,
) -> tuple[tuple[CategoryLine, ...], Fraction]:
    """The categories with their items' scores and texts, and the total (all exact)."""
    sheet = _sheet(criteria, scores)
    item_ids = {item.id for item in criteria.items}
    texts = {"strengths": strengths or {}, "improvements": improvements or {}}
    problems = []
    for name, by_item in texts.items():
        for item_id, values in by_item.items():
            if item_id not in item_ids:
                problems.append(f"{name}.{item_id}: not an item of {criteria.id}")
            elif isinstance(values, str):
                problems.append(f"{name}.{item_id}: give a list of texts, not one string")
            elif any(not isinstance(v, str) or not v.strip() for v in values):
                problems.append(f"{name}.{item_id}: every text must be non-empty")
    if problems:
        raise ReportInputError(problems)
    categories = []
    for category in criteria.categories:
        lines = []
        for item in category.items:
            scored = sheet.item(item.id)
            lines.append(ItemLine(
                item_id=item.id,
                name_zh=item.name_zh,
                name_en=item.name_en,
                kind=item.kind,
                points_available=item.points,
                percentage=scored.percentage,
                points=scored.points,
                band_label=scored.band.label,
                strengths=tuple(t.strip() for t in texts["strengths"].get(item.id, ())),
                improvements=tuple(t.strip() for t in texts["improvements"].get(item.id, ())),
            ))
        subtotal = sum((line.points for line in lines), Fraction(0))
        categories.append(CategoryLine(
            category_id=category.id,
            name_zh=category.name_zh,
            name_en=category.name_en,
            points_available=category.points,
            points=subtotal,
            items=tuple(lines),
        ))
    return tuple(categories), sheet.total


def build_report(
    cls: type[R],
    *,
    criteria: CriteriaSet,
    scores: ScoreSheet | Mapping[str, int],
    basis: Basis,
    award_title: str,
    cycle_title: str,
    regulation: str,
    article: str,
    applicant_name: str,
    date: dt.date,
    reviewer_count: int | None = None,
    reviewer_names: Sequence[str] | None = None,
    summary: str = "",
    reference: str = "",
    stage: str | None = None,
    strengths: Mapping[str, Sequence[str]] | None = None,
    improvements: Mapping[str, Sequence[str]] | None = None,
    **extra: object,
) -> R:
    """A report of kind `cls` from plain inputs.

    `scores` is the team's sheet: a `ScoreSheet` (e.g. `team_sheet(...)`, the mean) or the
    consensus percentages ``{item_id: percentage}``. `reviewer_names` is None where the policy
    withholds names; `reviewer_count` defaults to the number of names, or to the number of
    sheets the mean was taken over. `extra` holds the subclass's own fields (`visit_dates`,
    `applicant_confirms`, `stage_totals`).
    """
    problems = []
    for name, value in (("award_title", award_title), ("applicant_name", applicant_name),
                        ("article", article), ("regulation", regulation)):
        if not value.strip():
            problems.append(f"{name}: must not be empty")
    if basis not in BASES:
        problems.append(f"basis: {basis!r} is neither 'consensus' nor 'mean'")
    names = None if reviewer_names is None else tuple(n.strip() for n in reviewer_names)
    if names is not None and any(not n for n in names):
        problems.append("reviewer_names: every name must be non-empty (None withholds names)")
    count = reviewer_count
    if count is None:
        if names is not None:
            count = len(names)
        elif isinstance(scores, ScoreSheet):
            count = scores.reviewers
        else:
            problems.append("reviewer_count: needed when names are withheld and the scores "
                            "are a consensus (how many reviewers the panel had)")
            count = 0
    elif names is not None and count != len(names):
        problems.append(f"reviewer_count: {count} but {len(names)} names are given")
    if count is not None and count < 0:
        problems.append(f"reviewer_count: {count} is negative")
    if problems:
        raise ReportInputError(problems)
    try:
        categories, total = build_lines(
            criteria, scores, strengths=strengths, improvements=improvements)
    except ScoreInputError as exc:
        raise ReportInputError([f"scores: {p}" for p in exc.problems]) from exc
    return cls(
        award_title=award_title.strip(),
        cycle_title=cycle_title.strip(),
        regulation=regulation.strip(),
        article=article.strip(),
        applicant_name=applicant_name.strip(),
        reference=reference,
        stage=stage or cls.default_stage.value,
        criteria_id=criteria.id,
        criteria_title_zh=criteria.title_zh,
        criteria_title_en=criteria.title_en,
        applicant_kind=criteria.applies_to,
        categories=categories,
        total=total,
        total_available=criteria.total_points,
        basis=basis,
        reviewer_count=count,
        reviewer_names=names,
        summary=summary.strip(),
        date=date,
        **extra,
    )


def stage_total(report: ReviewReport) -> StageTotal:
    """A stage's total as the comprehensive evaluation lists it."""
    return StageTotal(stage=report.stage, total=report.total,
                      total_available=report.total_available, basis=report.basis)


@dataclass(frozen=True, kw_only=True)
class ReviewerColumn:
    """One reviewer's percentages and points per item, and their total."""

    percentages: dict[str, Fraction]
    points: dict[str, Fraction]
    total: Fraction


@dataclass(frozen=True, kw_only=True)
class ReviewerTable:
    """One application's scores reviewer by reviewer, with the mean, the spread and the
    consensus (when recorded). `reviewer_names` is None when names are withheld: a renderer
    labels the columns 评审员1..n in the order given."""

    applicant_name: str
    stage: str
    criteria: CriteriaSet
    reviewer_names: tuple[str, ...] | None
    reviewers: tuple[ReviewerColumn, ...]
    mean: ScoreSheet
    consensus: ScoreSheet | None

    def spread(self, item_id: str) -> Fraction:
        """The spread of the reviewers' percentages on an item (max − min, percentage points)."""
        values = [r.percentages[item_id] for r in self.reviewers]
        return max(values) - min(values)


def reviewer_table(
    criteria: CriteriaSet,
    *,
    applicant_name: str,
    stage: str,
    sheets: Sequence[Mapping[str, int]],
    reviewer_names: Sequence[str] | None,
    consensus: Mapping[str, int] | None = None,
) -> ReviewerTable:
    """Build a `ReviewerTable`; each sheet is checked by `score` (names each bad item)."""
    if not sheets:
        raise ReportInputError(["sheets: at least one reviewer's sheet is needed"])
    names = None if reviewer_names is None else tuple(reviewer_names)
    if names is not None and len(names) != len(sheets):
        raise ReportInputError(
            [f"reviewer_names: {len(names)} names for {len(sheets)} sheets"])
    try:
        scored = [score(criteria, sheet) for sheet in sheets]
        agreed = None if consensus is None else score(criteria, consensus)
    except ScoreInputError as exc:
        raise ReportInputError([f"sheets: {p}" for p in exc.problems]) from exc
    columns = tuple(
        ReviewerColumn(
            percentages=s.percentages,
            points={i.item.id: i.points for i in s.items},
            total=s.total,
        )
        for s in scored
    )
    return ReviewerTable(
        applicant_name=applicant_name, stage=stage, criteria=criteria, reviewer_names=names,
        reviewers=columns, mean=combine(scored), consensus=agreed)


def _sheet(criteria: CriteriaSet, scores: ScoreSheet | Mapping[str, int]) -> ScoreSheet:
    if isinstance(scores, ScoreSheet):
        if scores.criteria != criteria:
            raise ReportInputError(
                [f"scores: a sheet for {scores.criteria.id}, not for {criteria.id}"])
        return scores
    return score(criteria, scores)
