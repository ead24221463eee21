"""Screening throughput against parsing the same file.

Generates N applicant profiles (default 1,000,000) as one JSON file, then measures
  parse  — reading the file and validating every record into a Profile, and
  screen — screening every parsed profile under a policy on a date,
and prints both with their ratio (the aim: screening ≤ 3 × parsing).

    .venv/bin/python bench/screen_throughput.py [--count N] [--policy ID] [--on DATE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from pathlib import Path

from qaward.core.eligibility import read_profiles, screener
from qaward.core.policy import load_policy

KINDS = ["quality", "safety", "environment", "public_health", "food_safety", "drug_safety"]


def profile(i: int, rnd: random.Random, jurisdiction: str) -> dict[str, object]:
    year = 2026
    p: dict[str, object] = {
        "id": f"B{i:07d}",
        "kind": "organization",
        "name": f"测试企业{i}",
        "jurisdiction": jurisdiction if rnd.random() < 0.9 else "其他区",
        "established_on": dt.date(rnd.randint(1995, 2025), rnd.randint(1, 12),
                                  rnd.randint(1, 28)).isoformat(),
        "sector": rnd.choice(["制造业", "服务业", "建筑业", "医疗卫生", "教育"]),
        "licensed": rnd.random() < 0.97,
        "chief_quality_officer": rnd.random() < 0.9,
        # Stated, as a real applicant's file states them (a fact left out is unknown).
        "legal_person": True,
        "pays_tax_locally": rnd.random() < 0.95,
        "for_profit": rnd.random() < 0.95,
        "excellence_model_since": dt.date(rnd.randint(2010, 2026), 1, 1).isoformat(),
        "annual_results": [
            {"year": y, "profit": round(rnd.uniform(-50, 500), 2),
             "policy_loss": rnd.random() < 0.3}
            for y in range(year - 5, year)
        ],
    }
    if rnd.random() < 0.1:
        p["incidents"] = [{"date": f"{rnd.randint(2018, 2026)}-0{rnd.randint(1, 9)}-15",
                           "kind": rnd.choice(KINDS)}]
    if rnd.random() < 0.1:
        p["complaints"] = [{"date": f"{rnd.randint(2018, 2026)}-06-01",
                            "organization_at_fault": rnd.random() < 0.5}]
    if rnd.random() < 0.05:
        p["awards"] = [{"level": "district", "jurisdiction": jurisdiction,
                        "tier": "award", "year": rnd.randint(2015, 2025)}]
    return p


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--policy", default="binjiang-2020")
    ap.add_argument("--on", default="2026-11-22")
    ap.add_argument("--seed", type=int, default=19580)
    args = ap.parse_args()

    policy = load_policy(args.policy)
    on = dt.date.fromisoformat(args.on)
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    file = out / f"profiles-{args.count}.json"
    if not file.exists():
        rnd = random.Random(args.seed)
        t0 = time.perf_counter()
        rows = [profile(i, rnd, policy.jurisdiction.name_zh) for i in range(args.count)]
        file.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        del rows
        print(f"generated {args.count:,} profiles in {time.perf_counter() - t0:.1f} s "
              f"({file.stat().st_size / 1e6:.0f} MB)")

    t0 = time.perf_counter()
    batch = read_profiles(file)
    parse_s = time.perf_counter() - t0
    profiles = list(batch.profiles())

    t0 = time.perf_counter()
    s = screener(policy, on)
    eligible = sum(1 for r in s.screen_all(profiles) if r.verdict == "eligible")
    screen_s = time.perf_counter() - t0

    n = len(profiles)
    print(f"policy {policy.id}, on {on}, {n:,} profiles ({eligible:,} eligible)")
    print(f"parse : {parse_s:8.2f} s  {n / parse_s:12,.0f} profiles/s")
    print(f"screen: {screen_s:8.2f} s  {n / screen_s:12,.0f} profiles/s")
    print(f"ratio screen/parse: {screen_s / parse_s:.2f} (aim ≤ 3)")


if __name__ == "__main__":
    main()
