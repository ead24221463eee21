"""The office console (评审办) through Django's test client: cycles, the application list,
eligibility review, transitions, permissions across districts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qaward.web.accounts.models import Department, Jurisdiction, Role
from qaward.web.audit.models import AuditEvent
from qaward.web.cycles.models import Applicant, Application, Cycle, EligibilityDecision
from qaward.web.cycles.services import (
    application_create,
    application_submit,
    application_transition,
    cycle_open,
    eligibility_conclude,
    eligibility_decide,
    manual_checks_of,
)
from qaward.web.notices.models import Notice
from qaward.web.recommendations.models import Consultation
from qaward.web.recommendations.services import recommendation_sign
from tests.web.office_world import (
    AFTER_CLOSE,
    CLOSES,
    ELSEWHERE_PROFILE,
    GOOD_PROFILE,
    OPENS,
    World,
    checks_found_met,
    client_for,
    fresh,
    into_eligibility,
    other_applicant,
    set_today,
    submit,
    user,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------
# Access


@pytest.mark.parametrize("name,args", [
    ("awards:console", ["hangzhou-binjiang"]),
    ("awards:cycle_detail", ["CYCLE"]),
    ("awards:application_detail", ["APP"]),
    ("awards:audit_log", ["hangzhou-binjiang"]),
])
def test_an_anonymous_visitor_is_sent_to_the_login_page(w: World, name: str,
                                                        args: list[Any]) -> None:
    ids = {"CYCLE": w.cycle.pk, "APP": w.app.pk}
    url = reverse(name, args=[ids.get(a, a) for a in args])
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_the_login_page_renders(w: World) -> None:
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_home_sends_the_office_to_its_console(w: World) -> None:
    response = client_for(w.office).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:console", args=["hangzhou-binjiang"])


def test_the_office_of_another_district_gets_404_for_every_object(w: World) -> None:
    c = client_for(w.other_office)
    for url in (reverse("awards:console", args=["hangzhou-binjiang"]),
                reverse("awards:cycle_detail", args=[w.cycle.pk]),
                reverse("awards:application_detail", args=[w.app.pk]),
                reverse("awards:cycle_open", args=["hangzhou-binjiang"])):
        assert c.get(url).status_code == 404, url
    response = c.post(reverse("awards:application_transition", args=[w.app.pk]),
                      {"target": "withdrawn", "expected_version": w.app.version})
    assert response.status_code == 404
    assert fresh(w.app).state == "draft"


def test_a_reviewer_sees_neither_the_list_nor_an_unassigned_application(w: World) -> None:
    """Reviewers read only the applications assigned to them, in the review app's pages
    (issue 8); the console is not theirs."""
    c = client_for(w.reviewer)
    assert c.get(reverse("awards:cycle_detail", args=[w.cycle.pk])).status_code == 404
    assert c.get(reverse("awards:application_detail", args=[w.app.pk])).status_code == 404
    assert c.post(reverse("awards:application_transition", args=[w.app.pk]),
                  {"target": "withdrawn", "expected_version": w.app.version}
                  ).status_code == 404
    assert fresh(w.app).state == "draft"


def test_a_read_only_reader_reads_the_list_but_may_not_act(w: World) -> None:
    c = client_for(w.auditor)
    assert c.get(reverse("awards:cycle_detail", args=[w.cycle.pk])).status_code == 200
    detail = c.get(reverse("awards:application_detail", args=[w.app.pk]))
    assert detail.status_code == 200
    assert "转入下一环节" not in detail.content.decode()
    response = c.post(reverse("awards:application_transition", args=[w.app.pk]),
                      {"target": "withdrawn", "expected_version": w.app.version})
    assert response.status_code == 403
    assert c.get(reverse("awards:cycle_open", args=["hangzhou-binjiang"])).status_code == 403


def test_the_auditor_reads_the_audit_log_and_office_staff_may_not(w: World) -> None:
    response = client_for(w.auditor).get(reverse("awards:audit_log", args=["hangzhou-binjiang"]),
                                         {"verify": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "cycle_open" in body and "审计日志完整" in body
    assert client_for(w.office).get(
        reverse("awards:audit_log", args=["hangzhou-binjiang"])).status_code == 403


# ---------------------------------------------------------------------------------------------
# Cycles


def test_the_office_opens_a_cycle(w: World) -> None:
    c = client_for(w.office)
    year = w.cycle.year + 1
    response = c.post(reverse("awards:cycle_open", args=["hangzhou-binjiang"]), {
        "year": year, "title": f"{year}年度滨江区政府质量奖", "opened_on": f"{year}-03-02",
        "applications_close_on": f"{year}-04-30", "override_reason": ""})
    cycle = Cycle.objects.get(jurisdiction=w.j, year=year)
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:cycle_detail", args=[cycle.pk])
    assert cycle.policy.policy_id == "binjiang-2020"


def test_a_second_cycle_too_soon_is_refused_on_the_override_field_with_the_article(
        w: World) -> None:
    changning_office = w.other_office
    cycle_open(jurisdiction=w.other_j, year=2026, title="2026年度长宁区政府质量奖",
                 opened_on=dt.date(2026, 3, 2), applications_close_on=dt.date(2026, 4, 30),
                 actor=changning_office)
    typed = {"year": 2027, "title": "2027年度长宁区政府质量奖", "opened_on": "2027-03-01",
             "applications_close_on": "2027-04-30", "override_reason": ""}
    response = client_for(changning_office).post(
        reverse("awards:cycle_open", args=["shanghai-changning"]), typed)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["override_reason"]
    assert "第三条第一款" in errors["override_reason"][0]
    body = response.content.decode()
    assert "每2年评选一次" in body
    assert 'value="2027年度长宁区政府质量奖"' in body  # what was typed is kept
    assert not Cycle.objects.filter(jurisdiction=w.other_j, year=2027).exists()


def test_an_inverted_window_is_shown_on_the_close_date_field(w: World) -> None:
    response = client_for(w.office).post(reverse("awards:cycle_open", args=["hangzhou-binjiang"]), {
        "year": w.cycle.year + 1, "title": "x", "opened_on": f"{w.cycle.year + 1}-04-30",
        "applications_close_on": f"{w.cycle.year + 1}-03-01"})
    assert list(response.context["form"].errors) == ["applications_close_on"]


# ---------------------------------------------------------------------------------------------
# The application list


def test_the_list_counts_per_state_and_filters_by_state_sector_and_name(w: World) -> None:
    submit(w)
    other_applicant(w, "宁波某生物科技有限公司", GOOD_PROFILE)
    c = client_for(w.office)
    url = reverse("awards:cycle_detail", args=[w.cycle.pk])
    response = c.get(url)
    assert response.status_code == 200
    assert dict((sid, n) for sid, _label, n in response.context["counts"]) == {
        "submitted": 1, "draft": 1}
    assert [a.applicant.name for a in c.get(url, {"state": "submitted"}).context["page"]] == [
        "杭州示例科技有限公司"]
    assert [a.applicant.name for a in c.get(url, {"sector": "生物医药"}).context["page"]] == [
        "宁波某生物科技有限公司"]
    assert [a.applicant.name for a in c.get(url, {"q": "示例"}).context["page"]] == [
        "杭州示例科技有限公司"]


def test_the_list_costs_the_same_queries_for_many_applications(
        w: World, django_assert_max_num_queries: Any) -> None:
    for i in range(60):
        other_applicant(w, f"测试企业{i:03d}", GOOD_PROFILE)
    c = client_for(w.office)
    c.get(reverse("awards:cycle_detail", args=[w.cycle.pk]))  # warm the session
    with django_assert_max_num_queries(15):  # 14 + the review teams formed per stage
        response = c.get(reverse("awards:cycle_detail", args=[w.cycle.pk]))
    assert len(response.context["page"].object_list) == 50


# ---------------------------------------------------------------------------------------------
# Eligibility review


def test_the_detail_shows_the_engine_verdict_with_articles_and_the_history(w: World) -> None:
    app = other_applicant(w, "外区企业", ELSEWHERE_PROFILE)
    app = into_eligibility(w, app)
    c = client_for(w.office)
    response = c.post(reverse("awards:eligibility_screen", args=[app.pk]))
    assert response.status_code == 302
    body = c.get(reverse("awards:application_detail", args=[app.pk])).content.decode()
    assert "不符合的条件" in body and "三、（一）" in body
    assert "需人工核实的事项" in body and "三、（二）" in body
    # History: time, actor, from → to, article
    assert "已提交 → 主管部门推荐" in body
    assert "recommendation_sign" in body


def test_the_detail_shows_the_tiers_a_past_win_excludes(w: World) -> None:
    # 曾获奖项 (bars: tier_won) excludes the tier won; the office sees it with its article.
    app = into_eligibility(w)
    Application.objects.filter(pk=app.pk).update(engine_result={
        "id": "x", "name": "x", "policy": "binjiang-2020", "on": "2026-05-06",
        "verdict": "eligible", "reasons": [], "manual_checks": [], "fast_track": False,
        "fast_track_article": None, "barred_until": None,
        "excluded_tiers": [{"tier": "award", "article": "五、（四）", "until": "2026-12-31"}]})
    body = client_for(w.office).get(
        reverse("awards:application_detail", args=[app.pk])).content.decode()
    assert "不得再次获得的奖项" in body
    assert "区政府质量奖：至 2026-12-31" in body and "五、（四）" in body


def test_the_office_decides_and_concludes_eligibility(w: World) -> None:
    app = into_eligibility(w)
    c = client_for(w.office)
    c.post(reverse("awards:eligibility_screen", args=[app.pk]))
    refused = c.post(reverse("awards:eligibility_decide", args=[app.pk]),
                     {"decision": "eligible", "reason": "", "expected_version": app.version})
    assert refused.status_code == 200  # the manual checks have no finding yet
    assert "尚未记录核实结果" in str(refused.context["decide_form"].non_field_errors())
    for check in manual_checks_of(fresh(app)):
        response = c.post(reverse("awards:manual_check_record", args=[app.pk]),
                          {"key": check["key"], "met": "met", "note": "已核对材料"})
        assert response.status_code == 302
    response = c.post(reverse("awards:eligibility_decide", args=[app.pk]),
                      {"decision": "eligible", "reason": "", "expected_version": app.version})
    assert response.status_code == 302
    response = c.post(reverse("awards:eligibility_conclude", args=[app.pk]),
                      {"expected_version": app.version})
    assert response.status_code == 302
    assert fresh(app).state == "material_review"


SIGN_OFF = {"answer": "approve", "opinion": "同意，理由经书面核实。", "confirm": "on"}


def test_overriding_the_engine_needs_a_reason_and_the_heads_sign_off(w: World) -> None:
    app = checks_found_met(into_eligibility(w), w.office)
    c = client_for(w.office)
    response = c.post(reverse("awards:eligibility_decide", args=[app.pk]),
                      {"decision": "ineligible", "reason": "", "expected_version": app.version})
    assert response.status_code == 200
    assert "须写明理由" in response.context["decide_form"].errors["reason"][0]
    c.post(reverse("awards:eligibility_decide", args=[app.pk]),
           {"decision": "ineligible", "reason": "近三年有重大质量投诉（书面核实）",
            "expected_version": app.version})
    refused = c.post(reverse("awards:eligibility_conclude", args=[app.pk]),
                     {"expected_version": app.version})
    assert refused.status_code == 200 and fresh(app).state == "eligibility"
    assert "须经评审办负责人签批" in str(refused.context["conclude_form"].non_field_errors())
    page = c.get(reverse("awards:application_detail", args=[app.pk]))
    assert "待评审办负责人签批" in page.content.decode()
    assert page.context["conclude_form"] is None  # not offered before the sign-off
    assert client_for(w.office).post(
        reverse("awards:eligibility_sign_off", args=[app.pk])).status_code == 403
    head = client_for(w.head)
    sign_off = reverse("awards:eligibility_sign_off", args=[app.pk])
    assert head.post(sign_off, SIGN_OFF).status_code == 302
    assert EligibilityDecision.objects.get(application=app).signed_off_by == w.head
    c.post(reverse("awards:eligibility_conclude", args=[app.pk]),
           {"expected_version": app.version})
    assert fresh(app).state == "ineligible"


def test_a_stale_form_is_refused_with_changed_by_someone_else(w: World) -> None:
    app = into_eligibility(w)
    c = client_for(w.office)
    checks_found_met(app, w.office)
    eligibility_decide(application=app, actor=w.office, decision="eligible")
    seen = app.version
    eligibility_conclude(application=app, actor=w.office)  # someone else moves it on
    response = c.post(reverse("awards:application_transition", args=[app.pk]),
                      {"target": "site_review", "reason": "", "expected_version": seen})
    assert response.status_code == 409
    assert "该申报已被他人修改" in response.content.decode()
    assert fresh(app).state == "material_review"


def test_a_stale_version_with_a_valid_target_is_refused_too(w: World) -> None:
    app = into_eligibility(w)
    checks_found_met(app, w.office)
    eligibility_decide(application=app, actor=w.office, decision="eligible")
    app = eligibility_conclude(application=app, actor=w.office)
    c = client_for(w.office)
    stale = {"target": "site_review", "reason": "", "expected_version": app.version - 1}
    url = reverse("awards:application_transition", args=[app.pk])
    response = c.post(url, stale)
    assert response.status_code == 409
    assert "该申报已被他人修改" in response.content.decode()
    c.cookies["django_language"] = "en"  # the refusal in the reader's language
    response = c.post(url, stale)
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert "该申报已被他人修改" not in response.content.decode()


def test_the_office_moves_an_application_to_the_next_stage(w: World) -> None:
    app = into_eligibility(w)
    checks_found_met(app, w.office)
    eligibility_decide(application=app, actor=w.office, decision="eligible")
    app = eligibility_conclude(application=app, actor=w.office)
    c = client_for(w.office)
    page = c.get(reverse("awards:application_detail", args=[app.pk]))
    targets = dict(page.context["transition_form"].fields["target"].choices)
    assert "site_review" in targets and "returned" not in targets
    response = c.post(reverse("awards:application_transition", args=[app.pk]),
                      {"target": "site_review", "reason": "资料评审通过",
                       "expected_version": app.version})
    assert response.status_code == 302
    assert fresh(app).state == "site_review"
    event = AuditEvent.objects.filter(entity="application", entity_id=str(app.pk)).last()
    assert (event.from_state, event.to_state, event.reason, event.article) == (
        "material_review", "site_review", "资料评审通过", "四、（五）")


def test_a_transition_the_policy_refuses_is_shown_with_its_article(w: World) -> None:
    app = submit(w)
    app = application_transition(application=app, target="recommendation", actor=w.office)
    response = client_for(w.office).post(
        reverse("awards:application_transition", args=[app.pk]),
        {"target": "eligibility", "reason": "", "expected_version": app.version})
    assert response.status_code == 200
    assert "四、（二）" in str(response.context["transition_form"].non_field_errors())
    assert fresh(app).state == "recommendation"


def test_returning_for_completion_needs_the_reason(w: World) -> None:
    app = submit(w)
    c = client_for(w.office)
    url = reverse("awards:application_return", args=[app.pk])
    response = c.post(url, {"reason": "", "expected_version": app.version})
    assert "reason" in response.context["return_form"].errors
    response = c.post(url, {"reason": "请补充近三年财务报表", "expected_version": app.version})
    assert response.status_code == 302
    assert fresh(app).state == "returned"


def test_the_office_records_a_written_consultation_and_its_answer(w: World) -> None:
    app = into_eligibility(w)
    c = client_for(w.office)
    c.post(reverse("awards:consultation_add", args=[app.pk]),
           {"department_name": "区应急管理局", "question": "近三年有无安全生产事故？"})
    consultation = Consultation.objects.get(application=app)
    assert consultation.answered_at is None
    c.post(reverse("awards:consultation_answer", args=[consultation.pk]), {"answer": "无"})
    consultation.refresh_from_db()
    assert consultation.answer == "无" and consultation.answered_at is not None
    assert AuditEvent.objects.filter(action="consultation_answer").count() == 1


# ---------------------------------------------------------------------------------------------
# Language


def test_switching_to_english_shows_english_text(w: World) -> None:
    c = client_for(w.office)
    response = c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = c.get(reverse("awards:console", args=["hangzhou-binjiang"])).content.decode()
    assert 'lang="en"' in body
    assert "Award cycles" in body and "Open a cycle" in body
    assert "评选周期" not in body.replace(w.cycle.title, "")
    c.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "开启评选周期" in c.get(reverse("awards:console",
                                          args=["hangzhou-binjiang"])).content.decode()


def test_under_changning_eligible_applications_move_on_through_the_eligibility_notice(
        w: World) -> None:
    j, office = w.other_j, w.other_office
    head = user("cn-head", j, Role.OFFICE_HEAD)
    street = Department.objects.create(jurisdiction=j, name="华阳路街道", kind="street")
    dept_user = user("cn-dept", j, Role.DEPARTMENT, department=street)
    cycle = cycle_open(jurisdiction=j, year=OPENS.year, title="长宁区政府质量奖",
                         opened_on=OPENS, applications_close_on=CLOSES, actor=office)
    org = Applicant.objects.create(jurisdiction=j, kind="organization", name="长宁示例公司",
                                   profile={**GOOD_PROFILE, "jurisdiction": "长宁区"})
    app = application_create(cycle=cycle, applicant=org, track="organization", actor=office)
    app = application_submit(application=app, actor=office, expected_version=app.version,
                               report_chars=100)
    app = application_transition(application=app, target="recommendation", actor=office)
    recommendation_sign(application=app, actor=dept_user, opinion="同意推荐")
    set_today(AFTER_CLOSE)  # the review begins once applications have closed
    app = application_transition(application=app, target="eligibility", actor=office)
    app = checks_found_met(app, office)
    c = client_for(office)
    c.post(reverse("awards:eligibility_decide", args=[app.pk]),
           {"decision": "eligible", "reason": "经书面核实，符合条件",
            "expected_version": app.version})
    if EligibilityDecision.objects.get(application=app).overrides_engine:
        client_for(head).post(reverse("awards:eligibility_sign_off", args=[app.pk]), SIGN_OFF)
    page = c.get(reverse("awards:application_detail", args=[app.pk]))
    assert page.context["conclude_form"] is None and page.context["into_notice"]
    response = c.post(reverse("awards:notice_publish", args=[cycle.pk, "eligibility"]),
                      {"stage": "eligibility", "starts_on": "2026-05-11",
                       "applications": [app.pk], "confirm": "on"})
    assert response.status_code == 302
    notice = Notice.objects.get(cycle=cycle, stage="eligibility")
    assert (notice.ends_on, notice.rule, notice.article, notice.title) == (
        dt.date(2026, 5, 18), "不少于5个工作日", "第二十一条",  # 5 working days from 5-12
        "长宁区政府质量奖通过资格审查的名单公示")
    set_today(dt.date(2026, 5, 19))  # the notice has ended
    app = fresh(app)
    assert app.state == "eligibility_notice"
    response = c.post(reverse("awards:application_transition", args=[app.pk]),
                      {"target": "material_review", "expected_version": app.version})
    assert response.status_code == 302
    assert fresh(app).state == "material_review"


def test_a_notice_the_regulation_gives_no_length_for_is_refused_on_the_stage(
        w: World) -> None:
    hongkou = Jurisdiction.objects.get(code="shanghai-hongkou")
    office = user("hk-office", hongkou, Role.OFFICE)
    cycle = cycle_open(jurisdiction=hongkou, year=2026, title="虹口区区长质量奖",
                         opened_on=dt.date(2026, 11, 1),
                         applications_close_on=dt.date(2026, 12, 31), actor=office)
    org = Applicant.objects.create(jurisdiction=hongkou, kind="organization", name="虹口示例公司",
                                   profile={**GOOD_PROFILE, "jurisdiction": "虹口区"})
    app = application_create(cycle=cycle, applicant=org, track="organization", actor=office,
                             today=dt.date(2026, 11, 2))
    Application.objects.filter(pk=app.pk).update(state="eligibility",
                                                 submitted_at=dt.datetime.now(dt.UTC))
    EligibilityDecision.objects.create(application=app, engine_verdict="eligible",
                                       decision="eligible", decided_by=office)
    response = client_for(office).post(
        reverse("awards:notice_publish", args=[cycle.pk, "eligibility"]),
        {"stage": "eligibility", "starts_on": "2026-11-02", "applications": [app.pk],
         "confirm": "on"})
    assert response.status_code == 200
    assert "notices.eligibility.length" in response.context["form"].errors["stage"][0]
    assert not Notice.objects.exists() and fresh(app).state == "eligibility"
