"""Reviewer assignment: qaward's solver against a plain OR-Tools min-cost flow, side by side.

For each size (applications × experts) a random instance with team size k=3, about 2%
conflicts and loads between ½ and 1.2× the average is generated, then timed:
  reference — a plain OR-Tools min-cost flow on each application's 50 best arcs
              (argpartition + one SimpleMinCostFlow, the floor the issue measures against);
  solve     — qaward.core.review.assignment.solve(method="flow"), its feasibility checks
              included (the Instance is built, and validated, before the clock starts);
  exact     — solve(method="exact"): the full graph, the proved optimum (up to 5,000 × 1,500);
and the gap of solve's objective to the exact one in %. The reference and solve are timed
``--repeat`` times each (the fastest is printed; once at 20,000 × 5,000).
Then 5,000 × 1,500 again with the team rules on (employer: no two members from one
employer; can_lead: one member can lead):
each rule alone (exact min-cost flow), both (the leader network by flow, the teams breaking
the employer rule repaired by a HiGHS MIP), an upper bound on the optimum with both rules (the
leader rule alone on the full graph) and the full HiGHS MIP on the same 50 best arcs.

    .venv/bin/python bench/assign.py [--sizes 200x60,5000x1500,20000x5000] [--no-exact]
                                     [--no-rules] [--no-mip]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from qaward.core.review.assignment import Instance, solve, violations

K_TEAM = 3


def generate(n_p: int, n_r: int, seed: int = 0, *, rules: bool = False) -> Instance:
    """Topic-model affinities in [0, 1]: each side a mix of 20 topics, plus noise."""
    rng = np.random.default_rng(seed)
    a_t = rng.dirichlet(np.full(20, 0.3), n_p)
    r_t = rng.dirichlet(np.full(20, 0.3), n_r)
    affinity = np.sqrt(a_t) @ np.sqrt(r_t).T  # Bhattacharyya coefficient, in [0, 1]
    affinity = np.clip(0.8 * affinity + 0.2 * rng.random((n_p, n_r)), 0, 1)
    conflict = rng.random((n_p, n_r)) < 0.02
    avg = K_TEAM * n_p / n_r
    min_load = np.full(n_r, int(np.floor(0.5 * avg)))
    max_load = np.full(n_r, int(np.ceil(1.2 * avg)))
    demand = np.full(n_p, K_TEAM)
    employer = can_lead = None
    if rules:
        # about 3 experts per employer, a quarter with no employer; 30% can lead
        employer = rng.integers(0, max(1, n_r // 3), n_r)
        employer[rng.random(n_r) < 0.25] = -1
        can_lead = rng.random(n_r) < 0.3
    return Instance(affinity, conflict, min_load, max_load, demand,
                    employer=employer, can_lead=can_lead)


def reference_flow(inst: Instance, k: int = 50) -> tuple[float, float]:
    """A plain min-cost flow on each application's k best non-conflicted arcs: (seconds, obj)."""
    from ortools.graph.python import min_cost_flow

    t0 = time.perf_counter()
    n_p, n_r = inst.shape
    score = np.where(inst.conflict, -np.inf, inst.affinity)
    idx = np.argpartition(-score, k - 1, axis=1)[:, :k]
    p = np.repeat(np.arange(n_p), k)
    r = idx.ravel()
    keep = np.isfinite(score[p, r])
    p, r = p[keep], r[keep]
    cost = -np.rint(inst.affinity[p, r] * 1e6).astype(np.int64)
    sink = n_p + n_r
    tails = np.concatenate([p, n_p + np.arange(n_r)])
    heads = np.concatenate([n_p + r, np.full(n_r, sink)])
    caps = np.concatenate([np.ones(p.size, np.int64), inst.max_load - inst.min_load])
    costs = np.concatenate([cost, np.zeros(n_r, np.int64)])
    supply = np.concatenate([inst.demand, -inst.min_load,
                             [-(int(inst.demand.sum()) - int(inst.min_load.sum()))]])
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    mcf.set_nodes_supplies(np.arange(supply.size), supply)
    status = mcf.solve()
    assert status == mcf.OPTIMAL, status
    flows = mcf.flows(np.arange(p.size))
    obj = float(inst.affinity[p[flows > 0], r[flows > 0]].sum())
    return time.perf_counter() - t0, obj


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="200x60,5000x1500,20000x5000")
    ap.add_argument("--exact-up-to", type=int, default=5000 * 1500,
                    help="solve the full graph only up to this many pairs")
    ap.add_argument("--no-exact", action="store_true")
    ap.add_argument("--no-rules", action="store_true", help="skip the employer + leader run")
    ap.add_argument("--no-mip", action="store_true",
                    help="skip the full MIP on the 50 best arcs with both rules (~100 s)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="time the reference and solve this many times, report the fastest "
                    "(not at 20,000 × 5,000, timed once); the machine is shared")
    ap.add_argument("--mip-time-limit", type=float, default=300.0)
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; k={K_TEAM}, "
          "~2% conflicts, loads in [½, 1.2]× average")
    solve(generate(30, 10))  # warm-up: imports (OR-Tools, SciPy) and first calls not timed
    solve(generate(60, 30, rules=True))
    reference_flow(generate(100, 60))
    print(f"{'size':>12} {'reference s':>12} {'solve s':>9} {'ratio':>6} {'exact s':>9} "
          f"{'objective':>12} {'exact obj':>12} {'gap %':>8} {'ref gap %':>9} valid")
    for size in args.sizes.split(","):
        n_p, n_r = (int(x) for x in size.split("x"))
        inst = generate(n_p, n_r)
        reps = args.repeat if n_p * n_r <= 5000 * 1500 else 1
        ref_s, ref_obj = min(reference_flow(inst) for _ in range(reps))
        res = min((solve(inst, method="flow") for _ in range(reps)), key=lambda x: x.seconds)
        ok = not violations(inst, res.assign)
        ex_s = ex_obj = gap = ref_gap = None
        if not args.no_exact and n_p * n_r <= args.exact_up_to:
            ex = solve(inst, method="exact")
            ex_s, ex_obj = ex.seconds, ex.objective
            gap = 100 * (ex_obj - res.objective) / ex_obj
            ref_gap = 100 * (ex_obj - ref_obj) / ex_obj
        print(f"{size:>12} {ref_s:>12.3f} {res.seconds:>9.3f} {res.seconds / ref_s:>6.2f} "
              f"{_f(ex_s, '.3f'):>9} {res.objective:>12.3f} {_f(ex_obj, '.3f'):>12} "
              f"{_f(gap, '.4f'):>8} {_f(ref_gap, '.4f'):>9} {ok}", flush=True)
    if args.no_rules:
        return
    inst = generate(5000, 1500, rules=True)
    fields = ("affinity", "conflict", "min_load", "max_load", "demand")
    base = {f: getattr(inst, f) for f in fields}
    print("\n5000x1500 with the team rules: employer (~3 experts per employer, 25% none) and "
          "can_lead (30%)")
    ref_s, _ = min(reference_flow(inst) for _ in range(args.repeat))
    print(f"  {'reference: plain min-cost flow, 50 best arcs':<52} {ref_s:8.3f} s")
    rows = [("employer only: flow", Instance(**base, employer=inst.employer)),
            ("can_lead only: flow", Instance(**base, can_lead=inst.can_lead)),
            ("employer + can_lead: flow + MIP repair", inst)]
    for label, sub in rows:
        res = min((solve(sub, method="auto", time_limit=args.mip_time_limit)
                   for _ in range(args.repeat)), key=lambda x: x.seconds)
        print(f"  {label:<52} {res.seconds:8.3f} s  ×{res.seconds / ref_s:.2f}  objective "
              f"{res.objective:.3f}  valid {not violations(sub, res.assign)}", flush=True)
    best = res
    # an upper bound on the true optimum with both rules: the leader rule alone, exact on the
    # full graph (it relaxes the employer rule)
    bound = solve(Instance(**base, can_lead=inst.can_lead), method="exact")
    print(f"  {'bound: can_lead only, exact on the full graph':<52} {bound.seconds:8.3f} s  "
          f"objective {bound.objective:.3f}  (≥ the optimum with both rules)")
    print(f"  gap of flow + MIP repair to that bound: "
          f"{100 * (bound.objective - best.objective) / bound.objective:.4f}%", flush=True)
    if not args.no_mip:
        mip = _mip_on_best_arcs(inst, args.mip_time_limit)
        print(f"  {'HiGHS MIP on the same 50 best arcs (both rules)':<52} {mip[0]:8.3f} s  "
              f"objective {mip[1]:.3f}  optimal {mip[2]}; flow + MIP repair is "
              f"{100 * (mip[1] - best.objective) / mip[1]:.4f}% below it")


def _mip_on_best_arcs(inst: Instance, time_limit: float) -> tuple[float, float, bool]:
    from qaward.core.review import assignment as a

    t0 = time.perf_counter()
    red = a._reduce(inst)
    p, r = a._candidate_arcs(inst, red, a.DEFAULT_K)
    chosen, proved = a._solve_mip(inst, red, p, r, time_limit)
    assert chosen is not None
    return time.perf_counter() - t0, float(inst.affinity[p[chosen], r[chosen]].sum()), proved


def _f(x: float | None, spec: str) -> str:
    return "—" if x is None else format(x, spec)


if __name__ == "__main__":
    main()
