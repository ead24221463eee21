"""Ranking overview: every application of a scored stage with its aggregated scores.

Builds, in a throwaway database (an SQLite file in ``bench/out/ranking/`` by default, or the
PostgreSQL database ``qaward_ranking_bench`` with ``--pg``), one 滨江 (``binjiang-2020``) cycle
with N applications in the material review (资料评审), each with a team of three experts whose
submitted sheets score all 23 GB/T 19580 items (N × 3 × 23 sheet items; a third of the teams
also with a recorded consensus). Then it asks the office's ranking page
(``/console/cycles/<pk>/ranking/material_review/``) with Django's test client in this process
(no server: the figure is the page's own work — queries, aggregation, ranking, template),
``--requests`` times after one warm-up request, and prints the median, the fastest and the
number of queries per request for each N.

The ranking basis is configured as the office would (mean, cited): the regulations leave it
open.

    .venv/bin/python bench/ranking_overview.py [--sizes 200 2000] [--requests 5] [--pg]

For comparison (issue 8): pretalx's review dashboard takes about 2.4 s for 200 and 28 s for
2,000 rows on these machines; the aim is 20× faster (0.12 s and 1.4 s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().parent / "out" / "ranking"
PG_DB = "qaward_ranking_bench"
PRETALX = {200: 2.4, 2000: 28.0}
DECISION = "区评审办2026年第1次主任会议（基准测试）"


def setup(pg: bool) -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    if pg:
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c",
                        f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"], check=True)
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c",
                        f"CREATE DATABASE {PG_DB}"], check=True)
        url = f"postgresql://postgres@127.0.0.1:5432/{PG_DB}"
    else:
        url = f"sqlite:///{OUT / 'bench.sqlite3'}"
    # The office's cited configuration of the ranking (the regulation leaves it open).
    config = OUT / "config"
    config.mkdir()
    (config / "binjiang-2020.yaml").write_text(
        "policy: binjiang-2020\nvalues:\n"
        f"  review.ranking.basis: {{value: mean, cite: {DECISION}}}\n"
        f"  review.ranking.tie_breaks: {{value: [], cite: {DECISION}}}\n", encoding="utf-8")
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "qaward.web.settings", "QAWARD_DATABASE_URL": url,
        "QAWARD_VAR_DIR": str(OUT), "QAWARD_CONFIG_DIR": str(config),
        "QAWARD_TODAY": "2026-05-20", "QAWARD_DEBUG": "0",
    })
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def open_cycle() -> tuple[object, object]:
    from django.contrib.auth.models import User

    from qaward.web.accounts.models import Jurisdiction, Membership, Role
    from qaward.web.cycles.services import cycle_open
    from qaward.web.policies.services import sync_policies

    sync_policies()
    j = Jurisdiction.objects.get(code="hangzhou-binjiang")
    office, _ = User.objects.get_or_create(username="bench-office")
    Membership.objects.get_or_create(user=office, jurisdiction=j, role=Role.OFFICE)
    cycle = cycle_open(jurisdiction=j, year=2026, title="2026年度（基准测试）",
                       opened_on=dt.date(2026, 3, 2), applications_close_on=dt.date(2026, 4, 30),
                       actor=office)
    return cycle, office


def seed(cycle: object, office: object, start: int, n: int) -> None:
    """Applications ``start`` … ``n − 1`` of the cycle, in material review and scored."""
    from django.utils import timezone

    from qaward.core.criteria import load_criteria
    from qaward.web.cycles.models import Applicant, Application
    from qaward.web.experts.models import Expert
    from qaward.web.review.models import ConsensusItem, Sheet, SheetItem, Team, TeamMember

    j = cycle.jurisdiction  # type: ignore[attr-defined]
    now = timezone.now()
    applicants = Applicant.objects.bulk_create(
        Applicant(jurisdiction=j, kind="organization", name=f"基准申报单位{i:05d}",
                  sector="电子信息", profile={}) for i in range(start, n))
    apps = Application.objects.bulk_create(
        Application(cycle=cycle, applicant=a, track="organization", state="material_review",
                    submitted_at=now) for a in applicants)
    experts = Expert.objects.bulk_create(
        Expert(jurisdiction=j, name=f"专家{start}-{k}") for k in range(max(30, n // 10)))
    teams = Team.objects.bulk_create(Team(cycle=cycle, application=a, stage="material_review")
                                     for a in apps)
    members = TeamMember.objects.bulk_create(
        TeamMember(team=t, expert=experts[(i * 3 + k) % len(experts)], is_leader=k == 0)
        for i, t in enumerate(teams) for k in range(3))
    sheets = Sheet.objects.bulk_create(
        Sheet(member=m, criteria_id="gbt19580-2012", submitted_at=now) for m in members)
    items = [i.id for i in load_criteria("gbt19580-2012").items]
    SheetItem.objects.bulk_create(
        (SheetItem(sheet=s, item_id=item, percentage=5 * ((n_s * 7 + k * 3) % 17 + 3))
         for n_s, s in enumerate(sheets) for k, item in enumerate(items)), batch_size=10000)
    agreed = [t for i, t in enumerate(teams) if i % 3 == 0]
    ConsensusItem.objects.bulk_create(
        (ConsensusItem(team=t, item_id=item, percentage=60, recorded_by=office,
                       recorded_at=now) for t in agreed for item in items), batch_size=10000)
    Team.objects.filter(pk__in=[t.pk for t in agreed]).update(consensus_at=now)


def measure(pk: int, office: object, requests: int) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(office)  # type: ignore[arg-type]
    url = f"/console/cycles/{pk}/ranking/material_review/"
    first = client.get(url)
    assert first.status_code == 200, first.status_code
    times = []
    queries = 0
    for _ in range(requests):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            r = client.get(url)
            times.append(time.perf_counter() - t0)
        queries = len(ctx.captured_queries)
        assert r.status_code == 200
    page = r.content.decode()
    assert "review.ranking.basis" not in page, "the ranking basis is not configured"
    rows = page.count("<tr>") - 1
    return times, queries, rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    ap.add_argument("--requests", type=int, default=5)
    ap.add_argument("--pg", action="store_true", help=f"PostgreSQL database {PG_DB}")
    args = ap.parse_args()
    setup(args.pg)
    print(f"ranking overview, {'PostgreSQL' if args.pg else 'SQLite'}, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'applications':>12} {'sheet items':>12} {'seed s':>7} {'median s':>9} "
          f"{'fastest s':>9} {'queries':>7} {'pretalx s':>9} {'faster':>7}")
    cycle, office = open_cycle()
    done = 0
    for n in sorted(args.sizes):
        t0 = time.perf_counter()
        seed(cycle, office, done, n)
        done = n
        seeded = time.perf_counter() - t0
        times, queries, rows = measure(cycle.pk, office, args.requests)  # type: ignore[attr-defined]
        assert rows == n, (rows, n)
        med = statistics.median(times)
        peer = PRETALX.get(n)
        print(f"{n:>12} {n * 3 * 23:>12} {seeded:>7.1f} {med:>9.3f} {min(times):>9.3f} "
              f"{queries:>7} {peer if peer else '':>9} "
              f"{(f'{peer / med:.0f}×' if peer else ''):>7}")
    if not args.pg:
        shutil.rmtree(OUT, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
