"""The reviewer-assignment solver: hand cases, every infeasibility message, and hypothesis
against a brute-force optimum on small instances (dynamic programming over the applications
with the experts' loads as state, written independently of the solver)."""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from qaward.core.review.assignment import (
    Infeasible,
    Instance,
    InvalidInstance,
    employer_clashes,
    explain,
    solve,
    violations,
)

METHODS = ["auto", "flow", "exact"]


def inst(aff: Any, *, conflict: Any = None, min_load: Any = None, max_load: Any = None,
         demand: Any = None, **kw: Any) -> Instance:
    a = np.asarray(aff, float)
    n_p, n_r = a.shape if a.ndim == 2 else (1, a.size)
    return Instance(
        a,
        np.zeros((n_p, n_r), bool) if conflict is None else conflict,
        np.zeros(n_r, int) if min_load is None else min_load,
        np.full(n_r, n_p) if max_load is None else max_load,
        np.ones(n_p, int) if demand is None else demand,
        **kw,
    )


def brute_force(i: Instance) -> float | None:
    """The best total affinity over every valid assignment, or None if there is none."""
    best = brute_force_lex(i)
    return None if best is None else best[1]


def brute_force_lex(i: Instance) -> tuple[int, float] | None:
    """(fewest employer clashes, best total affinity with them) over every valid assignment;
    clashes count only under the rule "where possible" (else they are excluded)."""
    n_p, n_r = i.shape
    options: list[list[tuple[int, ...]]] = []
    for p in range(n_p):
        ok = []
        for team in itertools.combinations(range(n_r), int(i.demand[p])):
            if any(i.conflict[p, r] for r in team):
                continue
            if i.forced is not None and not all(
                    r in team for r in np.flatnonzero(i.forced[p])):
                continue
            clash = 0
            if i.employer is not None:
                emps = [int(i.employer[r]) for r in team if i.employer[r] >= 0]
                clash = len(emps) - len(set(emps))
                if clash and i.employer_strict:
                    continue
            if (i.can_lead is not None and team
                    and not any(i.can_lead[r] for r in team)):
                continue
            ok.append((team, clash))
        options.append(ok)

    @cache
    def best(p: int, load: tuple[int, ...]) -> tuple[int, float] | None:
        if p == n_p:
            return (0, 0.0) if all(load[r] >= i.min_load[r] for r in range(n_r)) else None
        out: tuple[int, float] | None = None
        for team, clash in options[p]:
            new = list(load)
            for r in team:
                new[r] += 1
            if any(new[r] > i.max_load[r] for r in team):
                continue
            rest = best(p + 1, tuple(new))
            if rest is not None:
                v = (rest[0] + clash, rest[1] + float(sum(i.affinity[p, r] for r in team)))
                if out is None or (-v[0], v[1]) > (-out[0], out[1]):
                    out = v
        return out

    return best(0, (0,) * n_r)


# ---------------------------------------------------------------------------------------------
# hand cases


def test_each_application_gets_its_best_free_expert() -> None:
    i = inst([[0.9, 0.1], [0.2, 0.8]])
    for m in METHODS:
        res = solve(i, method=m)
        assert res.assign.tolist() == [[1, 0], [0, 1]]
        assert res.objective == pytest.approx(1.7)
        assert res.assign.dtype == np.uint8


def test_load_limit_forces_the_trade_off() -> None:
    # Both prefer expert 0, who takes one: 0.9+0.5 > 0.3+0.8, and 0.7+0.8 > 0.9+0.5.
    i = inst([[0.9, 0.3], [0.8, 0.5]], max_load=[1, 1])
    res = solve(i)
    assert res.assign.tolist() == [[1, 0], [0, 1]]
    assert res.objective == pytest.approx(1.4)
    res = solve(inst([[0.9, 0.7], [0.8, 0.5]], max_load=[1, 1]))
    assert res.assign.tolist() == [[0, 1], [1, 0]]
    assert res.objective == pytest.approx(1.5)


def test_conflict_is_never_assigned_even_when_it_is_best() -> None:
    i = inst([[1.0, 0.1, 0.2]], conflict=[[True, False, False]], demand=[2])
    res = solve(i)
    assert res.assign.tolist() == [[0, 1, 1]]


def test_min_load_pulls_a_weak_expert_in() -> None:
    i = inst([[0.9, 0.1], [0.9, 0.1]], min_load=[0, 1])
    res = solve(i)
    assert res.assign[:, 1].sum() == 1
    assert res.objective == pytest.approx(1.0)


def test_employer_rule_splits_colleagues() -> None:
    # Experts 0 and 1 share employer 7; the team of 2 takes one of them and expert 2.
    i = inst([[0.9, 0.8, 0.1]], demand=[2], employer=[7, 7, -1])
    for m in METHODS:
        res = solve(i, method=m)
        assert res.assign.tolist() == [[1, 0, 1]], m
    # −1 means no employer: two such experts may sit together
    i = inst([[0.9, 0.8, 0.1]], demand=[2], employer=[-1, -1, 3])
    assert solve(i).assign.tolist() == [[1, 1, 0]]


def test_employer_rule_where_possible() -> None:
    # only colleagues are free: strict refuses, "where possible" takes them with one clash
    i = inst([[0.9, 0.8, 0.1]], demand=[2], employer=[7, 7, 7])
    with pytest.raises(Infeasible, match="only 1 distinct employers"):
        solve(i)
    soft = inst([[0.9, 0.8, 0.1]], demand=[2], employer=[7, 7, 7], employer_strict=False)
    for m in METHODS:
        res = solve(soft, method=m)
        assert res.assign.tolist() == [[1, 1, 0]] and res.clashes == 1, m
        assert violations(soft, res.assign) == []
    # a clash is avoided even at a loss of affinity
    soft = inst([[0.9, 0.8, 0.1]], demand=[2], employer=[7, 7, -1], employer_strict=False)
    assert solve(soft).assign.tolist() == [[1, 0, 1]]
    # a colleague of a member fixed by hand counts too
    soft = inst([[0.9, 0.1, 0.5, 0.2]], demand=[2], forced=[[False, True, False, False]],
                employer=[4, 4, 4, 5], employer_strict=False)
    res = solve(soft)
    assert res.assign.tolist() == [[0, 1, 0, 1]] and res.clashes == 0
    # with the leader rule: the flow, then the repair, and the exact MIP agree here
    soft = inst([[0.9, 0.8, 0.7, 0.1]], demand=[2], employer=[1, 1, 1, 2],
                can_lead=[True, True, False, False], employer_strict=False)
    for m in ("auto", "exact"):
        res = solve(soft, method=m)
        assert res.assign.tolist() == [[1, 0, 0, 1]] and res.clashes == 0, m


def test_leader_rule_brings_in_a_lead_capable_member() -> None:
    i = inst([[0.9, 0.8, 0.3]], demand=[2], can_lead=[False, False, True])
    for m in METHODS:
        res = solve(i, method=m)
        assert res.assign.tolist() == [[1, 0, 1]], m
        assert res.leaders.tolist() == [2]


def test_leader_is_the_best_lead_capable_member() -> None:
    i = inst([[0.2, 0.9, 0.5]], demand=[3], can_lead=[True, False, True])
    assert solve(i).leaders.tolist() == [2]
    assert solve(inst([[0.2, 0.9]])).leaders.tolist() == [-1]  # no can_lead: −1


def test_both_rules_repair_the_flow_by_the_mip() -> None:
    # Lead-capable 0 and 1 share an employer: the team takes one of them, plus 2.
    i = inst([[0.9, 0.8, 0.7, 0.1]], demand=[2], employer=[1, 1, 2, 2],
             can_lead=[True, True, False, False])
    for m, used in (("auto", "flow+mip"), ("flow", "flow+mip"), ("exact", "mip")):
        res = solve(i, method=m)
        assert res.method == used
        assert res.assign.tolist() == [[1, 0, 1, 0]]
    # the leader network alone would take 0 and 1: the repair gives a bound above the result
    res = solve(i)
    assert res.bound == pytest.approx(1.7) and res.objective == pytest.approx(1.6)
    assert not res.optimal


def test_forced_pairs_stay() -> None:
    i = inst([[0.9, 0.1, 0.5]], demand=[2], forced=[[False, True, False]])
    res = solve(i)
    assert res.assign.tolist() == [[1, 1, 0]]
    # a forced member's employer counts for the rest of the team
    i = inst([[0.9, 0.1, 0.5]], demand=[2], forced=[[False, True, False]], employer=[4, 4, 5])
    assert solve(i).assign.tolist() == [[0, 1, 1]]
    # a forced lead-capable member satisfies the leader rule
    i = inst([[0.9, 0.1, 0.5]], demand=[2], forced=[[False, True, False]],
             can_lead=[False, True, False])
    assert solve(i).assign.tolist() == [[1, 1, 0]]


def test_exact_is_proved_and_restricted_widens_when_infeasible() -> None:
    # With k=1 every application's single best arc points at expert 0 (max load 1): the
    # restricted graph is infeasible and must be widened.
    aff = np.array([[0.9, 0.5, 0.4, 0.3]] * 3)
    i = inst(aff, max_load=[1, 1, 1, 1])
    res = solve(i, method="flow", k=1)
    assert not violations(i, res.assign)
    assert res.objective == pytest.approx(0.9 + 0.5 + 0.4)
    ex = solve(i, method="exact")
    assert ex.optimal and ex.k is None


def test_no_demand_means_an_empty_team() -> None:
    i = inst([[0.9, 0.1]], demand=[0], can_lead=[True, False])
    res = solve(i)
    assert res.assign.sum() == 0 and res.leaders.tolist() == [-1]


@pytest.mark.parametrize(("n_p", "n_r"), [(0, 3), (3, 0), (0, 0), (0, 100), (2, 100)])
def test_empty_instances(n_p: int, n_r: int) -> None:
    i = Instance(np.zeros((n_p, n_r)), np.zeros((n_p, n_r), bool), np.zeros(n_r, int),
                 np.ones(n_r, int), np.zeros(n_p, int))
    for m in METHODS:
        res = solve(i, method=m)
        assert res.assign.shape == (n_p, n_r) and res.objective == 0


def test_negative_and_large_affinities() -> None:
    i = inst([[-5.0, -1.0], [1e6, 2e6]], max_load=[1, 1])
    res = solve(i)
    assert res.assign.tolist() == [[1, 0], [0, 1]]  # −5 + 2e6 beats −1 + 1e6


# ---------------------------------------------------------------------------------------------
# infeasibility: each cheap check names its constraint and application


@pytest.mark.parametrize(("kwargs", "constraint", "application", "en", "zh"), [
    (dict(aff=np.ones((2, 2)), demand=[3, 3], max_load=[2, 2]),
     "total_max_load", None, "total demand 6 exceeds total max_load 4", "超过"),
    (dict(aff=np.ones((2, 2)), demand=[1, 1], min_load=[2, 1]),
     "total_min_load", None, "total min_load 3 exceeds total demand 2", "最低工作量"),
    (dict(aff=np.ones((2, 3)), demand=[1, 3], conflict=[[0, 0, 0], [0, 1, 0]]),
     "demand", 1, "application 1 needs 3 reviewers but only 2 experts are free of conflicts",
     "申报 1 需要 3 名专家"),
    (dict(aff=np.ones((2, 3)), demand=[1, 1], min_load=[0, 0, 1],
          conflict=[[0, 0, 1], [0, 0, 1]]),
     "min_load", None, "expert 2 must review at least 1 applications but only 0", "专家 2"),
    (dict(aff=np.ones((2, 2)), can_lead=[True, False], conflict=[[0, 0], [1, 0]]),
     "leader", 1, "application 1: no lead-capable expert free of conflicts", "组长"),
    (dict(aff=np.ones((3, 3)), can_lead=[True, False, False], max_load=[2, 3, 3]),
     "leader_capacity", None, "lead-capable experts can take 2 applications in all (their "
     "max_load), fewer than the 3 teams that need a leader", "组长"),
    (dict(aff=np.ones((2, 4)), demand=[1, 3], employer=[5, 5, 6, 6]),
     "employer", 1, "application 1: only 2 distinct employers among its eligible experts, "
     "it needs 3", "不同单位"),
    (dict(aff=np.ones((1, 2)), forced=[[1, 0]], conflict=[[1, 0]]),
     "forced_conflict", 0, "application 0: expert 0 was fixed by hand but has a conflict",
     "利益冲突"),
    (dict(aff=np.ones((1, 2)), forced=[[1, 1]]),
     "forced_demand", 0, "application 0: 2 experts fixed by hand, more than the 1", "人工指定"),
    (dict(aff=np.ones((2, 2)), forced=[[1, 0], [1, 0]], max_load=[1, 1]),
     "forced_max_load", None, "expert 0: fixed by hand to 2 applications", "上限"),
    (dict(aff=np.ones((1, 2)), forced=[[0, 1]], can_lead=[True, False]),
     "forced_leader", 0, "application 0: the experts fixed by hand fill the team and none "
     "of them can lead", "组长"),
    (dict(aff=np.ones((1, 2)), demand=[2], forced=[[1, 1]], employer=[3, 3]),
     "forced_employer", 0, "application 0: two experts fixed by hand share an employer",
     "同一单位"),
])
def test_infeasible_names_the_constraint(kwargs: dict[str, Any], constraint: str,
                                         application: int | None, en: str, zh: str) -> None:
    i = inst(kwargs.pop("aff"), **kwargs)
    for m in ("auto", "exact"):
        with pytest.raises(Infeasible) as info:
            solve(i, method=m)
        err = info.value
        assert err.constraint == constraint
        assert err.application == application
        assert en in err.message_en
        assert zh in err.message_zh
        assert en in str(err) and zh in str(err)


def test_infeasible_together_is_reported_by_the_solver() -> None:
    # Each quick check passes, but applications 0 and 1 can be led only by expert 0 (max 1).
    conflict = np.zeros((3, 4), bool)
    conflict[[0, 1], 1] = True
    kwargs: dict[str, Any] = dict(conflict=conflict, can_lead=[True, True, False, False],
                                  max_load=[1, 2, 3, 3])
    for extra in ({}, {"employer": [1, 2, 3, 4]}):
        for m in METHODS:
            with pytest.raises(Infeasible) as info:
                solve(inst(np.ones((3, 4)), **kwargs, **extra), method=m)
            assert info.value.constraint == "solver"
            assert info.value.application is None
            assert "no assignment meets every constraint together" in info.value.message_en
            assert "全部专家组合" in info.value.message_zh


# ---------------------------------------------------------------------------------------------
# validation names the field


@pytest.mark.parametrize(("change", "field", "text"), [
    (dict(aff=np.array([1.0, 2.0])), "affinity", "P×R matrix"),
    (dict(aff=np.array([[np.nan, 1.0]])), "affinity", "application 0, expert 0 is nan"),
    (dict(aff=np.array([[np.inf, 1.0]])), "affinity", "finite"),
    (dict(conflict=np.zeros((2, 2), bool)), "conflict", "shape (1, 2)"),
    (dict(conflict=np.array([[0, 2]])), "conflict", "only 0/1"),
    (dict(min_load=[-1, 0]), "min_load", "≥ 0"),
    (dict(max_load=[1]), "max_load", "length 2"),
    (dict(max_load=[1.5, 1]), "max_load", "not an integer"),
    (dict(demand=[-2]), "demand", "entry 0 is -2"),
    (dict(min_load=[2, 0], max_load=[1, 1]), "min_load", "exceeds max_load"),
    (dict(employer=[-2, 0]), "employer", "≥ -1"),
    (dict(can_lead=[True]), "can_lead", "shape (2,)"),
    (dict(forced=[[0, 3]]), "forced", "only 0/1"),
    (dict(employer_strict="yes"), "employer_strict", "True or False"),
])
def test_invalid_instance_names_the_field(change: dict[str, Any], field: str,
                                          text: str) -> None:
    aff = change.pop("aff", np.array([[0.5, 0.5]]))
    with pytest.raises(InvalidInstance) as info:
        inst(aff, **change)
    assert info.value.field == field
    assert text in str(info.value)


# ---------------------------------------------------------------------------------------------
# explanation


def test_explain_gives_each_reason() -> None:
    # application 0 needs 2; experts: 0 conflicted, 1 taken by application 1 (max 1),
    # 2 and 5 members, 3 shares member 2's employer, 4 is below the weakest member.
    aff = np.array([
        [0.99, 0.95, 0.9, 0.85, 0.1, 0.5],
        [0.0, 1.0, 0.0, 0.0, 0.0, 0.0],
    ])
    i = inst(aff, conflict=[[1, 0, 0, 0, 0, 0], [0] * 6], max_load=[2, 1, 2, 2, 2, 2],
             demand=[2, 1], employer=[-1, -1, 8, 8, -1, -1])
    res = solve(i)
    assert res.assign[0].tolist() == [0, 0, 1, 0, 0, 1]
    e = explain(i, res, 0)
    assert [m.expert for m in e.members] == [2, 5]
    assert [m.affinity for m in e.members] == [0.9, 0.5]
    assert [(x.expert, x.reason) for x in e.passed_over] == [
        (0, "conflict"), (1, "max_load"), (3, "employer")]
    assert "conflict" in e.passed_over[0].reason_en
    assert "回避" in e.passed_over[0].reason_zh


def test_explain_trade_off() -> None:
    # Expert 0 (max 1) is better for both; application 1 gains more from it.
    i = inst([[0.9, 0.8], [0.9, 0.1]], max_load=[1, 1])
    res = solve(i)
    assert res.assign.tolist() == [[0, 1], [1, 0]]
    e = explain(i, res, 0)
    assert [(x.expert, x.reason) for x in e.passed_over] == [(0, "max_load")]
    # with room for both on expert 0 nothing is passed over
    i = inst([[0.9, 0.8], [0.9, 0.1]], min_load=[0, 1], max_load=[2, 1])
    res = solve(i)
    e = explain(i, res, 0)
    assert res.assign[0].tolist() == [0, 1]
    assert [(x.expert, x.reason) for x in e.passed_over] == [(0, "trade_off")]
    assert "lower total objective" in e.passed_over[0].reason_en


# ---------------------------------------------------------------------------------------------
# hypothesis: against the brute-force optimum


@st.composite
def instances(draw: st.DrawFn, both: bool = False) -> Instance:
    """Small instances, most of them feasible (ample loads, few conflicts) but not all."""
    n_p = draw(st.integers(1, 5))
    n_r = draw(st.integers(2, 6))
    cells = n_p * n_r
    aff = np.array(draw(st.lists(st.integers(0, 20), min_size=cells, max_size=cells)),
                   float).reshape(n_p, n_r) / 20
    conflict = np.array(draw(st.lists(st.integers(0, 7), min_size=cells,
                                      max_size=cells))).reshape(n_p, n_r) == 0
    demand = np.array(draw(st.lists(st.integers(0, min(3, n_r - 1)), min_size=n_p,
                                    max_size=n_p)))
    max_load = np.array(draw(st.lists(st.integers(n_p // 3, n_p), min_size=n_r, max_size=n_r)))
    min_load = np.array([draw(st.integers(0, min(int(m), 2))) for m in max_load]) * draw(
        st.sampled_from([0, 0, 1]))
    kw: dict[str, Any] = {}
    if both or draw(st.booleans()):
        kw["employer"] = np.array(draw(st.lists(st.integers(-1, 3), min_size=n_r,
                                                max_size=n_r)))
        kw["employer_strict"] = draw(st.booleans())
    if both or draw(st.booleans()):
        kw["can_lead"] = np.array(draw(st.lists(st.integers(0, 2), min_size=n_r,
                                                max_size=n_r))) > 0
    if draw(st.integers(0, 2)) == 0:
        forced = np.zeros((n_p, n_r), bool)
        p, r = draw(st.integers(0, n_p - 1)), draw(st.integers(0, n_r - 1))
        forced[p, r] = True
        if draw(st.integers(0, 4)):  # mostly a pair that can stand
            conflict[p, r] = False
            demand[p] = max(demand[p], 1)
            max_load[r] = max(max_load[r], 1)
        kw["forced"] = forced
    return Instance(aff, conflict, min_load, max_load, demand, **kw)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.sampled_from(["auto", "exact", "flow-k1", "exact"]))
def test_solver_matches_brute_force(i: Instance, method: str) -> None:
    best = brute_force(i)
    both = i.employer is not None and i.can_lead is not None
    kwargs: dict[str, Any] = {"method": method}
    if method == "flow-k1":  # the restricted graph, widened from one arc per application
        kwargs = {"method": "flow", "k": 1}
    rules = "+".join(n for n in ("employer", "can_lead", "forced") if getattr(i, n) is not None)
    if i.employer is not None and not i.employer_strict:
        rules = rules.replace("employer", "employer-where-possible")
    event(f"{'infeasible' if best is None else 'feasible'} {rules or 'plain'}")
    if best is None:
        with pytest.raises(Infeasible):
            solve(i, **kwargs)
        return
    res = solve(i, **kwargs)
    assert violations(i, res.assign) == []
    x = res.assign.astype(bool)
    assert not (x & i.conflict).any()
    assert (x.sum(axis=1) == i.demand).all()
    assert ((x.sum(axis=0) >= i.min_load) & (x.sum(axis=0) <= i.max_load)).all()
    lex = brute_force_lex(i)
    assert lex is not None
    assert res.clashes == employer_clashes(i, res.assign)
    if i.employer is not None and not i.employer_strict and not (
            method == "flow-k1" or (both and method == "auto")):
        # where possible: the fewest clashes, then the best affinity with them
        assert res.clashes == lex[0]
        assert res.objective == pytest.approx(lex[1], abs=1e-6)
        return
    if i.employer is not None and not i.employer_strict:
        assert res.clashes >= lex[0]
        return
    if method == "flow-k1" or (both and method == "auto"):
        # a restricted graph, or the repair, may miss the optimum, never exceed it
        assert res.objective <= best + 1e-6
        if res.bound is not None:
            assert best <= res.bound + 1e-6 or res.k is not None
    else:
        assert res.objective == pytest.approx(best, abs=1e-6)
    if i.can_lead is not None:
        for p in range(i.shape[0]):
            if i.demand[p] > 0:
                assert x[p, res.leaders[p]] and i.can_lead[res.leaders[p]]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(both=True), st.sampled_from(["auto", "exact"]))
def test_both_rules_match_brute_force(i: Instance, method: str) -> None:
    test_solver_matches_brute_force.hypothesis.inner_test(i, method)  # type: ignore[attr-defined]
