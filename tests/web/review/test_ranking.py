"""The ranking overview, the shortlist and the review reports (issue 8): rows against
hand-computed aggregates, a number of queries that does not grow with the applications, the
shortlist by each method with its cap, departures and article, the shortlist notice, the
feedback to those not shortlisted, appeals, and who may download which report."""

from __future__ import annotations

import datetime as dt
import math
import statistics
import subprocess
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qaward.web.appeals.models import Appeal
from qaward.web.appeals.services import appeal_decide, appeal_file
from qaward.web.audit.models import AuditEvent
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.services import cycle_repin, facts_for
from qaward.web.notices.models import Notice
from qaward.web.policies.services import sync_policies
from qaward.web.review import ranking
from qaward.web.review.models import ReportRelease, Shortlist, ShortlistDeparture, VisitPlan
from tests.web.office_world import client_for, fresh
from tests.web.review.ranking_world import (
    ITEMS,
    TODAY,
    RankingWorld,
    build,
    configure,
    score,
    score_many,
)

pytestmark = pytest.mark.django_db

DECISION = "区评审办2026年第1次主任会议"


POLICIES = ("binjiang-2020", "changning-2023", "chongming-2022", "hongkou-2021", "chanhe-2021")


@pytest.fixture
def basis(tmp_path: Path, monkeypatch: Any) -> Any:
    """The office's cited configuration of the ranking, which every regulation leaves open:
    ``basis(name, *tie_rules, extra={policy: yaml lines}, world=w)``; with ``world`` the
    running cycle is moved to the configured content by the office head."""
    def set_rule(name: str = "mean", *ties: str, extra: dict[str, str] | None = None,
                 world: RankingWorld | None = None) -> None:
        rules = ", ".join(ties)
        for pid in POLICIES:
            configure(tmp_path, monkeypatch, pid,
                      f"  review.ranking.basis: {{value: {name}, cite: {DECISION}}}\n"
                      f"  review.ranking.tie_breaks: {{value: [{rules}], cite: {DECISION}}}\n"
                      + (extra or {}).get(pid, ""))
        if world is not None:
            version = next(pv for pv in sync_policies()
                           if pv.policy_id == world.cycle.policy.policy_id)
            cycle_repin(cycle=world.cycle, to_version=version, actor=world.head,
                        reason="评审办配置排名规则")
            world.cycle.refresh_from_db()
    set_rule()
    return set_rule


def fake_pdf(monkeypatch: Any) -> list[Any]:
    made: list[Any] = []

    def render(report: Any, language: str = "zh-hans") -> bytes:
        made.append(report)
        return b"%PDF-1.7 report"
    monkeypatch.setattr(ranking, "_render_pdf", render)
    monkeypatch.setattr(ranking, "build_report", lambda app, stage, **kw: (app.pk, stage, kw))
    return made


# ---------------------------------------------------------------------------------------------
# The overview


def three(w: RankingWorld) -> None:
    """A: 600/700/800; B: 500/500/900, consensus 80 % (800); C: 700 three times."""
    score(w, w.apps[0], "material_review", [60, 70, 80])
    score(w, w.apps[1], "material_review", [50, 50, 90], consensus=80)
    score(w, w.apps[2], "material_review", [70, 70, 70])


def test_rows_against_hand_computed_aggregates(basis: Any) -> None:
    w = build("hangzhou-binjiang", 3)
    three(w)
    ov = ranking.ranking_overview(w.cycle, "material_review")
    rows = {r.name: r for r in ov.rows}
    a, b, c = rows["申报单位000"], rows["申报单位001"], rows["申报单位002"]
    assert a.totals == (600, 700, 800) and a.mean == 700 and a.median == 700
    assert a.spread == 200 and a.std == pytest.approx(math.sqrt(20000 / 3))
    assert b.mean == Fraction(1900, 3) and b.median == 500 and b.spread == 400
    assert b.consensus == 800 and b.score == 800  # the consensus where recorded
    assert a.score == 700 and a.consensus is None  # else the mean
    assert c.spread == 0 and c.std == 0
    # Normalised by hand: each expert's z against their own totals, back on the pool's scale.
    by_expert = [[600, 500, 700], [700, 500, 700], [800, 900, 700]]
    pool = [t for ts in by_expert for t in ts]
    m, s = statistics.fmean(pool), statistics.pstdev(pool)

    def norm(e: int, x: int) -> float:
        return m + (x - statistics.fmean(by_expert[e])) / statistics.pstdev(by_expert[e]) * s
    assert a.normalised == pytest.approx((norm(0, 600) + norm(1, 700) + norm(2, 800)) / 3)
    assert b.normalised == pytest.approx((norm(0, 500) + norm(1, 500) + norm(2, 900)) / 3)
    # By the mean, A and C are level at 700 with no rule to part them: they share rank 1.
    assert (a.rank, c.rank, b.rank) == (1, 1, 3)
    assert a.shares_rank and c.shares_rank and b.separated_by == "basis"
    assert ov.ranking is not None and ov.ranking.unresolved_ties == ((str(w.apps[0].pk),
                                                                     str(w.apps[2].pk)),)


def test_a_cited_tie_rule_separates_the_level_ones(basis: Any) -> None:
    w = build("hangzhou-binjiang", 3)
    three(w)
    w.apps[2].applicant.profile = {"sme_new_industry": True}
    w.apps[2].applicant.save()
    basis("mean", '{key: "fact:sme_new_industry", prefer: true_first}', world=w)
    rows = {r.name: r for r in ranking.ranking_overview(w.cycle, "material_review").rows}
    assert rows["申报单位002"].rank == 1 and rows["申报单位000"].rank == 2
    assert rows["申报单位000"].separated_by == "fact:sme_new_industry"
    assert rows["申报单位000"].separated_cite == DECISION
    basis("median", world=w)
    rows = {r.name: r for r in ranking.ranking_overview(w.cycle, "material_review").rows}
    assert rows["申报单位001"].rank == 3  # median 500


def test_drafts_and_replaced_members_do_not_count(basis: Any) -> None:
    w = build("hangzhou-binjiang", 2)
    score(w, w.apps[0], "material_review", [60, 80])
    score(w, w.apps[1], "material_review", [90], submitted=False)
    ov = ranking.ranking_overview(w.cycle, "material_review")
    rows = {r.name: r for r in ov.rows}
    assert rows["申报单位000"].mean == 700 and rows["申报单位001"].reviewers == 0
    assert rows["申报单位001"].rank is None and rows["申报单位001"].mean is None


def test_silence_makes_the_page_name_the_configuration() -> None:
    w = build("hangzhou-binjiang", 2)
    score(w, w.apps[0], "material_review", [60, 80])
    r = client_for(w.office).get(f"/console/cycles/{w.cycle.pk}/ranking/material_review/")
    assert r.status_code == 200
    assert ranking.BASIS_KEY in r.content.decode()
    assert "申报单位000" in r.content.decode()  # the scores are shown all the same


def test_who_sees_the_ranking(basis: Any) -> None:
    w = build("hangzhou-binjiang", 2)
    three_apps = w.apps
    score(w, three_apps[0], "material_review", [60, 80])
    url = f"/console/cycles/{w.cycle.pk}/ranking/material_review/"
    assert client_for(w.office).get(url).status_code == 200
    page = client_for(w.committee).get(url)
    assert page.status_code == 200 and "导出评分表" not in page.content.decode()
    assert client_for(w.reviewer).get(url).status_code == 404
    assert client_for(w.users[0]).get(url).status_code == 404
    assert client_for(w.committee).get(url + "?export=xlsx").status_code == 403


def page_queries(w: RankingWorld, rows: int) -> int:
    client = client_for(w.office)
    url = f"/console/cycles/{w.cycle.pk}/ranking/material_review/"
    assert client.get(url).status_code == 200  # warm the policy cache and the session
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200 and r.content.decode().count("<tr>") == rows + 1
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_applications(basis: Any) -> None:
    w = build("hangzhou-binjiang", 50)
    totals = [(50 + i % 10 * 5, 60, 70 + i % 5 * 5) for i in range(50)]
    score_many(w, "material_review", totals[:5])
    five = page_queries(w, 5)
    score_many(w, "material_review", totals[5:], start=5)
    assert page_queries(w, 50) == five


# ---------------------------------------------------------------------------------------------
# The shortlist


def ladder(w: RankingWorld, stage: str = "material_review") -> list[int]:
    """Every application scored, the first best: totals 950, 900, 850, … (distinct ranks)."""
    score_many(w, stage, [(95 - 5 * i,) * 3 for i in range(len(w.apps))])
    return [a.pk for a in w.apps]


def test_the_shortlist_page_takes_the_places_the_call_announced(basis: Any) -> None:
    """滨江 四、（四）: where the call announces 6 places instead of the 8 planned, the office
    enters them with their source and the cap becomes ⌊1.5 × 6⌋ = 9; a number without its
    source, or no number, is refused with a message and nothing is fixed."""
    w = build("hangzhou-binjiang", 14)
    ids = ladder(w)
    c = client_for(w.office)
    url = reverse("awards:ranking_shortlist", args=[w.cycle.pk])
    page = c.post(url, {"action": "check", "announced": "6", "announced_cite": "滨政办〔2026〕1号",
                        "chosen": [str(i) for i in ids[:9]]})
    assert page.status_code == 200 and page.context["result"].cap.limit == 9
    refused = c.post(url, {"action": "fix", "announced": "6", "chosen": [str(i) for i in ids[:9]]})
    assert "须写明其依据" in refused.content.decode() and not Shortlist.objects.exists()
    bad = c.post(url, {"action": "fix", "announced": "six", "announced_cite": "x",
                       "chosen": [str(i) for i in ids[:9]]})
    assert "正整数" in bad.content.decode() and not Shortlist.objects.exists()
    cite = "滨政办〔2026〕1号"
    too_many = c.post(url, {"action": "fix", "announced": "6", "announced_cite": cite,
                            "chosen": [str(i) for i in ids[:10]]})
    assert too_many.status_code == 200 and not Shortlist.objects.exists()
    c.post(url, {"action": "fix", "announced": "6", "announced_cite": "滨政办〔2026〕1号",
                 "chosen": [str(i) for i in ids[:9]]})
    assert Shortlist.objects.get().cap == 9


def test_ratio_of_awards_caps_the_list_at_12_for_5_plus_3_places(basis: Any) -> None:
    """滨江 四、（四）: at most 1.5 × (5 + 3) = 12; the others are not shortlisted and get the
    written feedback on the material review (书面反馈)."""
    w = build("hangzhou-binjiang", 14)
    ids = ladder(w)
    plan = ranking.shortlist_plan(w.cycle)
    assert plan.result is not None and plan.result.cap is not None
    assert plan.result.cap.limit == 12 and plan.result.proposed
    assert list(plan.result.shortlisted) == [str(i) for i in ids[:12]]
    with pytest.raises(ServiceError) as err:
        ranking.shortlist_fix(cycle=w.cycle, chosen_ids=ids[:13], reasons={}, actor=w.office)
    assert err.value.article == "四、（四）" and "12" in str(err.value)
    assert not Shortlist.objects.exists() and fresh(w.apps[0]).state == "material_review"

    sl = ranking.shortlist_fix(cycle=w.cycle, chosen_ids=ids[:12], reasons={}, actor=w.office)
    assert sl.cap == 12 and sl.method == "ratio_of_awards" and sl.article == "四、（四）"
    assert [fresh(a).state for a in w.apps] == ["site_review"] * 12 + ["not_shortlisted"] * 2
    ev = AuditEvent.objects.get(action="shortlist_fix")
    assert ev.article == "四、（四）" and ev.data["cap"] == 12
    assert ev.data["not_chosen"] == ids[12:]
    moved = AuditEvent.objects.filter(action="transition", to_state="not_shortlisted")
    assert moved.count() == 2 and {e.article for e in moved} == {"四、（四）"}
    feedback = ReportRelease.objects.filter(as_feedback=True)
    assert sorted(r.application_id for r in feedback) == ids[12:]
    assert {r.kind for r in feedback} == {"material_review"}
    assert not any(r.names_shown for r in feedback)  # the policy allows no names
    with pytest.raises(ServiceError):  # fixed once
        ranking.shortlist_fix(cycle=w.cycle, chosen_ids=ids[:12], reasons={}, actor=w.office)


def test_every_departure_from_the_ranking_needs_a_reason(basis: Any) -> None:
    """好中选优 (长宁 第二十二条第二款): the office chooses, a reason for each lower one chosen
    over a higher one left out; those left out get the 资料评审报告."""
    w = build("shanghai-changning", 5)
    ids = ladder(w)
    chosen = [ids[0], ids[1], ids[3]]  # the 4th over the 3rd
    with pytest.raises(ServiceError) as err:
        ranking.shortlist_fix(cycle=w.cycle, chosen_ids=chosen, reasons={}, actor=w.office,
                              track="organization")
    assert err.value.field == "reasons" and "申报单位002" in str(err.value)
    assert err.value.article == "第二十二条第二款"
    reason = "现场核查前发现其质量事故已整改；第4名在新兴产业中领先"
    sl = ranking.shortlist_fix(cycle=w.cycle, chosen_ids=chosen,
                               reasons={(ids[3], ids[2]): reason}, actor=w.office,
                               track="organization")
    d = ShortlistDeparture.objects.get(shortlist=sl)
    assert (d.chosen_id, d.passed_over_id, d.reason) == (ids[3], ids[2], reason)
    assert fresh(w.apps[3]).state == "site_review" and fresh(w.apps[2]).state == "not_shortlisted"
    assert AuditEvent.objects.get(action="shortlist_fix").data["departures"][0]["reason"] == reason
    released = ReportRelease.objects.filter(as_feedback=True).values_list("application_id",
                                                                          flat=True)
    assert sorted(released) == [ids[2], ids[4]]


def test_method_ranking_takes_the_top_and_gives_no_feedback(basis: Any) -> None:
    """瀍河 第十八条: the list is drawn from the ranking (stage `ranking`, which ranks the site
    review's scores); a lower one over a higher one is refused; no feedback to the others."""
    w = build("luoyang-chanhe", 4, stage="ranking")
    ids = ladder(w, "site_review")
    with pytest.raises(ServiceError) as err:
        ranking.shortlist_fix(cycle=w.cycle, chosen_ids=[ids[0], ids[2]],
                              reasons={(ids[2], ids[1]): "理由"}, actor=w.office)
    assert err.value.field == "chosen" and err.value.article == "第十八条"
    sl = ranking.shortlist_fix(cycle=w.cycle, chosen_ids=ids[:2], reasons={}, actor=w.office)
    assert sl.scored_stage == "site_review" and sl.stage == "ranking"
    assert [fresh(a).state for a in w.apps] == ["committee"] * 2 + ["not_shortlisted"] * 2
    assert not ReportRelease.objects.exists()


def test_a_required_shortlist_notice_publishes_the_list(basis: Any) -> None:
    """虹口 第十六条: the chosen go to the shortlist notice (its length configured by the
    office, the text gives none), not straight to the site review."""
    basis(extra={"hongkou-2021": "  notices.shortlist.length: {value: 5, unit: working_days, "
                                 f"minimum: true, cite: {DECISION}}}\n"})
    w = build("shanghai-hongkou", 4)
    ids = ladder(w)
    sl = ranking.shortlist_fix(cycle=w.cycle, chosen_ids=ids[:3], reasons={}, actor=w.office,
                              track="organization")
    notice = Notice.objects.get(cycle=w.cycle, stage="shortlist")
    assert sl.notice == notice and sorted(a.pk for a in notice.applications.all()) == ids[:3]
    assert [fresh(a).state for a in w.apps] == ["material_review_notice"] * 3 + ["not_shortlisted"]
    assert ReportRelease.objects.filter(as_feedback=True).count() == 1


def test_without_the_notice_length_nothing_moves(basis: Any) -> None:
    w = build("shanghai-hongkou", 3)
    ids = ladder(w)
    with pytest.raises(ServiceError) as err:
        ranking.shortlist_fix(cycle=w.cycle, chosen_ids=ids[:2], reasons={}, actor=w.office,
                              track="organization")
    assert "notices.shortlist.length" in str(err.value)
    assert not Shortlist.objects.exists() and not ReportRelease.objects.exists()
    assert {fresh(a).state for a in w.apps} == {"material_review"}


def test_an_unscored_application_stops_the_shortlist(basis: Any) -> None:
    w = build("hangzhou-binjiang", 3)
    score(w, w.apps[0], "material_review", [60, 70, 80])
    score(w, w.apps[1], "material_review", [50, 50, 50])
    with pytest.raises(ServiceError) as err:
        ranking.shortlist_fix(cycle=w.cycle, chosen_ids=[w.apps[0].pk], reasons={},
                              actor=w.office)
    assert "申报单位002" in str(err.value) and not Shortlist.objects.exists()


def test_the_shortlist_page_checks_then_fixes(basis: Any) -> None:
    w = build("shanghai-changning", 3)
    ids = ladder(w)
    c = client_for(w.office)
    url = f"/console/cycles/{w.cycle.pk}/shortlist/?track=organization"
    page = c.get(url)
    assert page.status_code == 200 and "申报单位002" in page.content.decode()
    r = c.post(url, {"track": "organization", "chosen": [ids[0], ids[2]], "action": "check"})
    assert f'name="reason_{ids[2]}_{ids[1]}"' in r.content.decode()
    r = c.post(url, {"track": "organization", "chosen": [ids[0], ids[2]], "action": "fix"})
    assert r.status_code == 200 and not Shortlist.objects.exists()
    r = c.post(url, {"track": "organization", "chosen": [ids[0], ids[2]], "action": "fix",
                     f"reason_{ids[2]}_{ids[1]}": "更具示范性"})
    assert r.status_code == 302 and Shortlist.objects.get().departures.count() == 1
    assert client_for(w.committee).post(url, {"chosen": [ids[0]], "action": "fix"}
                                        ).status_code == 403


# ---------------------------------------------------------------------------------------------
# Appeals against the shortlist decision


def test_not_shortlisted_may_appeal_where_the_policy_provides_it(basis: Any) -> None:
    """滨江 二、（四）: the review team handles appeals (time limit configured); the appeal
    holds the application and, upheld, returns it to the material review."""
    basis(extra={"binjiang-2020": "  appeals.time_limit: {value: 15, unit: days, "
                                  f"source: configuration, cite: {DECISION}}}\n"})
    w = build("hangzhou-binjiang", 2)
    ids = ladder(w)
    ranking.shortlist_fix(cycle=w.cycle, chosen_ids=ids[:1], reasons={}, actor=w.office)
    out = fresh(w.apps[1])
    appeal = appeal_file(application=out, actor=w.users[1], reason="评分遗漏了我们的证实材料")
    assert (appeal.decision, appeal.refused_from) == ("shortlist", "material_review")
    assert Appeal.objects.get().status == "open"
    assert facts_for(fresh(out), TODAY).open_appeal  # held while the appeal is open
    appeal_decide(appeal=appeal, actor=w.reviewer, upheld=True, findings="材料确有遗漏")
    assert fresh(out).state == "material_review"


def test_others_cannot_appeal_the_shortlist(basis: Any) -> None:
    w = build("shanghai-changning", 2)
    ids = ladder(w)
    ranking.shortlist_fix(cycle=w.cycle, chosen_ids=ids[:1], reasons={}, actor=w.office,
                          track="organization")
    with pytest.raises(ServiceError):
        appeal_file(application=fresh(w.apps[1]), actor=w.users[1], reason="不服")
    assert not Appeal.objects.exists()


# ---------------------------------------------------------------------------------------------
# Reports


def test_the_applicant_downloads_only_their_own_released_reports(basis: Any,
                                                                 monkeypatch: Any) -> None:
    made = fake_pdf(monkeypatch)
    w = build("hangzhou-binjiang", 3)
    ladder(w)
    own, other = w.users[0], w.users[1]
    assert client_for(own).get(f"/portal/applications/{w.apps[0].pk}/reports/"
                               ).content.decode().count("report_download") == 0
    c = client_for(w.office)
    r = c.post(f"/console/cycles/{w.cycle.pk}/reports/material_review/release/")
    assert r.status_code == 302 and ReportRelease.objects.count() == 3
    assert AuditEvent.objects.filter(action="report_release").count() == 3
    mine = ReportRelease.objects.get(application=w.apps[0])
    page = client_for(own).get(f"/portal/applications/{w.apps[0].pk}/reports/")
    assert f"/portal/reports/{mine.pk}.pdf" in page.content.decode()
    r = client_for(own).get(f"/portal/reports/{mine.pk}.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert r["Content-Type"] == "application/pdf"
    assert client_for(other).get(f"/portal/reports/{mine.pk}.pdf").status_code == 404
    assert client_for(other).get(f"/portal/applications/{w.apps[0].pk}/reports/"
                                 ).status_code == 404
    assert client_for(w.reviewer).get(f"/portal/reports/{mine.pk}.pdf").status_code == 404
    # Made once, kept: the second download is the same document without rendering again.
    client_for(own).get(f"/portal/reports/{mine.pk}.pdf")
    assert len(made) == 1
    assert made[0][2]["names_shown"] is False  # the policy says nothing: names withheld


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    (tmp_path / "r.pdf").write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("named", [False, True])
def test_names_appear_only_where_the_policy_allows(basis: Any, tmp_path: Path,
                                                   named: bool) -> None:
    """Every regulation is silent on naming the reviewers to the applicant: not named, unless
    the office configures it (``review.experts_named_to_applicants``)."""
    if named:
        basis(extra={"binjiang-2020": "  review.experts_named_to_applicants: "
                                      f"{{value: true, cite: {DECISION}}}\n"})
    w = build("hangzhou-binjiang", 2)
    score(w, w.apps[0], "material_review", [60, 70, 80])
    score(w, w.apps[1], "material_review", [50, 50, 50])
    ranking.shortlist_fix(cycle=w.cycle, chosen_ids=[w.apps[0].pk], reasons={}, actor=w.office)
    release = ReportRelease.objects.get(application=w.apps[1])
    assert release.as_feedback and release.names_shown is named
    r = client_for(w.users[1]).get(f"/portal/reports/{release.pk}.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    text = pdf_text(r.content, tmp_path)
    assert "申报单位001" in text and "500.0" in text
    assert ("专家0" in text) is named and ("专家1" in text) is named
    report = ranking.build_report(w.apps[0], "material_review", names_shown=False)
    assert report.reviewer_names is None and report.reviewer_count == 3
    assert report.total == 700 and report.basis == "mean"

def test_a_category_tie_rule_reads_the_items(basis: Any) -> None:
    """Level on the mean, parted by the points of category 4.1 (leadership), higher first."""
    w = build("hangzhou-binjiang", 2)
    lead = {"4.1.2", "4.1.3", "4.1.4"}  # 110 points
    # Both total 700: A puts 80 % on leadership, B 60 %, each balanced elsewhere.
    a = {i: (80 if i in lead else 70) for i in ITEMS}
    b = {i: (60 if i in lead else 70) for i in ITEMS}
    # ±11 points elsewhere: 4.7.2 (80 points) by 10 % and 4.4.6 (10 points) by 30 %.
    a["4.7.2"], a["4.4.6"], b["4.7.2"], b["4.4.6"] = 60, 40, 80, 100
    score(w, w.apps[0], "material_review", [a, a, a])
    score(w, w.apps[1], "material_review", [b, b, b])
    rows = {r.name: r for r in ranking.ranking_overview(w.cycle, "material_review").rows}
    assert rows["申报单位000"].mean == rows["申报单位001"].mean
    assert rows["申报单位000"].shares_rank
    basis("mean", '{key: "category:4.1", prefer: higher}', world=w)
    rows = {r.name: r for r in ranking.ranking_overview(w.cycle, "material_review").rows}
    assert (rows["申报单位000"].rank, rows["申报单位001"].rank) == (1, 2)
    assert rows["申报单位001"].separated_by == "category:4.1"


@pytest.mark.parametrize("value", [Fraction(0), Fraction(1, 20), Fraction(3, 20), Fraction(2, 3),
                                   Fraction(1900, 3), Fraction(12345, 100), Fraction(999, 1)])
def test_the_fast_display_rounds_like_format_points(value: Fraction) -> None:
    from qaward.core.criteria import format_points
    assert ranking._fmt(value) == format_points(value)


def test_site_and_comprehensive_reports(basis: Any, tmp_path: Path) -> None:
    """The site-review report carries the organization's confirmation where the policy has
    it (滨江 四、（五）); the comprehensive evaluation lists the earlier stages' totals."""
    w = build("hangzhou-binjiang", 1, stage="comprehensive_evaluation")
    app = w.apps[0]
    score(w, app, "material_review", [60, 70, 80])
    site_team = score(w, app, "site_review", [70, 70, 70], consensus=75)
    score(w, app, "comprehensive_evaluation", [80, 80, 80])
    site = ranking.build_report(app, "site_review", names_shown=False)
    assert site.applicant_confirms and site.total == 750 and site.basis == "consensus"
    assert site.visit_dates == ()  # no visit planned: the report names no date
    VisitPlan.objects.create(team=site_team, date=dt.date(2026, 6, 18), place="申报单位总部",
                             agenda="首次会议、现场查看、访谈、末次会议", participants="评审组",
                             updated_by=w.office, updated_at=timezone.now())
    site = ranking.build_report(app, "site_review", names_shown=False)
    assert site.visit_dates == (dt.date(2026, 6, 18),)
    final = ranking.build_report(app, "comprehensive_evaluation", names_shown=False)
    assert {(t.stage, t.total) for t in final.stage_totals} == {
        ("material_review", 700), ("site_review", 750)}
    assert ranking.reports_release(cycle=w.cycle, stage="comprehensive_evaluation",
                                   actor=w.office) == 1
    release = ReportRelease.objects.get()
    text = pdf_text(ranking.report_pdf(release), tmp_path)
    assert "800.0" in text and "750.0" in text and "700.0" in text


def test_the_office_downloads_the_score_tables(basis: Any) -> None:
    import io

    from openpyxl import load_workbook

    w = build("hangzhou-binjiang", 2)
    score(w, w.apps[0], "material_review", [60, 70, 80])
    score(w, w.apps[1], "material_review", [50, 50, 90], consensus=80)
    c = client_for(w.office)
    r = c.get(f"/console/cycles/{w.cycle.pk}/ranking/material_review/?export=xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    values = [[cell for cell in row] for row in ws.iter_rows(values_only=True)]
    flat = [v for row in values for v in row if v is not None]
    assert "申报单位000" in flat and "申报单位001" in flat
    assert 700 in flat and 800 in flat  # the mean of A, the consensus of B
    r = c.get(f"/console/applications/{w.apps[0].pk}/reviewers/material_review.xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).worksheets[0]
    cells = [v for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert "专家0" in cells and "专家2" in cells  # the office sees who scored what
    # The committee reads the ranking but not who scored what: refused, as the score table.
    assert client_for(w.committee).get(
        f"/console/applications/{w.apps[0].pk}/reviewers/material_review.xlsx"
    ).status_code == 403
    assert client_for(w.reviewer).get(
        f"/console/applications/{w.apps[0].pk}/reviewers/material_review.xlsx"
    ).status_code == 404


# ---------------------------------------------------------------------------------------------
# The demo's piece


def test_the_demo_ranks_shortlists_and_releases(basis: Any) -> None:
    from qaward.web.demo import review_ranking

    w = build("shanghai-changning", 4)
    ids = ladder(w)
    out = review_ranking.run(w.cycle, office=w.office, day=TODAY)
    assert out.ranked == {"material_review": 4}
    # 好中选优: the office takes the 4th over the 3rd, with its reason.
    assert sorted(out.shortlisted) == [ids[0], ids[1], ids[3]]
    d = ShortlistDeparture.objects.get()
    assert (d.chosen_id, d.passed_over_id) == (ids[3], ids[2]) and d.reason
    assert out.reports == {"material_review": 3}  # the 4th already had its feedback report
    assert ReportRelease.objects.count() == 4
    again = review_ranking.run(w.cycle, office=w.office, day=TODAY)
    assert again.shortlisted == [] and again.reports == {"material_review": 0}


# ---------------------------------------------------------------------------------------------
# The API


def api(user: Any) -> Any:
    from django.test import Client

    from qaward.web.api import issue_token
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user)}")


def test_the_api_ranks_fixes_and_lists_reports(basis: Any, monkeypatch: Any) -> None:
    import json

    fake_pdf(monkeypatch)
    w = build("hangzhou-binjiang", 3)
    ids = ladder(w)
    r = api(w.committee).get(f"/api/review/cycles/{w.cycle.pk}/ranking/material_review")
    body = json.loads(r.content)
    assert r.status_code == 200 and body["basis"] == "mean"
    assert [row["rank"] for row in body["rows"]] == [1, 2, 3]
    assert body["rows"][0]["mean"] == "950"
    assert api(w.reviewer).get(
        f"/api/review/cycles/{w.cycle.pk}/ranking/material_review").status_code == 404
    r = api(w.committee).post(f"/api/review/cycles/{w.cycle.pk}/shortlist",
                              data={"chosen": ids[:2]}, content_type="application/json")
    assert r.status_code == 403  # the committee reads the ranking; only the office fixes it
    r = api(w.office).post(f"/api/review/cycles/{w.cycle.pk}/shortlist",
                           data={"chosen": [ids[0], ids[2]]}, content_type="application/json")
    assert r.status_code == 400 and json.loads(r.content)["field"] == "reasons"
    r = api(w.office).post(f"/api/review/cycles/{w.cycle.pk}/shortlist",
                           data={"chosen": ids[:2]}, content_type="application/json")
    assert r.status_code == 201 and json.loads(r.content)["not_chosen"] == [ids[2]]
    mine = json.loads(api(w.users[2]).get(f"/api/review/applications/{ids[2]}/reports").content)
    assert [m["kind"] for m in mine] == ["material_review"] and mine[0]["as_feedback"]
    assert api(w.users[2]).get(mine[0]["url"]).status_code == 200
    assert api(w.users[0]).get(mine[0]["url"]).status_code == 404
    assert api(w.users[0]).get(f"/api/review/applications/{ids[2]}/reports").status_code == 404


def test_the_tags_the_cycles_pages_name(basis: Any, monkeypatch: Any) -> None:
    from django.template import Context, Template
    from django.test import RequestFactory

    fake_pdf(monkeypatch)
    w = build("hangzhou-binjiang", 2)
    ids = ladder(w)
    ranking.shortlist_fix(cycle=w.cycle, chosen_ids=ids[:1], reasons={}, actor=w.office)

    def render(text: str, user: Any, **ctx: Any) -> str:
        request = RequestFactory().get("/")
        request.user = user
        return Template("{% load review_ranking %}" + text).render(
            Context({"request": request, **ctx}))
    links = render("{% cycle_ranking %}", w.committee, cycle=w.cycle)
    assert f"/console/cycles/{w.cycle.pk}/ranking/material_review/" in links
    assert render("{% cycle_ranking %}", w.reviewer, cycle=w.cycle).strip() == ""
    out = fresh(w.apps[1])
    assert "/portal/reports/" in render("{% application_reports %}", w.users[1], app=out)
    assert render("{% application_reports %}", w.users[0], app=out).strip() == ""
