"""The pool's services: experts and relations, availability, the pledge, detection (idempotent,
with evidence), declarations, decisions with reasons, sanctions and staff recusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from qaward.core.errors import ConfigurationRequired
from qaward.web.accounts.models import Role
from qaward.web.audit.models import AuditEvent
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import Applicant, Application
from qaward.web.cycles.services import application_create, cycle_open
from qaward.web.experts import services as s
from qaward.web.experts.models import Conflict, Expert, ExpertCycle
from qaward.web.policies.services import policy_of
from tests.web.office_world import CLOSES, OPENS, World, build_world, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    world = build_world()
    Application.objects.filter(pk=world.app.pk).update(state="material_review",
                                                       submitted_at=timezone.now())
    return world


def pool(w: World) -> dict[str, Expert]:
    mk = s.expert_create
    out = {
        "employee": mk(jurisdiction=w.j, actor=w.office, name="王建国",
                       employer_name="杭州示例科技有限公司", employer_code="91330108MA2XXXXX01",
                       sectors=["电子信息"]),
        "partner": mk(jurisdiction=w.j, actor=w.office, name="李海燕",
                      employer_name="杭州瑞鼎新材料有限公司", sectors=["新材料"]),
        "clean": mk(jurisdiction=w.j, actor=w.office, name="张志强",
                    employer_name="杭州恒联网络技术有限公司", sectors=["电子信息"]),
    }
    s.relation_add(expert=out["partner"], actor=w.office, kind="partner",
                   organization_name="杭州示例科技 有限公司")
    for e in out.values():
        s.availability_set(expert=e, cycle=w.cycle, actor=w.office, min_load=1, max_load=5)
    return out


def test_detection_stores_evidence_and_is_idempotent(w: World) -> None:
    experts = pool(w)
    first = s.detect_conflicts(w.cycle, w.office)
    assert (first.pairs, first.created) == (3, 2)
    rows = {c.expert.name: c for c in Conflict.objects.all()}
    assert set(rows) == {"王建国", "李海燕"}
    employee = rows["王建国"]
    assert (employee.relation, employee.article, employee.status) == (
        "employed_by_applicant", "二、（五）", "pending")
    assert employee.evidence[0]["expert_field"] == "employer.code"
    assert employee.evidence[0]["applicant_field"] == "credit_code"
    assert rows["李海燕"].relation == "business_partner"
    assert rows["李海燕"].evidence[0]["by"] == "name"
    again = s.detect_conflicts(w.cycle, w.office)
    assert (again.created, again.unchanged) == (0, 2)
    assert Conflict.objects.count() == 2
    # A decision survives detection; a suggestion no longer found is withdrawn with a reason.
    s.conflict_decide(conflict=employee, actor=w.office, status="confirmed", reason="在职员工")
    s.relation_remove(relation=experts["partner"].relations.get(), actor=w.office,
                      reason="业务往来已于2025年结束")
    third = s.detect_conflicts(w.cycle, w.office)
    assert third.withdrawn == 1
    assert Conflict.objects.get(expert=experts["partner"]).status == "dismissed"
    assert Conflict.objects.get(expert=experts["employee"]).status == "confirmed"
    assert s.blocked_pairs(w.cycle) == {(w.app.pk, experts["employee"].pk)}
    assert AuditEvent.objects.filter(action="conflict_detected").count() == 2


def test_unavailable_and_disqualified_experts_are_not_compared(w: World) -> None:
    experts = pool(w)
    s.availability_set(expert=experts["employee"], cycle=w.cycle, actor=w.office,
                       available=False)
    assert s.detect_conflicts(w.cycle, w.office).created == 1


def test_decision_needs_office_and_reason(w: World) -> None:
    pool(w)
    s.detect_conflicts(w.cycle, w.office)
    c = Conflict.objects.first()
    assert c is not None
    with pytest.raises(ServiceError, match="理由"):
        s.conflict_decide(conflict=c, actor=w.office, status="dismissed", reason="  ")
    with pytest.raises(ServiceError):
        s.conflict_decide(conflict=c, actor=w.reviewer, status="dismissed", reason="x")
    with pytest.raises(ServiceError):
        s.conflict_decide(conflict=c, actor=w.other_office, status="dismissed", reason="x")
    d = s.conflict_decide(conflict=c, actor=w.office, status="dismissed", reason="已离职核实")
    assert d.decided_by == w.office and d.decided_at is not None
    assert AuditEvent.objects.filter(action="conflict_decide", article="二、（五）").exists()


def changning(w: World) -> tuple[Application, User]:
    """An application in material review in 长宁, whose 第二十八条第（三）项 makes staff recuse."""
    office = w.other_office
    cycle = cycle_open(jurisdiction=w.other_j, year=2026, title="2026年度长宁区区长质量奖",
                       opened_on=OPENS, applications_close_on=CLOSES, actor=office)
    a = Applicant.objects.create(jurisdiction=w.other_j, kind="organization",
                                 name="上海华创科技有限公司", credit_code="91310105MA1FL00001",
                                 sector="数字经济", profile={})
    app = application_create(cycle=cycle, applicant=a, track="organization", actor=office)
    Application.objects.filter(pk=app.pk).update(state="material_review",
                                                 submitted_at=timezone.now())
    return Application.objects.get(pk=app.pk), office


def test_staff_recusal_blocks_own_decisions(w: World) -> None:
    with pytest.raises(ConfigurationRequired):  # 滨江 is silent on staff: configuration first
        s.staff_recusal_declare(application=w.app, user=w.office, statement="亲属在该公司任职")
    app, office = changning(w)
    colleague = user("cn-office2", w.other_j, Role.OFFICE)
    mentor = s.expert_create(jurisdiction=w.other_j, actor=office, name="陈思远",
                             employer_name="上海某大学")
    s.relation_add(expert=mentor, actor=office, kind="mentee",
                   organization_name="上海华创科技股份有限公司")
    s.availability_set(expert=mentor, cycle=app.cycle, actor=office)
    s.detect_conflicts(app.cycle, office)
    c = Conflict.objects.get(expert=mentor)
    assert (c.relation, c.article) == ("mentor_of_applicant", "第十五条第二款")
    assert not s.staff_recused(office, app)
    r = s.staff_recusal_declare(application=app, user=office, statement="配偶在该公司任职")
    assert r.article == "第二十八条第（三）项" and s.staff_recused(office, app)
    assert not s.staff_recused(colleague, app)
    with pytest.raises(ServiceError, match="利害关系"):
        s.conflict_decide(conflict=c, actor=office, status="confirmed", reason="指导关系属实")
    s.conflict_decide(conflict=c, actor=colleague, status="confirmed", reason="指导关系属实")
    with pytest.raises(ServiceError):
        s.staff_recusal_declare(application=app, user=office, statement="again")


def test_declaration_is_confirmed_and_cannot_be_dismissed(w: World) -> None:
    experts = pool(w)
    e = experts["clean"]
    u = User.objects.create_user("zhang")
    e.user = u
    e.save()
    with pytest.raises(ServiceError, match="回避情形"):
        s.conflict_declare(expert=e, application=w.app, relation="mentor_of_applicant",
                           statement="曾指导", actor=u)
    c = s.conflict_declare(expert=e, application=w.app, relation="competitor",
                           statement="本人所在单位与该公司竞争同一项目", actor=u)
    assert (c.status, c.origin, c.article) == ("confirmed", "declared", "二、（五）")
    with pytest.raises(ServiceError):
        s.conflict_decide(conflict=c, actor=w.office, status="dismissed", reason="不成立")
    with pytest.raises(ServiceError):
        s.conflict_declare(expert=e, application=w.app, relation="competitor",
                           statement="again", actor=w.reviewer)


def test_pledge_is_built_from_the_policy_and_audited(w: World) -> None:
    e = pool(w)["clean"]
    u = User.objects.create_user("zhang")
    e.user = u
    e.save()
    with pytest.raises(ServiceError, match="本人"):
        s.pledge_sign(e, w.cycle, w.office)
    ec = s.pledge_sign(e, w.cycle, u)
    assert ec.pledge_signed_at is not None
    assert "七、（六）" in ec.pledge_text and "二、（五）" in ec.pledge_text
    assert "竞争对手单位" in ec.pledge_text and "取消评审资格" in ec.pledge_text
    ev = AuditEvent.objects.get(action="pledge_sign")
    assert ev.article.startswith("七、（六）") and ev.data["text"] == ec.pledge_text
    assert s.pledge_signed_for(e, w.cycle)
    first = ec.pledge_signed_at
    assert s.pledge_sign(e, w.cycle, u).pledge_signed_at == first


def test_sanctions_follow_the_policy(w: World) -> None:
    e = pool(w)["clean"]
    with pytest.raises(ServiceError):
        s.sanction_record(expert=e, cycle=w.cycle, actor=w.office, kind="warning",
                          decision="x")
    s.sanction_record(expert=e, cycle=w.cycle, actor=w.head, kind="warning",
                      decision="评审中迟到并提前离场，予以警告", on=dt.date(2026, 6, 1))
    e.refresh_from_db()
    assert e.status == "warned"
    with pytest.raises(ServiceError, match="不得再聘请"):
        s.sanction_record(expert=e, cycle=w.cycle, actor=w.head, kind="disqualification",
                          decision="泄露评审信息", until=dt.date(2028, 1, 1),
                          on=dt.date(2026, 6, 1))
    sanction = s.sanction_record(expert=e, cycle=w.cycle, actor=w.head,
                                 kind="disqualification", decision="泄露评审信息",
                                 on=dt.date(2026, 6, 1))
    assert sanction.until == dt.date(2031, 6, 1)
    e.refresh_from_db()
    assert (e.status, e.disqualified_until) == ("disqualified", dt.date(2031, 6, 1))
    assert not s.expert_can_serve(e, dt.date(2031, 6, 1))
    assert s.expert_can_serve(e, dt.date(2031, 6, 2))
    with pytest.raises(ServiceError, match="不得聘请"):
        s.availability_set(expert=e, cycle=w.cycle, actor=w.office)
    assert ExpertCycle.objects.filter(expert=e, available=True).exists()  # set before
    ev = AuditEvent.objects.filter(action="expert_sanction").last()
    assert ev is not None and ev.to_state == "disqualified" and "七、（六）" in ev.article


def test_relation_dates_and_loads_are_checked(w: World) -> None:
    e = pool(w)["clean"]
    with pytest.raises(ServiceError, match="终止日期"):
        s.relation_add(expert=e, actor=w.office, kind="past_employer",
                       organization_name="某公司", since=dt.date(2020, 1, 1),
                       until=dt.date(2019, 1, 1))
    with pytest.raises(ServiceError, match="最多评审数"):
        s.availability_set(expert=e, cycle=w.cycle, actor=w.office, min_load=5, max_load=2)
    with pytest.raises(ServiceError):
        s.expert_create(jurisdiction=w.j, actor=w.reviewer, name="某人")


def test_pledge_follows_the_policy_s_pledge_duties(w: World) -> None:
    """长宁 第二十八条第（二）项 pledges recusal only (no confidentiality duty for reviewers);
    its mentors recuse under 第十五条第二款."""
    app, _office = changning(w)
    text = s.pledge_text(policy_of(app.cycle))
    assert "保密" not in text and "一、回避" in text
    assert "第二十八条第（三）项" in text and "第十五条第二款" in text


def test_the_look_back_is_the_policy_s_or_the_default(w: World) -> None:
    pool(w)
    # Every bundled policy is silent on the period: the product default, the office may change it.
    assert s.past_employer_years(policy_of(w.cycle)) == 3
    assert s.detect_conflicts(w.cycle, w.office, years=5).created == 2
