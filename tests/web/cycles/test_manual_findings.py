"""A manual check (需人工核实的事项) is work for the office: it records a finding (met / not
met, with a note) on each, an eligibility decision is refused while one has none, and a check
found not met makes the engine's verdict "ineligible" with that check's article."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from qaward.web.audit.models import AuditEvent
from qaward.web.audit.services import verify_chain
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import Application, EligibilityDecision, ManualCheckFinding
from qaward.web.cycles.services import (
    eligibility_basis,
    eligibility_conclude,
    eligibility_decide,
    eligibility_screen,
    eligibility_sign_off,
    manual_check_record,
    manual_checks_of,
)
from tests.web.office_world import (
    World,
    checks_found_met,
    client_for,
    fresh,
    into_eligibility,
    other_applicant,
)

pytestmark = pytest.mark.django_db

# 滨江 三、（二）–（五）: the four manual checks every organization's screening carries.
BINJIANG_CHECKS = [("legal_compliance", "三、（二）"), ("excellence_results", "三、（三）"),
                   ("innovation", "三、（四）"), ("credit_record", "三、（五）")]


def screened(w: World) -> Application:
    app = into_eligibility(w)
    eligibility_screen(application=app, actor=w.office)
    return fresh(app)


def record(w: World, app: Application, key: str, met: bool, note: str = "",
           actor: object = None) -> ManualCheckFinding:
    return manual_check_record(application=app, actor=actor or w.office, key=key, met=met,
                               note=note)


def test_the_screening_carries_the_policys_manual_checks_with_keys_and_articles(
        w: World) -> None:
    app = screened(w)
    assert [(m["key"], m["article"]) for m in manual_checks_of(app)] == BINJIANG_CHECKS


def test_a_decision_is_refused_while_a_check_has_no_finding_naming_the_checks(
        w: World) -> None:
    app = screened(w)
    record(w, app, "legal_compliance", True, "营业执照和许可证齐全")
    with pytest.raises(ServiceError) as err:
        eligibility_decide(application=app, actor=w.office, decision="eligible")
    message = str(err.value)
    assert err.value.field == "manual_checks"
    assert "以下3项需人工核实的事项尚未记录核实结果" in message
    assert "三、（三）" in message and "三、（四）" in message and "三、（五）" in message
    assert "三、（二）" not in message  # recorded
    assert "切实履行社会责任" in message
    with translation.override("en"), pytest.raises(ServiceError) as err_en:
        eligibility_decide(application=app, actor=w.office, decision="eligible")
    assert "3 manual checks have no finding yet" in str(err_en.value)
    assert "good credit record" in str(err_en.value)
    assert not EligibilityDecision.objects.filter(application=app).exists()
    assert not AuditEvent.objects.filter(action="eligibility_decide").exists()


def test_all_met_the_office_decides_and_concludes_as_before(w: World) -> None:
    app = checks_found_met(screened(w), w.office)
    d = eligibility_decide(application=app, actor=w.office, decision="eligible")
    assert (d.engine_verdict, d.overrides_engine) == ("eligible", False)
    assert eligibility_conclude(application=app, actor=w.office).state == "material_review"


def test_recording_a_finding_is_audited_with_the_checks_article(w: World) -> None:
    app = screened(w)
    f = record(w, app, "credit_record", False, "信用中国查询有一条严重失信记录（2025年）")
    assert (f.met, f.article, f.rule, f.recorded_by) == (False, "三、（五）", "credit_record",
                                                         w.office)
    assert f.text_zh.startswith("切实履行社会责任") and f.text_en.startswith("Fulfils")
    assert f.screened_on.isoformat() == app.engine_result["on"]
    assert f.recorded_at is not None and f.archived_at is None
    event = AuditEvent.objects.get(action="manual_check_record")
    assert (event.actor, event.article, event.entity, event.entity_id) == (
        w.office, "三、（五）", "application", str(app.pk))
    assert event.reason == "信用中国查询有一条严重失信记录（2025年）"
    assert event.data["key"] == "credit_record" and event.data["met"] is False
    assert event.data["previous"] is None
    assert verify_chain().ok


def test_changing_a_finding_keeps_one_row_and_records_what_it_was(w: World) -> None:
    app = screened(w)
    record(w, app, "innovation", True, "专利12项")
    record(w, app, "innovation", True, "专利12项")  # the same again: nothing to record
    f = record(w, app, "innovation", False, "专利均为外观设计，创新成果影响有限", actor=w.head)
    assert ManualCheckFinding.objects.filter(application=app).count() == 1
    assert (f.met, f.recorded_by) == (False, w.head)
    events = AuditEvent.objects.filter(action="manual_check_record").order_by("seq")
    assert [e.data["met"] for e in events] == [True, False]
    assert events.last().data["previous"] == {"met": True, "note": "专利12项"}


def test_not_met_needs_a_note(w: World) -> None:
    app = screened(w)
    with pytest.raises(ServiceError, match="须在核实说明中写明") as err:
        record(w, app, "credit_record", False, "   ")
    assert err.value.field == "note" and err.value.article == "三、（五）"
    assert not ManualCheckFinding.objects.exists()
    assert record(w, app, "credit_record", True).note == ""  # met: the note is optional


def test_a_check_not_in_the_current_screening_is_refused(w: World) -> None:
    app = screened(w)
    with pytest.raises(ServiceError, match="没有需人工核实的事项“no_such_check”") as err:
        record(w, app, "no_such_check", True)
    assert err.value.field == "key"
    assert not ManualCheckFinding.objects.exists()


def test_not_met_makes_the_conclusion_ineligible_with_that_article(w: World) -> None:
    app = checks_found_met(screened(w), w.office)
    record(w, app, "excellence_results", False, "近1年主要经济指标居区内同行业中游")
    basis = eligibility_basis(fresh(app))
    assert (basis.screening, basis.verdict) == ("eligible", "ineligible")
    assert basis.not_met_articles == ["三、（三）"]
    # The form offers the engine's verdict with the findings.
    page = client_for(w.office).get(reverse("awards:application_detail", args=[app.pk]))
    assert page.context["decide_form"].initial["decision"] == "ineligible"
    assert "系统审查结论计为“不符合”（依据 三、（三））" in page.content.decode()
    d = eligibility_decide(application=app, actor=w.office, decision="ineligible")
    assert (d.engine_verdict, d.overrides_engine) == ("ineligible", False)
    event = AuditEvent.objects.get(action="eligibility_decide")
    assert event.data["screening"] == "eligible" and event.data["engine"] == "ineligible"
    assert event.data["not_met"] == [{"key": "excellence_results", "article": "三、（三）"}]
    app = eligibility_conclude(application=app, actor=w.office)
    assert app.state == "ineligible"
    moved = AuditEvent.objects.filter(action="transition").order_by("seq").last()
    assert moved.to_state == "ineligible"
    assert "人工核实不符合" in moved.reason and "三、（三）" in moved.reason
    assert "近1年主要经济指标居区内同行业中游" in moved.reason


def test_eligible_against_a_not_met_finding_is_an_override_for_the_head(w: World) -> None:
    app = checks_found_met(screened(w), w.office)
    record(w, app, "credit_record", False, "有一条行政处罚记录")
    with pytest.raises(ServiceError, match="须写明理由"):
        eligibility_decide(application=app, actor=w.office, decision="eligible")
    d = eligibility_decide(application=app, actor=w.office, decision="eligible",
                           reason="处罚已于当年整改完毕，不影响信用评价")
    assert d.overrides_engine and d.awaits_sign_off
    with pytest.raises(ServiceError, match="须经评审办负责人签批"):
        eligibility_conclude(application=app, actor=w.office)
    eligibility_sign_off(decision=d, actor=w.head, opinion="同意，已核实整改材料。")
    assert eligibility_conclude(application=app, actor=w.office).state == "material_review"


def test_a_finding_that_changes_the_verdict_withdraws_the_recorded_decision(w: World) -> None:
    app = checks_found_met(screened(w), w.office)
    eligibility_decide(application=app, actor=w.office, decision="eligible")
    record(w, app, "legal_compliance", True, "复核：材料齐全")  # verdict unchanged: kept
    assert EligibilityDecision.objects.filter(application=app).exists()
    record(w, app, "legal_compliance", False, "复核发现环评手续不全")
    assert not EligibilityDecision.objects.filter(application=app).exists()
    assert AuditEvent.objects.filter(action="manual_check_record").order_by(
        "seq").last().data["decision_withdrawn"] is True
    with pytest.raises(ServiceError, match="尚未作出资格审查结论"):
        eligibility_conclude(application=app, actor=w.office)


@pytest.mark.parametrize("who", ["reviewer", "auditor", "dept_user", "applicant_user",
                                 "other_office"])
def test_only_the_office_of_the_jurisdiction_records(w: World, who: str) -> None:
    app = screened(w)
    with pytest.raises(ServiceError, match="只有评审办工作人员可以记录人工核实结果"):
        record(w, app, "credit_record", True, actor=getattr(w, who))
    assert not ManualCheckFinding.objects.exists()


def test_the_head_may_record_too(w: World) -> None:
    app = screened(w)
    assert record(w, app, "credit_record", True, actor=w.head).recorded_by == w.head


def test_findings_are_recorded_only_in_eligibility_review(w: World) -> None:
    app = checks_found_met(screened(w), w.office)
    eligibility_decide(application=app, actor=w.office, decision="eligible")
    eligibility_conclude(application=app, actor=w.office)
    with pytest.raises(ServiceError, match="不在资格审查阶段") as err:
        record(w, app, "credit_record", False, "事后发现")
    assert err.value.field == "state"
    assert ManualCheckFinding.objects.get(key="credit_record").met is True


def test_screening_again_keeps_unchanged_findings_and_archives_the_others(w: World) -> None:
    app = checks_found_met(screened(w), w.office)
    # A finding recorded against a check whose article has since changed (e.g. a re-pinned
    # policy), and one on a check the new screening no longer has.
    ManualCheckFinding.objects.filter(key="innovation").update(article="三、（九）")
    gone = ManualCheckFinding.objects.create(
        application=app, key="incident:2025-03-01", rule="incident", article="三、（六）",
        text_zh="重大药品安全事件", met=True, note="已核实", screened_on=app.cycle.opened_on,
        recorded_by=w.office, recorded_at=timezone.now())
    eligibility_screen(application=app, actor=w.office)
    current = ManualCheckFinding.objects.filter(application=app, archived_at__isnull=True)
    assert sorted(current.values_list("key", flat=True)) == [
        "credit_record", "excellence_results", "legal_compliance"]
    archived = ManualCheckFinding.objects.filter(archived_at__isnull=False)
    assert sorted(archived.values_list("key", flat=True)) == ["incident:2025-03-01",
                                                              "innovation"]
    gone.refresh_from_db()
    assert gone.archived_at is not None  # kept for the record, not deleted
    event = AuditEvent.objects.filter(action="eligibility_screen").order_by("seq").last()
    assert sorted(event.data["findings_kept"]) == ["credit_record", "excellence_results",
                                                   "legal_compliance"]
    assert {f["key"] for f in event.data["findings_archived"]} == {"innovation",
                                                                   "incident:2025-03-01"}
    basis = eligibility_basis(fresh(app))
    assert [m["key"] for m in basis.missing] == ["innovation"]
    # The check can be recorded again under its current article.
    f = record(w, fresh(app), "innovation", True, "重新核实")
    assert f.article == "三、（四）"


def test_screening_again_withdraws_a_decision_left_without_its_basis(w: World) -> None:
    app = checks_found_met(screened(w), w.office)
    eligibility_decide(application=app, actor=w.office, decision="eligible")
    eligibility_screen(application=app, actor=w.office)  # the same checks: decision stands
    assert EligibilityDecision.objects.filter(application=app).exists()
    ManualCheckFinding.objects.filter(key="innovation").update(article="三、（九）")
    eligibility_screen(application=app, actor=w.office)
    assert not EligibilityDecision.objects.filter(application=app).exists()
    event = AuditEvent.objects.filter(action="eligibility_screen").order_by("seq").last()
    assert event.data["decision_withdrawn"] is True


# ---------------------------------------------------------------------------------------------
# The database's invariants


def _finding(app: Application, w: World, **kw: object) -> ManualCheckFinding:
    values: dict[str, object] = {
        "application": app, "key": "credit_record", "rule": "credit_record",
        "article": "三、（五）", "text_zh": "信用记录", "met": True, "note": "",
        "screened_on": app.cycle.opened_on, "recorded_by": w.office,
        "recorded_at": timezone.now()}
    values.update(kw)
    return ManualCheckFinding.objects.create(**values)


def test_one_current_finding_per_check(w: World) -> None:
    other = other_applicant(w, "乙公司", dict(w.org.profile))  # while the window is open
    app = screened(w)
    _finding(app, w)
    with pytest.raises(IntegrityError), transaction.atomic():
        _finding(app, w, met=False, note="重复")
    # An archived finding of the same check may stand beside the current one.
    _finding(app, w, archived_at=timezone.now())
    _finding(other, w)  # another application's check of the same key
    assert ManualCheckFinding.objects.filter(key="credit_record").count() == 3


def test_a_not_met_finding_has_a_note_and_every_finding_a_key(w: World) -> None:
    app = screened(w)
    with pytest.raises(IntegrityError), transaction.atomic():
        _finding(app, w, met=False, note="")
    with pytest.raises(IntegrityError), transaction.atomic():
        _finding(app, w, key="")


# ---------------------------------------------------------------------------------------------
# The office's page: each check with its article, a met / not met choice and a note, without
# JavaScript; who recorded what and when; the history in words


def test_the_page_offers_a_form_per_check_and_shows_the_findings(w: World) -> None:
    w.office.last_name, w.office.first_name = "张", "敏"
    w.office.save()
    app = screened(w)
    c = client_for(w.office)
    url = reverse("awards:application_detail", args=[app.pk])
    page = c.get(url)
    checks = page.context["checks"]
    assert [(x["key"], x["article"], x["finding"]) for x in checks] == [
        (k, a, None) for k, a in BINJIANG_CHECKS]
    body = page.content.decode()
    action = reverse("awards:manual_check_record", args=[app.pk])
    assert body.count(f'action="{action}"') == 4
    assert 'id="check3-note"' in body and "尚未记录核实结果" in body
    response = c.post(reverse("awards:manual_check_record", args=[app.pk]),
                      {"key": "credit_record", "met": "not_met", "note": ""})
    assert response.status_code == 200  # shown again, the error on the note, nothing stored
    form = response.context["checks"][3]["form"]
    assert "须在核实说明中写明" in form.errors["note"][0]
    assert not ManualCheckFinding.objects.exists()
    response = c.post(reverse("awards:manual_check_record", args=[app.pk]),
                      {"key": "credit_record", "met": "not_met", "note": "严重失信记录一条"})
    assert response.status_code == 302
    body = c.get(url).content.decode()
    assert "严重失信记录一条" in body and "张敏" in body
    assert "核实事项“切实履行社会责任，依法诚信经营，具有良好的信用记录和社会信誉”：不符合" in body
    assert "记录人工核实结果" in body  # the history's action in words
    c.post(reverse("awards:manual_check_record", args=[app.pk]),
           {"key": "credit_record", "met": "met", "note": "复核：已修复"})
    assert "：符合（原为：不符合）" in c.get(url).content.decode()


def test_readers_see_the_findings_but_no_form(w: World) -> None:
    app = screened(w)
    record(w, app, "credit_record", True, "信用良好")
    page = client_for(w.auditor).get(reverse("awards:application_detail", args=[app.pk]))
    assert all(x["form"] is None for x in page.context["checks"])
    assert "信用良好" in page.content.decode()
    assert client_for(w.auditor).post(
        reverse("awards:manual_check_record", args=[app.pk]),
        {"key": "credit_record", "met": "met", "note": ""}).status_code == 403


def test_a_check_gone_meanwhile_is_said_above_the_page(w: World) -> None:
    app = screened(w)
    response = client_for(w.office).post(
        reverse("awards:manual_check_record", args=[app.pk]),
        {"key": "vanished", "met": "met", "note": ""}, follow=True)
    assert "可能已重新运行系统审查" in response.content.decode()


def test_the_page_in_english_names_the_checks_and_findings(w: World) -> None:
    app = screened(w)
    record(w, app, "credit_record", False, "serious dishonesty record")
    c = client_for(w.office)
    c.cookies["django_language"] = "en"
    body = c.get(reverse("awards:application_detail", args=[app.pk])).content.decode()
    assert "Manual checks" in body or "manual check" in body.lower()
    assert "good credit record" in body and "Not met" in body


def test_the_excluded_tiers_of_the_screening_are_shown_when_present(w: World) -> None:
    app = screened(w)
    url = reverse("awards:application_detail", args=[app.pk])
    assert client_for(w.office).get(url).context["excluded_tiers"] == []
    Application.objects.filter(pk=app.pk).update(engine_result={
        **app.engine_result,
        "excluded_tiers": [{"tier": "nomination", "article": "五、（四）",
                            "until": "2027-12-31"}]})
    page = client_for(w.office).get(url)
    assert page.context["excluded_tiers"][0]["article"] == "五、（四）"
    body = page.content.decode()
    assert "不得授予的奖项等级" in body and "五、（四）" in body and "2027-12-31" in body
