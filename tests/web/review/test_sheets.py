"""Score sheets, independence, spread, consensus, site review and two-way supervision
(issue 8): the services of ``qaward.web.review.sheets`` and their pages."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone, translation

from qaward.core.criteria import load_criteria
from qaward.web.accounts.models import Jurisdiction, Membership, Role
from qaward.web.audit.models import AuditEvent
from qaward.web.audit.services import verify_chain
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import Applicant, Application
from qaward.web.cycles.services import application_create, cycle_open
from qaward.web.experts.models import Expert, ExpertCycle
from qaward.web.review import sheets as s
from qaward.web.review.models import (
    ConsensusItem,
    ReviewerAccess,
    SheetItem,
    SiteReportConfirmation,
    SupervisionRating,
    Team,
    TeamMember,
)
from tests.web.office_world import World, client_for, set_today, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    """Messages in Chinese, before and after each test, whatever language a page in English
    left active in the thread."""
    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")

GBT = load_criteria("gbt19580-2012")
ITEMS = [i.id for i in GBT.items]  # 23 items, 4.1.2 first


def team_of(w: World, stage: str = "material_review", n: int = 3, *, leader: bool = True,
            app: Application | None = None, tag: str = "") -> tuple[Team, list[TeamMember]]:
    """A team of ``n`` experts (pledge signed) for the application, put into ``stage``."""
    app = app or w.app
    Application.objects.filter(pk=app.pk).update(state=stage, submitted_at=timezone.now())
    team = Team.objects.create(cycle=app.cycle, application=app, stage=stage)
    members = []
    for i in range(n):
        u = user(f"expert-{stage}-{tag}{i}", app.cycle.jurisdiction, Role.REVIEWER)
        e = Expert.objects.create(jurisdiction=app.cycle.jurisdiction, user=u,
                                  name=f"专家{tag}{i + 1}")
        ExpertCycle.objects.create(expert=e, cycle=app.cycle, pledge_signed_at=timezone.now(),
                                   pledge_text="保密承诺、回避承诺")
        members.append(TeamMember.objects.create(team=team, expert=e,
                                                 is_leader=leader and i == 0))
    return team, members


def actor(m: TeamMember) -> User:
    return m.expert.user


def fill(m: TeamMember, pct: dict[str, int] | int = 60, *, submit: bool = True) -> None:
    values = pct if isinstance(pct, dict) else {}
    default = pct if isinstance(pct, int) else 60
    s.sheet_save(m, {"items": {i: {"percentage": values.get(i, default)} for i in ITEMS}},
                 actor(m))
    if submit:
        s.sheet_submit(m, actor(m))


# ---------------------------------------------------------------------------------------------
# Sheets: one row per item, the step grid, the range


def test_sheet_has_one_row_per_criteria_item(w: World) -> None:
    _team, (m, *_rest) = team_of(w)
    sheet = s.sheet_for(m)
    assert sheet.criteria_id == "gbt19580-2012"
    assert sorted(sheet.items.values_list("item_id", flat=True)) == sorted(ITEMS)
    assert len(ITEMS) == 23
    assert s.sheet_for(m).pk == sheet.pk  # once
    assert AuditEvent.objects.filter(action="sheet_open", entity_id=str(sheet.pk)).count() == 1


def test_individuals_are_scored_on_the_individual_rubric(w: World) -> None:
    set_today(dt.date(2026, 4, 20))
    j = Jurisdiction.objects.get(code="shanghai-changning")
    office = user("cn-office", j, Role.OFFICE)
    cycle = cycle_open(jurisdiction=j, year=2026, title="2026年度长宁区政府质量奖",
                       opened_on=dt.date(2026, 3, 2), applications_close_on=dt.date(2026, 4, 30),
                       actor=office)
    person = Applicant.objects.create(jurisdiction=j, kind="individual", name="张三",
                                      profile={})
    app = application_create(cycle=cycle, applicant=person, track="individual", actor=office)
    _team, (m, *_rest) = team_of(w, app=app)
    sheet = s.sheet_for(m)
    rubric = load_criteria("individual-rubric")
    assert sheet.criteria_id == "individual-rubric"
    assert sheet.items.count() == len(rubric.items) == 7


@pytest.mark.parametrize(("value", "problem"), [
    (62, "不是 5 的整数倍"),
    (105, "超出 0 到 100"),
    (-5, "超出 0 到 100"),
    ("六十", "应为 0 到 100 之间的整数"),
    ("7.5", "应为 0 到 100 之间的整数"),
])
def test_percentage_off_the_grid_or_range_is_refused_naming_the_item(
        w: World, value: Any, problem: str) -> None:
    _team, (m, *_rest) = team_of(w)
    s.sheet_save(m, {"items": {"4.1.3": {"percentage": 40}}}, actor(m))
    with pytest.raises(ServiceError) as err:
        s.sheet_save(m, {"items": {"4.1.3": {"percentage": 50},
                                   "4.1.2": {"percentage": value}}}, actor(m))
    assert "4.1.2" in str(err.value) and problem in str(err.value)
    assert err.value.field == "items.4.1.2.percentage"
    # nothing of the refused save was written
    assert dict(SheetItem.objects.filter(sheet__member=m).exclude(percentage=None)
                .values_list("item_id", "percentage")) == {"4.1.3": 40}


@pytest.mark.parametrize("value", [0, 5, 95, 100, "100", " 35 "])
def test_grid_values_and_bounds_are_accepted(w: World, value: Any) -> None:
    _team, (m, *_rest) = team_of(w)
    s.sheet_save(m, {"items": {"4.1.2": {"percentage": value}}}, actor(m))
    assert SheetItem.objects.get(sheet__member=m, item_id="4.1.2").percentage == int(value)


def test_partial_saves_keep_the_rest_and_clear_with_empty(w: World) -> None:
    _team, (m, *_rest) = team_of(w)
    s.sheet_save(m, {"items": {"4.1.2": {"percentage": 40, "strengths": "领导作用明确"}}},
                 actor(m))
    s.sheet_save(m, {"items": {"4.1.2": {"opportunities": "战略展开不足"}}, "summary": "总体"},
                 actor(m))
    row = SheetItem.objects.get(sheet__member=m, item_id="4.1.2")
    assert (row.percentage, row.strengths, row.opportunities) == (
        40, "领导作用明确", "战略展开不足")
    assert row.sheet.summary == "总体"
    s.sheet_save(m, {"items": {"4.1.2": {"percentage": ""}}}, actor(m))
    assert SheetItem.objects.get(pk=row.pk).percentage is None


def test_unknown_item_is_refused(w: World) -> None:
    _team, (m, *_rest) = team_of(w)
    with pytest.raises(ServiceError, match=r"9\.9\.9"):
        s.sheet_save(m, {"items": {"9.9.9": {"percentage": 40}}}, actor(m))


def test_only_the_member_saves_their_sheet(w: World) -> None:
    _team, (m, other, _third) = team_of(w)
    with pytest.raises(ServiceError, match="本人"):
        s.sheet_save(m, {"items": {"4.1.2": {"percentage": 40}}}, actor(other))


# ---------------------------------------------------------------------------------------------
# Submit once, then read-only


def test_submit_needs_every_item_then_the_sheet_is_read_only(w: World) -> None:
    _team, (m, *_rest) = team_of(w)
    fill(m, 60, submit=False)
    s.sheet_save(m, {"items": {"4.7.6": {"percentage": ""}}}, actor(m))
    with pytest.raises(ServiceError, match=r"4\.7\.6"):
        s.sheet_submit(m, actor(m))
    s.sheet_save(m, {"items": {"4.7.6": {"percentage": 70}}}, actor(m))
    sheet = s.sheet_submit(m, actor(m))
    assert sheet.submitted_at is not None
    ev = AuditEvent.objects.get(action="sheet_submit", entity_id=str(sheet.pk))
    # 60 % of every item but 4.7.6 (points from the criteria) and 70 % of 4.7.6
    expected = sum(Fraction(i.points * (70 if i.id == "4.7.6" else 60), 100) for i in GBT.items)
    assert ev.data["total"] == f"{float(expected):.1f}"
    with pytest.raises(ServiceError, match="已提交"):
        s.sheet_save(m, {"items": {"4.1.2": {"percentage": 90}}}, actor(m))
    with pytest.raises(ServiceError, match="只能提交一次"):
        s.sheet_submit(m, actor(m))
    assert SheetItem.objects.get(sheet__member=m, item_id="4.1.2").percentage == 60
    assert verify_chain().ok


def test_an_inactive_member_can_no_longer_save(w: World) -> None:
    _team, (m, *_rest) = team_of(w)
    s.sheet_for(m)
    TeamMember.objects.filter(pk=m.pk).update(active=False, removed_at=timezone.now(),
                                              removed_reason="回避")
    m.refresh_from_db()
    with pytest.raises(ServiceError, match="不是该评审组的成员"):
        s.sheet_save(m, {"items": {"4.1.2": {"percentage": 40}}}, actor(m))


def test_no_scoring_once_the_application_left_the_stage(w: World) -> None:
    team, (m, *_rest) = team_of(w)
    s.sheet_for(m)
    Application.objects.filter(pk=team.application_id).update(state="site_review")
    with pytest.raises(ServiceError, match="不在本评审阶段"):
        s.sheet_save(m, {"items": {"4.1.2": {"percentage": 40}}}, actor(m))


# ---------------------------------------------------------------------------------------------
# Independence


def test_other_sheets_are_invisible_until_own_submission(w: World) -> None:
    _team, (a, b, c) = team_of(w)
    fill(b, 50)
    fill(c, 70, submit=False)
    assert s.sheets_visible_to(a) == []
    fill(a, 60)
    visible = s.sheets_visible_to(a)
    # b's submitted sheet, not c's draft, never a's own
    assert [v.member_id for v in visible] == [b.pk]


def test_the_team_page_hides_other_sheets_until_own_submission(w: World) -> None:
    team, (a, b, _c) = team_of(w)
    fill(b, 50)
    s.sheet_save(a, {"items": {"4.1.2": {"percentage": 35}}}, actor(a))
    client = client_for(actor(a))
    page = client.get(reverse("awards:review_team", kwargs={"pk": team.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "提交本人评分表之后" in html and "专家2" in html  # progress shows names only
    assert 'class="sheets"' not in html and page.context["sheets"] == []
    # nor can a's own sheet page reveal b's values: only a's own rows are there
    own = client.get(reverse("awards:review_sheet", kwargs={"pk": team.pk}))
    assert own.status_code == 200
    assert {it["row"].sheet.member_id for it in own.context["items"]} == {a.pk}
    fill(a, 60)
    after = client.get(reverse("awards:review_team", kwargs={"pk": team.pk}))
    assert [x.member_id for x in after.context["sheets"]] == [a.pk, b.pk]
    assert 'class="sheets"' in after.content.decode()
    assert ReviewerAccess.objects.filter(user=actor(a), application=team.application).exists()


def test_pages_are_for_active_members_with_a_signed_pledge(w: World) -> None:
    team, (a, _b, _c) = team_of(w)
    url = reverse("awards:review_sheet", kwargs={"pk": team.pk})
    # A reviewer who is not a member does not see the team at all (issue 8: reviewers read
    # only what is assigned to them).
    assert client_for(w.reviewer).get(url).status_code == 404
    assert client_for(w.office).get(url).status_code == 403
    ExpertCycle.objects.filter(expert=a.expert).update(pledge_signed_at=None)
    assert client_for(actor(a)).get(url).status_code == 403
    assert client_for(w.other_office).get(url).status_code == 404


def test_the_office_sees_who_submitted_but_no_score_before_all_are_in(w: World) -> None:
    team, (a, b, c) = team_of(w)
    fill(a, {"4.1.2": 95}, submit=True)
    fill(b, 50)
    url = reverse("awards:review_progress", kwargs={"pk": w.cycle.pk,
                                                    "stage": "material_review"})
    page = client_for(w.office).get(url)
    assert page.status_code == 200
    row = page.context["rows"][0]
    assert not row["open"] and row["flagged"] == 0
    from tests.web.test_english_pages import visible_text

    # no score shown (the visible text, not the page's random CSRF token)
    assert not re.search(r"\b95\b", visible_text(page.content.decode()))
    assert not s.scores_open(team)
    fill(c, 60)
    row = client_for(w.office).get(url).context["rows"][0]
    assert row["open"] and row["flagged"] == 1  # 4.1.2: 95, 50, 60 -> spread 45
    assert client_for(w.reviewer).get(url).status_code == 404  # the console is not theirs


# ---------------------------------------------------------------------------------------------
# Spread, against hand-computed values


def test_spread_flags_items_above_the_threshold(w: World) -> None:
    team, (a, b, c) = team_of(w)
    fill(a, {"4.1.2": 40, "4.1.3": 40, "4.1.4": 60})
    fill(b, {"4.1.2": 50, "4.1.3": 50, "4.1.4": 60})
    fill(c, {"4.1.2": 65, "4.1.3": 60, "4.1.4": 60})
    rows = {r.item_id: r for r in s.team_spread(team)}
    # 4.1.2: 40, 50, 65 -> mean 155/3 = 51.67, spread 25 > 20: flagged
    assert rows["4.1.2"].mean == Fraction(155, 3)
    assert (rows["4.1.2"].low, rows["4.1.2"].high, rows["4.1.2"].spread) == (40, 65, 25)
    assert rows["4.1.2"].flagged
    # 4.1.3: 40, 50, 60 -> spread exactly 20: not above the threshold
    assert rows["4.1.3"].mean == 50 and rows["4.1.3"].spread == 20
    assert not rows["4.1.3"].flagged
    assert rows["4.1.4"].spread == 0 and not rows["4.1.4"].flagged
    assert sorted(r.item_id for r in rows.values() if r.flagged) == ["4.1.2"]


def test_team_page_highlights_flagged_items(w: World) -> None:
    team, (a, b, c) = team_of(w)
    fill(a, {"4.2.2": 30})
    fill(b, {"4.2.2": 60})
    fill(c, 60)
    html = client_for(actor(b)).get(reverse("awards:review_team",
                                            kwargs={"pk": team.pk})).content.decode()
    assert 'id="row-4.2.2" class="flagged"' in html
    assert 'id="row-4.1.2" class="flagged"' not in html


# ---------------------------------------------------------------------------------------------
# Consensus


def all_in(w: World, **kw: Any) -> tuple[Team, list[TeamMember]]:
    team, members = team_of(w, **kw)
    fill(members[0], {"4.1.2": 40})
    fill(members[1], {"4.1.2": 50})
    fill(members[2], {"4.1.2": 65})  # 4.1.2 mean 51.67; every other item 60
    return team, members


def test_consensus_waits_for_every_member(w: World) -> None:
    team, (lead, b, _c) = team_of(w)
    fill(lead, 60)
    fill(b, 60)
    with pytest.raises(ServiceError, match="尚未提交：专家3"):
        s.consensus_record(team, "4.1.2", 60, "", "", "", actor(lead))


def test_only_the_leader_records_the_consensus(w: World) -> None:
    team, (lead, b, _c) = all_in(w)
    with pytest.raises(ServiceError, match="组长"):
        s.consensus_record(team, "4.1.2", 50, "", "", "", actor(b))
    s.consensus_record(team, "4.1.2", 50, "", "优势", "改进", actor(lead))
    assert ConsensusItem.objects.get(team=team, item_id="4.1.2").percentage == 50


def test_a_team_without_leader_or_convenor_is_refused(w: World) -> None:
    team, members = all_in(w, leader=False)
    with pytest.raises(ServiceError, match="召集人"):
        s.consensus_record(team, "4.1.2", 50, "", "", "", actor(members[0]))


@pytest.mark.parametrize(("value", "needs_reason"), [
    (50, False),  # the grid step nearest the mean 51.67
    (55, True),
    (45, True), (60, True), (40, True),
])
def test_reason_required_where_the_consensus_departs_from_the_mean(
        w: World, value: int, needs_reason: bool) -> None:
    team, (lead, *_rest) = all_in(w)
    if needs_reason:
        with pytest.raises(ServiceError, match="请写明理由"):
            s.consensus_record(team, "4.1.2", value, "  ", "", "", actor(lead))
        s.consensus_record(team, "4.1.2", value, "现场查证后调整", "", "", actor(lead))
    else:
        s.consensus_record(team, "4.1.2", value, "", "", "", actor(lead))
    ev = AuditEvent.objects.filter(action="consensus_record").last()
    assert ev is not None and ev.data["mean"] == "51.7" and ev.data["percentage"] == value


def test_consensus_is_on_the_grid(w: World) -> None:
    team, (lead, *_rest) = all_in(w)
    with pytest.raises(ServiceError, match="不是 5 的整数倍"):
        s.consensus_record(team, "4.1.2", 52, "理由", "", "", actor(lead))


def test_close_needs_every_item_and_sets_consensus_at(w: World) -> None:
    team, (lead, b, _c) = all_in(w)
    s.consensus_record(team, "4.1.2", 50, "", "", "", actor(lead))
    with pytest.raises(ServiceError, match="尚无共识"):
        s.consensus_close(team, actor(lead))
    for item in ITEMS[1:]:
        s.consensus_record(team, item, 60, "", "", "", actor(lead))
    with pytest.raises(ServiceError, match="组长"):
        s.consensus_close(team, actor(b))
    team = s.consensus_close(team, actor(lead))
    assert team.consensus_at is not None
    expected = sum(Fraction(i.points * (50 if i.id == "4.1.2" else 60), 100) for i in GBT.items)
    assert s.consensus_total(team) == expected
    with pytest.raises(ServiceError, match="共识已确定"):
        s.consensus_record(team, "4.1.2", 55, "", "", "", actor(lead))


def test_leader_records_consensus_through_the_page(w: World) -> None:
    team, (lead, *_rest) = all_in(w)
    client = client_for(actor(lead))
    url = reverse("awards:review_team", kwargs={"pk": team.pk})
    page = client.get(url)
    assert page.context["can_record"] and "成员平均：51.7%" in page.content.decode()
    client.post(url, {"action": "consensus", "item_id": "4.1.2", "percentage": "70",
                      "reason": ""})
    assert not ConsensusItem.objects.filter(team=team).exists()  # refused: no reason
    client.post(url, {"action": "consensus", "item_id": "4.1.2", "percentage": "70",
                      "reason": "现场核实后上调"})
    assert ConsensusItem.objects.get(team=team).percentage == 70


# ---------------------------------------------------------------------------------------------
# Site review: visit plan, the organization's confirmation of the report (滨江 四、（五）)


def closed_site_team(w: World) -> tuple[Team, list[TeamMember]]:
    team, members = all_in(w, stage="site_review", tag="s")
    for item in ITEMS:
        s.consensus_record(team, item, 50 if item == "4.1.2" else 60, "", "优势", "改进",
                           actor(members[0]))
    return s.consensus_close(team, actor(members[0])), members


def test_visit_plan_by_the_office(w: World) -> None:
    team, _members = team_of(w, stage="site_review")
    with pytest.raises(ServiceError, match="评审办"):
        s.visit_plan_save(team, w.reviewer, date=dt.date(2026, 6, 3), place="公司会议室",
                          agenda="首次会议", participants="专家组")
    url = reverse("awards:review_visit_plan", kwargs={"pk": team.pk})
    assert client_for(w.office).post(url, {"date": "2026-06-03", "place": "公司会议室",
                                           "agenda": "09:00 首次会议", "participants": "专家组全体"}
                                     ).status_code == 302
    assert team.visit_plan.place == "公司会议室"
    assert client_for(w.office).post(url, {"date": "", "place": "x", "agenda": "y",
                                           "participants": "z"}).status_code == 400


def test_evidence_notes_are_kept_per_item(w: World) -> None:
    team, (a, *_rest) = team_of(w, stage="site_review")
    s.sheet_save(a, {"items": {"4.5.2": {"evidence_notes": "查阅了2025年顾客满意度调查记录"}}},
                 actor(a))
    assert SheetItem.objects.get(sheet__member=a, item_id="4.5.2").evidence_notes.startswith(
        "查阅")
    page = client_for(actor(a)).get(reverse("awards:review_sheet", kwargs={"pk": team.pk}))
    assert 'name="e-4.5.2"' in page.content.decode()


def test_the_organization_confirms_the_site_report_once(w: World) -> None:
    team, _members = closed_site_team(w)
    with pytest.raises(ServiceError, match="申报单位"):
        s.site_report_answer(team, w.office, confirmed=True)
    with pytest.raises(ServiceError, match="异议内容"):
        s.site_report_answer(team, w.applicant_user, confirmed=False, objection=" ")
    url = reverse("awards:portal_site_review", kwargs={"pk": team.pk})
    page = client_for(w.applicant_user).get(url)
    assert page.status_code == 200 and "四、（五）" in page.content.decode()
    client_for(w.applicant_user).post(url, {"action": "confirm"})
    answer = SiteReportConfirmation.objects.get(team=team)
    assert answer.confirmed and answer.article == "四、（五）"
    assert AuditEvent.objects.filter(action="site_report_confirm", article="四、（五）").exists()
    with pytest.raises(ServiceError, match="不能重复"):
        s.site_report_answer(team, w.applicant_user, confirmed=False, objection="不同意")


def test_no_confirmation_before_the_report_exists(w: World) -> None:
    team, _members = team_of(w, stage="site_review")
    with pytest.raises(ServiceError, match="尚未形成"):
        s.site_report_answer(team, w.applicant_user, confirmed=True)


def test_an_objection_to_the_site_report_keeps_its_text(w: World) -> None:
    team, _members = closed_site_team(w)
    s.site_report_answer(team, w.applicant_user, confirmed=False,
                         objection="4.5.2 的改进机会与实际不符")
    answer = SiteReportConfirmation.objects.get(team=team)
    assert not answer.confirmed and "4.5.2" in answer.objection


# ---------------------------------------------------------------------------------------------
# Two-way supervision (长宁 第二十九条; none in 滨江)


def changning_world(w: World) -> tuple[Team, list[TeamMember], User]:
    set_today(dt.date(2026, 4, 20))
    j = Jurisdiction.objects.get(code="shanghai-changning")
    office = user("cn-office2", j, Role.OFFICE)
    cycle = cycle_open(jurisdiction=j, year=2026, title="2026年度长宁区政府质量奖",
                       opened_on=dt.date(2026, 3, 2), applications_close_on=dt.date(2026, 4, 30),
                       actor=office)
    org = Applicant.objects.create(jurisdiction=j, kind="organization", name="长宁示例公司",
                                   profile={})
    applicant_user = user("cn-org", j, Role.APPLICANT, applicant=org)
    app = application_create(cycle=cycle, applicant=org, track="organization", actor=office)
    team, members = team_of(w, stage="site_review", app=app, tag="cn")
    Membership.objects.create(user=office, jurisdiction=j, role=Role.OFFICE_HEAD)
    return team, members, applicant_user


def test_binjiang_has_no_two_way_supervision(w: World) -> None:
    team, (a, *_rest) = team_of(w, stage="site_review")
    fill(a, 60)
    with pytest.raises(ServiceError, match="没有双向监督"):
        s.rating_record(team, actor(a), direction="of_applicant", member=a, score=4)


def test_ratings_go_to_the_body_the_policy_names_never_to_the_rated(w: World) -> None:
    team, (a, b, _c), org_user = changning_world(w)
    with pytest.raises(ServiceError, match="现场评审结束后"):
        s.rating_record(team, org_user, direction="of_reviewer", member=a, score=5)
    set_today(dt.date(2026, 6, 10))
    from qaward.web.review.models import VisitPlan
    VisitPlan.objects.create(team=team, date=dt.date(2026, 6, 3), place="会议室", agenda="日程",
                             participants="全体", updated_by=org_user, updated_at=timezone.now())
    s.rating_record(team, org_user, direction="of_reviewer", member=a, score=5, comment="严谨")
    s.rating_record(team, org_user, direction="of_reviewer", member=b, score=2, comment="迟到")
    with pytest.raises(ServiceError, match="不能重复"):
        s.rating_record(team, org_user, direction="of_reviewer", member=a, score=1)
    with pytest.raises(ServiceError, match="提交评分表后"):
        s.rating_record(team, actor(a), direction="of_applicant", member=a, score=4)
    fill(a, 60)
    with pytest.raises(ServiceError, match="本人"):
        s.rating_record(team, actor(b), direction="of_applicant", member=a, score=4)
    s.rating_record(team, actor(a), direction="of_applicant", member=a, score=4,
                    comment="配合良好")
    assert {r.article for r in SupervisionRating.objects.all()} == {"第二十九条"}
    # The office's page lists them with the article and the body
    office = User.objects.get(username="cn-office2")
    page = client_for(office).get(reverse("awards:review_ratings", kwargs={"pk": team.cycle_id}))
    html = page.content.decode()
    assert page.status_code == 200 and "反馈相关纪检监察部门" in html and "第二十九条" in html
    assert "迟到" in html and "配合良好" in html
    # ... never to the rated: not to reviewers, not on the reviewer's team page, not to the
    # applicant's portal page
    assert client_for(actor(b)).get(reverse("awards:review_ratings",
                                            kwargs={"pk": team.cycle_id})).status_code == 404
    team_page = client_for(actor(b)).get(reverse("awards:review_team", kwargs={"pk": team.pk}))
    assert "迟到" not in team_page.content.decode()
    portal = client_for(org_user).get(reverse("awards:portal_site_review",
                                              kwargs={"pk": team.pk}))
    assert portal.status_code == 200 and "配合良好" not in portal.content.decode()
    assert client_for(org_user).get(reverse("awards:review_ratings",
                                            kwargs={"pk": team.cycle_id})).status_code == 404


def test_rating_scale_is_one_to_five(w: World) -> None:
    team, (a, *_rest), _org_user = changning_world(w)
    fill(a, 60)
    for bad in (0, 6, "x"):
        with pytest.raises(ServiceError, match="1 到 5"):
            s.rating_record(team, actor(a), direction="of_applicant", member=a, score=bad)


# ---------------------------------------------------------------------------------------------
# The demo piece


def test_demo_scores_a_site_review_with_flags_consensus_and_confirmation(w: World) -> None:
    from qaward.web.demo import review_scores

    team, members = team_of(w, stage="site_review")
    summary = review_scores.run(w.cycle, "site_review", day=dt.date(2026, 6, 2), seed=7)
    assert summary.skipped == [] and summary.teams == 1 and summary.sheets_submitted == 3
    team.refresh_from_db()
    assert team.consensus_at is not None and team.visit_plan.date == dt.date(2026, 6, 2)
    assert all(m.sheet.submitted_at is not None for m in members)
    for item in SheetItem.objects.filter(sheet__member__team=team):
        assert item.percentage is not None and item.percentage % GBT.step == 0
        assert item.evidence_notes
    flagged = [r for r in s.team_spread(team) if r.flagged]
    assert len(flagged) == summary.flagged_items == 2
    assert summary.reasons_written == 2
    assert ConsensusItem.objects.filter(team=team).exclude(reason="").count() == 2
    assert SiteReportConfirmation.objects.get(team=team).confirmed  # 滨江 四、（五）
    assert summary.ratings == 0  # no two-way supervision in 滨江
    assert verify_chain().ok


def test_demo_rates_both_ways_where_the_policy_has_two_way_supervision(w: World) -> None:
    from qaward.web.demo import review_scores

    team, _members, _org_user = changning_world(w)
    summary = review_scores.run(team.cycle, "site_review", day=dt.date(2026, 6, 2), seed=1)
    assert summary.consensus_closed == 1 and summary.ratings == 6
    assert summary.site_reports_confirmed == 0  # 长宁 has no such duty
    assert SupervisionRating.objects.filter(team=team).count() == 6


# ---------------------------------------------------------------------------------------------
# The API


def api(u: User, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    import json

    from django.test import Client

    from qaward.web.api import issue_token

    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(u)}"}
    client = Client()
    if method == "GET":
        return client.get(path, **headers)
    return client.post(path, json.dumps(body or {}), content_type="application/json",
                       **headers)


def test_api_sheet_independence_and_consensus(w: World) -> None:
    team, (lead, b, c) = team_of(w)
    base = f"/api/review/teams/{team.pk}"
    bad = api(actor(lead), "POST", f"{base}/sheet", {"items": {"4.1.2": {"percentage": 52}}})
    assert bad.status_code == 400 and "4.1.2" in bad.json()["detail"]
    assert bad.json()["field"] == "items.4.1.2.percentage"
    ok = api(actor(lead), "POST", f"{base}/sheet",
             {"items": {i: {"percentage": 40 if i == "4.1.2" else 60} for i in ITEMS},
              "summary": "总体"})
    assert ok.status_code == 200, ok.json()
    assert {x["item_id"]: x["percentage"] for x in ok.json()["items"]}["4.1.2"] == 40
    assert api(actor(lead), "GET", f"{base}/spread").status_code == 403  # not submitted yet
    assert api(actor(lead), "POST", f"{base}/sheet/submit").json()["submitted_at"]
    assert api(actor(lead), "POST", f"{base}/sheet",
               {"items": {"4.1.2": {"percentage": 50}}}).status_code == 400
    assert api(w.reviewer, "GET", f"{base}/sheet").status_code == 404  # not a member
    assert api(w.other_office, "GET", f"{base}/sheet").status_code == 404
    progress = api(w.office, "GET", f"{base}/progress").json()
    assert not progress["scores_open"] and [m["submitted_at"] is not None
                                            for m in progress["members"]] == [True, False, False]
    assert api(w.office, "GET", f"{base}/spread").status_code == 403  # not all in
    fill(b, {"4.1.2": 50})
    fill(c, {"4.1.2": 65})
    spread = {r["item_id"]: r for r in api(actor(b), "GET", f"{base}/spread").json()}
    assert spread["4.1.2"] == {"item_id": "4.1.2", "mean": "51.7", "low": 40, "high": 65,
                               "spread": 25, "flagged": True, "consensus": None}
    assert api(w.office, "GET", f"{base}/spread").status_code == 200
    refused = api(actor(b), "POST", f"{base}/consensus", {"item_id": "4.1.2", "percentage": 50})
    assert refused.status_code == 400 and "组长" in refused.json()["detail"]
    done = api(actor(lead), "POST", f"{base}/consensus",
               {"item_id": "4.1.2", "percentage": 60, "reason": "现场核实"})
    assert {r["item_id"]: r["consensus"] for r in done.json()}["4.1.2"] == 60
    assert api(actor(lead), "POST", f"{base}/consensus/close").status_code == 400


# ---------------------------------------------------------------------------------------------
# Links from the cycles' pages, and the pages in English


def test_the_cycle_page_and_the_portal_link_to_the_scoring_pages(w: World) -> None:
    team, _members = closed_site_team(w)
    cycle_page = client_for(w.office).get(reverse("awards:cycle_detail",
                                                  kwargs={"pk": w.cycle.pk})).content.decode()
    assert reverse("awards:review_progress", kwargs={"pk": w.cycle.pk,
                                                     "stage": "site_review"}) in cycle_page
    assert "review/material_review/progress" in cycle_page
    reviewer_view = client_for(w.reviewer).get(reverse("awards:cycle_detail",
                                                       kwargs={"pk": w.cycle.pk}))
    assert "/progress/" not in reviewer_view.content.decode()
    portal = client_for(w.applicant_user).get(reverse("awards:portal_application",
                                                      kwargs={"pk": w.app.pk}))
    assert reverse("awards:portal_site_review", kwargs={"pk": team.pk}) in portal.content.decode()


def test_the_scoring_pages_in_english_show_chinese_only_in_data(w: World) -> None:
    from tests.web.test_english_pages import english_client, leftovers, visible_text

    team, (lead, *_rest) = closed_site_team(w)
    s.visit_plan_save(team, w.office, date=dt.date(2026, 6, 3), place="Meeting room",
                      agenda="Opening meeting", participants="All")
    data = sorted({w.app.applicant.name, w.cycle.title, "简体中文", "优势", "改进",
                   *Expert.objects.values_list("name", flat=True)}, key=len, reverse=True)
    urls = [
        (actor(lead), reverse("awards:review_sheet", kwargs={"pk": team.pk})),
        (actor(lead), reverse("awards:review_team", kwargs={"pk": team.pk})),
        (w.office, reverse("awards:review_progress", kwargs={"pk": w.cycle.pk,
                                                             "stage": "site_review"})),
        (w.office, reverse("awards:review_visit_plan", kwargs={"pk": team.pk})),
        (w.office, reverse("awards:review_ratings", kwargs={"pk": w.cycle.pk})),
        (w.applicant_user, reverse("awards:portal_site_review", kwargs={"pk": team.pk})),
    ]
    policy_words = [w.cycle.jurisdiction.name_zh,
                    s.policy_of(w.cycle).reviewers.two_way_supervision.none]  # type: ignore[union-attr]
    for u, url in urls:
        page = english_client(u).get(url)
        assert page.status_code == 200, url
        assert leftovers(visible_text(page.content.decode()), [*data, *policy_words]) == [], url


def test_a_stage_the_policy_does_not_score_has_no_sheet(w: World) -> None:
    _team, (m, *_rest) = team_of(w, stage="comprehensive_evaluation")
    with pytest.raises(ServiceError, match="不对该评审阶段逐项评分"):
        s.sheet_for(m)


def test_a_presentation_the_policy_is_silent_on_stops_for_configuration(w: World) -> None:
    set_today(dt.date(2026, 4, 20))
    j = Jurisdiction.objects.get(code="shanghai-hongkou")
    office = user("hk-office", j, Role.OFFICE)
    cycle = cycle_open(jurisdiction=j, year=2026, title="2026年度虹口区区长质量奖",
                       opened_on=dt.date(2026, 3, 2), applications_close_on=dt.date(2026, 4, 30),
                       actor=office)
    org = Applicant.objects.create(jurisdiction=j, kind="organization", name="虹口示例公司",
                                   profile={})
    app = application_create(cycle=cycle, applicant=org, track="organization", actor=office)
    _team, (m, *_rest) = team_of(w, stage="presentation", app=app, tag="hk")
    with pytest.raises(ServiceError, match=r"review\.scoring\.presentation"):
        s.sheet_for(m)


def test_the_reviewer_lists_own_tasks_in_the_stage_only(w: World) -> None:
    team, (a, b, _c) = team_of(w)
    fill(a, 60)
    # /review/ leads to the one task list (我的评审任务), which shows the sheet's state.
    old = client_for(actor(a)).get(reverse("awards:review_my_teams"))
    assert old.status_code == 302 and old["Location"] == reverse("awards:review_tasks")
    page = client_for(actor(a)).get(reverse("awards:review_tasks"))
    assert [r["member"].team.pk for r in page.context["rows"]] == [team.pk]
    assert "已提交" in page.content.decode()
    assert client_for(w.reviewer).get(reverse("awards:review_tasks")).context["rows"] == []
    Application.objects.filter(pk=team.application_id).update(state="site_review")
    assert client_for(actor(b)).get(reverse("awards:review_tasks")).context["rows"] == []


def test_the_sheet_page_saves_without_javascript_and_keeps_what_was_typed(w: World) -> None:
    team, (a, *_rest) = team_of(w)
    client = client_for(actor(a))
    url = reverse("awards:review_sheet", kwargs={"pk": team.pk})
    saved = client.post(url, {"action": "save", "p-4.1.2": "45", "s-4.1.2": "方法系统"})
    assert saved.status_code == 302
    row = SheetItem.objects.get(sheet__member=a, item_id="4.1.2")
    assert (row.percentage, row.strengths) == (45, "方法系统")
    refused = client.post(url, {"action": "save", "p-4.1.2": "47", "p-4.1.3": "30"})
    html = refused.content.decode()
    assert refused.status_code == 400 and "不是 5 的整数倍" in html
    assert 'name="p-4.1.2" min="0" max="100" step="5" value="47"' in html  # kept as typed
    assert SheetItem.objects.get(pk=row.pk).percentage == 45
    assert SheetItem.objects.get(sheet__member=a, item_id="4.1.3").percentage is None
    auto = client.post(url, {"action": "save", "p-4.1.2": "50"}, HTTP_X_AUTOSAVE="1")
    assert auto.status_code == 200 and auto.json()["ok"] is True
    bad = client.post(url, {"action": "save", "p-4.1.2": "150"}, HTTP_X_AUTOSAVE="1")
    assert bad.status_code == 400 and bad.json()["field"] == "items.4.1.2.percentage"


def test_submitting_on_the_page_needs_the_confirmation_then_is_read_only(w: World) -> None:
    team, (a, *_rest) = team_of(w)
    fill(a, 60, submit=False)
    client = client_for(actor(a))
    url = reverse("awards:review_sheet", kwargs={"pk": team.pk})
    unconfirmed = client.post(url, {"action": "submit"})
    assert unconfirmed.status_code == 400 and "请勾选确认" in unconfirmed.content.decode()
    assert client.post(url, {"action": "submit", "confirm": "1"}).status_code == 302
    page = client.get(url).content.decode()
    assert "现为只读" in page
    assert re.search(r'<input type="number" id="p-4\.1\.2"[^>]*value="60"[^>]*\bdisabled>', page)
    assert re.search(r'<input type="range" id="r-4\.1\.2"[^>]*\bdisabled>', page)
    assert 'value="submit"' not in page
    again = client.post(url, {"action": "save", "p-4.1.2": "90"})
    assert again.status_code == 400 and "已提交" in again.content.decode()
    assert SheetItem.objects.get(sheet__member=a, item_id="4.1.2").percentage == 60


def test_a_reviewer_loses_the_pages_once_the_application_leaves_the_stage(w: World) -> None:
    team, (a, *_rest) = team_of(w)
    fill(a, 60)
    url = reverse("awards:review_team", kwargs={"pk": team.pk})
    assert client_for(actor(a)).get(url).status_code == 200
    Application.objects.filter(pk=team.application_id).update(state="site_review")
    assert client_for(actor(a)).get(url).status_code == 403
    assert client_for(actor(a)).get(reverse("awards:review_sheet",
                                            kwargs={"pk": team.pk})).status_code == 403
    assert api(actor(a), "GET", f"/api/review/teams/{team.pk}/sheet").status_code == 403


def test_a_presentation_the_office_configured_as_scored_has_its_own_team(
        w: World, tmp_path: Any, monkeypatch: Any) -> None:
    from qaward.web.policies.services import sync_policies

    (tmp_path / "hongkou-2021.yaml").write_text(
        "policy: hongkou-2021\nvalues:\n  review.scoring.presentation: {value: true, "
        "source: configuration, cite: 区审定办2026年第1次会议}\n", encoding="utf-8")
    monkeypatch.setenv("QAWARD_CONFIG_DIR", str(tmp_path))
    sync_policies()
    set_today(dt.date(2026, 4, 20))
    j = Jurisdiction.objects.get(code="shanghai-hongkou")
    office = user("hk-office", j, Role.OFFICE)
    cycle = cycle_open(jurisdiction=j, year=2026, title="2026年度虹口区区长质量奖",
                       opened_on=dt.date(2026, 3, 2), applications_close_on=dt.date(2026, 4, 30),
                       actor=office)
    org = Applicant.objects.create(jurisdiction=j, kind="organization", name="虹口示例公司",
                                   profile={})
    app = application_create(cycle=cycle, applicant=org, track="organization", actor=office)
    site, _site_members = team_of(w, stage="site_review", app=app, tag="hks")
    team, (lead, b, c) = team_of(w, stage="presentation", app=app, tag="hkp")
    assert site.pk != team.pk
    fill(lead, {"4.1.2": 40})
    fill(b, {"4.1.2": 70})
    fill(c, 60)
    assert [r.item_id for r in s.team_spread(team) if r.flagged] == ["4.1.2"]
    for item in ITEMS:
        s.consensus_record(team, item, 55 if item == "4.1.2" else 60,
                           "陈述答辩中补充说明" if item == "4.1.2" else "", "", "", actor(lead))
    assert s.consensus_close(team, actor(lead)).consensus_at is not None
