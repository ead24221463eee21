"""Reviewer assignment (专家分配): who reviews which application.

An :class:`Instance` holds, for P applications and R experts, the affinity of each pair, the
conflicts of interest, each expert's load limits and each application's team size (demand),
and optionally the team rules: no two members from one employer, at least one member who can
lead the team, and pairs the office fixed by hand (forced). :func:`solve` maximises the total
affinity of the assigned pairs under every rule; :func:`explain` says, for one application,
why a better-matching expert was not used.

Algorithms. Without side constraints — and also with *either* the employer rule *or* the
leader rule, and with forced pairs — the problem is a network flow, so OR-Tools' min-cost flow
solves it exactly (integral by total unimodularity; costs are affinities scaled to integers):
application → [leader node | employer node] → expert → sink, the expert → sink arc carrying
``[min_load, max_load]`` as node supplies. ``method="flow"`` builds the graph on each
application's ``k`` best arcs (plus each expert's best arcs where it has a minimum load, and
each application's best lead-capable arcs), widening ``k`` when that graph is infeasible.
With both the employer and the leader rule the structure is no longer a network; an exact MIP
(HiGHS through :func:`scipy.optimize.milp`) solves it. ``method="exact"`` solves on the full
graph (proved optimum); ``"auto"``/``"flow"`` use the restricted graph, and with both rules
solve the leader network by flow and repair the teams that break the employer rule by a MIP
over those applications alone (fast, not proved optimal; the flow gives an upper bound).

Before solving, cheap necessary conditions are checked and reported as :class:`Infeasible`
naming the constraint and the application (Chinese and English), e.g. an application needing
three reviewers with only two experts free of conflicts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from qaward.core.errors import QawardError

Method = Literal["auto", "flow", "exact"]
DEFAULT_K = 50
_COST_SCALE = 1e7  # the largest |affinity| becomes this many integer cost units

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


class InvalidInstance(QawardError):
    """An instance's data is malformed: names the field and the problem."""

    def __init__(self, field_name: str, problem: str) -> None:
        self.field = field_name
        self.problem = problem
        super().__init__(f"{field_name}: {problem}")


class Infeasible(QawardError):
    """No assignment meets every rule: names the rule (``constraint``) and where."""

    def __init__(self, constraint: str, message_zh: str, message_en: str,
                 application: int | None = None, expert: int | None = None) -> None:
        self.constraint = constraint
        self.message_zh = message_zh
        self.message_en = message_en
        self.application = application
        self.expert = expert
        super().__init__(f"{message_zh} / {message_en}")


# ---------------------------------------------------------------------------------------------
# the instance


def _int_vector(name: str, value: Any, n: int, *, minimum: int = 0) -> IntArray:
    a = np.asarray(value)
    if a.ndim != 1 or a.shape[0] != n:
        raise InvalidInstance(name, f"must be a vector of length {n}, got shape {a.shape}")
    if a.dtype == np.bool_ or not (np.issubdtype(a.dtype, np.integer)
                                   or np.issubdtype(a.dtype, np.floating)):
        raise InvalidInstance(name, f"must hold integers, got dtype {a.dtype}")
    if np.issubdtype(a.dtype, np.floating):
        bad = np.flatnonzero(~np.isfinite(a) | (a != np.round(a)))
        if bad.size:
            raise InvalidInstance(name, f"entry {int(bad[0])} is {a[bad[0]]}, not an integer")
    out = a.astype(np.int64, copy=False)
    low = np.flatnonzero(out < minimum)
    if low.size:
        raise InvalidInstance(name, f"entry {int(low[0])} is {int(out[low[0]])}; "
                                    f"values must be ≥ {minimum}")
    return out


def _bool_array(name: str, value: Any, shape: tuple[int, ...]) -> BoolArray:
    a = np.asarray(value)
    if a.shape != shape:
        raise InvalidInstance(name, f"must have shape {shape}, got {a.shape}")
    if a.dtype != np.bool_:
        if not (np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating)):
            raise InvalidInstance(name, f"must hold booleans (or 0/1), got dtype {a.dtype}")
        bad = np.argwhere((a != 0) & (a != 1))
        if bad.size:
            where = tuple(int(i) for i in bad[0])
            raise InvalidInstance(name, f"entry {where} is {a[where]}; only 0/1 allowed")
    return a.astype(np.bool_, copy=False)


@dataclass(frozen=True, eq=False)
class Instance:
    """P applications × R experts, validated on creation. Arrays already in their canonical
    dtype (float64, bool, int64) are kept, not copied: do not change them afterwards.

    affinity: P×R float, higher is a better match (finite).
    conflict: P×R bool, True where the expert may not review the application.
    min_load, max_load: R ints, each expert's number of applications, min ≤ max.
    demand: P ints, the team size of each application.
    employer: R ints (−1 none): no two members of a team share an employer ≥ 0.
    can_lead: R bools: each team with demand > 0 has a member who can lead.
    forced: P×R bool: pairs fixed by the office; they stay in every solution.
    employer_strict: False reads the employer rule "where possible": the fewest members
      sharing an employer with another member of their team first, then the best affinity.
    """

    affinity: FloatArray
    conflict: BoolArray
    min_load: IntArray
    max_load: IntArray
    demand: IntArray
    employer: IntArray | None = None
    can_lead: BoolArray | None = None
    forced: BoolArray | None = None
    employer_strict: bool = True

    def __post_init__(self) -> None:
        a = np.asarray(self.affinity)
        if a.ndim != 2:
            raise InvalidInstance("affinity", f"must be a P×R matrix, got {a.ndim} dimension(s)")
        if not (np.issubdtype(a.dtype, np.floating) or np.issubdtype(a.dtype, np.integer)) \
                or a.dtype == np.bool_:
            raise InvalidInstance("affinity", f"must hold numbers, got dtype {a.dtype}")
        a = a.astype(np.float64, copy=False)
        bad = np.zeros((0, 2)) if np.isfinite(a).all() else np.argwhere(~np.isfinite(a))
        if bad.size:
            p, r = (int(i) for i in bad[0])
            raise InvalidInstance("affinity", f"application {p}, expert {r} is {a[p, r]}; "
                                              "every affinity must be a finite number")
        n_p, n_r = a.shape
        s = object.__setattr__
        s(self, "affinity", a)
        s(self, "conflict", _bool_array("conflict", self.conflict, (n_p, n_r)))
        s(self, "min_load", _int_vector("min_load", self.min_load, n_r))
        s(self, "max_load", _int_vector("max_load", self.max_load, n_r))
        s(self, "demand", _int_vector("demand", self.demand, n_p))
        over = np.flatnonzero(self.min_load > self.max_load)
        if over.size:
            r = int(over[0])
            raise InvalidInstance("min_load", f"expert {r}: min_load {self.min_load[r]} exceeds "
                                              f"max_load {self.max_load[r]}")
        if self.employer is not None:
            s(self, "employer", _int_vector("employer", self.employer, n_r, minimum=-1))
        if self.can_lead is not None:
            s(self, "can_lead", _bool_array("can_lead", self.can_lead, (n_r,)))
        if self.forced is not None:
            s(self, "forced", _bool_array("forced", self.forced, (n_p, n_r)))
        if not isinstance(self.employer_strict, bool | np.bool_):
            raise InvalidInstance("employer_strict", "must be True or False")
        s(self, "employer_strict", bool(self.employer_strict))

    @property
    def shape(self) -> tuple[int, int]:
        p, r = self.affinity.shape
        return int(p), int(r)


@dataclass(frozen=True, eq=False)
class Result:
    assign: NDArray[np.uint8]  # P×R 0/1
    objective: float  # sum of affinity over assigned pairs
    seconds: float
    method: str  # "flow" (min-cost flow), "mip" (HiGHS) or "flow+mip" (flow, MIP repair)
    leaders: IntArray  # per application a lead-capable member, −1 without can_lead
    k: int | None = None  # arcs per application of the graph solved; None: the full graph
    optimal: bool = False  # proved optimal for the whole instance
    bound: float | None = None  # an upper bound on the optimum over the graph solved, if known
    clashes: int = 0  # members sharing an employer with another of their team (beyond one)


# ---------------------------------------------------------------------------------------------
# cheap necessary conditions


def _infeasible_reasons(inst: Instance) -> Infeasible | None:
    d, lo, hi = inst.demand, inst.min_load, inst.max_load
    total_d, total_hi, total_lo = int(d.sum()), int(hi.sum()), int(lo.sum())
    forced = inst.forced
    if forced is not None:
        bad = np.argwhere(forced & inst.conflict)
        if bad.size:
            p, r = (int(i) for i in bad[0])
            return Infeasible("forced_conflict",
                              f"申报 {p}：人工指定的专家 {r} 存在利益冲突",
                              f"application {p}: expert {r} was fixed by hand but has a "
                              "conflict of interest", p, r)
        fp = forced.sum(axis=1)
        over = np.flatnonzero(fp > d)
        if over.size:
            p = int(over[0])
            return Infeasible("forced_demand",
                              f"申报 {p}：人工指定了 {fp[p]} 名专家，超过所需的 {d[p]} 名",
                              f"application {p}: {fp[p]} experts fixed by hand, more than the "
                              f"{d[p]} it needs", p)
        fr = forced.sum(axis=0)
        over = np.flatnonzero(fr > hi)
        if over.size:
            r = int(over[0])
            return Infeasible("forced_max_load",
                              f"专家 {r}：人工指定了 {fr[r]} 个申报，超过其上限 {hi[r]}",
                              f"expert {r}: fixed by hand to {fr[r]} applications, more than "
                              f"max_load {hi[r]}", None, r)
        if inst.can_lead is not None:
            full = (fp == d) & (d > 0) & ~(forced & inst.can_lead[None, :]).any(axis=1)
            if full.any():
                p = int(np.flatnonzero(full)[0])
                return Infeasible("forced_leader",
                                  f"申报 {p}：人工指定的专家已占满全组名额，但无人可担任组长",
                                  f"application {p}: the experts fixed by hand fill the team "
                                  "and none of them can lead", p)
        if inst.employer is not None and inst.employer_strict:
            for fp_app in np.flatnonzero(fp > 1):
                p = int(fp_app)
                emps = inst.employer[forced[p]]
                emps = emps[emps >= 0]
                if emps.size != np.unique(emps).size:
                    return Infeasible("forced_employer",
                                      f"申报 {p}：人工指定的专家中有两人来自同一单位",
                                      f"application {p}: two experts fixed by hand share an "
                                      "employer", int(p))
    if total_d > total_hi:
        return Infeasible("total_max_load",
                          f"所需评审总人次 {total_d} 超过专家可承担的总上限 {total_hi}",
                          f"total demand {total_d} exceeds total max_load {total_hi}")
    if total_lo > total_d:
        return Infeasible("total_min_load",
                          f"专家最低工作量合计 {total_lo} 超过所需评审总人次 {total_d}",
                          f"total min_load {total_lo} exceeds total demand {total_d}")
    free = ~inst.conflict & (hi > 0)[None, :]
    n_free = free.sum(axis=1)
    short = np.flatnonzero(n_free < d)
    if short.size:
        p = int(short[0])
        return Infeasible("demand",
                          f"申报 {p} 需要 {d[p]} 名专家，但无利益冲突的专家只有 {n_free[p]} 名",
                          f"application {p} needs {d[p]} reviewers but only {n_free[p]} "
                          "experts are free of conflicts", p)
    apps_free = (~inst.conflict & (d > 0)[:, None]).sum(axis=0)
    short = np.flatnonzero(apps_free < lo)
    if short.size:
        r = int(short[0])
        return Infeasible("min_load",
                          f"专家 {r} 至少须评审 {lo[r]} 个申报，但与其无利益冲突的申报只有 "
                          f"{apps_free[r]} 个",
                          f"expert {r} must review at least {lo[r]} applications but only "
                          f"{apps_free[r]} are free of conflicts", None, r)
    if inst.can_lead is not None:
        lead_free = (free & inst.can_lead[None, :]).sum(axis=1)
        short = np.flatnonzero((lead_free == 0) & (d > 0))
        if short.size:
            p = int(short[0])
            return Infeasible("leader",
                              f"申报 {p}：没有无利益冲突且可担任组长的专家",
                              f"application {p}: no lead-capable expert free of conflicts", p)
        teams = int(np.count_nonzero(d > 0))
        places = int(hi[inst.can_lead].sum())
        if places < teams:
            return Infeasible("leader_capacity",
                              f"可担任组长的专家工作量上限合计 {places}，"
                              f"少于需要组长的 {teams} 个评审组",
                              f"lead-capable experts can take {places} applications in all "
                              f"(their max_load), fewer than the {teams} teams that need a leader")
    if inst.employer is not None and inst.employer_strict:
        emp = inst.employer
        # distinct employers among p's free experts ≥ those among all available experts less
        # the ones p is not free of: only applications where that bound is short are counted
        avail = hi > 0
        e_avail = emp[avail]
        total = int(np.unique(e_avail[e_avail >= 0]).size + np.count_nonzero(e_avail < 0))
        lost = (~free & avail[None, :]).sum(axis=1)
        for app in np.flatnonzero((d > 1) & (total - lost < d)):
            p = int(app)
            e = emp[free[p]]
            distinct = int(np.unique(e[e >= 0]).size + np.count_nonzero(e < 0))
            if distinct < d[p]:
                return Infeasible("employer",
                                  f"申报 {p}：可选专家仅来自 {distinct} 个不同单位，需要 {d[p]} 个",
                                  f"application {p}: only {distinct} distinct employers among "
                                  f"its eligible experts, it needs {d[p]}", int(p))
    return None


def _solver_infeasible(mip: bool) -> Infeasible:
    what_zh, what = ("全部专家组合，精确整数规划", "the full graph, exact MIP") if mip else (
        "全部专家组合，最小费用流", "the full graph, min-cost flow")
    return Infeasible("solver",
                      "没有同时满足全部约束（冲突回避、工作量上下限、组长、同单位回避、人工指定）"
                      f"的分配方案，尽管逐项检查均可满足（求解范围：{what_zh}）",
                      "no assignment meets every constraint together (conflicts, load limits, "
                      "leaders, employers, fixed pairs), though each rule's quick check passes "
                      f"(solved on {what})")


# ---------------------------------------------------------------------------------------------
# the reduced problem: forced pairs taken out


@dataclass(frozen=True)
class _Reduced:
    demand: IntArray
    min_load: IntArray
    max_load: IntArray
    eligible: BoolArray  # P×R arcs that may be chosen
    need_lead: BoolArray  # P


def _reduce(inst: Instance) -> _Reduced:
    forced = inst.forced if inst.forced is not None else np.zeros(inst.shape, np.bool_)
    fp, fr = forced.sum(axis=1), forced.sum(axis=0)
    demand = inst.demand - fp
    max_load = inst.max_load - fr
    min_load = np.maximum(inst.min_load - fr, 0)
    eligible = ~inst.conflict & ~forced
    eligible &= (demand > 0)[:, None]
    eligible &= (max_load > 0)[None, :]
    if inst.employer is not None and inst.employer_strict and forced.any():
        emp = inst.employer
        for p in np.flatnonzero(fp):
            used = emp[forced[p]]
            used = used[used >= 0]
            if used.size:
                eligible[p] &= ~np.isin(emp, used)
    if inst.can_lead is not None:
        has_lead = (forced & inst.can_lead[None, :]).any(axis=1)
        need_lead = (demand > 0) & ~has_lead
    else:
        need_lead = np.zeros(inst.shape[0], np.bool_)
    return _Reduced(demand, min_load, max_load, eligible, need_lead)


def _top_per_row(score: FloatArray, k: int, chunk: int = 2048) -> tuple[IntArray, IntArray]:
    """The (row, column) pairs of each row's k largest finite scores."""
    n_rows, n_cols = score.shape
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    if k <= 0 or n_cols == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    for start in range(0, n_rows, chunk):
        block = score[start:start + chunk]
        if k < n_cols:
            idx = np.argpartition(block, n_cols - k, axis=1)[:, n_cols - k:]
        else:
            idx = np.broadcast_to(np.arange(n_cols), block.shape)
        vals = np.take_along_axis(block, idx, axis=1)
        keep = np.isfinite(vals)
        r = np.broadcast_to(np.arange(start, start + block.shape[0])[:, None], idx.shape)
        rows.append(r[keep].astype(np.int64))
        cols.append(idx[keep].astype(np.int64))
    return np.concatenate(rows), np.concatenate(cols)


def _group(keys: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """``np.unique(keys, return_inverse=True, return_counts=True)`` by one sort (NumPy's
    hash-based unique is several times slower on the arc keys)."""
    order = np.argsort(keys, kind="stable")
    sk = keys[order]
    start = np.ones(sk.size, np.bool_)
    start[1:] = sk[1:] != sk[:-1]
    gid = np.cumsum(start) - 1
    inv = np.empty(sk.size, np.int64)
    inv[order] = gid
    first = np.flatnonzero(start)
    counts = np.diff(np.append(first, sk.size)).astype(np.int64)
    return sk[first], inv, counts


def _candidate_arcs(inst: Instance, red: _Reduced, k: int | None, *,
                    experts: bool = False) -> tuple[IntArray, IntArray]:
    """Arcs (p, r) to build the problem on; ``k=None``: every eligible arc.

    Each application's ``k`` best eligible arcs, its best lead-capable ones where it needs a
    leader, and with ``experts`` each expert's best applications where it has a minimum load
    (added once a graph without them proved infeasible).
    """
    n_p, n_r = inst.shape
    if k is None or k >= n_r or n_p == 0:
        p, r = np.nonzero(red.eligible)
        return p.astype(np.int64), r.astype(np.int64)
    ps: list[IntArray] = []
    rs: list[IntArray] = []
    extras = False  # arcs beyond the disjoint row blocks, which may repeat some
    chunk = 2048
    lead_cols = None if inst.can_lead is None else np.flatnonzero(inst.can_lead)
    for start in range(0, n_p, chunk):
        stop = min(start + chunk, n_p)
        block = np.where(red.eligible[start:stop], inst.affinity[start:stop], -np.inf)
        p, r = _top_per_row(block, k)
        ps.append(p + start)
        rs.append(r)
        if lead_cols is not None and lead_cols.size and inst.can_lead is not None:
            # the best lead-capable arcs of each application needing a leader with fewer
            # than `few` of them among its k best, so a leader is always in reach
            few = max(3, k // 5)
            n_lead = np.bincount(p, weights=inst.can_lead[r], minlength=stop - start)
            short = np.flatnonzero(red.need_lead[start:stop] & (n_lead < few))
            if short.size:
                lead = block[short][:, lead_cols]
                p, r = _top_per_row(lead, few)
                ps.append(short[p] + start)
                rs.append(lead_cols[r])
                extras = True
    need = red.min_load > 0
    if experts and need.any():
        # each expert with a minimum load gets its best applications too
        m = int(min(n_p, max(3 * int(red.min_load.max()), k)))
        cols = np.flatnonzero(need)
        for c0 in range(0, cols.size, chunk):
            cc = cols[c0:c0 + chunk]
            block = np.where(red.eligible[:, cc], inst.affinity[:, cc], -np.inf).T
            r, p = _top_per_row(np.ascontiguousarray(block), m)
            ps.append(p)
            rs.append(cc[r])
            extras = True
    if not extras:
        return np.concatenate(ps), np.concatenate(rs)
    key = np.sort(np.concatenate(ps) * n_r + np.concatenate(rs))
    key = key[np.append(True, key[1:] != key[:-1])]
    return key // n_r, key % n_r


# ---------------------------------------------------------------------------------------------
# min-cost flow


def _clash_penalty(inst: Instance) -> float:
    """The cost of one clash under the employer rule "where possible", in affinity units: more
    than any gain in affinity a clash could buy (the range of affinities × total demand)."""
    a = inst.affinity
    span = float(a.max(initial=0.0) - a.min(initial=0.0)) if a.size else 0.0
    return max(span, 1e-9) * max(1, int(inst.demand.sum())) + 1.0


def _forced_clash(inst: Instance, p: IntArray, r: IntArray) -> BoolArray:
    """Arcs to a colleague (same employer) of an expert fixed by hand on that application."""
    if inst.employer is None or inst.forced is None or not inst.forced.any():
        return np.zeros(p.size, np.bool_)
    emp = inst.employer
    n_emp = int(emp.max(initial=0)) + 1
    fp, fr = np.nonzero(inst.forced)
    ok = emp[fr] >= 0
    forced_keys = fp[ok] * n_emp + emp[fr[ok]]
    return (emp[r] >= 0) & np.isin(p * n_emp + emp[r], forced_keys)


def _solve_flow(inst: Instance, red: _Reduced, p: IntArray, r: IntArray) -> IntArray | None:
    """Chosen arcs (indices into p, r), or None when this graph is infeasible.

    Models the leader rule when ``can_lead`` is given, else the employer rule when
    ``employer`` is: one of them, as both together would break the network structure.
    """
    from ortools.graph.python import min_cost_flow

    n_p, n_r = inst.shape
    aff = inst.affinity[p, r]
    scale = _COST_SCALE / max(float(np.abs(inst.affinity).max(initial=0.0)), 1e-12)
    soft = inst.employer is not None and not inst.employer_strict and inst.can_lead is None
    penalty = 0
    if soft:
        # keep penalty × (nodes + 1), which the cost-scaling algorithm forms, within int64
        m = _clash_penalty(inst)
        nodes = n_p + n_r + 1 + p.size
        scale = min(scale, 2.0**60 / (m * (nodes + 1)))
        penalty = int(np.rint(m * scale))
    cost = -np.rint(aff * scale).astype(np.int64)
    if soft:
        cost[_forced_clash(inst, p, r)] += penalty

    expert_node = n_p + np.arange(n_r)
    sink = n_p + n_r
    next_node = sink + 1
    tails: list[IntArray] = []
    heads: list[IntArray] = []
    caps: list[IntArray] = []
    costs: list[IntArray] = []
    supply = np.zeros(sink + 1, np.int64)
    supply[:n_p] = red.demand
    supply[expert_node] -= red.min_load
    supply[sink] -= int(red.demand.sum()) - int(red.min_load.sum())
    extra_supply: list[IntArray] = []

    tail = p.copy()  # where each candidate arc leaves from (application or an aux node)
    if inst.can_lead is not None:
        apps = np.flatnonzero(red.need_lead)
        lead_node = np.full(n_p, -1, np.int64)
        lead_node[apps] = next_node + np.arange(apps.size)
        next_node += apps.size
        # p → L_p with lower bound 1: capacity demand − 1, one unit of supply moved to L_p
        tails.append(apps)
        heads.append(lead_node[apps])
        caps.append(red.demand[apps] - 1)
        costs.append(np.zeros(apps.size, np.int64))
        supply[apps] -= 1
        extra_supply.append(np.ones(apps.size, np.int64))
        via = red.need_lead[p] & inst.can_lead[r]
        tail[via] = lead_node[p[via]]
    elif inst.employer is not None:
        # p → (p, e) with capacity 1, only where p has two or more arcs to employer e
        emp = inst.employer[r]
        has = np.flatnonzero(emp >= 0)
        n_emp = int(inst.employer.max(initial=0)) + 1
        keys, inv, counts = _group(p[has] * n_emp + emp[has])
        shared = counts > 1
        group_of_key = np.full(keys.size, -1, np.int64)
        group_of_key[shared] = next_node + np.arange(int(shared.sum()))
        groups = keys[shared]
        next_node += groups.size
        tails.append(groups // n_emp)
        heads.append(group_of_key[shared])
        caps.append(np.ones(groups.size, np.int64))
        costs.append(np.zeros(groups.size, np.int64))
        extra_supply.append(np.zeros(groups.size, np.int64))
        if soft:  # "where possible": more members of e, each at the clash penalty
            tails.append(groups // n_emp)
            heads.append(group_of_key[shared])
            caps.append(counts[shared] - 1)
            costs.append(np.full(groups.size, penalty, np.int64))
        grouped = group_of_key[inv] >= 0
        tail[has[grouped]] = group_of_key[inv][grouped]

    first_arc = sum(int(t.size) for t in tails)
    tails.append(tail)
    heads.append(n_p + r)
    caps.append(np.ones(p.size, np.int64))
    costs.append(cost)
    tails.append(expert_node)
    heads.append(np.full(n_r, sink, np.int64))
    caps.append(red.max_load - red.min_load)
    costs.append(np.zeros(n_r, np.int64))

    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails), np.concatenate(heads), np.concatenate(caps),
        np.concatenate(costs))
    all_supply = np.concatenate([supply, *extra_supply]) if extra_supply else supply
    mcf.set_nodes_supplies(np.arange(all_supply.size), all_supply)
    status = mcf.solve()
    if status == mcf.INFEASIBLE:
        return None
    if status == mcf.BAD_COST_RANGE:
        raise QawardError("the affinities span too wide a range for the min-cost flow's "
                          "integer costs; rescale them (e.g. to [0, 1])")
    if status != mcf.OPTIMAL:
        raise QawardError(f"the min-cost flow solver stopped with status {status}")
    flows = mcf.flows(np.arange(first_arc, first_arc + p.size))
    return np.flatnonzero(flows > 0)


# ---------------------------------------------------------------------------------------------
# exact MIP (HiGHS)


def _solve_mip(inst: Instance, red: _Reduced, p: IntArray, r: IntArray,
               time_limit: float | None) -> tuple[IntArray | None, bool]:
    """Chosen arcs and whether HiGHS proved them optimal; (None, _) when infeasible."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    n_p, n_r = inst.shape
    n = p.size
    if n == 0:  # nothing to choose: feasible only when nothing is needed
        empty = not red.demand.any() and not red.min_load.any()
        return (np.zeros(0, np.int64), True) if empty else (None, False)
    arc = np.arange(n)
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    vals: list[FloatArray] = []
    lo: list[FloatArray] = []
    hi: list[FloatArray] = []
    nrow = 0

    def block(row_of_arc: IntArray, arcs: IntArray, n_rows: int, low: Any, high: Any) -> None:
        nonlocal nrow
        rows.append(row_of_arc + nrow)
        cols.append(arcs)
        vals.append(np.ones(arcs.size))
        lo.append(np.broadcast_to(np.asarray(low, np.float64), (n_rows,)))
        hi.append(np.broadcast_to(np.asarray(high, np.float64), (n_rows,)))
        nrow += n_rows

    apps = np.flatnonzero(red.demand > 0)
    app_row = np.full(n_p, -1, np.int64)
    app_row[apps] = np.arange(apps.size)
    block(app_row[p], arc, apps.size, red.demand[apps], red.demand[apps])
    block(r, arc, n_r, red.min_load, red.max_load)
    n_slack = 0
    objective = -inst.affinity[p, r]
    if inst.employer is not None:
        emp = inst.employer[r]
        has = emp >= 0
        n_emp = int(inst.employer.max(initial=0)) + 1
        groups, inv, _ = _group(p[has] * n_emp + emp[has])
        if not inst.employer_strict:
            # "where possible": Σ x − s ≤ 1 with s ≥ 0 (one per group) at the clash penalty
            n_slack = groups.size
            rows.append(np.arange(n_slack) + nrow)
            cols.append(n + np.arange(n_slack))
            vals.append(-np.ones(n_slack))
            m = _clash_penalty(inst)
            objective = np.concatenate([objective + m * _forced_clash(inst, p, r),
                                        np.full(n_slack, m)])
        block(inv, arc[has], groups.size, 0, 1)
    if inst.can_lead is not None:
        leads = np.flatnonzero(red.need_lead)
        lead_row = np.full(n_p, -1, np.int64)
        lead_row[leads] = np.arange(leads.size)
        sel = red.need_lead[p] & inst.can_lead[r]
        block(lead_row[p[sel]], arc[sel], leads.size, 1, np.inf)
    a_mat = coo_array((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                      shape=(nrow, n + n_slack)).tocsr()
    options: dict[str, Any] = {"disp": False, "mip_rel_gap": 1e-9}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    upper = np.concatenate([np.ones(n), np.full(n_slack, np.inf)])
    res = milp(objective, integrality=np.concatenate([np.ones(n), np.zeros(n_slack)]),
               bounds=Bounds(0, upper),
               constraints=LinearConstraint(a_mat, np.concatenate(lo), np.concatenate(hi)),
               options=options)
    if res.status == 2:
        return None, False
    if res.x is None:
        raise QawardError(f"the MIP solver found no assignment: {res.message}")
    return np.flatnonzero(res.x[:n] > 0.5), bool(res.status == 0)


# ---------------------------------------------------------------------------------------------
# both rules, fast: the leader network, then the employer rule repaired by a small MIP


def _employer_breaches(inst: Instance, assign_rows: IntArray, assign_cols: IntArray) -> IntArray:
    """Applications with two members of one employer, among the given (p, r) pairs."""
    assert inst.employer is not None
    emp = inst.employer[assign_cols]
    has = emp >= 0
    n_emp = int(inst.employer.max(initial=0)) + 1
    key, _, counts = _group(assign_rows[has] * n_emp + emp[has])
    return key[counts > 1] // n_emp  # sorted keys: each application once


def _solve_both(inst: Instance, red: _Reduced, p: IntArray, r: IntArray,
                time_limit: float | None) -> tuple[IntArray | None, float | None]:
    """Leader rule by min-cost flow (exact), then the applications whose team breaks the
    employer rule re-solved together by the MIP within the loads the others leave.

    Returns the chosen arcs and an upper bound on the optimum over this graph (the flow's
    objective: it relaxes the employer rule), or (None, None) when the flow is infeasible.
    Falls back to the MIP on the whole graph when the repair is infeasible.
    """
    chosen = _solve_flow(inst, red, p, r)
    if chosen is None:
        return None, None
    bound = float(inst.affinity[p[chosen], r[chosen]].sum())
    bad = _employer_breaches(inst, p[chosen], r[chosen])
    if bad.size == 0:
        return chosen, bound
    n_p, n_r = inst.shape
    in_bad = np.zeros(n_p, np.bool_)
    in_bad[bad] = True
    keep = chosen[~in_bad[p[chosen]]]
    kept_load = np.bincount(r[keep], minlength=n_r)
    sub = _Reduced(
        demand=np.where(in_bad, red.demand, 0),
        min_load=np.maximum(red.min_load - kept_load, 0),
        max_load=red.max_load - kept_load,
        eligible=red.eligible,
        need_lead=red.need_lead & in_bad,
    )
    arcs = np.flatnonzero(in_bad[p])
    fixed, _ = _solve_mip(inst, sub, p[arcs], r[arcs], time_limit)
    if fixed is None:  # the others' loads leave no room: solve the whole graph
        whole, _ = _solve_mip(inst, red, p, r, time_limit)
        return whole, bound
    return np.concatenate([keep, arcs[fixed]]), bound


# ---------------------------------------------------------------------------------------------
# solve


def _leaders(inst: Instance, assign: NDArray[np.uint8]) -> IntArray:
    n_p = inst.shape[0]
    if inst.can_lead is None:
        return np.full(n_p, -1, np.int64)
    score = np.where((assign > 0) & inst.can_lead[None, :], inst.affinity, -np.inf)
    best: IntArray = np.argmax(score, axis=1).astype(np.int64)
    best[~np.isfinite(score[np.arange(n_p), best])] = -1
    return best


def solve(instance: Instance, *, method: Method = "auto", time_limit: float | None = None,
          k: int = DEFAULT_K) -> Result:
    """The assignment maximising total affinity under every rule of ``instance``.

    ``method``:
    - "flow" (and "auto") — each application's ``k`` best arcs (plus the best arcs of experts
      with a minimum load and each application's best lead-capable arcs), widened ×4 while
      that graph is infeasible. Min-cost flow, exact on that graph, when the rules form a
      network (no side rule, forced pairs, and either employer or can_lead); with both
      employer and can_lead, the leader network by min-cost flow and the teams that break
      the employer rule re-solved together by the HiGHS MIP (``method`` "flow+mip"; ``bound``
      is the flow's objective, an upper bound on the optimum over the graph).
    - "exact" — the full graph: min-cost flow where the rules form a network, else the MIP
      over every pair; ``optimal`` is True when proved.
    ``time_limit`` (seconds) bounds each MIP. Raises :class:`Infeasible` naming the first rule
    that cannot be met, :class:`InvalidInstance` (on creating the instance) for bad data.
    """
    if method not in ("auto", "flow", "exact"):
        raise ValueError(f"method must be 'auto', 'flow' or 'exact', not {method!r}")
    if k < 1:
        raise ValueError(f"k must be ≥ 1, not {k}")
    both = instance.employer is not None and instance.can_lead is not None
    start = time.perf_counter()
    reason = _infeasible_reasons(instance)
    if reason is not None:
        raise reason
    red = _reduce(instance)
    if int(red.min_load.sum()) > int(red.demand.sum()):
        raise Infeasible("total_min_load",
                         "扣除人工指定后，专家最低工作量合计超过剩余所需评审人次",
                         "after the pairs fixed by hand, total min_load exceeds the demand "
                         "still open")
    n_p, n_r = instance.shape
    kk: int | None = None if method == "exact" else k
    bound: float | None = None
    widened = False
    while True:
        if kk is not None and kk >= n_r:
            kk = None
        p, r = _candidate_arcs(instance, red, kk, experts=widened)
        if both and method == "exact":
            used = "mip"
            chosen, proved = _solve_mip(instance, red, p, r, time_limit)
        elif both:
            used = "flow+mip"
            chosen, bound = _solve_both(instance, red, p, r, time_limit)
            proved = False
        else:
            used = "flow"
            chosen, proved = _solve_flow(instance, red, p, r), True
        if chosen is not None:
            break
        if kk is None:
            raise _solver_infeasible(used != "flow")
        if widened:
            kk *= 4
        widened = True
    assign = np.zeros((n_p, n_r), np.uint8)
    assign[p[chosen], r[chosen]] = 1
    objective_free = float(instance.affinity[p[chosen], r[chosen]].sum())
    if instance.forced is not None:
        assign[instance.forced] = 1
    objective = float(instance.affinity[assign > 0].sum())
    if bound is not None:
        bound += objective - objective_free  # the forced pairs' share
        proved = bound - objective <= 1e-9 * max(1.0, abs(bound))
    return Result(assign=assign, objective=objective, seconds=time.perf_counter() - start,
                  method=used, leaders=_leaders(instance, assign), k=kk,
                  optimal=proved and kk is None, bound=bound,
                  clashes=employer_clashes(instance, assign))


# ---------------------------------------------------------------------------------------------
# independent check


def violations(instance: Instance, assign: Any) -> list[str]:
    """Every rule the 0/1 matrix ``assign`` breaks (empty: valid). Independent of the solver."""
    a = np.asarray(assign)
    inst = instance
    if a.shape != inst.shape:
        return [f"assign has shape {a.shape}, expected {inst.shape}"]
    if not np.isin(a, (0, 1)).all():
        return ["assign holds values other than 0 and 1"]
    x = a.astype(bool)
    out: list[str] = []
    for p, r in np.argwhere(x & inst.conflict)[:5]:
        out.append(f"application {p}: expert {r} has a conflict of interest")
    size = x.sum(axis=1)
    for p in np.flatnonzero(size != inst.demand)[:5]:
        out.append(f"application {p}: {size[p]} reviewers, demand {inst.demand[p]}")
    load = x.sum(axis=0)
    for r in np.flatnonzero((load < inst.min_load) | (load > inst.max_load))[:5]:
        out.append(f"expert {r}: load {load[r]} outside [{inst.min_load[r]}, "
                   f"{inst.max_load[r]}]")
    if inst.forced is not None:
        for p, r in np.argwhere(inst.forced & ~x)[:5]:
            out.append(f"application {p}: fixed expert {r} missing")
    if inst.can_lead is not None:
        has = (x & inst.can_lead[None, :]).any(axis=1)
        for p in np.flatnonzero(~has & (inst.demand > 0))[:5]:
            out.append(f"application {p}: no member can lead")
    if inst.employer is not None and inst.employer_strict:
        emp = inst.employer
        pp, rr = np.nonzero(x & (emp >= 0)[None, :])
        key = pp * (int(emp.max(initial=0)) + 1) + emp[rr]
        uniq, _, counts = _group(key)
        for kk in uniq[counts > 1][:5]:
            out.append(f"application {kk // (int(emp.max(initial=0)) + 1)}: two members "
                       "share an employer")
    return out


def employer_clashes(instance: Instance, assign: Any) -> int:
    """Members who share an employer with another member of their team, beyond the first of
    each employer (0 without ``employer``)."""
    if instance.employer is None:
        return 0
    emp = instance.employer
    pp, rr = np.nonzero((np.asarray(assign) > 0) & (emp >= 0)[None, :])
    if pp.size == 0:
        return 0
    _, _, counts = _group(pp * (int(emp.max(initial=0)) + 1) + emp[rr])
    return int((counts - 1).sum())


# ---------------------------------------------------------------------------------------------
# explanation


@dataclass(frozen=True)
class Member:
    expert: int
    affinity: float
    leader: bool = False
    forced: bool = False


@dataclass(frozen=True)
class PassedOver:
    expert: int
    affinity: float
    reason: str  # conflict | max_load | employer | trade_off
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class Explanation:
    application: int
    members: list[Member] = field(default_factory=list)  # best affinity first
    passed_over: list[PassedOver] = field(default_factory=list)  # best affinity first


def explain(instance: Instance, result: Result, p: int) -> Explanation:
    """Application ``p``'s team with each member's affinity, and every expert with a higher
    affinity than the weakest member who was not used, with the reason."""
    inst = instance
    n_p, _ = inst.shape
    if not 0 <= p < n_p:
        raise IndexError(f"application {p} is not in 0…{n_p - 1}")
    aff = inst.affinity[p]
    chosen = np.flatnonzero(result.assign[p] > 0)
    chosen = chosen[np.argsort(-aff[chosen], kind="stable")]
    forced = inst.forced[p] if inst.forced is not None else np.zeros(inst.shape[1], np.bool_)
    members = [Member(int(r), float(aff[r]), leader=int(r) == int(result.leaders[p]),
                      forced=bool(forced[r])) for r in chosen]
    if chosen.size == 0:
        return Explanation(p, members, [])
    weakest = float(aff[chosen].min())
    load = result.assign.sum(axis=0)
    team_emp = set() if inst.employer is None else {int(e) for e in inst.employer[chosen]
                                                    if e >= 0}
    better = np.flatnonzero((aff > weakest) & (result.assign[p] == 0))
    better = better[np.argsort(-aff[better], kind="stable")]
    passed: list[PassedOver] = []
    for r in better:
        a = float(aff[r])
        if inst.conflict[p, r]:
            passed.append(PassedOver(int(r), a, "conflict", "存在利益冲突，须回避",
                                     "conflict of interest"))
        elif load[r] >= inst.max_load[r]:
            passed.append(PassedOver(int(r), a, "max_load",
                                     f"已达工作量上限（{inst.max_load[r]}）",
                                     f"at max load ({inst.max_load[r]})"))
        elif inst.employer is not None and int(inst.employer[r]) in team_emp:
            passed.append(PassedOver(int(r), a, "employer", "组内已有同单位专家",
                                     "employer already on the team"))
        else:
            passed.append(PassedOver(int(r), a, "trade_off",
                                     "用于他处总体匹配更优（总目标值更高）",
                                     "lower total objective: the expert matters more elsewhere"))
    return Explanation(p, members, passed)
