"""Load on the pages that grow with a cycle, against PostgreSQL behind gunicorn.

Creates (or reuses) the PostgreSQL database ``qaward_bench``, migrates it and seeds one
jurisdiction (长宁, policy ``changning-2023``) with a 2026 cycle of 10,000 applications in
plausible states (drafts, ineligible, material review, …), its published eligibility notice,
and a closed 2024 cycle with both of its notices; creates an office user. Then starts
gunicorn on a free port of 127.0.0.1 (4 sync workers), logs the office user in through the
login form, and for each target runs a bounded closed-loop load (C clients in threads, each
sending its requests one after the other, at most N requests or S seconds):

    healthz        GET /healthz                         a bare Django view: the baseline
    board          GET /notices/                        public notice board (no login)
    office list    GET /console/cycles/<id>/            the office's application list, page 1
    office filter  GET /console/cycles/<id>/?state=…&sector=…&page=2
    api notices    GET /api/notices                     REST API, public

Every response must be 200 and show what the page is for (the notice, the table of
applications). Prints per target: requests, errors, response size, p50, p95,
p99 (ms), requests per second, and p50/p95 as multiples of the bare view's. gunicorn is
stopped in any case; the database is dropped at the end unless --keep.

    .venv/bin/python bench/web_load.py [--applications 10000] [--clients 8] [--requests 200]
                                       [--seconds 20] [--workers 4] [--keep] [--fresh]

``bench/deadline_spike.py`` imports the server and client helpers from here.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import http.client
import json
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent if (Path(sys.executable).parent / "gunicorn").exists() \
    else ROOT / ".venv" / "bin"
OUT = Path(__file__).resolve().parent / "out"

POLICY_ID = "changning-2023"
OFFICE_USERNAME = "bench-office"
OFFICE_PASSWORD = "bench-office-2026"


# ---------------------------------------------------------------------------------------------
# PostgreSQL


@dataclass(frozen=True)
class Pg:
    host: str = "127.0.0.1"
    port: int = 5432
    user: str = "postgres"

    def url(self, dbname: str) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{dbname}"

    def _admin(self) -> Any:
        import psycopg

        return psycopg.connect(host=self.host, port=self.port, user=self.user,
                               dbname="postgres", autocommit=True)

    def exists(self, dbname: str) -> bool:
        with self._admin() as conn:
            return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                (dbname,)).fetchone() is not None

    def drop(self, dbname: str) -> None:
        from psycopg import sql

        with self._admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(dbname)))

    def create(self, dbname: str) -> None:
        from psycopg import sql

        with self._admin() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0")
                         .format(sql.Identifier(dbname)))


def add_pg_args(ap: argparse.ArgumentParser, default_db: str) -> None:
    ap.add_argument("--db", default=default_db, help=f"database name (default {default_db})")
    ap.add_argument("--pg-host", default="127.0.0.1")
    ap.add_argument("--pg-port", type=int, default=5432)
    ap.add_argument("--pg-user", default="postgres")
    ap.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the database afterwards (default: drop it)")


def pg_from(args: argparse.Namespace) -> Pg:
    return Pg(args.pg_host, args.pg_port, args.pg_user)


# ---------------------------------------------------------------------------------------------
# Django in this process (seeding, sessions, checks) with the server's settings


def server_env(db_url: str, var_dir: Path, today: str) -> dict[str, str]:
    """The environment the bench process and gunicorn share."""
    return {
        "DJANGO_SETTINGS_MODULE": "qaward.web.settings",
        "QAWARD_DATABASE_URL": db_url,
        "QAWARD_VAR_DIR": str(var_dir),
        "QAWARD_TODAY": today,
        "QAWARD_DEBUG": "0",
        "PYTHONUNBUFFERED": "1",
    }


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def migrate() -> None:
    """Migrate the database and collect the static files whitenoise serves, as a
    deployment would."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


def close_db_connections() -> None:
    with contextlib.suppress(Exception):
        from django.db import connections

        connections.close_all()


# ---------------------------------------------------------------------------------------------
# gunicorn


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Gunicorn:
    """gunicorn as a child process on 127.0.0.1; ``stop`` terminates it (SIGTERM, then
    SIGKILL after a grace period). Its output goes to a log file under bench/out/."""

    def __init__(self, env: dict[str, str], *, workers: int, log_name: str) -> None:
        self.env = {**os.environ, **env}
        self.workers = workers
        self.port = free_port()
        self.log_path = OUT / log_name
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> None:
        OUT.mkdir(exist_ok=True)
        cmd = [str(VENV_BIN / "gunicorn"), "qaward.web.wsgi:application",
               "-b", f"127.0.0.1:{self.port}", "-w", str(self.workers), "--threads", "1",
               # gunicorn ≥ 24 opens a control socket at one fixed path per user: two
               # servers on the machine would fight over it.
               "--no-control-socket"]
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=str(ROOT))
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}:\n"
                                   + self.log_tail())
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                ok = conn.getresponse().status == 200
                conn.close()
                if ok:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer /healthz within {timeout:.0f} s:\n"
                           + self.log_tail())

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def load_note() -> str:
    """The machine's load average: other processes on the same CPUs skew every figure."""
    one, five, _ = os.getloadavg()
    cpus = os.cpu_count() or 1
    warn = " — busy: other processes share the CPUs, figures are pessimistic" \
        if one > 0.5 * cpus else ""
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {cpus} CPUs{warn}"


def exit_on_sigterm() -> None:
    """SIGTERM raises SystemExit, so the finally blocks stop gunicorn."""

    def handler(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


# ---------------------------------------------------------------------------------------------
# HTTP client: one keep-alive connection per client (gunicorn's sync workers close it after
# each response, so in practice a new TCP connection per request), cookies kept.


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class HttpClient:
    def __init__(self, port: int, cookies: dict[str, str] | None = None,
                 timeout: float = 60.0) -> None:
        self.port = port
        self.cookies: dict[str, str] = dict(cookies or {})
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None
        self.connections = 0

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Response:
        hdrs = {"Accept-Encoding": "identity", **(headers or {})}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                       timeout=self.timeout)
                self.connections += 1
            try:
                self.conn.request(method, path, body=body, headers=hdrs)
                resp = self.conn.getresponse()
                data = resp.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                # A kept-alive connection the server had already closed: retry once, but
                # never a POST (it might have been processed).
                if attempt == 0 and reused and method == "GET":
                    continue
                raise
            if resp.will_close:
                self.close()
            for raw in resp.headers.get_all("Set-Cookie") or []:
                jar: SimpleCookie = SimpleCookie()
                jar.load(raw)
                for k, morsel in jar.items():
                    self.cookies[k] = morsel.value
            return Response(resp.status, resp.headers, data)
        raise AssertionError("unreachable")

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict[str, str]) -> Response:
        return self.request("POST", path, body=urlencode(fields).encode(),
                            headers={"Content-Type": "application/x-www-form-urlencoded"})


_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token_in(html: str) -> str:
    m = _CSRF_INPUT.search(html)
    if not m:
        raise RuntimeError("no csrfmiddlewaretoken in the page")
    return m.group(1)


def login_via_form(port: int, username: str, password: str) -> dict[str, str]:
    """Log in through /accounts/login/ (CSRF and all); returns the cookies."""
    c = HttpClient(port)
    page = c.get("/accounts/login/")
    if page.status != 200:
        raise RuntimeError(f"GET /accounts/login/ answered {page.status}")
    r = c.post_form("/accounts/login/", {"username": username, "password": password,
                                         "csrfmiddlewaretoken": csrf_token_in(page.text())})
    if r.status != 302 or "sessionid" not in c.cookies:
        raise RuntimeError(f"login of {username} failed: {r.status} {r.text()[:300]}")
    c.close()
    return c.cookies


# ---------------------------------------------------------------------------------------------
# Figures


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list (q in 0..100)."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, math.ceil(q / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


@dataclass
class LoadResult:
    name: str
    path: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    bytes_total: int = 0
    connections: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    def p(self, q: float) -> float:
        return percentile(sorted(self.latencies_ms), q)

    @property
    def rps(self) -> float:
        return self.requests / self.wall_s if self.wall_s else float("nan")


def run_load(port: int, name: str, path: str, *, clients: int, requests_each: int,
             seconds: float, cookies: dict[str, str] | None = None,
             headers: dict[str, str] | None = None, warmup: int = 0,
             expect: bytes = b"") -> LoadResult:
    """Closed loop: ``clients`` threads, each sending up to ``requests_each`` requests one
    after the other, all stopping at ``seconds`` after the start. A response other than 200
    or without ``expect`` in its body (or a failed connection) is an error. ``warmup``
    concurrent requests go first, unmeasured (one per gunicorn worker, roughly)."""
    result = LoadResult(name, path)
    if warmup:  # each worker: templates compiled, database connection opened, caches filled
        def warm() -> None:
            w = HttpClient(port, cookies)
            with contextlib.suppress(OSError):
                w.request("GET", path, headers=headers)
            w.close()

        warmers = [threading.Thread(target=warm, daemon=True) for _ in range(warmup)]
        for t in warmers:
            t.start()
        for t in warmers:
            t.join(timeout=120)
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    deadline_box: list[float] = [0.0]

    def client() -> None:
        c = HttpClient(port, cookies)
        mine: list[float] = []
        errors, size = 0, 0
        samples: list[str] = []
        barrier.wait()
        deadline = deadline_box[0]
        for _ in range(requests_each):
            if time.monotonic() >= deadline:
                break
            t0 = time.perf_counter()
            try:
                r = c.request("GET", path, headers=headers)
                ok = r.status == 200 and expect in r.body
                detail = f"{r.status} {r.text()[:200]!r}"
                size += len(r.body)
            except OSError as err:
                ok, detail = False, f"{type(err).__name__}: {err}"
            mine.append((time.perf_counter() - t0) * 1000)
            if not ok:
                errors += 1
                if len(samples) < 3:
                    samples.append(detail)
        c.close()
        with lock:
            result.latencies_ms.extend(mine)
            result.errors += errors
            result.bytes_total += size
            result.connections += c.connections
            result.error_samples.extend(samples[: max(0, 5 - len(result.error_samples))])

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    deadline_box[0] = time.monotonic() + seconds
    t0 = time.perf_counter()
    barrier.wait()
    for t in threads:
        t.join(timeout=seconds + 120)  # a request in flight at the deadline may still finish
    result.wall_s = time.perf_counter() - t0
    return result


def print_table(results: list[LoadResult], baseline: LoadResult) -> None:
    b50, b95 = baseline.p(50), baseline.p(95)
    head = (f"{'target':<15} {'requests':>8} {'errors':>6} {'KB/resp':>8} {'p50 ms':>8} "
            f"{'p95 ms':>8} {'p99 ms':>8} {'req/s':>8} {'p50 ×bare':>10} {'p95 ×bare':>10}")
    print(head)
    print("-" * len(head))
    for r in results:
        kb = r.bytes_total / max(1, r.requests - r.errors) / 1024
        print(f"{r.name:<15} {r.requests:>8} {r.errors:>6} {kb:>8.1f} {r.p(50):>8.1f} "
              f"{r.p(95):>8.1f} {r.p(99):>8.1f} {r.rps:>8.1f} {r.p(50) / b50:>10.1f} "
              f"{r.p(95) / b95:>10.1f}")


# ---------------------------------------------------------------------------------------------
# Seed data

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋"
            "唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
GIVEN = ["建国", "海燕", "志强", "晓明", "丽华", "文涛", "雪梅", "国平", "俊杰", "秀英", "立新",
         "红霞", "永刚", "静怡", "子涵", "宏伟", "明辉", "春梅", "振华", "思远", "嘉怡", "浩然",
         "雨桐", "一鸣"]
PREFIX = "华创智信博恒联科东瑞鼎安中新汇宏嘉金天正"
MIDDLE = "芯维数达通源航康泰晟锐弘睿盛益和方腾宇景"
THIRD = "星光云海峰辰远思诚德润丰合立成兴佳卓越美"
KINDS = [("科技有限公司", "数字经济"), ("精密机械股份有限公司", "先进制造业"),
         ("网络技术有限公司", "数字经济"), ("医疗器械有限公司", "医疗卫生"),
         ("电子科技股份有限公司", "先进制造业"), ("环保工程有限公司", "节能环保"),
         ("新材料有限公司", "新材料"), ("物流服务有限公司", "现代服务业"),
         ("智能装备有限公司", "先进制造业"), ("生物医药有限公司", "医疗卫生"),
         ("酒店管理有限公司", "现代服务业"), ("建设工程有限公司", "建筑业")]
DEPARTMENTS = [("华阳路街道", "street"), ("江苏路街道", "street"), ("新华路街道", "street"),
               ("虹桥街道", "street"), ("区商务委", "competent"), ("区科委", "competent"),
               ("区质量协会", "association")]

# Where the applications of the 2026 cycle stand on 2026-07-15: the eligibility notice ran
# in June; most of the eligible are in material or site review. Drafts were never submitted.
MIX_2026_INTAKE = [("draft", 4.0), ("withdrawn", 1.5), ("returned", 0.5), ("recommendation", 1.0),
                   ("eligibility", 1.0)]
MIX_2026_ELIGIBLE = [("material_review", 45.0), ("not_shortlisted", 27.0),
                     ("site_review", 27.6), ("removed_by_objection", 0.4)]
# The 2024 cycle is over: both notices published.
MIX_2024_ELIGIBLE = [("not_shortlisted", 55.0), ("not_awarded", 33.0), ("awarded", 11.0),
                     ("removed_by_objection", 1.0)]
PAST_ELIGIBILITY = {"material_review", "not_shortlisted", "site_review", "removed_by_objection",
                    "comprehensive_evaluation", "committee", "approval", "approval_notice",
                    "not_awarded", "awarded"}


def _pick(rnd: random.Random, mix: list[tuple[str, float]]) -> str:
    return rnd.choices([s for s, _ in mix], weights=[w for _, w in mix])[0]


def organization_profile(rnd: random.Random, jurisdiction: str, year: int,
                         flawed: bool) -> dict[str, Any]:
    p: dict[str, Any] = {
        "jurisdiction": jurisdiction,
        "established_on": dt.date(rnd.randint(1995, 2019), rnd.randint(1, 12),
                                  rnd.randint(1, 28)).isoformat(),
        "excellence_model_since": f"{rnd.randint(2012, 2023)}-01-01",
        "annual_results": [{"year": y, "profit": round(rnd.uniform(300, 9000), 1)}
                           for y in range(year - 5, year)],
    }
    if flawed:
        flaw = rnd.choice(["young", "incident", "complaint", "inspection"])
        if flaw == "young":
            p["established_on"] = f"{year - 2}-06-18"
        elif flaw == "incident":
            p["incidents"] = [{"date": f"{year - 1}-08-09", "kind": "safety", "major": True}]
        elif flaw == "complaint":
            p["complaints"] = [{"date": f"{year - 2}-11-03", "major": True,
                                "organization_at_fault": True}]
        else:
            p["failed_inspections"] = [f"{year - 1}-04-21"]
    return p


class Names:
    def __init__(self, rnd: random.Random, place: str) -> None:
        self.rnd, self.place, self.used = rnd, place, set[str]()

    def company(self) -> tuple[str, str]:
        r = self.rnd
        while True:
            suffix, sector = r.choice(KINDS)
            name = f"{self.place}{r.choice(PREFIX)}{r.choice(MIDDLE)}{r.choice(THIRD)}{suffix}"
            if name not in self.used:
                self.used.add(name)
                return name, sector

    def person(self) -> str:
        return self.rnd.choice(SURNAMES) + self.rnd.choice(GIVEN)


@dataclass
class Seeded:
    cycle_id: int
    past_cycle_id: int
    applications: int
    filter_query: dict[str, str]
    notices: list[tuple[str, int]]  # (title, listed)


def seed(*, applications: int, past_applications: int, rnd_seed: int = 19580) -> Seeded:
    """One jurisdiction: a 2024 cycle (closed, both notices) and the 2026 cycle with
    ``applications`` applications and its eligibility notice. Bulk inserts; no audit events
    beyond the two cycle openings (the listing pages do not read them)."""
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from qaward.core.eligibility import parse_profile, screener
    from qaward.core.notices import notice_for
    from qaward.core.policy import load_policy
    from qaward.web.accounts.models import Department, Jurisdiction, Membership, Role
    from qaward.web.cycles.models import (
        Applicant,
        Application,
        Cycle,
        Document,
        EligibilityDecision,
    )
    from qaward.web.cycles.services import cycle_open
    from qaward.web.notices.models import Notice
    from qaward.web.notices.services import _NOTICE_TITLES
    from qaward.web.policies.services import sync_policies
    from qaward.web.recommendations.models import Recommendation

    rnd = random.Random(rnd_seed)
    sync_policies()
    policy = load_policy(POLICY_ID)
    j = Jurisdiction.objects.get(code=policy.jurisdiction.id)
    jname = policy.jurisdiction.name_zh
    names = Names(rnd, "长宁")
    tz = timezone.get_current_timezone()

    office = User.objects.create_user(OFFICE_USERNAME, password=OFFICE_PASSWORD,
                                      first_name="评审办 王海燕")
    Membership.objects.create(user=office, jurisdiction=j, role=Role.OFFICE)
    departments = [Department.objects.create(jurisdiction=j, name=n, kind=k)
                   for n, k in DEPARTMENTS]
    dept_users = []
    for i, d in enumerate(departments):
        u = User.objects.create_user(f"bench-dept{i + 1}", password=None,
                                     first_name=f"推荐部门 {d.name}")
        Membership.objects.create(user=u, jurisdiction=j, role=Role.DEPARTMENT, department=d)
        dept_users.append(u)

    past = cycle_open(jurisdiction=j, year=2024, title=f"2024年度{policy.award_name_zh}",
                               opened_on=dt.date(2024, 3, 1),
                               applications_close_on=dt.date(2024, 4, 30), actor=office)
    Cycle.objects.filter(pk=past.pk).update(status=Cycle.Status.CLOSED)
    cycle = cycle_open(jurisdiction=j, year=2026,
                                title=f"2026年度{policy.award_name_zh}",
                                opened_on=dt.date(2026, 3, 2),
                                applications_close_on=dt.date(2026, 4, 30), actor=office)
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.REVIEWING)

    total = applications + past_applications
    with transaction.atomic():
        users = User.objects.bulk_create(
            [User(username=f"bench-a{i:05d}", password="!bench-unusable",
                  first_name=names.person()) for i in range(total)], batch_size=2000)
        applicants = []
        for i in range(total):
            individual = rnd.random() < 0.15
            flawed = rnd.random() < 0.18
            company, sector = names.company()
            profile = organization_profile(rnd, jname, 2026, flawed)
            if individual:
                person = names.person()
                employer = {"id": f"E{i}", "kind": "organization", "name": company,
                            **organization_profile(rnd, jname, 2026, False)}
                profile = {"jurisdiction": jname, "established_on": profile["established_on"],
                           "employer": employer}
                applicants.append(Applicant(
                    jurisdiction=j, kind="individual", name=person, sector=sector,
                    credit_code=f"3101051980{i:07d}X"[:18], email=f"a{i}@example.com",
                    profile=profile))
            else:
                applicants.append(Applicant(
                    jurisdiction=j, kind="organization", name=company, sector=sector,
                    credit_code=f"91310105MA1{i:07d}", email=f"a{i}@example.com",
                    profile=profile))
        applicants = Applicant.objects.bulk_create(applicants, batch_size=2000)
        Membership.objects.bulk_create(
            [Membership(user=u, jurisdiction=j, role=Role.APPLICANT, applicant=a)
             for u, a in zip(users, applicants, strict=True)], batch_size=2000)

        review_day = {2026: dt.date(2026, 5, 11), 2024: dt.date(2024, 5, 13)}
        engines = {y: screener(policy, d) for y, d in review_day.items()}
        apps: list[Application] = []
        for i, a in enumerate(applicants):
            year, c = (2026, cycle) if i < applications else (2024, past)
            track = a.kind
            state = _pick(rnd, [*MIX_2026_INTAKE, ("screened", 92.0)]) if year == 2026 \
                else "screened"
            app = Application(cycle=c, applicant=a, track=track, state=state, version=1)
            if state != "draft":
                snapshot = parse_profile({**a.profile, "id": str(a.pk), "kind": track,
                                          "name": a.name}).model_dump(mode="json")
                app.pinned_policy_id = policy.id
                app.profile_snapshot = snapshot
                app.submitted_at = dt.datetime(year, 4, rnd.randint(1, 30), rnd.randint(8, 22),
                                               rnd.randint(0, 59), tzinfo=tz)
                app.report_chars = rnd.randint(8000, 30000)
                app.version = 2
                if state == "screened":
                    result = engines[year].screen(parse_profile(snapshot)).to_json()
                    app.engine_result = result
                    if result["verdict"] != "eligible":
                        app.state = "ineligible"
                    else:
                        app.state = _pick(rnd, MIX_2026_ELIGIBLE if year == 2026
                                          else MIX_2024_ELIGIBLE)
                    app.version = rnd.randint(5, 9)
            apps.append(app)
        apps = Application.objects.bulk_create(apps, batch_size=1000)

        now = timezone.now()
        recs, decisions, docs = [], [], []
        for i, app in enumerate(apps):
            if app.state == "draft":
                if rnd.random() < 0.5:
                    docs.append(_report_doc(app, users[i], now))
                continue
            docs.append(_report_doc(app, users[i], now))
            d = i % len(departments)
            signed = app.state not in ("recommendation", "withdrawn", "returned")
            if signed or rnd.random() < 0.5:
                recs.append(Recommendation(
                    application=app, department=departments[d],
                    opinion="该单位质量管理成效显著，同意推荐。" if signed else "",
                    signed_by=dept_users[d] if signed else None,
                    signed_at=app.submitted_at + dt.timedelta(days=6) if signed else None))
            if app.engine_result is not None:
                verdict = app.engine_result["verdict"]
                decisions.append(EligibilityDecision(
                    application=app, engine_verdict=verdict,
                    decision="eligible" if verdict == "eligible" else "ineligible",
                    decided_by=office))
        Recommendation.objects.bulk_create(recs, batch_size=2000)
        EligibilityDecision.objects.bulk_create(decisions, batch_size=2000)
        Document.objects.bulk_create(docs, batch_size=2000)

        notices = []
        plan = [(cycle, "eligibility", dt.date(2026, 6, 1), PAST_ELIGIBILITY),
                (past, "eligibility", dt.date(2024, 6, 3), PAST_ELIGIBILITY),
                (past, "final", dt.date(2024, 10, 14), {"awarded"})]
        through = Notice.applications.through
        for c, stage, start, listed_states in plan:
            window = notice_for(policy, stage, start)
            n = Notice.objects.create(
                cycle=c, stage=stage,
                title=f"{c.title}{_NOTICE_TITLES[stage]}公示",
                starts_on=dt.date.fromisoformat(window["start"]),
                ends_on=dt.date.fromisoformat(window["end"]), rule=window["rule"],
                article=window["article"], published_by=office)
            listed = [a for a in apps if a.cycle_id == c.pk and a.state in listed_states]
            through.objects.bulk_create([through(notice_id=n.pk, application_id=a.pk)
                                         for a in listed], batch_size=5000)
            notices.append((n.title, len(listed)))

    # A filter the office would use: one state and one sector, second page when there is one.
    from django.db.models import Count

    top = (Application.objects.filter(cycle=cycle, state="material_review")
           .values("applicant__sector").annotate(n=Count("pk")).order_by("-n").first())
    query = {"state": "material_review", "sector": top["applicant__sector"] if top else ""}
    if top and top["n"] > 50:
        query["page"] = "2"
    return Seeded(cycle.pk, past.pk, applications, query, notices)


def _report_doc(app: Any, user: Any, now: dt.datetime) -> Any:
    from qaward.web.cycles.models import Document

    digest = hashlib.sha256(f"report-{app.pk}".encode()).hexdigest()
    return Document(application=app, kind="report",
                    file=f"applications/{app.pk}/report/自我评价报告.docx",
                    original_name="自我评价报告.docx", sha256=digest,
                    size=20000 + app.pk % 30000, uploaded_by=user, uploaded_at=now)


def existing_seed(applications: int) -> Seeded | None:
    """The seed of an earlier run (--keep), when it has the asked number of applications."""
    from django.contrib.auth.models import User
    from django.db.models import Count

    from qaward.core.policy import load_policy
    from qaward.web.cycles.models import Application, Cycle
    from qaward.web.notices.models import Notice

    j_code = load_policy(POLICY_ID).jurisdiction.id
    cycle = Cycle.objects.filter(jurisdiction__code=j_code, year=2026).first()
    past = Cycle.objects.filter(jurisdiction__code=j_code, year=2024).first()
    if cycle is None or past is None or not User.objects.filter(username=OFFICE_USERNAME).exists():
        return None
    if Application.objects.filter(cycle=cycle).count() != applications:
        return None
    top = (Application.objects.filter(cycle=cycle, state="material_review")
           .values("applicant__sector").annotate(n=Count("pk")).order_by("-n").first())
    query = {"state": "material_review", "sector": top["applicant__sector"] if top else ""}
    if top and top["n"] > 50:
        query["page"] = "2"
    notices = [(n.title, n.applications.count())
               for n in Notice.objects.filter(cycle__jurisdiction__code=j_code).order_by("pk")]
    return Seeded(cycle.pk, past.pk, applications, query, notices)


# ---------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_pg_args(ap, "qaward_bench")
    ap.add_argument("--applications", type=int, default=10_000,
                    help="applications in the 2026 cycle (default 10,000)")
    ap.add_argument("--past-applications", type=int, default=600,
                    help="applications in the closed 2024 cycle (default 600)")
    ap.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    ap.add_argument("--requests", type=int, default=200,
                    help="requests per client and target at most (default 200)")
    ap.add_argument("--seconds", type=float, default=20.0,
                    help="time limit per target (default 20 s)")
    ap.add_argument("--fresh", action="store_true", help="drop and re-seed even if reusable")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args()
    exit_on_sigterm()

    pg = pg_from(args)
    var_dir = OUT / f"var-{args.db}"
    env = server_env(pg.url(args.db), var_dir, today="2026-07-15")
    server: Gunicorn | None = None
    try:
        print("before:", load_note())
        t0 = time.perf_counter()
        if args.fresh and pg.exists(args.db):
            pg.drop(args.db)
        created = not pg.exists(args.db)
        if created:
            pg.create(args.db)
        django_setup(env)
        migrate()
        seeded = None if created else existing_seed(args.applications)
        if seeded is None:
            if not created:  # another seed: start again from an empty database
                close_db_connections()
                pg.drop(args.db)
                pg.create(args.db)
                migrate()
            seeded = seed(applications=args.applications,
                          past_applications=args.past_applications)
            how = "seeded"
        else:
            how = "reused"
        with contextlib.suppress(Exception):
            from django.db import connection

            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        close_db_connections()
        print(f"database {args.db} {how} in {time.perf_counter() - t0:.1f} s: "
              f"cycle {seeded.cycle_id} with {seeded.applications:,} applications; notices: "
              + "; ".join(f"{t} ({n:,} listed)" for t, n in seeded.notices))

        server = Gunicorn(env, workers=args.workers, log_name="web_load-gunicorn.log")
        server.start()
        cookies = login_via_form(server.port, OFFICE_USERNAME, OFFICE_PASSWORD)
        print(f"gunicorn on 127.0.0.1:{server.port}, {args.workers} sync workers; "
              f"office user logged in via the login form; {args.clients} clients, "
              f"≤{args.requests} requests each, ≤{args.seconds:.0f} s per target; "
              f"{os.cpu_count()} CPUs shared by server, PostgreSQL and clients")

        office_list = f"/console/cycles/{seeded.cycle_id}/"
        first_notice = seeded.notices[0][0].encode()
        targets = [  # (name, path, cookies, what a right answer contains)
            ("healthz", "/healthz", None, b"ok"),
            ("board", "/notices/", None, first_notice),
            ("office list", office_list, cookies, b"<tbody>"),
            ("office filter", f"{office_list}?{urlencode(seeded.filter_query)}", cookies,
             b"<tbody>"),
            ("api notices", "/api/notices", None, b'"applicants"'),
        ]
        results = []
        for name, path, ck, expect in targets:
            r = run_load(server.port, name, path, clients=args.clients,
                         requests_each=args.requests, seconds=args.seconds, cookies=ck,
                         warmup=args.workers, expect=expect)
            results.append(r)
            print(f"  {name:<14} {path} — {r.requests} requests in {r.wall_s:.1f} s",
                  flush=True)
        print("after the load:", load_note())
        print()
        print_table(results, results[0])
        failed = [r for r in results if r.errors]
        for r in failed:
            print(f"\n{r.name}: {r.errors} errors, e.g.:")
            for s in r.error_samples:
                print("   ", s)
        if args.json:
            args.json.write_text(json.dumps([
                {"target": r.name, "path": r.path, "requests": r.requests, "errors": r.errors,
                 "bytes_per_response": r.bytes_total / max(1, r.requests - r.errors),
                 "p50_ms": r.p(50), "p95_ms": r.p(95), "p99_ms": r.p(99), "rps": r.rps,
                 "p50_ratio": r.p(50) / results[0].p(50),
                 "p95_ratio": r.p(95) / results[0].p(95)} for r in results],
                ensure_ascii=False, indent=2), encoding="utf-8")
        return 1 if failed else 0
    finally:
        if server is not None:
            server.stop()
        close_db_connections()
        if not args.keep:
            with contextlib.suppress(Exception):
                pg.drop(args.db)
                print(f"database {args.db} dropped (--keep keeps it)")


if __name__ == "__main__":
    sys.exit(main())
