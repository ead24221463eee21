import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qaward.core.review.aggregation import (
    AggregationInputError,
    Review,
    aggregate,
    median,
)

F = Fraction

# Hand-computed cycle: A and B score p1 and p2 100 apart (z = +1 / -1), C gives 600 to
# everything (zero deviation), D scores only p3 (single application).
CYCLE = [
    Review("p1", "A", F(700)), Review("p2", "A", F(500)),
    Review("p1", "B", F(400)), Review("p2", "B", F(200)),
    Review("p1", "C", F(600)), Review("p2", "C", F(600)), Review("p3", "C", F(600)),
    Review("p3", "D", F(300)),
]
POOL_MEAN = F(3900, 8)  # 487.5
POOL_VAR = F(208750, 8)  # sum of squared deviations 208 750 over 8 totals
S = math.sqrt(208750 / 8)


def test_pool_and_reviewers() -> None:
    agg = aggregate(CYCLE)
    assert agg.pool_mean == POOL_MEAN and agg.pool_variance == POOL_VAR
    assert agg.pool_std == pytest.approx(161.5356, abs=1e-4)
    a = agg.reviewers["A"]
    assert (a.count, a.mean, a.variance, a.std, a.fallback) == (2, 600, 10000, 100.0, None)
    assert agg.reviewers["C"].fallback == "zero_deviation"
    assert agg.reviewers["D"].fallback == "single_application"


def test_p1_side_by_side() -> None:
    p1 = aggregate(CYCLE)["p1"]
    assert p1.mean == F(1700, 3)
    assert p1.median == 600
    assert p1.spread == 300
    assert p1.std == pytest.approx(math.sqrt(140000 / 9))  # (400² + 500² + 100²)/9/3
    a, b, c = p1.scores
    assert (a.reviewer_id, a.z, b.z, c.z) == ("A", 1.0, 1.0, None)
    assert a.normalised == pytest.approx(487.5 + S)
    assert c.normalised == 600.0 and c.fallback == "zero_deviation"
    assert p1.normalised == pytest.approx((2 * (487.5 + S) + 600) / 3)


def test_p2_and_p3() -> None:
    agg = aggregate(CYCLE)
    p2, p3 = agg["p2"], agg["p3"]
    assert (p2.mean, p2.median) == (F(1300, 3), 500)
    assert p2.normalised == pytest.approx((2 * (487.5 - S) + 600) / 3)
    # two fallbacks: the raw totals; an even count's median is the mean of the middle two
    assert (p3.mean, p3.median, p3.normalised, p3.spread) == (450, 450, 450.0, 300)


def test_median_exact() -> None:
    assert median([F(1), F(2)]) == F(3, 2)
    assert median([F(5), F(1), F(3)]) == 3


def test_fractional_totals_stay_exact() -> None:
    agg = aggregate([Review("p", "A", F(1, 3)), Review("p", "B", F(1, 2))])
    assert agg["p"].mean == F(5, 12) and agg["p"].median == F(5, 12)


def test_consensus_is_carried() -> None:
    agg = aggregate(CYCLE, consensus={"p1": F(610)})
    assert agg["p1"].consensus == 610 and agg["p2"].consensus is None


def test_bad_input_names_application_and_reviewer() -> None:
    with pytest.raises(AggregationInputError) as info:
        aggregate([Review("p", "A", F(1)), Review("p", "A", F(2)),
                   Review("q", "B", 1.5)],  # type: ignore[arg-type]
                  consensus={"z": F(1)})
    text = "\n".join(info.value.problems)
    assert "application p, reviewer A: scored twice" in text
    assert "application q, reviewer B: total must be" in text
    assert "application z: a consensus total but no review" in text


def test_empty_cycle() -> None:
    assert not aggregate([]).applications


# -- properties ---------------------------------------------------------------------------

totals = st.integers(0, 2000).map(lambda n: F(n, 2))


@st.composite
def cycles(draw: st.DrawFn) -> list[Review]:
    apps = draw(st.integers(1, 8))
    reviewers = draw(st.integers(1, 5))
    out = []
    for a in range(apps):
        members = draw(st.sets(st.integers(0, reviewers - 1), min_size=1, max_size=3))
        out.extend(Review(f"p{a}", f"r{r}", draw(totals)) for r in members)
    return out


@settings(max_examples=60, deadline=None)
@given(cycles())
def test_z_scores_of_a_reviewer_have_mean_0_and_variance_1(reviews: list[Review]) -> None:
    agg = aggregate(reviews)
    for rid, stats in agg.reviewers.items():
        zs = [s.z for app in agg.applications.values() for s in app.scores
              if s.reviewer_id == rid]
        if stats.fallback is None:
            assert all(z is not None for z in zs)
            clean = [z for z in zs if z is not None]
            assert math.fsum(clean) == pytest.approx(0, abs=1e-9)
            assert math.fsum(z * z for z in clean) / len(clean) == pytest.approx(1)
        else:
            assert zs == [None] * len(zs)


@settings(max_examples=60, deadline=None)
@given(cycles(), st.randoms())
def test_aggregation_does_not_depend_on_order(reviews: list[Review], rnd: object) -> None:
    shuffled = list(reviews)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert aggregate(shuffled) == aggregate(reviews)


@settings(max_examples=60, deadline=None)
@given(cycles())
def test_mean_median_between_min_and_max(reviews: list[Review]) -> None:
    for app in aggregate(reviews).applications.values():
        lo, hi = min(app.totals), max(app.totals)
        assert lo <= app.mean <= hi and lo <= app.median <= hi
        assert app.spread == hi - lo
