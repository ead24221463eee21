"""Deadline spike: 500 applicants submit at the same moment; none lost, none duplicated.

Creates the PostgreSQL database ``qaward_bench_spike`` afresh and, through the services, opens
the 2026 cycle of 长宁 (``changning-2023``, applications until 2026-04-30) and creates 500
applicant organizations, each with its user, a complete eligibility profile, a draft
application and an uploaded self-evaluation report (.docx, checked and counted by the upload
path). Starts gunicorn (4 sync workers) with QAWARD_TODAY=2026-04-30, the closing day.

Each applicant has a browser session; first every applicant opens its application page (CSRF
cookie, the submit form's token and ``expected_version``), then all submissions are released
at once behind a barrier: C threads (default 100) take the 500 submit POSTs from a queue.
``--double-clicks K`` applicants send their submit twice at the same moment (two threads):
exactly one must be accepted.

A submission is accepted when the portal answers 302 to the application page. Anything else
for a single click is an error and is printed with its body (a 200 is the form shown again
with a refusal). Then the database is checked: exactly 500 applications, all ``submitted``,
each once (cycle, applicant, track), pinned to the policy, with the report's 字数 recorded and
version 2; exactly one submit audit event per application; the audit chain intact
(``verify_chain``). Exits 1 if anything fails. gunicorn is stopped in any case; the
database is dropped unless --keep.

    .venv/bin/python bench/deadline_spike.py [--applicants 500] [--concurrency 100]
                                             [--double-clicks 25] [--workers 4] [--keep]
"""

from __future__ import annotations

import argparse
import contextlib
import html
import io
import queue
import random
import re
import shutil
import sys
import threading
import time
from dataclasses import dataclass

from web_load import (
    OUT,
    POLICY_ID,
    Gunicorn,
    HttpClient,
    Names,
    add_pg_args,
    close_db_connections,
    csrf_token_in,
    django_setup,
    exit_on_sigterm,
    load_note,
    migrate,
    organization_profile,
    percentile,
    pg_from,
    server_env,
)

CLOSING_DAY = "2026-04-30"
REPORT_PARAGRAPHS = [
    "本单位坚持质量第一、效益优先，全面推行卓越绩效管理模式，建立健全覆盖全员、全过程的质量管理体系。",
    "领导层确立“精益求精、顾客至上”的质量方针，战略目标分解到各部门并按季度评审。",
    "以顾客为中心，建立顾客需求识别、满意度测量和投诉快速响应机制，顾客满意度连续五年提升。",
    "推行六西格玛和精益生产，近三年完成质量改进项目一百二十项，产品一次交验合格率达到百分之九十九点六。",
    "重视人才培养和知识管理，建立首席质量官制度和质量技能等级评价体系。",
    "履行社会责任，节能减排成效显著，单位产值综合能耗较上年下降百分之六。",
]


@dataclass
class Applicant:
    index: int
    username: str
    application_id: int
    report_chars: int
    cookies: dict[str, str]
    token: str = ""
    expected_version: str = ""


def report_docx(rnd: random.Random, paragraphs: int) -> bytes:
    import docx

    d = docx.Document()
    d.add_heading("自我评价报告", level=1)
    for _ in range(paragraphs):
        d.add_paragraph(rnd.choice(REPORT_PARAGRAPHS))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def seed(count: int, paragraphs: int) -> tuple[int, list[Applicant]]:
    """The open cycle and ``count`` applicants with a draft and an uploaded report, all
    through the services (each write audited); browser sessions made with Django's test
    client (no password hashing)."""
    import datetime as dt

    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.test import Client

    from qaward.core.criteria.wordcount import count_words
    from qaward.core.policy import load_policy
    from qaward.web.accounts.models import Jurisdiction, Membership, Role
    from qaward.web.common import uploads
    from qaward.web.cycles.models import Applicant as ApplicantRow
    from qaward.web.cycles.services import application_create, cycle_open, document_add
    from qaward.web.policies.services import sync_policies

    rnd = random.Random(20260430)
    sync_policies()
    policy = load_policy(POLICY_ID)
    j = Jurisdiction.objects.get(code=policy.jurisdiction.id)
    office = User.objects.create_user("bench-office", password=None, first_name="评审办")
    Membership.objects.create(user=office, jurisdiction=j, role=Role.OFFICE)
    cycle = cycle_open(jurisdiction=j, year=2026,
                                title=f"2026年度{policy.award_name_zh}",
                                opened_on=dt.date(2026, 3, 2),
                                applications_close_on=dt.date.fromisoformat(CLOSING_DAY),
                                actor=office)
    names = Names(rnd, "长宁")
    with transaction.atomic():
        users = User.objects.bulk_create(
            [User(username=f"spike{i:04d}", password="!bench-unusable",
                  first_name=names.person()) for i in range(count)])
        rows = []
        for i in range(count):
            company, sector = names.company()
            rows.append(ApplicantRow(
                jurisdiction=j, kind="organization", name=company, sector=sector,
                credit_code=f"91310105MA2{i:07d}", email=f"spike{i}@example.com",
                profile=organization_profile(rnd, policy.jurisdiction.name_zh, 2026,
                                             flawed=rnd.random() < 0.15)))
        rows = ApplicantRow.objects.bulk_create(rows)
        Membership.objects.bulk_create(
            [Membership(user=u, jurisdiction=j, role=Role.APPLICANT, applicant=a)
             for u, a in zip(users, rows, strict=True)])

    # A few different reports, shared round the applicants (generating 500 takes a while).
    reports = []
    for _ in range(8):
        data = report_docx(rnd, paragraphs)
        reports.append((data, count_words(uploads.extract_text(io.BytesIO(data), ".docx"))))
    out: list[Applicant] = []
    for i, (user, row) in enumerate(zip(users, rows, strict=True)):
        app = application_create(cycle=cycle, applicant=row, track="organization",
                                          actor=user)
        data, chars = reports[i % len(reports)]
        document_add(application=app, actor=user, kind="report",
                             upload=SimpleUploadedFile(
                                 "自我评价报告.docx", data,
                                 content_type="application/vnd.openxmlformats-officedocument"
                                              ".wordprocessingml.document"))
        client = Client()
        client.force_login(user)
        out.append(Applicant(i, user.username, app.pk, chars,
                             {"sessionid": client.cookies["sessionid"].value}))
    return cycle.pk, out


_VERSION = re.compile(r'name="expected_version"[^>]*value="(\d+)"|'
                      r'value="(\d+)"[^>]*name="expected_version"')
_TAGS = re.compile(r"<[^>]+>")
_ERRORS = re.compile(r'<ul class="errorlist[^"]*">(.*?)</ul>', re.S)


def body_excerpt(body: bytes, limit: int = 500) -> str:
    text = body.decode("utf-8", errors="replace")
    errors = _ERRORS.findall(text)
    if errors:
        text = " | ".join(errors)
    text = html.unescape(_TAGS.sub(" ", text))
    return re.sub(r"\s+", " ", text).strip()[:limit]


def open_pages(port: int, applicants: list[Applicant], concurrency: int) -> list[str]:
    """Each applicant opens its application page: CSRF cookie, token, expected version."""
    problems: list[str] = []
    work: queue.Queue[Applicant] = queue.Queue()
    for a in applicants:
        work.put(a)
    lock = threading.Lock()

    def worker() -> None:
        while True:
            try:
                a = work.get_nowait()
            except queue.Empty:
                return
            c = HttpClient(port, a.cookies)
            try:
                r = c.get(f"/portal/applications/{a.application_id}/")
                page = r.text()
                m = _VERSION.search(page)
                if r.status != 200 or m is None or "csrftoken" not in c.cookies:
                    raise RuntimeError(f"{r.status} {body_excerpt(r.body, 200)}")
                if f"/portal/applications/{a.application_id}/submit/" not in page:
                    raise RuntimeError("no submit form on the page")
                a.token = csrf_token_in(page)
                a.expected_version = m.group(1) or m.group(2)
                a.cookies = dict(c.cookies)
            except (OSError, RuntimeError) as err:
                with lock:
                    problems.append(f"{a.username}: {err}")
            finally:
                c.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return problems


@dataclass
class Submit:
    applicant: Applicant
    status: int
    ms: float
    location: str
    body: bytes


def spike(port: int, plan: list[Applicant], concurrency: int) -> tuple[list[Submit], float]:
    """All threads wait at a barrier, then take the submits from the queue in order."""
    work: queue.Queue[Applicant] = queue.Queue()
    for a in plan:
        work.put(a)
    results: list[Submit] = []
    lock = threading.Lock()
    threads_n = min(concurrency, len(plan))
    barrier = threading.Barrier(threads_n + 1)

    def worker() -> None:
        barrier.wait()
        mine = []
        while True:
            try:
                a = work.get_nowait()
            except queue.Empty:
                break
            c = HttpClient(port, a.cookies, timeout=120)
            t0 = time.perf_counter()
            try:
                r = c.post_form(f"/portal/applications/{a.application_id}/submit/",
                                {"csrfmiddlewaretoken": a.token,
                                 "expected_version": a.expected_version})
                status, loc, body = r.status, r.headers.get("Location", ""), r.body
            except OSError as err:
                status, loc, body = 0, "", f"{type(err).__name__}: {err}".encode()
            mine.append(Submit(a, status, (time.perf_counter() - t0) * 1000, loc, body))
            c.close()
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(threads_n)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join(timeout=600)
    return results, time.perf_counter() - t0


def verify(cycle_id: int, applicants: list[Applicant]) -> list[tuple[str, bool, str]]:
    """(check, passed, detail) for each database check."""
    from django.db.models import Count

    from qaward.web.audit.models import AuditEvent
    from qaward.web.audit.services import verify_chain
    from qaward.web.cycles.models import Application

    n = len(applicants)
    apps = Application.objects.filter(cycle_id=cycle_id)
    ids = {a.application_id for a in applicants}
    checks: list[tuple[str, bool, str]] = []

    total = apps.count()
    checks.append(("applications in the cycle", total == n, f"{total} (expected {n})"))
    submitted = apps.filter(state="submitted").count()
    others = dict(apps.exclude(state="submitted").values_list("state").annotate(c=Count("pk"))
                  .order_by())
    checks.append(("in state submitted", submitted == n,
                   f"{submitted}" + (f"; others: {others}" if others else "")))
    dupes = (apps.values("applicant_id", "track").annotate(c=Count("pk")).filter(c__gt=1)
             .count())
    checks.append(("no duplicate (cycle, applicant, track)", dupes == 0, f"{dupes} duplicated"))
    expected_chars = {a.application_id: a.report_chars for a in applicants}
    bad = []
    for app in apps.filter(state="submitted").only(
            "pk", "version", "submitted_at", "pinned_policy_id", "profile_snapshot",
            "report_chars"):
        if (app.version != 2 or app.submitted_at is None or app.pinned_policy_id != POLICY_ID
                or not app.profile_snapshot or app.report_chars != expected_chars.get(app.pk)):
            bad.append(app.pk)
    checks.append(("frozen once: version 2, pinned policy, snapshot, report 字数",
                   not bad, f"{len(bad)} wrong" + (f": {bad[:10]}" if bad else "")))
    events = AuditEvent.objects.filter(entity="application", action="transition",
                                       to_state="submitted")
    n_events = events.count()
    per_app = dict(events.values_list("entity_id").annotate(c=Count("seq")).order_by())
    twice = [k for k, c in per_app.items() if c > 1]
    missing = ids - {int(k) for k in per_app}
    checks.append(("submit audit events", n_events == n and not twice and not missing,
                   f"{n_events} events, {len(per_app)} applications"
                   + (f", {len(twice)} twice" if twice else "")
                   + (f", {len(missing)} missing" if missing else "")))
    t0 = time.perf_counter()
    report = verify_chain()
    all_events = AuditEvent.objects.count()
    checks.append(("audit chain intact (verify_chain)", report.ok and report.events == all_events,
                   f"{report.events} events verified in {time.perf_counter() - t0:.2f} s"
                   + (f"; broken at seq {report.first_bad_seq}: {report.problem}"
                      if not report.ok else "")))
    return checks


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_pg_args(ap, "qaward_bench_spike")
    ap.add_argument("--applicants", type=int, default=500)
    ap.add_argument("--concurrency", type=int, default=100,
                    help="client threads released together (default 100)")
    ap.add_argument("--double-clicks", type=int, default=25,
                    help="applicants who send their submit twice at once (default 25)")
    ap.add_argument("--report-paragraphs", type=int, default=200,
                    help="paragraphs of each report .docx (default 200, about 9,000 字)")
    args = ap.parse_args()
    exit_on_sigterm()

    pg = pg_from(args)
    env = server_env(pg.url(args.db), OUT / f"var-{args.db}", today=CLOSING_DAY)
    server: Gunicorn | None = None
    try:
        print("before:", load_note())
        t0 = time.perf_counter()
        if pg.exists(args.db):
            pg.drop(args.db)
        pg.create(args.db)
        shutil.rmtree(OUT / f"var-{args.db}" / "media", ignore_errors=True)  # old uploads
        django_setup(env)
        migrate()
        cycle_id, applicants = seed(args.applicants, args.report_paragraphs)
        close_db_connections()
        print(f"database {args.db}: {len(applicants)} applicants with a draft and a report "
              f"(about {sum(a.report_chars for a in applicants) // len(applicants):,} 字 each) "
              f"in the open cycle {cycle_id}, seeded in {time.perf_counter() - t0:.1f} s")

        server = Gunicorn(env, workers=args.workers, log_name="deadline_spike-gunicorn.log")
        server.start()
        t0 = time.perf_counter()
        problems = open_pages(server.port, applicants, min(args.concurrency, 50))
        print(f"gunicorn on 127.0.0.1:{server.port}, {args.workers} sync workers, today "
              f"{CLOSING_DAY}; {len(applicants)} application pages opened in "
              f"{time.perf_counter() - t0:.1f} s")
        if problems:
            print(f"{len(problems)} applicants could not open their page, e.g.:")
            for p in problems[:10]:
                print("   ", p)
            return 1

        doubles = applicants[:max(0, min(args.double_clicks, len(applicants)))]
        plan = [a for a in doubles for _ in (0, 1)] + applicants[len(doubles):]
        print("before the spike:", load_note())
        results, wall = spike(server.port, plan, args.concurrency)

        latencies = sorted(r.ms for r in results)
        by_user: dict[int, list[Submit]] = {}
        for r in results:
            by_user.setdefault(r.applicant.index, []).append(r)

        def accepted(r: Submit) -> bool:
            return (r.status == 302
                    and r.location.endswith(f"/portal/applications/{r.applicant.application_id}/"))

        errors: list[Submit] = []
        lost: list[object] = []
        # A second click that lands after the first went through is sent back to the
        # application's page ("申报已提交"), so both answers are 302: whether anything was
        # submitted twice is decided by the database checks (one submit event, version 2).
        both_redirected = 0
        double_refusals: dict[int, int] = {}
        for a in applicants:
            rs = by_user.get(a.index, [])
            ok = [r for r in rs if accepted(r)]
            if not ok:
                lost.append(a)
            if len(ok) > 1:
                both_redirected += 1
            # The second click of a pair may be refused (4xx, or the form shown again).
            refusable = len(rs) == 2 and len(ok) == 1
            for r in rs:
                if accepted(r):
                    continue
                if refusable and (r.status == 200 or 400 <= r.status < 500):
                    double_refusals[r.status] = double_refusals.get(r.status, 0) + 1
                else:
                    errors.append(r)
        statuses: dict[int, int] = {}
        for r in results:
            statuses[r.status] = statuses.get(r.status, 0) + 1

        print(f"\nspike: {len(results)} submit POSTs ({len(applicants)} applicants, "
              f"{len(doubles)} of them clicking twice) from {min(args.concurrency, len(plan))} "
              f"threads released together")
        print(f"  time to finish      {wall:.2f} s  ({len(results) / wall:.0f} submits/s)")
        print(f"  submit latency      p50 {percentile(latencies, 50):.0f} ms, "
              f"p95 {percentile(latencies, 95):.0f} ms, p99 {percentile(latencies, 99):.0f} ms, "
              f"max {latencies[-1]:.0f} ms")
        print("  responses           " + ", ".join(f"{s}: {n}" for s, n in sorted(
            statuses.items())))
        print(f"  accepted            {len(applicants) - len(lost)} of {len(applicants)} "
              f"applicants (302 to their application)")
        if doubles:
            print(f"  double clicks       {len(doubles)} applicants: second click refused "
                  + (", ".join(f"{n}× {s}" for s, n in sorted(double_refusals.items()))
                     or "never") + f"; both sent back to the application: {both_redirected} "
                  "(submitted once: see the database checks)")
        print(f"  errors              {len(errors)}")
        for r in errors[:20]:
            print(f"    {r.applicant.username} application {r.applicant.application_id}: "
                  f"{r.status} {r.location} {body_excerpt(r.body)}")
        if len(errors) > 20:
            print(f"    … and {len(errors) - 20} more")
        if double_refusals:
            sample = next(r for rs in by_user.values() for r in rs
                          if len(rs) == 2 and not accepted(r))
            print(f"  a refused second click answers {sample.status}: "
                  f"{body_excerpt(sample.body, 300)}")

        checks = verify(cycle_id, applicants)
        close_db_connections()
        print("\ndatabase checks")
        for name, passed, detail in checks:
            print(f"  {'ok  ' if passed else 'FAIL'} {name}: {detail}")
        failed = bool(errors or lost or not all(p for _, p, _ in checks))
        print("\nresult:", "FAILED" if failed else "all 500 submissions in, once each".replace(
            "500", str(len(applicants))))
        return 1 if failed else 0
    finally:
        if server is not None:
            server.stop()
        close_db_connections()
        if not args.keep:
            with contextlib.suppress(Exception):
                pg.drop(args.db)
                shutil.rmtree(OUT / f"var-{args.db}" / "media", ignore_errors=True)
                print(f"database {args.db} and its uploads dropped (--keep keeps them)")


if __name__ == "__main__":
    sys.exit(main())
