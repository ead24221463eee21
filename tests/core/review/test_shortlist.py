from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qaward.core.errors import ConfigurationRequired
from qaward.core.policy import load_policy, load_policy_file
from qaward.core.review.ranking import Ranking, rank_values
from qaward.core.review.shortlist import (
    Feedback,
    Places,
    ShortlistInputError,
    decide,
    planned_places,
    policy_cap,
    policy_feedback,
    policy_method,
    shortlist_cap,
    shortlist_for_policy,
)

XINQU = Path(__file__).parents[2] / "data" / "policies" / "xinqu-2025" / "policy.yaml"


def ranking_of(n: int, ties: dict[int, int] | None = None) -> Ranking:
    """Applications a01..aNN with distinct values, best first; ``ties`` gives some the same
    value as another (position → position, 1-based)."""
    values = {f"a{i:02d}": Fraction(1000 - i) for i in range(1, n + 1)}
    for i, j in (ties or {}).items():
        values[f"a{i:02d}"] = values[f"a{j:02d}"]
    return rank_values(values, basis="mean")


# method, cap for the bundled quotas, feedback (text, article) or None
POLICIES = [
    ("binjiang-2020", "organization", "ratio_of_awards", 12,
     ("书面反馈资料评审情况", "四、（四）")),
    ("chanhe-2021", "organization", "ranking", None, None),
    ("changning-2023", "organization", "best_of_good", None, ("资料评审报告", "第二十二条第二款")),
    ("chongming-2022", "organization", "best_of_good", None, ("资料评审报告", "第二十二条第二款")),
    ("hongkou-2021", "organization", "best_of_good", None, ("资料评审报告", "第十六条第二款")),
]


@pytest.mark.parametrize(("policy_id", "track", "method", "cap", "feedback"), POLICIES)
def test_each_policy_method_cap_and_feedback(policy_id, track, method, cap, feedback) -> None:  # type: ignore[no-untyped-def]
    policy = load_policy(policy_id)
    assert policy_method(policy) == method
    c = policy_cap(policy, track)
    assert (c.limit if c else None) == cap
    f = policy_feedback(policy)
    assert (None if f is None else (f.text, f.cite)) == feedback


def test_binjiang_8_places_give_a_cap_of_12() -> None:
    policy = load_policy("binjiang-2020")
    places = planned_places(policy, "organization")
    assert (places.count, places.announced) == (8, False)
    assert "award 5 + nomination 3 = 8" in places.explanation
    cap = policy_cap(policy, "organization")
    assert cap is not None
    assert (cap.limit, cap.ratio, cap.cite) == (12, Fraction(3, 2), "四、（四）")
    result = shortlist_for_policy(policy, "organization", ranking_of(13))
    assert result.proposed and result.ok
    assert len(result.shortlisted) == 12 and result.shortlisted[-1] == "a12"
    [left] = result.not_shortlisted
    assert left.application_id == "a13" and left.rank == 13
    assert left.feedback == Feedback("书面反馈资料评审情况", "四、（四）")


@pytest.mark.parametrize(("announced", "cap"), [(8, 12), (7, 10), (5, 7), (1, 1), (0, 0)])
def test_binjiang_fewer_places_announced_round_down(announced: int, cap: int) -> None:
    c = policy_cap(load_policy("binjiang-2020"), "organization", announced=announced,
                   announced_cite="2026年申报通知")
    assert c is not None and c.limit == cap and c.places.announced
    assert "2026年申报通知" in c.explanation


def test_more_places_than_the_quotas_or_an_uncited_announcement_is_refused() -> None:
    policy = load_policy("binjiang-2020")
    with pytest.raises(ShortlistInputError, match="more than the quotas"):
        planned_places(policy, "organization", announced=9, announced_cite="通知")
    with pytest.raises(ShortlistInputError, match="cite the call"):
        planned_places(policy, "organization", announced=6)


def test_choosing_more_than_the_cap_names_the_article() -> None:
    policy = load_policy("binjiang-2020")
    r = ranking_of(14)
    result = shortlist_for_policy(policy, "organization", r, chosen=list(r.order[:13]))
    assert not result.ok
    assert "四、（四） allows at most 12" in result.problems[0]


def test_a_tie_across_the_cap_is_not_settled_by_data_order() -> None:
    r = ranking_of(14, ties={13: 12})  # a12 and a13 share rank 12
    result = shortlist_for_policy(load_policy("binjiang-2020"), "organization", r)
    assert result.shortlisted == r.order[:11]
    assert result.boundary_tie == ("a12", "a13")
    # the office picks one of the tied with a reason
    chosen = [*r.order[:11], "a13"]
    picked = shortlist_for_policy(load_policy("binjiang-2020"), "organization", r,
                                  chosen=chosen)
    [d] = picked.departures
    assert (d.chosen, d.passed_over, d.within_tie, d.reason) == ("a13", "a12", True, None)
    assert not picked.ok
    ok = shortlist_for_policy(load_policy("binjiang-2020"), "organization", r, chosen=chosen,
                              reasons={("a13", "a12"): "行业代表性"})
    assert ok.ok


def test_best_of_good_lists_every_departure_each_needing_a_reason() -> None:
    policy = load_policy("hongkou-2021")
    r = ranking_of(5)
    result = shortlist_for_policy(policy, "organization", r, chosen=["a04", "a01", "a05"])
    assert result.shortlisted == ("a01", "a04", "a05")  # in rank order
    assert [(d.chosen, d.passed_over) for d in result.departures] == [
        ("a04", "a02"), ("a04", "a03"), ("a05", "a02"), ("a05", "a03")]
    assert len(result.departures_needing_reason) == 4 and not result.ok
    reasons = {d.key: "好中选优：现场证据更充分" for d in result.departures}
    assert shortlist_for_policy(policy, "organization", r, chosen=["a04", "a01", "a05"],
                                reasons=reasons).ok
    assert [x.application_id for x in result.not_shortlisted] == ["a02", "a03"]
    assert result.not_shortlisted[0].feedback == Feedback("资料评审报告", "第十六条第二款")


def test_best_of_good_needs_a_choice_or_a_size() -> None:
    policy = load_policy("changning-2023")
    with pytest.raises(ShortlistInputError, match="the office chooses"):
        shortlist_for_policy(policy, "organization", ranking_of(3))
    proposal = shortlist_for_policy(policy, "organization", ranking_of(3), size=2)
    assert proposal.shortlisted == ("a01", "a02") and proposal.proposed


def test_ranking_method_refuses_a_lower_one_over_a_higher_one() -> None:
    policy = load_policy("chanhe-2021")
    r = ranking_of(4)
    result = shortlist_for_policy(policy, "organization", r, chosen=["a01", "a03"],
                                  reasons={("a03", "a02"): "x"})
    assert not result.ok
    assert "method `ranking` takes the best by the ranking (第十八条)" in result.problems[0]
    assert shortlist_for_policy(policy, "organization", r, chosen=["a02", "a01"]).ok
    assert shortlist_for_policy(policy, "organization", r, size=3).shortlisted == r.order[:3]


def test_unknown_duplicate_and_stray_reasons_are_problems() -> None:
    r = ranking_of(3)
    result = decide(r, "best_of_good", chosen=["a01", "a01", "zz"],
                    reasons={("a01", "a02"): "?"})
    text = "\n".join(result.problems)
    assert "application a01: chosen twice" in text
    assert "application zz: not in the ranking" in text
    assert "reason for a01 over a02: not a departure" in text


def test_ratio_needs_a_cap_and_methods_are_known() -> None:
    with pytest.raises(ShortlistInputError, match="the cap is needed"):
        decide(ranking_of(2), "ratio_of_awards")
    with pytest.raises(ShortlistInputError, match="method `lottery`"):
        decide(ranking_of(2), "lottery")


def test_cap_is_exact_and_rounds_down() -> None:
    places = Places(3, "第三条", "3", False)
    assert shortlist_cap(1.5, places, "x").limit == 4  # 4.5 → 4
    assert shortlist_cap("1.34", places, "x").limit == 4  # 4.02 → 4
    assert shortlist_cap(Fraction(4, 3), places, "x").limit == 4  # exactly 4


def test_silent_method_stops_for_configuration() -> None:
    policy = load_policy_file(XINQU)
    with pytest.raises(ConfigurationRequired, match=r"shortlist\.method"):
        shortlist_for_policy(policy, "organization", ranking_of(2))


# -- properties ---------------------------------------------------------------------------



@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 8), min_size=1, max_size=25), st.integers(0, 30))
def test_a_proposal_is_whole_rank_groups_from_the_top_within_the_cap(
        scores: list[int], cap: int) -> None:
    r = rank_values({f"a{i:02d}": Fraction(v) for i, v in enumerate(scores)}, basis="mean")
    result = decide(r, "ratio_of_awards", cap=shortlist_cap(1, Places(cap, "x", "x", False),
                                                            "x"))
    picked = set(result.shortlisted)
    assert len(picked) <= cap
    ranks = r.ranks
    inside = [ranks[a] for a in picked]
    outside = [ranks[a] for a in r.order if a not in picked]
    assert not inside or not outside or max(inside) < min(outside)  # never splits a tie
    assert not result.departures and result.ok
    if result.boundary_tie:
        assert len(picked) < cap < len(picked) + len(result.boundary_tie)
    else:
        assert len(picked) == min(cap, len(scores))
