"""The review teams (issue 8): the instance a stage gives the solver, the proposal and its
acceptance, hand adjustments with reasons, recusal, and what a reviewer may read.

The world is 滨江 (二、（四）: teams of at least 3, 组长负责制: the leader can lead); the teams
come from the pure solver (qaward.core.review.assignment)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from qaward.core.policy.model import Silent
from qaward.web.audit.models import AuditEvent
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import Applicant, Application, Document
from qaward.web.experts.models import Conflict, Expert, ExpertCycle
from qaward.web.policies.services import policy_of
from qaward.web.review import teams
from qaward.web.review.models import ReviewerAccess, Team, TeamMember, TeamProposal
from qaward.web.review.views import teams as teams_views
from tests.web.office_world import World, client_for, user

pytestmark = pytest.mark.django_db

STAGE = "material_review"
OTHER_STAGE = "site_review"


@pytest.fixture(autouse=True)
def chinese() -> Any:
    """The services speak the reader's language; these tests read Chinese."""
    with translation.override("zh-hans"):
        yield


# ---------------------------------------------------------------------------------------------
# The world: applications in 资料评审, a pool of experts


@dataclass
class Pool:
    w: World
    apps: list[Application]
    experts: dict[str, Expert]


def expert(w: World, name: str, *, sectors: tuple[str, ...] = ("电子信息",),
           employer: str = "", code: str = "", can_lead: bool = True, max_load: int = 3,
           min_load: int = 0, quals: tuple[str, ...] = (), login: bool = False,
           pledged: bool = True, available: bool = True, status: str = "active",
           until: dt.date | None = None) -> Expert:
    e = Expert.objects.create(
        jurisdiction=w.j, name=name, employer_name=employer or f"{name}单位",
        employer_code=code, sectors=list(sectors), qualifications=list(quals),
        can_lead=can_lead, status=status, disqualified_until=until,
        user=user(f"u-{name}", w.j, "reviewer") if login else None)
    ExpertCycle.objects.create(
        expert=e, cycle=w.cycle, available=available, min_load=min_load, max_load=max_load,
        pledge_signed_at=teams.now() if pledged else None,
        pledge_text="本人承诺保密并回避" if pledged else "")
    return e


def in_stage(w: World, name: str, sector: str = "电子信息", stage: str = STAGE) -> Application:
    a = Applicant.objects.create(jurisdiction=w.j, kind="organization", name=name, sector=sector,
                                 profile={})
    app = Application.objects.create(cycle=w.cycle, applicant=a, track="organization")
    Application.objects.filter(pk=app.pk).update(state=stage, submitted_at=teams.now())
    app.refresh_from_db()
    return app


@pytest.fixture
def pool(w: World) -> Pool:
    apps = [in_stage(w, "甲科技有限公司"), in_stage(w, "乙医疗器械有限公司", "医疗卫生")]
    experts = {n: expert(w, n, login=True) for n in ("赵一", "钱二", "孙三", "李四")}
    experts["周五"] = expert(w, "周五", sectors=("医疗卫生",), login=True)
    experts["吴六"] = expert(w, "吴六", sectors=("医疗卫生",), can_lead=False)
    return Pool(w, apps, experts)


def conflict(app: Application, e: Expert, status: str = "pending",
             origin: str = "detected") -> Conflict:
    decided = status != "pending"
    return Conflict.objects.create(
        cycle=app.cycle, application=app, expert=e, origin=origin, relation="business_partner",
        article="二、（四）", evidence=[{"expert": "partners", "applicant": "name"}],
        status=status, reason="核实确有业务往来" if decided else "",
        decided_at=teams.now() if decided else None)


def formed(pool: Pool) -> list[Team]:
    p = teams.propose_teams(cycle=pool.w.cycle, stage=STAGE, actor=pool.w.office)
    return teams.accept_proposal(proposal=p, actor=pool.w.office)


def active(team: Team) -> set[str]:
    return {m.expert.name for m in team.members.filter(active=True).select_related("expert")}


# ---------------------------------------------------------------------------------------------
# The instance


@pytest.mark.parametrize(("sectors", "quals", "sector", "expected"), [
    (("电子信息",), (), "电子信息", 1.0),
    (("电子 信息",), (), "电子信息", 1.0),  # spaces do not count
    (("电子信息制造",), (), "电子信息", 0.5),  # one contains the other
    (("医疗卫生",), (), "电子信息", 0.0),
    (("医疗卫生",), ("卓越绩效评价师",), "电子信息", 0.25),
    (("电子信息",), ("高级卓越绩效评价师",), "电子信息", 1.25),
    ((), ("注册会计师",), "电子信息", 0.0),
    (("电子信息",), (), "", 0.0),  # an applicant without a sector matches nobody's sector
])
def test_affinity_formula(sectors: tuple[str, ...], quals: tuple[str, ...], sector: str,
                          expected: float) -> None:
    e = Expert(name="x", sectors=list(sectors), qualifications=list(quals))
    assert teams.affinity(e, sector) == expected


def test_the_instance_of_a_stage(pool: Pool) -> None:
    w = pool.w
    a, b = pool.apps
    ex = pool.experts
    conflict(a, ex["赵一"], "pending")
    conflict(a, ex["钱二"], "confirmed", origin="declared")
    conflict(b, ex["孙三"], "dismissed")
    expert(w, "郑七", available=False)
    expert(w, "王八", status="disqualified", until=dt.date(2031, 1, 1))
    expert(w, "冯九", status="disqualified")  # without an end
    expert(w, "褚十", status="disqualified", until=dt.date(2020, 1, 1), max_load=0)  # ended
    in_stage(w, "丙公司", stage=OTHER_STAGE)  # another stage: not a row
    # An active membership in another stage counts to the cycle's load.
    other = in_stage(w, "丁公司", stage=OTHER_STAGE)
    t = Team.objects.create(cycle=w.cycle, application=other, stage=OTHER_STAGE)
    TeamMember.objects.create(team=t, expert=ex["李四"])
    # Two colleagues by credit code, two by name written differently.
    Expert.objects.filter(pk__in=[ex["赵一"].pk, ex["钱二"].pk]).update(
        employer_code="91330108MA2XXXXX99")
    Expert.objects.filter(pk=ex["孙三"].pk).update(employer_name="杭州 大学（滨江）")
    Expert.objects.filter(pk=ex["李四"].pk).update(employer_name="杭州大学(滨江)")

    inst = teams.build_instance(w.cycle, STAGE)
    names = [e.name for e in inst.experts]
    assert [x.pk for x in inst.applications] == [a.pk, b.pk]
    assert names == ["赵一", "钱二", "孙三", "李四", "周五", "吴六", "褚十"]
    col = {n: i for i, n in enumerate(names)}
    assert inst.conflict[0][col["赵一"]] and inst.conflict[0][col["钱二"]]  # pending blocks too
    assert not inst.conflict[1][col["孙三"]]  # a dismissed conflict does not
    assert sum(map(sum, inst.conflict)) == 2
    assert [c.status for c in inst.blocking] == ["pending", "confirmed"]
    assert inst.affinity[0][col["赵一"]] == 1.0 and inst.affinity[1][col["周五"]] == 1.0
    assert inst.affinity[1][col["赵一"]] == 0.0
    assert inst.max_load[col["李四"]] == 2 and inst.max_load[col["赵一"]] == 3
    assert inst.demand == [3, 3] and inst.team_size == 3 and inst.article == "二、（四）"
    emp = inst.employer
    assert emp[col["赵一"]] == emp[col["钱二"]] and emp[col["孙三"]] == emp[col["李四"]]
    assert emp[col["赵一"]] != emp[col["孙三"]] and emp[col["周五"]] != emp[col["吴六"]]
    assert inst.leaders_required and inst.can_lead == [True] * 5 + [False, True]


def test_team_size_left_open_must_be_configured(pool: Pool, monkeypatch: Any) -> None:
    p = policy_of(pool.w.cycle)
    silent = p.model_copy(update={"reviewers": p.reviewers.model_copy(update={
        "team_min_size": Silent(silent="第十条 forms review teams without a size")})})
    monkeypatch.setattr(teams, "policy_of", lambda cycle: silent)
    monkeypatch.setattr(teams_views, "policy_of", lambda cycle: silent)
    with pytest.raises(ServiceError) as err:
        teams.propose_teams(cycle=pool.w.cycle, stage=STAGE, actor=pool.w.office)
    assert err.value.field == "reviewers.team_min_size"
    assert "reviewers.team_min_size" in str(err.value) and "配置" in str(err.value)
    assert not TeamProposal.objects.exists()
    page = client_for(pool.w.office).get(reverse("awards:review_teams",
                                                 args=[pool.w.cycle.pk, STAGE]))
    assert page.status_code == 200 and "reviewers.team_min_size" in page.content.decode()


def test_a_stage_that_is_not_scored_is_refused(pool: Pool) -> None:
    with pytest.raises(ServiceError, match="不是本办法中由评审组评审的阶段"):
        teams.build_instance(pool.w.cycle, "eligibility")


# ---------------------------------------------------------------------------------------------
# Proposal and acceptance


def test_propose_and_accept_never_a_conflicted_expert_and_loads_respected(pool: Pool) -> None:
    w, (a, b), ex = pool.w, pool.apps, pool.experts
    conflict(a, ex["赵一"], "pending")
    conflict(b, ex["周五"], "confirmed", origin="office")
    ExpertCycle.objects.filter(expert=ex["钱二"]).update(max_load=1)
    p = teams.propose_teams(cycle=w.cycle, stage=STAGE, actor=w.office)
    assert p.status == "open" and p.team_size == 3 and len(p.blocked) == 2
    made = teams.accept_proposal(proposal=p, actor=w.office)
    assert len(made) == 2
    blocked = {(c.application_id, c.expert_id) for c in Conflict.objects.all()}
    for t in made:
        members = list(t.members.filter(active=True))
        assert len(members) == 3
        assert not {(t.application_id, m.expert_id) for m in members} & blocked
        leaders = [m for m in members if m.is_leader]
        assert len(leaders) == 1 and leaders[0].expert.can_lead
    for e in ex.values():
        cap = ExpertCycle.objects.get(expert=e).max_load
        assert TeamMember.objects.filter(expert=e, active=True).count() <= cap
    # The explanation: 赵一 matches 甲 perfectly but has a pending conflict.
    row = next(t for t in p.teams if t["application"] == a.pk)
    why = {x["expert"]: x["reasons"] for x in row["why_not"]}
    if ex["赵一"].pk in why:
        assert why[ex["赵一"].pk][0]["kind"] == "conflict"
    actions = list(AuditEvent.objects.filter(entity="team_proposal").values_list("action",
                                                                                 flat=True))
    assert actions == ["teams_propose", "teams_accept"]
    ev = AuditEvent.objects.get(action="teams_accept")
    assert ev.article == "二、（四）" and len(ev.data["teams"]) == 2
    p.refresh_from_db()
    assert p.status == "accepted" and p.accepted_by == w.office


def test_why_not_names_conflict_load_and_employer(pool: Pool) -> None:
    w, (a, _b), ex = pool.w, pool.apps, pool.experts
    conflict(a, ex["赵一"], "pending")
    inst = teams.build_instance(w.cycle, STAGE)
    col = {e.name: i for i, e in enumerate(inst.experts)}
    # A hand-made assignment: 甲 gets 孙三 and two weak matches (周五, 吴六: 医疗卫生);
    # 钱二 is full with 乙; 李四 works where 孙三 works.
    assign = [[0] * len(inst.experts) for _ in inst.applications]
    for n in ("孙三", "周五", "吴六"):
        assign[0][col[n]] = 1
    assign[1][col["钱二"]] = 1
    inst.max_load[col["钱二"]] = 1
    inst.employer[col["李四"]] = inst.employer[col["孙三"]]
    why = {x["expert"]: [r["kind"] for r in x["reasons"]]
           for x in teams.why_not(inst, assign, 0)}
    assert why == {ex["赵一"].pk: ["conflict"], ex["钱二"].pk: ["max_load"],
                   ex["李四"].pk: ["employer"]}


@pytest.mark.parametrize(("unavailable", "constraint"), [
    (("赵一", "钱二", "孙三", "李四"), "demand"),  # 甲 (电子信息) has only 周五 and 吴六
    (("赵一", "钱二", "孙三", "李四", "周五"), "total_max_load"),
])
def test_an_infeasible_stage_is_refused_naming_the_constraint(
        pool: Pool, unavailable: tuple[str, ...], constraint: str) -> None:
    ExpertCycle.objects.filter(expert__name__in=unavailable).update(available=False)
    with pytest.raises(ServiceError) as err:
        teams.propose_teams(cycle=pool.w.cycle, stage=STAGE, actor=pool.w.office)
    assert err.value.field == constraint
    assert not TeamProposal.objects.exists()


def test_accepting_again_replaces_only_with_a_reason(pool: Pool) -> None:
    w = pool.w
    formed(pool)
    p = teams.propose_teams(cycle=w.cycle, stage=STAGE, actor=w.office)
    with pytest.raises(ServiceError, match="请写明理由") as err:
        teams.accept_proposal(proposal=p, actor=w.office)
    assert err.value.field == "reason"
    teams.accept_proposal(proposal=p, actor=w.office, reason="专家调整后重新组建")
    assert Team.objects.count() == 2
    ev = AuditEvent.objects.filter(action="teams_accept").latest("seq")
    assert ev.reason == "专家调整后重新组建" and ev.data["replaced"] is True


def test_a_new_proposal_supersedes_the_open_one(pool: Pool) -> None:
    w = pool.w
    first = teams.propose_teams(cycle=w.cycle, stage=STAGE, actor=w.office)
    teams.propose_teams(cycle=w.cycle, stage=STAGE, actor=w.office)
    first.refresh_from_db()
    assert first.status == "superseded"
    with pytest.raises(ServiceError, match="已被新方案取代"):
        teams.accept_proposal(proposal=first, actor=w.office)


def test_a_conflict_raised_after_the_proposal_stops_its_acceptance(pool: Pool) -> None:
    w, (a, _b) = pool.w, pool.apps
    p = teams.propose_teams(cycle=w.cycle, stage=STAGE, actor=w.office)
    member = Expert.objects.get(pk=next(t for t in p.teams
                                        if t["application"] == a.pk)["members"][0]["expert"])
    c = conflict(a, member, "pending")
    with pytest.raises(ServiceError, match=f"登记号 {c.pk}"):
        teams.accept_proposal(proposal=p, actor=w.office)
    assert not Team.objects.exists()


def test_only_the_office_forms_teams(pool: Pool) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        teams.propose_teams(cycle=pool.w.cycle, stage=STAGE, actor=pool.w.auditor)


# ---------------------------------------------------------------------------------------------
# Hand adjustments


def test_adjustments_are_refused_for_conflict_load_and_size_and_audited(pool: Pool) -> None:
    w, ex = pool.w, pool.experts
    a_team, _b_team = formed(pool)
    outsider = next(e for e in ex.values() if e.name not in active(a_team))
    extra = expert(w, "冯九", max_load=1)
    c = conflict(a_team.application, extra, "pending")
    with pytest.raises(ServiceError, match=f"登记号 {c.pk}"):
        teams.member_add(team=a_team, expert=extra, actor=w.office, reason="补充行业专家")
    with pytest.raises(ServiceError, match="须写明理由"):
        teams.member_add(team=a_team, expert=outsider, actor=w.office, reason=" ")
    # Full: max_load reached in this cycle.
    ExpertCycle.objects.filter(expert=outsider).update(
        max_load=TeamMember.objects.filter(expert=outsider, active=True).count())
    with pytest.raises(ServiceError, match="达到其上限"):
        teams.member_add(team=a_team, expert=outsider, actor=w.office, reason="补充行业专家")
    member = a_team.members.filter(active=True, is_leader=False).first()
    with pytest.raises(ServiceError, match="不得少于3人") as err:
        teams.member_remove(member=member, actor=w.office, reason="时间冲突")
    assert err.value.article == "二、（四）"
    # Replace: the old member is kept, inactive, with the reason; the event says both.
    ExpertCycle.objects.filter(expert=outsider).update(max_load=10)
    new = teams.member_replace(member=member, expert=outsider, actor=w.office,
                               reason="原成员出差")
    member.refresh_from_db()
    assert not member.active and member.removed_reason == "原成员出差" and new.active
    ev = AuditEvent.objects.get(action="team_member_replace")
    assert ev.reason == "原成员出差" and ev.data["replaced"] == member.expert_id
    assert ev.data["expert"] == outsider.pk
    # Add, then remove (the size allows it now), then a leader who cannot lead.
    spare = expert(w, "陈十", can_lead=False)
    added = teams.member_add(team=a_team, expert=spare, actor=w.office, reason="加强力量")
    with pytest.raises(ServiceError, match="不具备担任评审组长的条件"):
        teams.leader_change(member=added, actor=w.office, reason="熟悉行业")
    teams.member_remove(member=added, actor=w.office, reason="人数已足")
    other = a_team.members.filter(active=True, is_leader=False).first()
    teams.leader_change(member=other, actor=w.office, reason="组长出差")
    assert list(a_team.members.filter(active=True, is_leader=True)) == [other]
    assert list(AuditEvent.objects.filter(entity="review_team").values_list(
        "action", flat=True)) == ["team_member_replace", "team_member_add",
                                  "team_member_remove", "team_leader_change"]


def test_adjusting_from_the_page(pool: Pool) -> None:
    w = pool.w
    a_team, _ = formed(pool)
    c = client_for(w.office)
    page = c.get(reverse("awards:review_teams", args=[w.cycle.pk, STAGE])).content.decode()
    assert a_team.application.applicant.name in page and "已组建的评审组" in page
    member = a_team.members.filter(active=True, is_leader=False).first()
    r = c.post(reverse("awards:review_team_adjust", args=[a_team.pk]),
               {"action": "remove", "member": member.pk, "reason": "时间冲突"}, follow=True)
    assert "不得少于3人" in r.content.decode()
    assert TeamMember.objects.get(pk=member.pk).active


def test_propose_and_accept_from_the_page(pool: Pool) -> None:
    w = pool.w
    c = client_for(w.office)
    url = reverse("awards:review_teams", args=[w.cycle.pk, STAGE])
    r = c.post(reverse("awards:review_teams_propose", args=[w.cycle.pk, STAGE]), follow=True)
    body = r.content.decode()
    assert "已生成评审组方案" in body and "采纳方案并组建评审组" in body
    p = TeamProposal.objects.get()
    r = c.post(reverse("awards:review_teams_accept", args=[w.cycle.pk, STAGE, p.pk]),
               follow=True)
    assert "已按方案组建2个评审组" in r.content.decode()
    assert Team.objects.count() == 2
    assert c.get(url).status_code == 200
    cycle_page = c.get(reverse("awards:cycle_detail", args=[w.cycle.pk])).content.decode()
    assert url in cycle_page


# ---------------------------------------------------------------------------------------------
# What a reviewer may read


def member_user(team: Team) -> Any:
    m = team.members.filter(active=True, expert__user__isnull=False).select_related(
        "expert__user").first()
    return m, m.expert.user


def test_a_reviewer_reads_only_the_assigned_application_and_every_access_is_logged(
        pool: Pool) -> None:
    w = pool.w
    a_team, b_team = formed(pool)
    _m, u = member_user(a_team)
    doc = Document.objects.create(
        application=a_team.application, kind="report",
        file=SimpleUploadedFile("report.pdf", b"%PDF-1.4 test"), original_name="自评报告.pdf",
        sha256="0" * 64, size=13, uploaded_by=w.office)
    c = client_for(u)
    tasks = c.get(reverse("awards:review_tasks")).content.decode()
    assert a_team.application.applicant.name in tasks
    assert c.get(reverse("awards:review_application",
                         args=[a_team.application.pk])).status_code == 200
    r = c.get(reverse("awards:review_document", args=[a_team.application.pk, doc.pk]))
    assert r.status_code == 200
    whats = list(ReviewerAccess.objects.filter(user=u).values_list("what", flat=True))
    assert whats == ["page:application", f"document:{doc.pk} 自评报告.pdf"]
    assert ReviewerAccess.objects.filter(user=u, stage=STAGE).count() == 2
    # Not a member of the other team: 404, and nothing logged; the console is not theirs.
    if not b_team.members.filter(expert__user=u, active=True).exists():
        assert c.get(reverse("awards:review_application",
                             args=[b_team.application.pk])).status_code == 404
    assert c.get(reverse("awards:application_detail",
                         args=[a_team.application.pk])).status_code == 404
    assert c.get(reverse("awards:document_download", args=[doc.pk])).status_code == 404
    # In another stage than the team's: the page closes.
    Application.objects.filter(pk=a_team.application.pk).update(state=OTHER_STAGE)
    assert c.get(reverse("awards:review_application",
                         args=[a_team.application.pk])).status_code == 404
    assert ReviewerAccess.objects.filter(user=u).count() == 2


def test_without_the_pledge_the_task_is_listed_but_closed(pool: Pool) -> None:
    a_team, _ = formed(pool)
    m, u = member_user(a_team)
    ExpertCycle.objects.filter(expert=m.expert).update(pledge_signed_at=None, pledge_text="")
    c = client_for(u)
    assert "请先签署" in c.get(reverse("awards:review_tasks")).content.decode()
    assert c.get(reverse("awards:review_application",
                         args=[a_team.application.pk])).status_code == 403
    assert not ReviewerAccess.objects.exists()


def test_recusal_removes_access_at_once(pool: Pool) -> None:
    w = pool.w
    a_team, _ = formed(pool)
    m, u = member_user(a_team)
    c = client_for(u)
    url = reverse("awards:review_application", args=[a_team.application.pk])
    assert c.get(url).status_code == 200
    # A conflict declared after formation: the door shuts before any recusal is recorded.
    cf = conflict(a_team.application, m.expert, "confirmed", origin="declared")
    assert c.get(url).status_code == 403
    page = client_for(w.office).get(reverse("awards:review_teams", args=[w.cycle.pk, STAGE]))
    assert "尚未记录回避的成员" in page.content.decode()
    recused = teams.recuse_conflicted(cf, w.office)
    assert [x.pk for x in recused] == [m.pk]
    m.refresh_from_db()
    assert not m.active and m.removed_at is not None and f"登记号 {cf.pk}" in m.removed_reason
    assert c.get(url).status_code == 404
    assert a_team.application.applicant.name not in c.get(
        reverse("awards:review_tasks")).content.decode()
    ev = AuditEvent.objects.get(action="team_member_recuse")
    assert ev.data["conflict"] == cf.pk and ev.article == "二、（四）"
    # The team is short now; the page says so.
    assert teams.short_teams(w.cycle, STAGE, 3) == [a_team]
    page = client_for(w.office).get(reverse("awards:review_teams", args=[w.cycle.pk, STAGE]))
    assert "人数不足" in page.content.decode()


def test_a_conflict_confirmed_in_the_pool_recuses_the_member_at_once(pool: Pool) -> None:
    """The office confirms a detected conflict on the experts' page: the member's recusal is
    recorded in the same transaction (the experts app's hook), not at the next proposal."""
    from qaward.web.experts import services as experts

    w = pool.w
    a_team, _ = formed(pool)
    m, _u = member_user(a_team)
    cf = conflict(a_team.application, m.expert, "pending", origin="detected")
    experts.conflict_decide(conflict=cf, actor=w.office, status="confirmed",
                            reason="经核实，该专家现任申报单位的顾问")
    m.refresh_from_db()
    assert not m.active and f"登记号 {cf.pk}" in m.removed_reason
    assert AuditEvent.objects.filter(action="team_member_recuse").count() == 1
    assert teams.conflicted_members(w.cycle) == []


def test_recusal_by_the_office_from_the_page(pool: Pool) -> None:
    w = pool.w
    a_team, _ = formed(pool)
    m, u = member_user(a_team)
    client_for(w.office).post(reverse("awards:review_team_adjust", args=[a_team.pk]),
                              {"action": "recuse", "member": m.pk, "reason": "本人申请回避"})
    m.refresh_from_db()
    assert not m.active and m.removed_reason == "本人申请回避"
    assert client_for(u).get(reverse("awards:review_application",
                                     args=[a_team.application.pk])).status_code == 404


def test_a_reviewer_home_leads_to_the_tasks(pool: Pool) -> None:
    a_team, _ = formed(pool)
    _m, u = member_user(a_team)
    r = client_for(u).get(reverse("awards:home"))
    assert r.status_code == 302 and r["Location"] == reverse("awards:review_tasks")


# ---------------------------------------------------------------------------------------------
# The API


def api(user: Any) -> dict[str, str]:
    from qaward.web.api import issue_token

    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)}"}


def test_the_office_forms_teams_and_a_reviewer_lists_tasks_through_the_api(pool: Pool) -> None:
    import json

    from django.test import Client

    w, c = pool.w, Client()
    base = f"/api/review/cycles/{w.cycle.pk}/teams/{STAGE}"
    r = c.post(f"{base}/propose", **api(w.office))
    assert r.status_code == 200, r.content
    proposal = json.loads(r.content)
    assert proposal["team_size"] == 3 and len(proposal["teams"]) == 2
    assert c.post(f"{base}/propose", **api(w.auditor)).status_code == 403
    r = c.post(f"/api/review/proposals/{proposal['id']}/accept", json.dumps({}),
               content_type="application/json", **api(w.office))
    assert r.status_code == 200 and len(json.loads(r.content)) == 2
    teams_now = json.loads(c.get(base, **api(w.office)).content)
    team = teams_now["teams"][0]
    member = next(m for m in team["members"] if not m["is_leader"])
    r = c.post(f"/api/review/teams/{team['id']}/adjust",
               json.dumps({"action": "remove", "member_id": member["id"], "reason": "时间冲突"}),
               content_type="application/json", **api(w.office))
    assert r.status_code == 400 and json.loads(r.content)["field"] == "member"
    a_team = Team.objects.get(pk=team["id"])
    _m, u = member_user(a_team)
    tasks = json.loads(c.get("/api/review/tasks", **api(u)).content)
    assert a_team.application_id in [t["application_id"] for t in tasks]
    assert c.get(f"/api/applications/{a_team.application_id}", **api(u)).status_code == 404


# ---------------------------------------------------------------------------------------------
# The demo piece


def test_the_demo_forms_the_teams_of_a_stage(pool: Pool, monkeypatch: Any, tmp_path: Any) -> None:
    from qaward.web.demo import review_teams as demo

    monkeypatch.setenv("QAWARD_CONFIG_DIR", str(tmp_path))
    made = demo.run(pool.w.cycle, office=pool.w.office, head=pool.w.head)
    assert len(made) == 2 and all(len(active(t)) == 3 for t in made)
    assert demo.run(pool.w.cycle, office=pool.w.office, head=pool.w.head) == []  # formed
    assert not list(tmp_path.iterdir())  # 滨江 sets the size (二、（四）): nothing configured


def test_the_demo_configures_a_team_size_the_regulation_leaves_open(
        w: World, monkeypatch: Any, tmp_path: Any) -> None:
    from qaward.web.accounts.models import Jurisdiction, Role
    from qaward.web.cycles.services import cycle_open
    from qaward.web.demo import review_teams as demo

    monkeypatch.setenv("QAWARD_CONFIG_DIR", str(tmp_path))
    j = Jurisdiction.objects.get(code="shanghai-changning")
    office, head = user("cn-office", j, Role.OFFICE), user("cn-head", j, Role.OFFICE_HEAD)
    cycle = cycle_open(jurisdiction=j, year=2026, title="2026年度长宁区区长质量奖",
                       opened_on=dt.date(2026, 3, 2), applications_close_on=dt.date(2026, 4, 30),
                       actor=office)
    assert policy_of(cycle).reviewers.team_min_size.silent  # type: ignore[union-attr]
    local = World(**{**w.__dict__, "j": j, "cycle": cycle})
    for i in range(2):
        in_stage(local, f"长宁示例{i}有限公司")
    for n in ("甲", "乙", "丙", "丁"):
        expert(local, f"专家{n}")
    made = demo.run(cycle, office=office, head=head)
    assert len(made) == 2 and all(len(active(t)) == 3 for t in made)
    assert "reviewers.team_min_size" in (tmp_path / "changning-2023.yaml").read_text("utf-8")
    ev = AuditEvent.objects.get(action="cycle_repin")
    assert ev.data["changed_keys"] == ["reviewers.team_min_size"]
    cycle.refresh_from_db()
    assert teams.team_size(policy_of(cycle)).cite == demo.DEMO_DECISION
    # Silent on leaders: any member leads, but every team has one.
    assert all(t.members.filter(active=True, is_leader=True).count() == 1 for t in made)


# ---------------------------------------------------------------------------------------------
# In English


def test_the_teams_pages_in_english_show_no_chinese_but_data(pool: Pool) -> None:
    from tests.web.test_english_pages import english_client, leftovers, visible_text

    w, (a, _b), ex = pool.w, pool.apps, pool.experts
    conflict(a, ex["赵一"], "pending")
    a_team, _ = formed(pool)
    teams.propose_teams(cycle=w.cycle, stage=STAGE, actor=w.office)  # an open proposal too
    m = a_team.members.filter(active=True, is_leader=False).first()
    teams.recuse_member(m, "本人申请回避", w.office)
    data = sorted({*(e.name for e in Expert.objects.all()),
                   *(x.name for x in Applicant.objects.all()),
                   *(x.sector for x in Applicant.objects.all()), w.cycle.title, "本人申请回避",
                   w.j.name_zh, policy_of(w.cycle).title_zh,
                   "简体中文"}, key=len, reverse=True)
    _m, u = member_user(a_team)
    pages = [(w.office, reverse("awards:review_teams", args=[w.cycle.pk, STAGE])),
             (u, reverse("awards:review_tasks")),
             (u, reverse("awards:review_application", args=[a_team.application.pk]))]
    for who, url in pages:
        r = english_client(who).get(url)
        assert r.status_code == 200, url
        assert leftovers(visible_text(r.content.decode()), data) == [], url


def test_confirmed_conflicts_are_recorded_as_recusals_from_the_page_and_before_a_proposal(
        pool: Pool) -> None:
    w = pool.w
    a_team, b_team = formed(pool)
    m, _u = member_user(a_team)
    cf = conflict(a_team.application, m.expert, "confirmed", origin="office")
    assert teams.conflicted_members(w.cycle) == [m]
    r = client_for(w.office).post(reverse("awards:review_teams_recuse",
                                          args=[w.cycle.pk, STAGE]), follow=True)
    assert "已记录1名成员回避" in r.content.decode()
    m.refresh_from_db()
    assert not m.active and teams.conflicted_members(w.cycle) == []
    ev = AuditEvent.objects.get(action="team_member_recuse")
    assert ev.data["conflict"] == cf.pk and ev.actor == w.office
    # Confirmed while nobody looked: the next proposal records it first.
    m2 = b_team.members.filter(active=True).first()
    conflict(b_team.application, m2.expert, "confirmed", origin="declared")
    teams.propose_teams(cycle=w.cycle, stage=STAGE, actor=w.office)
    m2.refresh_from_db()
    assert not m2.active


def test_the_demo_forms_teams_from_the_demo_pool(w: World, monkeypatch: Any,
                                                 tmp_path: Any) -> None:
    """The pool demo (generated experts, conflicts decided, one declared), then the teams:
    nobody conflicted is in a team, loads hold, and every team has a leader who can lead."""
    from qaward.web.demo import review_pool
    from qaward.web.demo import review_teams as demo

    monkeypatch.setenv("QAWARD_CONFIG_DIR", str(tmp_path))
    apps = [in_stage(w, f"滨江示例{i}科技有限公司", sector=s)
            for i, s in enumerate(("数字经济", "先进制造业", "医疗卫生", "新材料"))]
    review_pool.run(w.cycle, office=w.office, day=dt.date(2026, 6, 1), head=w.head)
    made = demo.run(w.cycle, office=w.office, head=w.head)
    assert len(made) == len(apps)
    blocked = set(Conflict.objects.filter(status__in=["pending", "confirmed"])
                  .values_list("application_id", "expert_id"))
    for t in made:
        members = list(t.members.filter(active=True).select_related("expert"))
        assert len(members) == 3
        assert not {(t.application_id, m.expert_id) for m in members} & blocked
        assert [m.expert.can_lead for m in members if m.is_leader] == [True]
    for ec in ExpertCycle.objects.filter(cycle=w.cycle):
        assert TeamMember.objects.filter(expert=ec.expert, active=True).count() <= ec.max_load


@pytest.mark.parametrize("policy_id", ["binjiang-2020", "changning-2023", "chanhe-2021",
                                       "chongming-2022", "hongkou-2021"])
def test_the_demo_forms_teams_for_each_review_stage_of_every_policy(
        policy_id: str, monkeypatch: Any, tmp_path: Any) -> None:
    """Any policy: the pool demo, then the teams of each of its review stages in turn (the
    size configured, cited, where the regulation is silent)."""
    from qaward.core.policy import load_policy
    from qaward.web.accounts.models import Jurisdiction, Role
    from qaward.web.cycles.services import cycle_open
    from qaward.web.demo import review_pool
    from qaward.web.demo import review_teams as demo
    from qaward.web.policies.services import sync_policies

    monkeypatch.setenv("QAWARD_CONFIG_DIR", str(tmp_path))
    sync_policies()
    j = Jurisdiction.objects.get(code=load_policy(policy_id).jurisdiction.id)
    office, head = user(f"{policy_id}-office", j, Role.OFFICE), \
        user(f"{policy_id}-head", j, Role.OFFICE_HEAD)
    cycle = cycle_open(jurisdiction=j, year=2026, title=f"2026 {policy_id}",
                       opened_on=dt.date(2026, 3, 2), applications_close_on=dt.date(2026, 4, 30),
                       actor=office)
    assert cycle.policy.policy_id == policy_id
    stages = teams.review_stages(policy_of(cycle))
    apps = []
    for i, sector in enumerate(("数字经济", "先进制造业", "医疗卫生")):
        a = Applicant.objects.create(jurisdiction=j, kind="organization", sector=sector,
                                     name=f"示例{i}有限公司", profile={})
        app = Application.objects.create(cycle=cycle, applicant=a, track="organization")
        Application.objects.filter(pk=app.pk).update(state=stages[0], submitted_at=teams.now())
        apps.append(app)
    review_pool.run(cycle, office=office, day=dt.date(2026, 6, 1), head=head)
    for stage in stages:
        Application.objects.filter(pk__in=[a.pk for a in apps]).update(state=stage)
        made = demo.run(cycle, office=office, head=head, stages=[stage])
        cycle.refresh_from_db()
        size = teams.team_size(policy_of(cycle)).value
        assert len(made) == len(apps), stage
        assert all(t.members.filter(active=True).count() == size for t in made)
        assert all(t.members.filter(active=True, is_leader=True).count() == 1 for t in made)
    for ec in ExpertCycle.objects.filter(cycle=cycle):
        assert TeamMember.objects.filter(expert=ec.expert, active=True).count() <= ec.max_load


def test_a_load_lowered_after_the_proposal_stops_its_acceptance(pool: Pool) -> None:
    w = pool.w
    p = teams.propose_teams(cycle=w.cycle, stage=STAGE, actor=w.office)
    eid = p.teams[0]["members"][0]["expert"]
    ExpertCycle.objects.filter(expert_id=eid).update(max_load=0)
    with pytest.raises(ServiceError, match="超过其本届上限0"):
        teams.accept_proposal(proposal=p, actor=w.office)
    assert not Team.objects.exists() and not TeamMember.objects.exists()
