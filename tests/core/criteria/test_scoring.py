from collections.abc import Mapping
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaward.core.criteria import (
    ScoreInputError,
    combine,
    format_points,
    load_criteria,
    score,
)

GBT = load_criteria("gbt19580-2012")
RUBRIC = load_criteria("individual-rubric")
IDS = [item.id for item in GBT.items]

percent = st.integers(0, 20).map(lambda n: n * 5)
all_percentages = st.fixed_dictionaries({item_id: percent for item_id in IDS})


def everything(pct: int) -> dict[str, int]:
    return dict.fromkeys(IDS, pct)


def fractions_of(*values: int) -> tuple[Fraction, ...]:
    return tuple(Fraction(v) for v in values)


def problems_of(percentages: Mapping[str, object]) -> list[str]:
    with pytest.raises(ScoreInputError) as info:
        score(GBT, percentages)  # type: ignore[arg-type]
    return info.value.problems


def test_all_items_at_0_percent_score_0() -> None:
    sheet = score(GBT, everything(0))
    assert (sheet.total, sheet.process_subtotal, sheet.result_subtotal) == fractions_of(0, 0, 0)
    assert {s.band.label for s in sheet.items} == {"0–5 %"}


def test_all_items_at_100_percent_score_1000_600_and_400() -> None:
    sheet = score(GBT, everything(100))
    assert (sheet.total, sheet.process_subtotal, sheet.result_subtotal) == fractions_of(
        1000, 600, 400
    )
    assert {c.category.id: c.points for c in sheet.categories} == {
        "4.1": 110, "4.2": 90, "4.3": 90, "4.4": 130, "4.5": 100, "4.6": 80, "4.7": 400,
    }  # fmt: skip


def test_item_points_are_points_times_percentage_exactly_and_shown_to_one_decimal() -> None:
    sheet = score(GBT, {**everything(0), "4.4.3": 5, "4.1.2": 55})
    assert sheet.item("4.4.3").points == Fraction(3, 4)  # 15 × 5 %
    assert sheet.item("4.4.3").display == "0.8"
    assert sheet.item("4.1.2").points == Fraction(55, 2)
    assert sheet.item("4.1.2").display == "27.5"
    assert sheet.total == Fraction(113, 4)
    assert format_points(sheet.total) == "28.3"


def test_each_item_gets_the_band_of_its_percentage() -> None:
    sheet = score(GBT, {**everything(0), "4.2.2": 25, "4.2.3": 30, "4.7.2": 90})
    assert sheet.item("4.2.2").band.label == "10–25 %"
    assert sheet.item("4.2.3").band.label == "30–45 %"
    assert sheet.item("4.7.2").band.label == "90–100 %"


def test_a_missing_item_is_named() -> None:
    percentages = everything(50)
    del percentages["4.4.7"]
    assert problems_of(percentages) == [
        "item 4.4.7: missing (every item must be scored exactly once)"
    ]


def test_an_unknown_item_is_named() -> None:
    assert problems_of({**everything(50), "4.1.1": 50}) == [
        "item 4.1.1: not an item of gbt19580-2012"
    ]


@pytest.mark.parametrize("pct", [1, 42, 99, 3])
def test_a_percentage_off_the_5_percent_steps_is_rejected(pct: int) -> None:
    assert problems_of({**everything(50), "4.3.2": pct}) == [
        f"item 4.3.2: percentage {pct} is not a multiple of 5 (scores move in steps of 5 %)"
    ]


@pytest.mark.parametrize("pct", [-5, 105, 1000])
def test_a_percentage_outside_0_to_100_is_rejected(pct: int) -> None:
    assert problems_of({**everything(50), "4.3.2": pct}) == [
        f"item 4.3.2: percentage {pct} is outside 0..100"
    ]


@pytest.mark.parametrize("pct", [50.0, "50", True, None])
def test_a_percentage_that_is_not_a_whole_number_is_rejected(pct: object) -> None:
    assert problems_of({**everything(50), "4.3.2": pct}) == [
        f"item 4.3.2: percentage must be a whole number, got {pct!r}"
    ]


def test_all_problems_are_reported_at_once() -> None:
    percentages: dict[str, object] = {**everything(50), "4.1.3": 7, "x": 5}
    del percentages["4.7.7"]
    assert [p.split(":")[0] for p in problems_of(percentages)] == [
        "item 4.7.7",
        "item 4.1.3",
        "item x",
    ]


def test_the_individual_rubric_is_scored_the_same_way() -> None:
    sheet = score(RUBRIC, {item.id: 100 for item in RUBRIC.items})
    assert sheet.total == 1000
    assert set(sheet.subtotals_by_kind) == {"process", "result", "record"}
    assert sum(sheet.subtotals_by_kind.values()) == 1000


def test_a_team_sheet_is_the_exact_mean_of_the_reviewers_sheets() -> None:
    sheets = [score(GBT, everything(p)) for p in (50, 55, 55)]
    team = combine(sheets)
    assert team.reviewers == 3
    assert team.item("4.1.2").percentage == Fraction(160, 3)
    assert team.total == Fraction(1000 * 160, 300)
    assert format_points(team.total) == "533.3"
    assert team.item("4.1.2").band.label == "50–65 %"


def test_a_mean_between_two_bands_takes_the_lower_band() -> None:
    team = combine([score(GBT, everything(5)), score(GBT, everything(10))])
    assert team.item("4.1.2").percentage == Fraction(15, 2)
    assert team.item("4.1.2").band.label == "0–5 %"


def test_combining_in_stages_equals_combining_all_at_once() -> None:
    a, b, c = (score(GBT, everything(p)) for p in (20, 65, 90))
    assert combine([combine([a, b]), c]) == combine([a, b, c])


def test_combining_nothing_or_sheets_of_different_criteria_is_rejected() -> None:
    with pytest.raises(ScoreInputError, match="at least one"):
        combine([])
    rubric_sheet = score(RUBRIC, {item.id: 50 for item in RUBRIC.items})
    with pytest.raises(ScoreInputError, match="individual-rubric cannot be combined"):
        combine([score(GBT, everything(50)), rubric_sheet])


def test_points_are_displayed_rounded_half_up_to_one_decimal() -> None:
    assert [format_points(Fraction(n, 100)) for n in (0, 5, 14, 15, 25, 99_95)] == [
        "0.0", "0.1", "0.1", "0.2", "0.3", "100.0",
    ]  # fmt: skip
    assert format_points(Fraction(2, 3), decimals=2) == "0.67"


@given(all_percentages)
def test_the_total_is_the_sum_of_the_items_and_of_the_categories(pcts: dict[str, int]) -> None:
    sheet = score(GBT, pcts)
    assert sheet.total == sum(s.points for s in sheet.items)
    assert sheet.total == sum(c.points for c in sheet.categories)
    assert sheet.total == sheet.process_subtotal + sheet.result_subtotal


@given(all_percentages)
def test_the_total_stays_within_0_and_1000(pcts: dict[str, int]) -> None:
    sheet = score(GBT, pcts)
    assert 0 <= sheet.total <= 1000
    assert 0 <= sheet.process_subtotal <= 600
    assert 0 <= sheet.result_subtotal <= 400


@given(all_percentages, st.sampled_from(IDS), st.integers(1, 20))
def test_raising_one_item_raises_the_total(pcts: dict[str, int], item_id: str, n: int) -> None:
    higher = {**pcts, item_id: min(100, pcts[item_id] + 5 * n)}
    before, after = score(GBT, pcts), score(GBT, higher)
    assert after.total >= before.total
    assert (after.total > before.total) == (higher[item_id] > pcts[item_id])


@given(all_percentages)
def test_every_band_contains_its_items_percentage(pcts: dict[str, int]) -> None:
    for item_score in score(GBT, pcts).items:
        assert item_score.band.contains(item_score.percentage)


@given(st.lists(all_percentages, min_size=1, max_size=5))
def test_the_team_total_is_the_mean_of_the_reviewers_totals(sheets: list[dict[str, int]]) -> None:
    scored = [score(GBT, pcts) for pcts in sheets]
    team = combine(scored)
    assert team.total == sum(s.total for s in scored) / len(scored)
    assert 0 <= team.total <= 1000
    for item_score in team.items:
        assert item_score.band.low <= item_score.percentage <= 100
