"""One 长宁 (changning-2023) award cycle through the real UI in Chromium.

The office opens the cycle, an organization applies, its street office (街道) recommends it,
the office reviews eligibility and publishes the eligibility notice (公示, 第二十一条), a member
of the public objects on the notice board (第三十一条), the office investigates and dismisses
the objection, and once the window is over the application moves on to 资料评审. Every step
is clicked and typed in the browser; only the people, the department and the applicant's
account are created beforehand (the office would do that in the admin).

"Today" is fixed with ``settings.QAWARD_TODAY`` so that the notice window is deterministic:
published Monday 2026-05-11, five working days counted from Tuesday (民法典 第二百零一条), ends
Monday 2026-05-18.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from qaward.core.criteria.wordcount import count_words
from tests.browser.conftest import CHROMIUM, NO_CHROMIUM
from tests.web.office_world import checks_found_met

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
    pytest.mark.slow,
]

PASSWORD = "浏览器测试-pw-2026"
CYCLE_TITLE = "2026年度长宁区政府质量奖"
ORG_NAME = "上海仙霞精密仪器有限公司"
DEPT_NAME = "新华路街道"
PUBLISHED_ON = "2026-05-11"  # a Monday
NOTICE_ENDS = "2026-05-18"  # the fifth working day after publication
PERIOD = "公示期：2026年5月12日至2026年5月18日"
BASIS = "计算依据：民法典 第二百零一条、第二百零三条"
REPORT_TEXT = "\n".join([
    "一、组织概述",
    "上海仙霞精密仪器有限公司成立于二〇〇八年，位于长宁区仙霞路，专业从事精密测量仪器的研发、"
    "生产和服务，现有员工三百二十人，其中研发人员九十六人。",
    "二、领导",
    "公司高层领导坚持质量第一的经营理念，制定了以顾客为关注焦点的发展战略，设立首席质量官，"
    "建立了覆盖设计、采购、生产、检验和售后服务全过程的质量管理体系。",
    "三、战略与顾客",
    "公司每年开展顾客满意度测评，满意度连续三年保持在百分之九十五以上；针对顾客反馈，"
    "建立了快速响应机制，投诉处理平均周期由七天缩短到三天。",
    "四、资源与过程管理",
    "公司持续推进卓越绩效管理模式，运用统计过程控制、六西格玛和精益生产等方法改进关键过程，"
    "产品一次交验合格率由百分之九十八提高到百分之九十九点六。",
    "五、测量、分析与改进",
    "公司建立了质量数据平台，对关键质量特性进行实时监控，每季度召开质量分析会，"
    "形成改进项目清单并跟踪落实，近三年完成改进项目四十二项。",
    "六、结果",
    "近三年公司营业收入和利润稳步增长，未发生重大质量、安全和环境事故，获得多项发明专利，"
    "主要产品技术指标处于国内同行业领先水平。",
])
REPORT_TITLE = "自我评价报告"
REPORT_CHARS = count_words(f"{REPORT_TITLE}\n{REPORT_TEXT}")  # 字数 as Word counts them
EVIDENCE_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
OBJECTOR = {"name": "赵明", "id_number": "310105198001011235", "phone": "13800138000",
            "statement": "据报道，该公司2025年有一批仪器因计量误差被客户退货，"
                         "请核实是否属于重大质量投诉。"}


# ---------------------------------------------------------------------------------------------
# The people (created the way the office's administrator would, not through the flow)


@dataclass
class People:
    office: str
    investigator: str
    department: str
    organization: str


def make_user(username: str, **membership: Any) -> str:
    from qaward.web.accounts.models import Membership

    u = User.objects.create_user(username, password=PASSWORD)
    Membership.objects.create(user=u, **membership)
    return username


@pytest.fixture
def people(fast_site: Any) -> People:
    from qaward.web.accounts.models import Department, Jurisdiction, Role
    from qaward.web.cycles.models import Applicant
    from qaward.web.policies.services import sync_policies

    sync_policies()
    j = Jurisdiction.objects.get(code="shanghai-changning")
    dept = Department.objects.create(jurisdiction=j, name=DEPT_NAME, kind="street")
    org = Applicant.objects.create(jurisdiction=j, kind="organization", name=ORG_NAME,
                                   credit_code="91310105MA1FL0XX3K", email="qa@xianxia.example",
                                   profile={})
    return People(
        office=make_user("zhang.office", jurisdiction=j, role=Role.OFFICE),
        investigator=make_user("li.investigator", jurisdiction=j, role=Role.OFFICE),
        department=make_user("wang.xinhua", jurisdiction=j, role=Role.DEPARTMENT,
                             department=dept),
        organization=make_user("xianxia", jurisdiction=j, role=Role.APPLICANT, applicant=org),
    )


# ---------------------------------------------------------------------------------------------
# Helpers


def login(new_context: Callable[[], Any], username: str) -> Any:
    """A new browser context (its own cookies) logged in through the login form."""
    page = new_context().new_page()
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("header .who")).to_have_text(username)
    return page


def messages(page: Any) -> Any:
    return page.locator("ul.messages")


def report_docx() -> bytes:
    d = docx.Document()
    d.add_heading(REPORT_TITLE, level=1)
    for para in REPORT_TEXT.split("\n"):
        d.add_paragraph(para)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def accept_dialogs(page: Any) -> list[str]:
    """Accept every confirm() (submission asks "确定提交吗？") and remember what was asked."""
    asked: list[str] = []

    def on_dialog(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", on_dialog)
    return asked


def move_on(page: Any, target_label: str, reason: str = "") -> None:
    """The office's "转入下一环节" form on an application page."""
    form = page.locator("form[action$='/transition/']")
    form.locator("select[name=target]").select_option(label=target_label)
    if reason:
        form.locator("textarea[name=reason]").fill(reason)
    form.get_by_role("button", name="转入下一环节").click()


def today(settings: Any, iso: str) -> None:
    settings.QAWARD_TODAY = iso


# ---------------------------------------------------------------------------------------------
# The flow


def test_a_changning_cycle_from_application_to_material_review(
        new_context: Callable[[], Any], people: People, fast_site: Any, tmp_path: Path) -> None:
    settings = fast_site

    # -- 0. The office opens the 2026 cycle under the regulation in force --------------------
    today(settings, "2026-03-02")
    office = login(new_context, people.office)
    expect(office.get_by_role("heading", name="上海市长宁区 · 评选周期")).to_be_visible()
    office.get_by_role("link", name="开启评选周期").click()
    expect(office.get_by_label("发布申报通知日期")).to_have_value("2026-03-02")
    expect(office.get_by_label("年度")).to_have_value("2026")
    office.get_by_label("名称").fill(CYCLE_TITLE)
    office.get_by_label("申报截止日期").fill("2026-04-30")
    office.get_by_role("button", name="开启").click()
    expect(messages(office)).to_contain_text(f"已开启评选周期：{CYCLE_TITLE}")
    expect(office.get_by_role("heading", name=CYCLE_TITLE)).to_be_visible()
    # The cycle names the policy content it pinned on opening (its digest, w2).
    expect(office.locator("dl.meta")).to_contain_text(
        re.compile(r"《上海市长宁区政府质量奖管理办法》（changning-2023 · [0-9a-f]{12}）"))
    expect(office.locator("dl.meta")).to_contain_text("2026-03-02 — 2026-04-30")
    cycle_url = office.url

    # -- 1. The organization applies ---------------------------------------------------------
    today(settings, "2026-04-20")
    org = login(new_context, people.organization)
    expect(org.get_by_role("heading", name="我的申报")).to_be_visible()
    expect(org.get_by_text("尚无申报。")).to_be_visible()
    org.get_by_label("申报").select_option(label=f"{CYCLE_TITLE} · 先进质量管理模式 · {ORG_NAME}")
    org.get_by_role("button", name="开始填写").click()
    expect(messages(org)).to_contain_text("已创建申报，请填写申报条件信息并上传材料。")
    expect(org.get_by_role("heading", name=CYCLE_TITLE)).to_be_visible()
    expect(org.locator("dl.meta span.state")).to_have_text("填写中")
    expect(org.get_by_text("尚未填写申报条件信息。")).to_be_visible()
    recommendation = org.locator("section", has=org.get_by_role("heading", name="推荐", exact=True))
    expect(recommendation).to_contain_text("签署推荐意见（第二十条）")
    application_url = org.url

    org.get_by_role("link", name="填写或修改").click()
    expect(org.get_by_role("heading", name="申报条件信息")).to_be_visible()
    expect(org.get_by_label("注册地/工作地")).to_have_value("上海市长宁区")
    org.get_by_label("成立日期").fill("2008-06-01")
    org.get_by_label("行业领域").fill("仪器仪表制造")
    org.get_by_label("开始实施卓越绩效管理日期").fill("2016-01-01")
    # Facts nobody stated are unknown (a manual check), so the organization states each one.
    for flag in ("具有独立法人资格", "在本区依法纳税", "具备相关生产经营许可", "已设立首席质量官",
                 "从事生产、经营活动（非盈利性业务选“否”）"):
        expect(org.get_by_label(flag)).to_have_value("")
        org.get_by_label(flag).select_option(label="是")
    for year, profit in ((2021, "860"), (2022, "930.5"), (2023, "1020"), (2024, "1135"),
                         (2025, "1268.25")):
        org.locator(f"input[name=profit_{year}]").fill(profit)
    org.get_by_role("button", name="保存").click()
    expect(messages(org)).to_contain_text("申报条件信息已保存。")
    expect(org.locator("dl.meta").nth(1)).to_contain_text("2008-06-01")
    expect(org.get_by_role("cell", name="1268.25")).to_be_visible()

    org.get_by_label("材料类别").select_option("report")
    org.get_by_label("文件").set_input_files({
        "name": "自我评价报告.docx", "buffer": report_docx(),
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"})
    org.get_by_role("button", name="上传").click()
    expect(messages(org)).to_contain_text("已上传：自我评价报告.docx")
    expect(org.get_by_role("link", name="自我评价报告.docx")).to_be_visible()
    expect(org.get_by_text(f"最新上传的自我评价报告共 {REPORT_CHARS} 字")).to_be_visible()

    asked = accept_dialogs(org)
    org.locator("#submit").get_by_role("button", name="提交").click()
    expect(messages(org)).to_contain_text("申报已提交。")
    assert asked == ["提交后不能再修改，确定提交吗？"]
    expect(org.locator("dl.meta span.state")).to_have_text("已提交")
    expect(org.locator("#submit")).to_have_count(0)  # frozen: no more submit or upload forms
    expect(org.get_by_role("button", name="上传")).to_have_count(0)
    org.get_by_role("link", name="我的申报").first.click()
    row = org.get_by_role("row", name=re.compile(ORG_NAME))
    expect(row).to_contain_text("已提交")

    # -- 2. The street office recommends it --------------------------------------------------
    today(settings, "2026-04-22")
    dept = login(new_context, people.department)
    expect(dept.get_by_role("heading", name="推荐工作")).to_be_visible()
    dept_row = dept.get_by_role("row", name=re.compile(ORG_NAME))
    expect(dept_row).to_contain_text("待签署")
    dept_row.get_by_role("link", name=ORG_NAME).click()
    expect(dept.get_by_text("依据管理办法第二十条，申报须经推荐后方可进入资格审查。")).to_be_visible()
    expect(dept.get_by_role("link", name="自我评价报告.docx")).to_be_visible()
    dept.get_by_label("推荐意见").fill("该公司质量管理基础扎实，近年无重大质量事故，同意推荐。")
    dept.get_by_role("button", name="签署推荐意见").click()
    expect(messages(dept)).to_contain_text("推荐意见已签署。")
    # The signature names the department and the signer (w7), the login when no name is on file.
    expect(dept.locator("p.signature")).to_contain_text(re.compile(
        rf" {re.escape(people.department)} 于 \d{{4}}-\d{{2}}-\d{{2}} \d{{2}}:\d{{2}} 签署"))
    expect(dept.locator("blockquote")).to_have_text("该公司质量管理基础扎实，近年无重大质量事故，同意推荐。")

    # -- 3. The office reviews eligibility, once applications have closed (30 April) ---------
    today(settings, "2026-05-06")
    office.goto(cycle_url)
    office_row = office.get_by_role("row", name=re.compile(ORG_NAME))
    expect(office_row).to_contain_text("已提交")
    expect(office_row).to_contain_text("✓")  # recommendation signed, report uploaded
    office_row.get_by_role("link", name=ORG_NAME).click()
    expect(office.get_by_role("heading", name=ORG_NAME)).to_be_visible()
    expect(office.get_by_text(f"{DEPT_NAME}：已签署")).to_be_visible()
    office_app_url = office.url
    move_on(office, "推荐")
    expect(messages(office)).to_contain_text("已转入：推荐")
    move_on(office, "资格审查", reason="推荐意见已签署")
    expect(messages(office)).to_contain_text("已转入：资格审查")
    expect(office.locator("h1 .state")).to_have_text("资格审查")
    expect(office.get_by_text("尚未运行系统审查。")).to_be_visible()

    office.get_by_role("button", name="运行系统审查").click()
    expect(messages(office)).to_contain_text("系统审查结论：符合")
    eligibility = office.locator("#eligibility")
    expect(eligibility.locator(".verdict")).to_have_text("符合")
    expect(eligibility).to_contain_text("changning-2023，审查日 2026-05-06")
    manual = eligibility.locator("ol.manual")
    expect(manual).to_contain_text("符合国家和本市有关产业导向")
    expect(manual).to_contain_text("第十六条第（二）项")
    expect(manual).to_contain_text("第十六条第（五）项")
    # Each manual check gets the office's finding before the decision (without JavaScript).
    checks = manual.locator("li.manual-check")
    for i in range(checks.count()):
        check = checks.nth(i)
        expect(check).to_contain_text("尚未记录核实结果")
        check.get_by_label("符合", exact=True).check()
        check.get_by_label("核实说明").fill("已核对申报材料")
        check.get_by_role("button", name="记录核实结果").click()
        expect(messages(office)).to_contain_text("已记录人工核实结果。")
        expect(checks.nth(i).locator(".finding")).to_contain_text(f"核实结果：符合（{people.office}")
    decide = office.locator("form[action$='/eligibility/decide/']")
    expect(decide.get_by_label("符合申报条件", exact=True)).to_be_checked()  # the engine's verdict
    decide.get_by_role("button", name="记录结论").click()
    expect(messages(office)).to_contain_text("已记录审查结论。")
    expect(eligibility).to_contain_text(f"评审办结论：符合（{people.office}")
    expect(office.get_by_text("符合条件的申报通过发布资格审查结果公示进入下一阶段。")).to_be_visible()

    # -- 4. The office publishes the eligibility notice --------------------------------------
    today(settings, PUBLISHED_ON)
    office.get_by_role("link", name=f"← {CYCLE_TITLE}").click()
    # The notice bears its title in the regulation's words (长宁 第二十一条).
    office.get_by_role("link", name="发布通过资格审查的名单公示").click()
    expect(office.get_by_role("heading", name="发布通过资格审查的名单公示")).to_be_visible()
    expect(office.get_by_text("公示期按管理办法第二十一条和法定工作日历计算")).to_be_visible()
    office.get_by_label("公示开始日期").fill(PUBLISHED_ON)
    expect(office.get_by_role("checkbox", name=re.compile(ORG_NAME))).to_be_checked()
    office.get_by_role("checkbox", name=re.compile("^我确认公示名单和日期无误")).check()
    office.get_by_role("button", name="发布公示").click()
    expect(messages(office)).to_contain_text(
        f"已发布公示：{CYCLE_TITLE}通过资格审查的名单公示，{PERIOD}（{BASIS}）")
    notices = office.locator("section", has=office.get_by_role("heading", name="公示", exact=True))
    expect(notices).to_contain_text(
        f"{PERIOD}（不少于5个工作日；2026年5月11日发布；{BASIS}）（第二十一条）")

    today(settings, "2026-05-12")
    public = new_context().new_page()  # nobody logged in
    public.goto("/notices/")
    expect(public.get_by_role("heading", name="公示栏", exact=True)).to_be_visible()
    expect(public.get_by_role("link", name="登录")).to_be_visible()
    board = public.locator("article.notice").filter(has_text=CYCLE_TITLE)
    expect(board).to_have_count(1)
    expect(board.get_by_role("heading")).to_contain_text(f"{CYCLE_TITLE}通过资格审查的名单公示")
    expect(board.locator(".status-current")).to_have_text("公示中")
    expect(board).to_contain_text("上海市长宁区")
    expect(board).to_contain_text(f"{PERIOD}（不少于5个工作日；2026年5月11日发布；{BASIS}）")
    expect(board).to_contain_text("《上海市长宁区政府质量奖管理办法》第二十一条")
    expect(board).to_contain_text("公示名单（1个）")
    expect(board).to_contain_text(ORG_NAME)
    public.screenshot(path=tmp_path / "public-board.png", full_page=True)

    org.goto(application_url)  # the applicant sees the public word for the notice state
    expect(org.locator("dl.meta span.state")).to_have_text("公示中")
    expect(org.get_by_text(f"通过资格审查的名单公示：{PERIOD}")).to_be_visible()

    # -- 5. A member of the public objects --------------------------------------------------
    board.get_by_role("link", name="提出异议").click()
    expect(public.get_by_role("heading", name="异议如何处理")).to_be_visible()
    expect(public.locator("#how-objections-are-handled")).to_contain_text(
        "依据《上海市长宁区政府质量奖管理办法》第三十一条，任何单位或者个人对公示名单有异议的，"
        "可自公示发布之日（2026年5月11日）起至公示期满（2026年5月18日）实名向评审办提出，"
        "并提供必要的证明材料。")
    expect(public.locator("ol.listed")).to_have_text(ORG_NAME)
    form = public.locator("form.objection")
    evidence = {"name": "退货报道截图.pdf", "mimeType": "application/pdf",
                "buffer": EVIDENCE_PDF}
    # First without the ID number: refused, citing the article; what was typed is kept.
    form.get_by_label("姓名或单位名称").fill(OBJECTOR["name"])
    form.get_by_label("联系电话").fill(OBJECTOR["phone"])
    form.get_by_label("异议针对的申报对象").select_option(label=ORG_NAME)
    form.get_by_label("异议内容").fill(OBJECTOR["statement"])
    form.get_by_label("证明材料").set_input_files(evidence)
    form.get_by_role("button", name="提交异议").click()
    alert = public.get_by_role("alert")
    expect(alert).to_contain_text("异议未被受理")
    expect(alert).to_contain_text("异议须实名：请填写身份证号码（个人）或统一社会信用代码（单位）。"
                                  "（第三十一条）")
    expect(form.locator("#id_id_number")).to_have_attribute("aria-invalid", "true")
    expect(alert).to_contain_text("依据：《上海市长宁区政府质量奖管理办法》第三十一条")
    expect(form.get_by_label("姓名或单位名称")).to_have_value(OBJECTOR["name"])
    expect(form.get_by_label("异议内容")).to_have_value(OBJECTOR["statement"])
    expect(form.get_by_text("出于安全原因，已选择的文件未保留，请重新选择证明材料。")).to_be_visible()
    # Then with the ID number and the evidence again: received.
    form.get_by_label("身份证号或统一社会信用代码").fill(OBJECTOR["id_number"])
    form.get_by_label("证明材料").set_input_files(evidence)
    form.get_by_role("button", name="提交异议").click()
    expect(messages(public)).to_contain_text("您的异议已受理，受理编号")
    notice_url = public.url.split("#")[0]  # reached through the board's “#objection” link
    expect(messages(public)).to_contain_text("评审办将调查核实，并将处理结果告知您和被异议的申报方。")
    expect(public.get_by_role("alert")).to_have_count(0)
    expect(public.locator("body")).not_to_contain_text(OBJECTOR["id_number"])
    expect(public.locator("body")).not_to_contain_text(OBJECTOR["phone"])

    # -- 6. The office investigates and dismisses the objection ------------------------------
    today(settings, "2026-05-13")
    office.goto(office_app_url)
    expect(office.locator("h1 .state")).to_have_text("资格审查公示")
    expect(office.get_by_text("共 1 件异议")).to_be_visible()
    office.get_by_role("link", name="异议", exact=True).click()
    objection_row = office.get_by_role("row", name=re.compile("已受理"))
    expect(objection_row).not_to_contain_text(OBJECTOR["name"])  # the investigator's only
    expect(objection_row).not_to_contain_text(OBJECTOR["phone"])
    objection_row.get_by_role("link").first.click()
    meta = office.locator("dl.meta")
    expect(meta).not_to_contain_text(OBJECTOR["id_number"])
    expect(meta).to_contain_text("3101**********1235")
    expect(office.get_by_role("link", name="退货报道截图.pdf")).to_be_visible()
    office.get_by_label("调查核实人").select_option(label=people.investigator)
    office.get_by_role("button", name="指定").click()
    expect(messages(office)).to_contain_text("已指定调查核实人。")
    expect(office.locator("h1 .state")).to_have_text("调查中")
    expect(meta).to_contain_text(people.investigator)
    expect(office.get_by_role("button", name="记录结论")).to_have_count(0)  # not assigned
    objection_url = office.url
    office = login(new_context, people.investigator)  # the investigator decides
    office.goto(objection_url)
    meta = office.locator("dl.meta")
    expect(meta).to_contain_text(OBJECTOR["id_number"])  # the investigator sees the real name
    office.get_by_label("异议不成立", exact=True).check()
    findings = ("经调取客户退货记录并询问客户，2025年退货系客户订单变更所致，"
                "仪器计量检定合格，不属于质量投诉。")
    reason = "异议反映的情况与事实不符，不影响申报资格。"
    office.get_by_label("调查核实情况").fill(findings)
    office.get_by_label("处理理由").fill(reason)
    office.get_by_role("checkbox", name=re.compile("^我确认以上处理结论")).check()
    office.get_by_role("button", name="记录结论").click()
    expect(messages(office)).to_contain_text("已作出异议处理结论。")
    expect(office.locator("h1 .state")).to_have_text("异议不成立")
    expect(office.get_by_text(f"调查核实情况：{findings}")).to_be_visible()
    expect(office.get_by_text(f"处理理由：{reason}")).to_be_visible()
    expect(office.get_by_role("button", name="记录结论")).to_have_count(0)

    # The window is still open: the application may not move on yet (第二十一条).
    office.goto(office_app_url)
    move_on(office, "资料评审")
    expect(office.locator("form[action$='/transition/'] .errorlist")).to_contain_text(
        f"公示期（至{NOTICE_ENDS}）尚未结束")
    expect(office.locator("form[action$='/transition/'] .errorlist")).to_contain_text("第二十一条")
    expect(office.locator("h1 .state")).to_have_text("资格审查公示")

    # -- 7. After the window, on to 资料评审 ----------------------------------------------------
    today(settings, "2026-05-19")
    office.goto(office_app_url)
    move_on(office, "资料评审", reason="公示期满，异议不成立")
    expect(messages(office)).to_contain_text("已转入：资料评审")
    expect(office.locator("h1 .state")).to_have_text("资料评审")
    history = office.locator("table.history")
    expect(history).to_contain_text("资格审查公示 → 资料评审")
    expect(history).to_contain_text("公示期满，异议不成立")
    office.screenshot(path=tmp_path / "office-application.png", full_page=True)

    org.goto("/portal/")
    expect(org.get_by_role("row", name=re.compile(ORG_NAME))).to_contain_text("资料评审")
    org.get_by_role("link", name=ORG_NAME).click()
    expect(org.locator("dl.meta span.state")).to_have_text("资料评审")

    # The notice is over: the board says so and takes no more objections.
    public.goto(notice_url)
    expect(public.locator("h1 .status-past")).to_have_text("已结束")
    expect(public.get_by_text("公示已于2026年5月18日结束，不再受理异议。")).to_be_visible()
    expect(public.locator("form.objection")).to_have_count(0)


# ---------------------------------------------------------------------------------------------
# Language and concurrency


def draft_application(people: People) -> Any:
    """Set-up through the services (not under test here): the cycle and a draft application
    with a complete profile."""
    import datetime as dt

    from qaward.web.accounts.models import Jurisdiction
    from qaward.web.cycles.models import Applicant
    from qaward.web.cycles.services import (
        application_create,
        cycle_open,
    )

    j = Jurisdiction.objects.get(code="shanghai-changning")
    office = User.objects.get(username=people.office)
    cycle = cycle_open(jurisdiction=j, year=2026, title=CYCLE_TITLE,
                         opened_on=dt.date(2026, 3, 2),
                         applications_close_on=dt.date(2026, 4, 30), actor=office)
    org = Applicant.objects.get(name=ORG_NAME)
    org.profile = {"jurisdiction": "上海市长宁区", "established_on": "2008-06-01",
                   "annual_results": [{"year": y, "profit": 100} for y in range(2021, 2026)]}
    org.save()
    app = application_create(cycle=cycle, applicant=org, track="organization", actor=office)
    return cycle, app, office


def submitted_application(people: People, settings: Any) -> Any:
    from qaward.web.cycles.services import (
        application_submit,
    )

    today(settings, "2026-04-20")
    cycle, app, _office = draft_application(people)
    org_user = User.objects.get(username=people.organization)
    app = application_submit(application=app, actor=org_user, expected_version=app.version,
                               report_chars=REPORT_CHARS)
    return cycle, app


def eligible_application(people: People, settings: Any) -> Any:
    """Recommended, in eligibility review, decided eligible: ready for the notice."""
    from qaward.web.cycles.services import (
        application_transition,
        eligibility_decide,
        eligibility_screen,
    )
    from qaward.web.recommendations.services import recommendation_sign

    cycle, app = submitted_application(people, settings)
    office = User.objects.get(username=people.office)
    dept_user = User.objects.get(username=people.department)
    app = application_transition(application=app, target="recommendation", actor=office)
    recommendation_sign(application=app, actor=dept_user, opinion="同意推荐")
    today(settings, "2026-05-06")  # the review begins once applications have closed (30 April)
    app = application_transition(application=app, target="eligibility", actor=office)
    eligibility_screen(application=app)
    checks_found_met(app, office)
    eligibility_decide(application=app, actor=office, decision="eligible")
    return cycle, app, office


def test_the_language_switch_turns_the_pages_english(
        new_context: Callable[[], Any], people: People, fast_site: Any) -> None:
    import datetime as dt

    from qaward.web.notices.services import notice_publish

    cycle, app, office = eligible_application(people, fast_site)
    notice_publish(cycle=cycle, stage="eligibility", starts_on=dt.date(2026, 5, 11),
                     today=dt.date(2026, 5, 11), actor=office, applications=[app])
    today(fast_site, "2026-05-12")

    page = new_context().new_page()
    page.goto("/notices/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", name="公示栏", exact=True)).to_be_visible()
    page.get_by_label("语言").select_option("en")
    # Choosing alone changes nothing (WCAG 3.2.2): the 切换 button switches.
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.get_by_role("button", name="切换").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Notice board", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    notice = page.locator("article.notice")
    expect(notice).to_contain_text("Changning District, Shanghai")
    expect(notice.get_by_role("link", name="Object")).to_be_visible()
    expect(page.get_by_role("heading", name="公示栏")).to_have_count(0)
    # The choice sticks (cookie) on the next page.
    page.goto("/")
    expect(page.get_by_role("heading", name="Quality award management")).to_be_visible()
    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_role("heading", name="质量奖评审管理")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")


def test_a_stale_office_tab_is_told_the_application_was_changed(
        new_context: Callable[[], Any], people: People, fast_site: Any) -> None:
    from qaward.web.audit.models import AuditEvent
    from qaward.web.cycles.models import Application

    _cycle, app = submitted_application(people, fast_site)
    first = login(new_context, people.office)
    # Two more tabs of the same office user, opened on the same page before anyone acts.
    second, third = first.context.new_page(), first.context.new_page()
    url = f"/console/applications/{app.pk}/"
    for tab in (first, second, third):
        tab.goto(url)
        expect(tab.locator("h1 .state")).to_have_text("已提交")

    move_on(first, "推荐")
    expect(messages(first)).to_contain_text("已转入：推荐")

    # The second tab still shows the old page and submits the same move.
    move_on(second, "推荐")
    transition_errors = second.locator("form[action$='/transition/'] .errorlist.nonfield")
    expect(transition_errors).to_contain_text("该申报已被他人修改，请刷新页面后重试。")
    expect(second.locator("h1 .state")).to_have_text("推荐")

    # The third tab returns it for completion from its stale page: refused by the service,
    # what was typed is kept.
    ret = third.locator("form[action$='/return/']")
    ret.locator("textarea[name=reason]").fill("请补充近三年财务审计报告。")
    ret.get_by_role("button", name="退回").click()
    ret = third.locator("form[action$='/return/']")
    expect(ret.locator(".errorlist")).to_contain_text("该申报已被他人修改，请刷新页面后重试。")
    expect(ret.locator("textarea[name=reason]")).to_have_value("请补充近三年财务审计报告。")
    expect(third.locator("h1 .state")).to_have_text("推荐")

    fresh = Application.objects.get(pk=app.pk)
    assert fresh.state == "recommendation"
    moves = AuditEvent.objects.filter(entity="application", entity_id=str(app.pk),
                                      action="transition").order_by("seq").values_list(
                                          "from_state", "to_state")
    assert list(moves) == [("draft", "submitted"), ("submitted", "recommendation")]


# ---------------------------------------------------------------------------------------------
# UI defects found while writing these tests, now fixed: each test guards its fix
# ("XPASS(strict)") the day it is fixed, and the marker must then be removed.


def test_every_label_on_the_office_application_page_names_its_own_field(
        new_context: Callable[[], Any], people: People, fast_site: Any) -> None:
    _cycle, app = submitted_application(people, fast_site)
    office = login(new_context, people.office)
    office.goto(f"/console/applications/{app.pk}/")
    expect(office.get_by_role("button", name="退回")).to_be_visible()
    duplicated = office.evaluate("""() => {
        const seen = {};
        document.querySelectorAll("[id]").forEach(e => { seen[e.id] = (seen[e.id] || 0) + 1; });
        return Object.keys(seen).filter(id => seen[id] > 1).sort();
    }""")
    assert duplicated == []
    target_form = office.get_by_label("需补正的内容").evaluate(
        "e => e.closest('form').getAttribute('action')")
    assert target_form.endswith("/return/")


def test_the_notice_publish_list_names_the_state_in_chinese(
        new_context: Callable[[], Any], people: People, fast_site: Any) -> None:
    cycle, _app, _office = eligible_application(people, fast_site)
    office = login(new_context, people.office)
    office.goto(f"/console/cycles/{cycle.pk}/notices/eligibility/new/")
    candidate = office.get_by_role("checkbox", name=re.compile(ORG_NAME))
    expect(candidate).to_be_checked()
    label = office.locator("label", has=candidate).inner_text()
    assert label.strip() == f"{ORG_NAME}（资格审查）"


def test_a_stale_move_shows_only_the_changed_by_someone_else_message(
        new_context: Callable[[], Any], people: People, fast_site: Any) -> None:
    _cycle, app = submitted_application(people, fast_site)
    first = login(new_context, people.office)
    second = first.context.new_page()
    for tab in (first, second):
        tab.goto(f"/console/applications/{app.pk}/")
        expect(tab.locator("h1 .state")).to_have_text("已提交")
    move_on(first, "推荐")
    expect(messages(first)).to_contain_text("已转入：推荐")
    move_on(second, "推荐")
    form = second.locator("form[action$='/transition/']")
    expect(form.locator(".errorlist.nonfield")).to_contain_text("已被他人修改")
    assert form.locator(".errorlist").all_inner_texts() == [
        "该申报已被他人修改，请刷新页面后重试。"]
