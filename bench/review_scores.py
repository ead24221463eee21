"""The pure core of the ranking overview: every application's aggregated scores, ranked.

For N applications (default 200 and 2,000) with 3 reviewers each out of a pool of N/7
experts, totals on the GB/T 19580 scale (points in twentieths, as item percentages in steps
of 5 give), measures per run
  aggregate — mean, median, normalised scores and disagreement for every application,
  rank      — one ranking per basis (mean, median, normalised),
  shortlist — the policy's shortlist from the mean ranking (滨江: cap 12),
and prints the best of --runs runs. No database: this is the part the web page adds its
queries to.

    .venv/bin/python bench/review_scores.py [--sizes 200 2000] [--runs 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from fractions import Fraction

from qaward.core.policy import load_policy
from qaward.core.review.aggregation import Review, aggregate
from qaward.core.review.ranking import rank
from qaward.core.review.shortlist import shortlist_for_policy


def reviews(n: int, rnd: random.Random) -> list[Review]:
    pool = [f"E{i:05d}" for i in range(max(3, n // 7))]
    leniency = {e: rnd.gauss(0, 40) for e in pool}
    out = []
    for a in range(n):
        quality = rnd.uniform(300, 800)
        for e in rnd.sample(pool, 3):
            twentieths = round((quality + leniency[e] + rnd.gauss(0, 30)) * 20)
            out.append(Review(f"A{a:06d}", e, Fraction(max(0, min(20000, twentieths)), 20)))
    return out


def measure(n: int, runs: int, seed: int) -> dict[str, float]:
    data = reviews(n, random.Random(seed))
    policy = load_policy("binjiang-2020")
    best = {"aggregate": float("inf"), "rank": float("inf"), "shortlist": float("inf")}
    for _ in range(runs):
        t0 = time.perf_counter()
        agg = aggregate(data)
        t1 = time.perf_counter()
        rankings = [rank(agg, basis) for basis in ("mean", "median", "normalised")]
        t2 = time.perf_counter()
        shortlist_for_policy(policy, "organization", rankings[0])
        t3 = time.perf_counter()
        for key, value in (("aggregate", t1 - t0), ("rank", t2 - t1), ("shortlist", t3 - t2)):
            best[key] = min(best[key], value)
    best["total"] = sum(best.values())
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {n: measure(n, args.runs, args.seed) for n in args.sizes}
    if args.json:
        print(json.dumps({str(n): r for n, r in results.items()}))
        return
    print(f"{'applications':>12} {'reviews':>8} {'aggregate':>10} {'rank×3':>8} "
          f"{'shortlist':>10} {'total':>8}   (best of {args.runs}, seconds)")
    for n, r in results.items():
        print(f"{n:>12} {3 * n:>8} {r['aggregate']:>10.4f} {r['rank']:>8.4f} "
              f"{r['shortlist']:>10.4f} {r['total']:>8.4f}")


if __name__ == "__main__":
    main()
