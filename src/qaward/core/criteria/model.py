"""Award criteria as data: a criteria set is categories of scored items, item kinds and bands.

The model is generic so that any criteria table (GB/T 19580, DB31/T 598, DB31/T 1153, a sector
guide) is one YAML file: the kinds of items (process, result, ...) and the scoring bands are
declared in the file, and every band describes every kind. A `CriteriaSet` that exists is
consistent: points add up, ids are unique, bands cover 0..100 in steps without gaps or overlaps,
every item cites its source. Problems are reported as ``key.path: problem``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    model_validator,
)

NonEmpty = Annotated[StrictStr, Field(min_length=1)]
Positive = Annotated[StrictInt, Field(gt=0)]
Percent = Annotated[StrictInt, Field(ge=0, le=100)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Frozen):
    zh: NonEmpty
    en: NonEmpty


class Citation(_Frozen):
    """Where an item comes from: a policy id or standard number, and the article or clause."""

    source: NonEmpty
    clause: NonEmpty

    def __str__(self) -> str:
        return f"{self.source} {self.clause}"


class Kind(_Frozen):
    """A kind of item and the dimensions it is judged on (e.g. process: A-D-L-I)."""

    name_zh: NonEmpty
    name_en: NonEmpty
    dimensions_zh: NonEmpty
    dimensions_en: NonEmpty


class Band(_Frozen):
    low: Percent
    high: Percent
    descriptions: dict[str, Text]

    @property
    def label(self) -> str:
        return f"{self.low}–{self.high} %"

    def contains(self, percentage: int | Fraction) -> bool:
        return self.low <= percentage <= self.high


class Item(_Frozen):
    id: NonEmpty
    name_zh: NonEmpty
    name_en: NonEmpty
    points: Positive
    kind: NonEmpty
    basis: tuple[Citation, ...] = Field(min_length=1)
    note: Text | None = None


class Category(_Frozen):
    id: NonEmpty
    name_zh: NonEmpty
    name_en: NonEmpty
    points: Positive
    items: tuple[Item, ...] = Field(min_length=1)


class Provenance(_Frozen):
    """Whether the table is an official one, and if not, what it is and what should replace it."""

    official: StrictBool
    note: Text
    replace_with: tuple[NonEmpty, ...] = ()


class CriteriaSet(_Frozen):
    id: Annotated[StrictStr, Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")]
    title_zh: NonEmpty
    title_en: NonEmpty
    applies_to: Literal["organization", "individual"]
    standard: NonEmpty | None = None
    points_source: NonEmpty
    provenance: Provenance
    total_points: Positive
    step: Positive
    kinds: dict[str, Kind] = Field(min_length=1)
    bands: tuple[Band, ...] = Field(min_length=1)
    categories: tuple[Category, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> CriteriaSet:
        problems = consistency_problems(self)
        if problems:
            raise ValueError("\n".join(problems))
        return self

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for category in self.categories for item in category.items)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def band_for(self, percentage: int | Fraction) -> Band:
        """The band holding `percentage`; a mean between two bands (7.5) goes to the lower one."""
        if not 0 <= percentage <= 100:
            raise ValueError(f"percentage {percentage} is outside 0..100")
        return [band for band in self.bands if band.low <= percentage][-1]


def consistency_problems(criteria: CriteriaSet) -> list[str]:
    """Everything structurally valid but inconsistent, each as ``key.path: problem``."""
    return [*_band_problems(criteria), *_id_problems(criteria), *_points_problems(criteria)]


def _band_problems(cs: CriteriaSet) -> list[str]:
    problems = []
    if 100 % cs.step:
        problems.append(f"step: {cs.step} does not divide 100")
    kinds = set(cs.kinds)
    expected_low = 0
    for i, band in enumerate(cs.bands):
        at = f"bands[{i}]"
        for key in ("low", "high"):
            value = getattr(band, key)
            if value % cs.step:
                problems.append(f"{at}.{key}: {value} is not a multiple of step {cs.step}")
        if band.low > band.high:
            problems.append(f"{at}: low {band.low} is above high {band.high}")
        if band.low != expected_low:
            what = "gap" if band.low > expected_low else "overlap"
            after = f"bands[{i - 1}] ends at {cs.bands[i - 1].high}" if i else "first band"
            problems.append(
                f"{at}.low: {what}: starts at {band.low} but must start at {expected_low} "
                f"({after}, step {cs.step})"
            )
        expected_low = band.high + cs.step
        for kind in sorted(kinds - set(band.descriptions)):
            problems.append(f"{at}.descriptions: no description for kind `{kind}`")
        for kind in sorted(set(band.descriptions) - kinds):
            problems.append(f"{at}.descriptions.{kind}: unknown kind (declared: {_names(kinds)})")
    if cs.bands[-1].high != 100:
        problems.append(f"bands[{len(cs.bands) - 1}].high: the last band must end at 100")
    return problems


def _id_problems(cs: CriteriaSet) -> list[str]:
    problems = []
    seen: dict[str, str] = {}
    kinds = set(cs.kinds)
    for c, category in enumerate(cs.categories):
        entries = [(f"categories[{c}].id", category.id)]
        for i, item in enumerate(category.items):
            entries.append((f"categories[{c}].items[{i}].id", item.id))
            if item.kind not in kinds:
                problems.append(
                    f"categories[{c}].items[{i}].kind: unknown kind `{item.kind}` "
                    f"(declared: {_names(kinds)})"
                )
        for at, id_ in entries:
            if id_ in seen:
                problems.append(f"{at}: duplicate id `{id_}` (also at {seen[id_]})")
            seen.setdefault(id_, at)
    return problems


def _points_problems(cs: CriteriaSet) -> list[str]:
    problems = []
    for c, category in enumerate(cs.categories):
        items_sum = sum(item.points for item in category.items)
        if items_sum != category.points:
            parts = " + ".join(f"{item.id} {item.points}" for item in category.items)
            problems.append(
                f"categories[{c}].points: category {category.id} has {category.points} points "
                f"but its items add up to {items_sum} ({parts})"
            )
    categories_sum = sum(category.points for category in cs.categories)
    if categories_sum != cs.total_points:
        problems.append(
            f"total_points: {cs.total_points} but the categories add up to {categories_sum}"
        )
    return problems


def _names(names: set[str]) -> str:
    return ", ".join(sorted(names))
