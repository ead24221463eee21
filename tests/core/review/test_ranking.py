from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qaward.core.review.aggregation import Review, aggregate
from qaward.core.review.ranking import (
    BASES,
    RankingInputError,
    TieBreak,
    rank,
    rank_values,
)

F = Fraction
SME = TieBreak("sme_new_industry", "true_first", "办公会议纪要 2026-3")
SITE = TieBreak("site_review", "higher", "办公会议纪要 2026-3", source="configuration")
VALUES = {"a": F(10), "b": F(10), "c": F(5), "d": F(10)}


def test_equal_values_share_a_rank_and_the_result_says_so() -> None:
    r = rank_values(VALUES, basis="mean")
    assert [(row.application_id, row.rank) for row in r.rows] == [
        ("a", 1), ("b", 1), ("d", 1), ("c", 4)]
    assert r.unresolved_ties == (("a", "b", "d"),)
    a, _b, d, c = r.rows
    assert a.shares_rank and a.separated_from_above is None and a.separated_from_below is None
    assert d.separated_from_below is not None and d.separated_from_below.rule == "basis"
    assert (c.separated_from_above.better, c.separated_from_above.worse) == (10, 5)  # type: ignore[union-attr]
    assert not c.shares_rank


def test_rules_apply_in_order_and_each_row_names_what_separated_it() -> None:
    facts = {"a": {"sme_new_industry": False, "site_review": 80},
             "b": {"sme_new_industry": True, "site_review": 10},
             "c": {"sme_new_industry": True},
             "d": {"sme_new_industry": False, "site_review": 90}}
    r = rank_values(VALUES, basis="mean", basis_cite="第十八条", tie_breaks=[SME, SITE],
                    tie_values=facts)
    assert r.order == ("b", "d", "a", "c") and [x.rank for x in r.rows] == [1, 2, 3, 4]
    assert not r.unresolved_ties
    b, d, a, c = r.rows
    assert b.separated_from_below == d.separated_from_above
    assert (d.separated_from_above.rule, d.separated_from_above.cite) == (  # type: ignore[union-attr]
        "sme_new_industry", "办公会议纪要 2026-3")
    assert a.separated_from_above.rule == "site_review"  # type: ignore[union-attr]
    assert (a.separated_from_above.better, a.separated_from_above.worse) == (90, 80)  # type: ignore[union-attr]
    assert c.separated_from_above.rule == "basis"  # type: ignore[union-attr]
    assert c.separated_from_above.cite == "第十八条"  # type: ignore[union-attr]


def test_still_tied_after_the_rules_share_the_rank() -> None:
    facts = {k: {"sme_new_industry": False} for k in VALUES}
    r = rank_values(VALUES, basis="mean", tie_breaks=[SME], tie_values=facts)
    assert r.unresolved_ties == (("a", "b", "d"),)


def test_a_missing_value_comes_after_every_value() -> None:
    r = rank_values({"a": F(1), "b": F(1)}, basis="mean", tie_breaks=[SITE],
                    tie_values={"b": {"site_review": 0}})
    assert r.order == ("b", "a") and r.rows[1].rank == 2


def test_lower_first() -> None:
    rule = TieBreak("complaints", "lower", "第十八条")
    r = rank_values({"a": F(1), "b": F(1)}, basis="mean", tie_breaks=[rule],
                    tie_values={"a": {"complaints": 3}, "b": {"complaints": 1}})
    assert r.order == ("b", "a")


def test_bad_rules_and_values_are_named() -> None:
    with pytest.raises(RankingInputError) as info:
        rank_values({"a": F(1)}, basis="mean",
                    tie_breaks=[SME, SME, TieBreak("x", "higher", " ")],
                    tie_values={"a": {"sme_new_industry": 1, "x": True}, "z": {}})
    text = "\n".join(info.value.problems)
    assert "`sme_new_industry`: listed twice" in text
    assert "`x`: needs the article" in text
    assert "tie-break `sme_new_industry` needs true/false" in text
    assert "tie-break `x` needs a number" in text
    assert "application z: tie-break values but nothing to rank" in text


CYCLE = [Review("p1", "A", F(700)), Review("p2", "A", F(500)),
         Review("p1", "B", F(400)), Review("p2", "B", F(200)),
         Review("p1", "C", F(600)), Review("p2", "C", F(600)), Review("p3", "C", F(600)),
         Review("p3", "D", F(300))]


@pytest.mark.parametrize(("basis", "order"), [
    ("mean", ("p1", "p3", "p2")),
    ("median", ("p1", "p2", "p3")),
    ("normalised", ("p1", "p3", "p2")),
])
def test_rank_by_each_basis(basis: str, order: tuple[str, ...]) -> None:
    assert rank(aggregate(CYCLE), basis).order == order


def test_rank_by_consensus_needs_every_consensus() -> None:
    with pytest.raises(RankingInputError, match="application p3: no consensus"):
        rank(aggregate(CYCLE, consensus={"p1": F(1), "p2": F(2)}), "consensus")
    r = rank(aggregate(CYCLE, consensus={"p1": F(1), "p2": F(2), "p3": F(3)}), "consensus")
    assert r.order == ("p3", "p2", "p1")


def test_unknown_basis() -> None:
    with pytest.raises(RankingInputError, match="basis `best`"):
        rank(aggregate(CYCLE), "best")


# -- properties ---------------------------------------------------------------------------

small = st.integers(0, 6).map(F)


@st.composite
def tables(draw: st.DrawFn) -> tuple[dict[str, Fraction], dict[str, dict[str, object]]]:
    ids = draw(st.lists(st.text("abcdef", min_size=1, max_size=3), min_size=1, max_size=12,
                        unique=True))
    values = {i: draw(small) for i in ids}
    facts = {i: {"sme_new_industry": draw(st.none() | st.booleans()),
                 "site_review": draw(st.none() | small)} for i in ids}
    return values, facts


@settings(max_examples=100, deadline=None)
@given(tables(), st.randoms())
def test_ranking_is_a_function_of_the_data_not_its_order(table, rnd) -> None:  # type: ignore[no-untyped-def]
    values, facts = table
    keys = list(values)
    rnd.shuffle(keys)
    r1 = rank_values(values, basis="mean", tie_breaks=[SME, SITE], tie_values=facts)
    r2 = rank_values({k: values[k] for k in keys}, basis="mean", tie_breaks=[SME, SITE],
                     tie_values={k: facts[k] for k in reversed(keys)})
    assert r1 == r2


def _key(values, facts, i):  # type: ignore[no-untyped-def]
    sme, site = facts[i]["sme_new_industry"], facts[i]["site_review"]
    return (-values[i], 2 if sme is None else 0 if sme else 1,
            (1, 0) if site is None else (0, -site))


@settings(max_examples=100, deadline=None)
@given(tables())
def test_rank_is_one_plus_the_number_strictly_better(table) -> None:  # type: ignore[no-untyped-def]
    values, facts = table
    r = rank_values(values, basis="mean", tie_breaks=[SME, SITE], tie_values=facts)
    for row in r.rows:
        me = _key(values, facts, row.application_id)
        better = sum(1 for j in values if _key(values, facts, j) < me)
        assert row.rank == 1 + better
        assert row.shares_rank == any(_key(values, facts, j) == me
                                      for j in values if j != row.application_id)


def test_bases_are_the_four() -> None:
    assert BASES == ("mean", "median", "normalised", "consensus")
