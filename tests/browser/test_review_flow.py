"""The material review end to end in the browser (issue 8): three experts score one
application independently, the item whose scores differ by more than the threshold is
flagged, the leader records the consensus and closes it, the ranking follows, the office
fixes the shortlist departing from the ranking with a reason, and the shortlist notice goes
up on the public board (虹口 第十六条).

Independence (``review.sheets.sheets_visible_to``): a member sees the other members' sheets
only after submitting their own, and then only the submitted ones; a draft stays invisible.

The two other applications are scored through the services (sheet_save/sheet_submit,
consensus_record/consensus_close) to keep the test short. What the regulation leaves open —
the ranking basis and its tie-breaks, the team's leader and size, the notice's length — is
configured as the demo's ``demo_configuration`` does, cited as the office's decision."""

from __future__ import annotations

import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from qaward.core.criteria import format_points, load_criteria, score
from qaward.web.accounts.models import Role
from qaward.web.cycles.models import Applicant, Application
from qaward.web.experts.models import ExpertCycle
from qaward.web.review import sheets
from qaward.web.review.models import Sheet, SheetItem, Team, TeamMember
from tests.browser.conftest import CHROMIUM, NO_CHROMIUM
from tests.browser.test_cycle_flow import PASSWORD, accept_dialogs, login
from tests.browser.test_score_sheet import retry
from tests.web.review.ranking_world import RankingWorld, build, configure, user

pytestmark = [pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM), pytest.mark.slow]

DECISION = "区审定办2026年第2次会议"
GBT = load_criteria("gbt19580-2012")
ORG = "虹口精密仪器有限公司"
STAGE = "material_review"

# The three sheets of the application scored in the browser: 80% everywhere except
#   4.7.2 (80 points): 70 / 75 / 95 -> spread 25 > 20, flagged; mean 80
#   4.4.2 (60 points): 70 / 90 / 80 -> spread 20, not flagged (the flag is "more than")
#   4.1.2 (50 points): 80 / 85 / 85 -> mean 83⅓, suggested consensus 85 (no reason needed)
FLAGGED, EDGE, THIRD = "4.7.2", "4.4.2", "4.1.2"
SHEETS = {
    "a": {FLAGGED: 70, EDGE: 70, THIRD: 80},
    "b": {FLAGGED: 75, EDGE: 90, THIRD: 85},
    "c": {FLAGGED: 95, EDGE: 80, THIRD: 85},
}
CONSENSUS_FLAGGED = 85  # departs from the mean 80 by 5 > half a step (2.5): reason needed
REASON = "组内讨论：结果类指标有第三方检测报告支撑，取较高档"


def sheet_of(who: str) -> dict[str, int]:
    return {i.id: SHEETS[who].get(i.id, 80) for i in GBT.items}


def css(item_id: str) -> str:
    return item_id.replace(".", "\\.")


# Hand-computed: 800 at 80% everywhere; the consensus takes 85% on 4.7.2 (+4 of 80 points)
# and 85% on 4.1.2 (+2.5 of 50 points); 4.4.2 agrees on its mean 80.
CONSENSUS_TOTAL = Fraction(8065, 10)


def setup_world(tmp_path: Path, monkeypatch: Any) -> tuple[RankingWorld, Team, list[User]]:
    configure(tmp_path, monkeypatch, "hongkou-2021",
              f"  review.ranking.basis: {{value: consensus, cite: {DECISION}}}\n"
              "  review.ranking.tie_breaks: {value: [{key: 'category:4.7', prefer: higher, "
              "label_zh: 结果类得分高者在前, label_en: Higher results score first}], "
              f"cite: {DECISION}}}\n"
              f"  reviewers.team_min_size: {{value: 3, cite: {DECISION}}}\n"
              f"  reviewers.team_leader: {{value: true, cite: {DECISION}}}\n"
              "  notices.shortlist.length: {value: 5, unit: working_days, minimum: true, "
              f"cite: {DECISION}}}\n")
    w = build("shanghai-hongkou", 3)
    Applicant.objects.filter(pk=w.apps[0].applicant_id).update(name=ORG)
    experts: list[User] = []
    for k, (name, e) in enumerate(zip(("expert-a", "expert-b", "expert-c"), w.experts,
                                      strict=True)):
        u = user(name, w.j, Role.REVIEWER)
        u.set_password(PASSWORD)
        u.save()
        e.user = u
        e.name = f"{'甲乙丙'[k]}专家"
        e.save()
        ExpertCycle.objects.create(expert=e, cycle=w.cycle, pledge_signed_at=timezone.now(),
                                   pledge_text="回避承诺")
        experts.append(u)
    w.office.set_password(PASSWORD)
    w.office.save()

    teams = []
    for app in w.apps:
        team = Team.objects.create(cycle=w.cycle, application=app, stage=STAGE)
        for k, e in enumerate(w.experts):
            TeamMember.objects.create(team=team, expert=e, is_leader=k == 0)
        teams.append(team)
    # The two others through the services: every item the same by all three (no spread).
    for team, pct in zip(teams[1:], (70, 60), strict=True):
        members = list(team.members.order_by("pk"))
        for m, u in zip(members, experts, strict=True):
            sheets.sheet_save(m, {"items": {i.id: {"percentage": pct} for i in GBT.items}}, u)
            sheets.sheet_submit(m, u)
        for i in GBT.items:
            sheets.consensus_record(team, i.id, pct, "", "", "", experts[0])
        sheets.consensus_close(team, experts[0])
    return w, teams[0], experts


def settle(page: Any) -> None:
    """Wait until the autosave has stored everything and is quiet: its status says saved and
    stays unchanged for longer than its 3-second interval. (A form POST racing an autosave
    can find SQLite's shared-cache test database locked.)"""
    status = page.locator("#sheet-status")
    expect(status).to_contain_text("已自动保存")
    last, quiet = status.text_content(), time.monotonic()
    while time.monotonic() - quiet < 3.5:
        page.wait_for_timeout(250)
        text = status.text_content()
        if text != last or "已自动保存" not in (text or ""):
            last, quiet = text, time.monotonic()


def fill_sheet(page: Any, member: TeamMember, values: dict[str, int]) -> None:
    """Type every item's percentage into its number input; the autosave stores them."""
    page.goto(f"/review/teams/{member.team_id}/sheet/")
    expect(page.get_by_role("heading", name=f"{ORG} · 资料评审 · 评分表")).to_be_visible()
    for item_id, pct in values.items():
        page.locator(f"#p-{css(item_id)}").fill(str(pct))
    page.keyboard.press("Tab")
    # The band text beside the slider follows the typed number; the slider moves with it.
    expect(page.locator(f"#band-{css(FLAGGED)}")).to_have_text(
        GBT.band_for(values[FLAGGED]).descriptions["result"].zh)
    expect(page.locator(f"#r-{css(FLAGGED)}")).to_have_value(str(values[FLAGGED]))
    settle(page)
    assert retry(lambda: dict(SheetItem.objects.filter(sheet__member=member)
                              .values_list("item_id", "percentage"))) == values


def submit_sheet(page: Any, member: TeamMember) -> None:
    page.goto(f"/review/teams/{member.team_id}/sheet/")
    page.get_by_label("我确认全部评分项均已独立评分；提交后评分表不能再修改").check()
    expect(page.locator("#sheet-status")).to_contain_text("已自动保存")  # the box's change
    page.get_by_role("button", name="提交评分表").click()
    expect(page.locator("#sheet-status")).to_contain_text("现为只读")
    assert retry(lambda: Sheet.objects.get(member=member).submitted_at) is not None


def columns(page: Any) -> Any:
    """The member columns of the team page's table (item, members..., mean, spread, consensus)."""
    return page.locator("table.sheets thead th")


def progress(page: Any, name: str) -> Any:
    """The member's line in the team page's list of who has submitted."""
    return page.locator("main li").filter(has_text=f"{name}")


def test_three_experts_score_the_leader_agrees_the_office_shortlists_and_publishes(
        new_context: Callable[[], Any], fast_site: Any, tmp_path: Path,
        monkeypatch: Any) -> None:
    w, team, _experts = setup_world(tmp_path, monkeypatch)
    team_url = f"/review/teams/{team.pk}/"
    member = dict(zip("abc", team.members.order_by("pk"), strict=True))

    # B scores first and submits: B's team page shows B's own sheet only (A has not begun).
    b = login(new_context, "expert-b")
    accept_dialogs(b)
    fill_sheet(b, member["b"], sheet_of("b"))
    submit_sheet(b, member["b"])
    b.goto(team_url)
    expect(columns(b)).to_have_text(["评分项", "乙专家", "平均", "极差", "共识"])
    expect(progress(b, "甲专家")).to_have_text("甲专家（组长/召集人）：未开始")
    expect(b.get_by_text("尚有成员未提交")).to_be_visible()

    # A drafts; before submitting, A sees nothing of B's submitted sheet — only that B is in.
    a = login(new_context, "expert-a")
    accept_dialogs(a)
    fill_sheet(a, member["a"], sheet_of("a"))
    a.goto(team_url)
    expect(a.locator("#independence")).to_contain_text("提交本人评分表之后，才能查看其他成员的评分")
    expect(a.locator("table.sheets")).to_have_count(0)
    expect(progress(a, "乙专家")).to_have_text("乙专家：已提交")
    expect(progress(a, "甲专家")).to_have_text("甲专家（组长/召集人）：评分中")
    # A's sheet page does not show B's either.
    a.goto(f"/review/teams/{team.pk}/sheet/")
    expect(a.locator("main")).not_to_contain_text("乙专家")
    submit_sheet(a, member["a"])
    a.goto(team_url)
    expect(columns(a)).to_have_text(["评分项", "甲专家", "乙专家", "平均", "极差", "共识"])

    # C drafts: the draft stays invisible to A and B, who have submitted; no consensus yet.
    c = login(new_context, "expert-c")
    accept_dialogs(c)
    fill_sheet(c, member["c"], sheet_of("c"))
    for page in (a, b):
        page.goto(team_url)
        expect(columns(page)).to_have_text(["评分项", "甲专家", "乙专家", "平均", "极差", "共识"])
        expect(progress(page, "丙专家")).to_have_text("丙专家：评分中")
    expect(a.get_by_text("全体成员提交评分表后，组长（召集人）可以记录共识。")).to_be_visible()
    expect(a.get_by_role("button", name="记录共识")).to_have_count(0)
    c.goto(team_url)
    expect(c.locator("table.sheets")).to_have_count(0)
    submit_sheet(c, member["c"])
    c.goto(team_url)
    expect(columns(c)).to_have_text(["评分项", "甲专家", "乙专家", "丙专家", "平均", "极差",
                                     "共识"])
    # Not the leader: C sees the sheets but records nothing.
    expect(c.get_by_role("button", name="记录共识")).to_have_count(0)

    # The leader's team page: the flagged item is marked, the 20-point spread is not.
    a.goto(team_url)
    flagged = a.locator(f"#row-{css(FLAGGED)}")
    expect(flagged).to_have_class("flagged")
    expect(flagged.locator("th .tag")).to_have_text("分歧较大")
    expect(flagged.locator("td.num")).to_have_text(["70", "75", "95", "80.0", "25"])
    edge = a.locator(f"#row-{css(EDGE)}")
    expect(edge).not_to_have_class("flagged")
    expect(edge.locator("td.num")).to_have_text(["70", "90", "80", "80.0", "20"])
    expect(a.locator(f"#row-{css(THIRD)} td.num")).to_have_text(["80", "85", "85", "83.3", "5"])
    expect(a.locator("tr.flagged")).to_have_count(1)
    expect(a.get_by_text("极差超过 20 个百分点的评分项已标出")).to_be_visible()
    shot = tmp_path / "team-flagged.png"
    a.screenshot(path=str(shot), full_page=True)
    print(f"team page screenshot: {shot}")

    # The flagged item's form is open; departing from the mean without a reason is refused.
    form = flagged.locator("form.consensus")
    expect(form).to_be_visible()
    form.get_by_label("共识得分率（%）").fill(str(CONSENSUS_FLAGGED))
    form.get_by_role("button", name="记录共识").click()
    expect(a.locator("ul.messages")).to_contain_text(
        "4.7.2 产品和服务结果：共识得分率 85% 偏离成员平均 80.0%，请写明理由")
    form = a.locator(f"#row-{css(FLAGGED)} form.consensus")
    form.get_by_label("共识得分率（%）").fill(str(CONSENSUS_FLAGGED))
    form.get_by_label("偏离平均分的理由").fill(REASON)
    form.get_by_role("button", name="记录共识").click()
    expect(a.locator("ul.messages")).to_contain_text("已记录该评分项的共识")
    expect(a.locator(f"#row-{css(FLAGGED)}")).to_contain_text(f"{CONSENSUS_FLAGGED}%")
    expect(a.locator(f"#row-{css(FLAGGED)}")).to_contain_text(REASON)

    # Closing with items still open is refused, naming them.
    a.get_by_role("button", name="确定全部共识").click()
    expect(a.locator("ul.messages")).to_contain_text("以下评分项尚无共识")
    # Every other item at the suggested value (the mean on the step grid): no reason needed.
    for item in GBT.items:
        if item.id == FLAGGED:
            continue
        row = a.locator(f"#row-{css(item.id)}")
        row.locator("summary").click()
        number = row.get_by_label("共识得分率（%）")
        expect(number).to_have_value("85" if item.id == THIRD else "80")
        row.get_by_role("button", name="记录共识").click()
        expect(a.locator("ul.messages")).to_contain_text("已记录该评分项的共识")
    a.get_by_role("button", name="确定全部共识").click()
    expect(a.locator("ul.messages")).to_contain_text("评审组共识已确定")
    agreed = {i.id: 80 for i in GBT.items} | {FLAGGED: CONSENSUS_FLAGGED, THIRD: 85}
    assert score(GBT, agreed).total == CONSENSUS_TOTAL  # the hand computation above
    expect(a.get_by_text(f"评审组得分：{format_points(CONSENSUS_TOTAL)} 分")).to_be_visible()
    expect(a.get_by_role("button", name="记录共识")).to_have_count(0)

    # The office: the ranking on the consensus basis, the application first with its score.
    office = login(new_context, w.office.username)
    office.goto(f"/console/cycles/{w.cycle.pk}/ranking/{STAGE}/?track=organization")
    rows = office.locator("table.ranking tbody tr")
    expect(rows).to_have_count(3)
    first = rows.nth(0).locator("td")
    expect(first.nth(0)).to_have_text("1")
    expect(first.nth(1)).to_contain_text(ORG)
    expect(rows.nth(0)).to_contain_text(format_points(CONSENSUS_TOTAL))
    expect(rows.nth(1)).to_contain_text("申报单位001")
    expect(rows.nth(1)).to_contain_text("700.0")
    expect(rows.nth(2)).to_contain_text("申报单位002")
    expect(office.locator("dl.meta")).to_contain_text(DECISION)
    expect(office.locator("dl.meta")).to_contain_text("共识分")
    shot = tmp_path / "ranking.png"
    office.screenshot(path=str(shot), full_page=True)
    print(f"ranking page screenshot: {shot}")

    # The shortlist (好中选优): the first and the third, passing over the second, with a reason.
    office.get_by_role("link", name="确定入围名单").click()
    office.get_by_label(ORG).check()
    office.get_by_label("申报单位002").check()
    office.get_by_role("button", name="核对选择").click()
    label = "选择“申报单位002”（第3名）而未选“申报单位001”（第2名）的理由"
    expect(office.get_by_label(label)).to_be_visible()
    office.get_by_role("button", name="确定入围名单").click()
    expect(office.get_by_role("alert")).to_contain_text("请逐项说明理由")
    office.get_by_label(label).fill("申报单位002的质量改进成效经核实更为突出")
    office.get_by_role("button", name="确定入围名单").click()
    expect(office.get_by_role("heading", name="已确定的入围名单")).to_be_visible()
    expect(office.get_by_text("已发布入围公示")).to_be_visible()
    fixed = office.locator("section table tbody tr")
    expect(fixed).to_have_count(3)
    expect(fixed.nth(0)).to_contain_text(ORG)
    expect(fixed.nth(0)).to_contain_text("入围")
    office.screenshot(path=str(tmp_path / "shortlist.png"), full_page=True)

    # The public board: the shortlist notice names the two chosen, not the one passed over.
    board = new_context().new_page()
    board.goto("/notices/")
    notice = board.locator("article.notice").filter(has_text="现场评审名单")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text(ORG)
    expect(notice).to_contain_text("申报单位002")
    expect(notice).not_to_contain_text("申报单位001")
    assert Application.objects.get(pk=w.apps[0].pk).state != STAGE
