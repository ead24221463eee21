from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qaward.core.criteria import ScoreInputError, load_criteria, score
from qaward.core.review.consensus import (
    DEFAULT_SPREAD_THRESHOLD,
    ConsensusError,
    ConsensusRecord,
    check_consensus,
    needs_reason,
    spread_report,
    suggested_consensus,
)

GBT = load_criteria("gbt19580-2012")
IDS = [item.id for item in GBT.items]
X, Y, Z = IDS[0], IDS[1], IDS[2]


def sheets(**overrides: tuple[int, int, int]) -> dict[str, dict[str, int]]:
    """Three reviewers, 50 % everywhere except the items given (item id → three values)."""
    out: dict[str, dict[str, int]] = {r: dict.fromkeys(IDS, 50) for r in ("r1", "r2", "r3")}
    for item_id, values in overrides.items():
        for r, v in zip(("r1", "r2", "r3"), values, strict=True):
            out[r][item_id] = v
    return out


TEAM = sheets(**{X: (40, 60, 65), Y: (60, 80, 70), Z: (70, 70, 75)})


def test_spread_is_exact_and_flags_only_what_exceeds_the_threshold() -> None:
    report = spread_report(GBT, TEAM)
    assert report.threshold == DEFAULT_SPREAD_THRESHOLD == 20
    x, y, z = report.item(X), report.item(Y), report.item(Z)
    assert (x.mean, x.minimum, x.maximum, x.spread, x.flagged) == (Fraction(55), 40, 65, 25, True)
    assert (y.mean, y.spread, y.flagged) == (Fraction(70), 20, False)  # 20 does not exceed 20
    assert z.mean == Fraction(215, 3)
    assert [i.item_id for i in report.flagged] == [X]
    assert x.percentages == (("r1", 40), ("r2", 60), ("r3", 65))


def test_a_configured_threshold_flags_more() -> None:
    report = spread_report(GBT, TEAM, threshold=5)
    assert [i.item_id for i in report.flagged] == [X, Y]


def test_the_mean_sheet_is_the_exact_team_mean() -> None:
    report = spread_report(GBT, TEAM)
    assert report.mean_sheet.item(Z).percentage == Fraction(215, 3)
    assert report.mean_sheet.reviewers == 3


def test_order_of_reviewers_does_not_matter() -> None:
    reordered = {r: TEAM[r] for r in ("r3", "r1", "r2")}
    assert spread_report(GBT, reordered) == spread_report(GBT, TEAM)


def test_a_bad_sheet_names_the_reviewer_and_item() -> None:
    bad = sheets()
    bad["r2"][X] = 52
    with pytest.raises(ScoreInputError) as info:
        spread_report(GBT, bad)
    assert any("reviewer r2" in p and X in p and "multiple of 5" in p
               for p in info.value.problems)


@pytest.mark.parametrize(("mean", "pct", "departs"), [
    (Fraction(145, 2), 70, False),  # 72.5: either neighbour is half a step away
    (Fraction(145, 2), 75, False),
    (Fraction(145, 2), 65, True),
    (Fraction(215, 3), 70, False),  # 71 2/3: 70 is 1 2/3 away
    (Fraction(215, 3), 75, True),  # 3 1/3 > 2.5
    (Fraction(55), 55, False),
    (Fraction(55), 60, True),
])
def test_half_a_step_rule(mean: Fraction, pct: int, departs: bool) -> None:
    assert needs_reason(mean, pct, 5) is departs


def record(**changes: int) -> ConsensusRecord:
    pcts = suggested_consensus(GBT, TEAM)
    pcts.update(changes)
    return ConsensusRecord("r1", pcts, {})


def test_the_suggestion_needs_no_reason() -> None:
    pcts = suggested_consensus(GBT, TEAM)
    assert (pcts[X], pcts[Y], pcts[Z]) == (55, 70, 70)
    check = check_consensus(GBT, TEAM, ConsensusRecord("r1", pcts, {}))
    assert check.ok and not check.departures
    assert check.sheet().total == score(GBT, pcts).total


def test_a_departure_without_reason_is_refused_with_the_item_named() -> None:
    check = check_consensus(GBT, TEAM, record(**{Z: 75}))
    assert not check.ok
    assert [i.item_id for i in check.departures] == [Z]
    assert len(check.problems) == 1 and Z in check.problems[0] and "71.67" in check.problems[0]
    with pytest.raises(ConsensusError):
        check.sheet()


def test_a_departure_with_reason_is_accepted() -> None:
    r = record(**{Z: 75})
    r = ConsensusRecord(r.leader, r.percentages, {Z: "现场证据显示过程已系统展开"})
    check = check_consensus(GBT, TEAM, r)
    assert check.ok
    assert check.items[2].reason == "现场证据显示过程已系统展开"
    assert check.sheet().item(Z).percentage == 75


def test_blank_reason_counts_as_none() -> None:
    r = record(**{Z: 75})
    check = check_consensus(GBT, TEAM, ConsensusRecord("r1", r.percentages, {Z: "  "}))
    assert not check.ok


def test_off_grid_missing_items_and_a_stranger_leader_are_problems() -> None:
    pcts = suggested_consensus(GBT, TEAM)
    pcts[X] = 57
    del pcts[Y]
    check = check_consensus(GBT, TEAM, ConsensusRecord("r9", pcts, {"9.9": "x"}))
    text = "\n".join(check.problems)
    assert "leader r9" in text
    assert f"item {X}: percentage 57 is not a multiple of 5" in text
    assert f"item {Y}: missing" in text
    assert "item 9.9: a reason is given" in text


# -- properties ---------------------------------------------------------------------------


pct = st.integers(0, 20).map(lambda n: n * 5)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.fixed_dictionaries({i: pct for i in IDS}), min_size=1, max_size=5))
def test_the_suggestion_never_needs_a_reason(team: list[dict[str, int]]) -> None:
    team_sheets = {f"r{i}": s for i, s in enumerate(team)}
    suggestion = suggested_consensus(GBT, team_sheets)
    check = check_consensus(GBT, team_sheets, ConsensusRecord("r0", suggestion, {}))
    assert check.ok
    for item in check.report.items:
        assert item.minimum <= suggestion[item.item_id] <= item.maximum
        assert item.flagged == (item.maximum - item.minimum > 20)
