"""The public notice board: lists without login, takes real-name objections in the window,
refuses anonymous and late ones with the article, and never shows objectors' data."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from qaward.core.workdays import today_shanghai
from qaward.core.workflow import allowed_targets
from qaward.web.accounts.models import Department, Jurisdiction, Membership, Role
from qaward.web.audit.services import verify_chain
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import Applicant, Application, Cycle
from qaward.web.cycles.services import (
    application_create,
    application_submit,
    application_transition,
    cycle_open,
    eligibility_conclude,
    eligibility_decide,
    eligibility_screen,
)
from qaward.web.notices.models import Notice, Objection, ObjectionEvidence
from qaward.web.notices.services import notice_publish
from qaward.web.policies.services import policy_of, sync_policies
from qaward.web.recommendations.services import recommendation_sign

pytestmark = pytest.mark.django_db(transaction=False)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
BINJIANG_PROFILE = {
    "jurisdiction": "杭州高新区（滨江）",
    "established_on": "2010-05-01",
    "excellence_model_since": "2018-01-01",
    "annual_results": [{"year": y, "profit": 100} for y in range(2021, 2026)],
}
CHANGNING_ORG = {
    "jurisdiction": "上海市长宁区",
    "established_on": "2008-06-01",
    "annual_results": [{"year": y, "profit": 100} for y in range(2021, 2026)],
}
CHANGNING_PERSON = {
    "jurisdiction": "上海市长宁区",
    "established_on": "2010-03-01",
    "employer": {"id": "E1", "kind": "organization", "name": "上海仙霞医疗器械有限公司",
                 "jurisdiction": "上海市长宁区", "established_on": "2005-05-18"},
}
OBJECTOR = {"name": "赵异议", "id_number": "310105198001011234", "phone": "13800138000",
            "email": "objector@example.com",
            "statement": "该公司2025年发生过质量事故，附报道截图。"}


@dataclass
class World:
    binjiang: Jurisdiction
    changning: Jurisdiction
    office_b: User
    office_c: User
    applicant_user: User
    cycle_b: Cycle
    cycle_c: Cycle
    app_b: Application  # listed on the current binjiang notice
    app_b2: Application  # another binjiang applicant, not listed
    app_c: Application
    app_person: Application
    current: Notice  # binjiang final notice, open today (7 calendar days)
    past: Notice  # changning eligibility notice of May 2026


def _submitted(cycle: Cycle, applicant: Applicant, track: str, actor: User) -> Application:
    app = application_create(cycle=cycle, applicant=applicant, track=track, actor=actor)
    return application_submit(application=app, actor=actor, expected_version=app.version,
                                report_chars=20000, today=cycle.opened_on)


def advance(app: Application, to: str, *, office: User, dept: User | None = None,
            on: dt.date = dt.date(2026, 5, 6)) -> Application:
    """Walk an application along its policy's main line up to the state ``to``."""
    while app.state != to:
        if app.state == "recommendation":
            recommendation_sign(application=app, actor=dept, opinion="同意推荐")
            app = application_transition(application=app, target="eligibility", actor=office,
                                           today=on)
        elif app.state == "eligibility":
            assert eligibility_screen(application=app, on=on)["verdict"] == "eligible"
            eligibility_decide(application=app, actor=office, decision="eligible")
            app = eligibility_conclude(application=app, actor=office, today=on)
        else:
            nxt = allowed_targets(policy_of(app.cycle), app.state)[0]
            app = application_transition(application=app, target=nxt, actor=office, today=on)
    return app


def build_world() -> World:
    sync_policies()
    bj = Jurisdiction.objects.get(code="hangzhou-binjiang")
    cn = Jurisdiction.objects.get(code="shanghai-changning")
    office_b = User.objects.create_user("office_b", password="pw-office-b")
    office_c = User.objects.create_user("office_c", password="pw-office-c")
    applicant_user = User.objects.create_user("applicant_b", password="pw-applicant")
    dept_b = User.objects.create_user("dept_b")
    dept_c = User.objects.create_user("dept_c")
    Membership.objects.create(user=office_b, jurisdiction=bj, role=Role.OFFICE)
    Membership.objects.create(user=office_c, jurisdiction=cn, role=Role.OFFICE)
    Membership.objects.create(user=dept_b, jurisdiction=bj, role=Role.DEPARTMENT,
                              department=Department.objects.create(
                                  jurisdiction=bj, name="区经济和信息化局", kind="competent"))
    Membership.objects.create(user=dept_c, jurisdiction=cn, role=Role.DEPARTMENT,
                              department=Department.objects.create(
                                  jurisdiction=cn, name="仙霞新村街道", kind="street"))

    org_b = Applicant.objects.create(jurisdiction=bj, kind="organization",
                                     name="杭州滨澜智能传感技术有限公司",
                                     credit_code="91330108MA2B000001", profile=BINJIANG_PROFILE)
    org_b2 = Applicant.objects.create(jurisdiction=bj, kind="organization",
                                      name="杭州江晖数据科技有限公司",
                                      credit_code="91330108MA2B000002", profile=BINJIANG_PROFILE)
    Membership.objects.create(user=applicant_user, jurisdiction=bj, role=Role.APPLICANT,
                              applicant=org_b)
    org_c = Applicant.objects.create(jurisdiction=cn, kind="organization",
                                     name="上海虹桥精密仪器有限公司",
                                     credit_code="91310105MA1C000001", profile=CHANGNING_ORG)
    person = Applicant.objects.create(jurisdiction=cn, kind="individual", name="李海燕",
                                      profile=CHANGNING_PERSON)

    cycle_b = cycle_open(jurisdiction=bj, year=2026, title="2026年度滨江区政府质量奖",
                           opened_on=dt.date(2026, 3, 2),
                           applications_close_on=dt.date(2026, 4, 30), actor=office_b)
    cycle_c = cycle_open(jurisdiction=cn, year=2026, title="2026年度长宁区政府质量奖",
                           opened_on=dt.date(2026, 3, 2),
                           applications_close_on=dt.date(2026, 4, 30), actor=office_c)
    app_b = advance(_submitted(cycle_b, org_b, "organization", office_b), "committee",
                    office=office_b, dept=dept_b)
    app_b2 = _submitted(cycle_b, org_b2, "organization", office_b)
    app_c = advance(_submitted(cycle_c, org_c, "organization", office_c), "eligibility",
                    office=office_c, dept=dept_c)
    app_person = advance(_submitted(cycle_c, person, "individual", office_c), "eligibility",
                         office=office_c, dept=dept_c)

    # 滨江 counts its final notice in calendar days: open today, whatever today is.
    current = notice_publish(cycle=cycle_b, stage="final", starts_on=today_shanghai(),
                               actor=office_b, applications=[app_b])
    past = notice_publish(cycle=cycle_c, stage="eligibility", starts_on=dt.date(2026, 5, 11),
                            actor=office_c, applications=[app_c, app_person])
    for app in (app_b, app_b2, app_c, app_person):
        app.refresh_from_db()
    return World(bj, cn, office_b, office_c, applicant_user, cycle_b, cycle_c, app_b, app_b2,
                 app_c, app_person, current, past)


@pytest.fixture
def world(settings: object, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return build_world()


def pdf(name: str = "截图.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def post_objection(client: Client, notice: Notice, application: Application,
                   **fields: object) -> object:
    data: dict[str, object] = {**OBJECTOR, "application": application.pk}
    data.update(fields)
    return client.post(f"/notices/{notice.pk}/", data)


# ---------------------------------------------------------------------------------------------
# The board


def test_the_board_lists_current_and_past_notices_without_login(world: World,
                                                                client: Client) -> None:
    page = client.get("/notices/").content.decode()
    assert world.current.title in page and world.past.title in page
    assert "杭州滨澜智能传感技术有限公司" in page
    assert "不少于5个工作日" in page and "第二十一条" in page  # 长宁 eligibility notice
    assert "7天" in page and "四、（七）" in page  # 滨江 final notice
    assert "2026-05-11" in page
    assert "公示中" in page and "已结束" in page


def test_an_individual_is_listed_with_the_employer(world: World, client: Client) -> None:
    page = client.get(f"/notices/{world.past.pk}/").content.decode()
    assert "李海燕（上海仙霞医疗器械有限公司）" in page


def test_the_board_filters_by_jurisdiction(world: World, client: Client) -> None:
    page = client.get("/notices/", {"jurisdiction": "shanghai-changning"}).content.decode()
    assert world.past.title in page and world.current.title not in page
    page = client.get("/notices/", {"status": "current"}).content.decode()
    assert world.current.title in page and world.past.title not in page


def test_the_notice_page_says_how_objections_are_handled_citing_the_article(
        world: World, client: Client) -> None:
    changning = client.get(f"/notices/{world.past.pk}/").content.decode()
    assert "异议如何处理" in changning
    assert "上海市长宁区政府质量奖管理办法》第三十一条" in changning
    assert "并提供必要的证明材料" in changning
    binjiang = client.get(f"/notices/{world.current.pk}/").content.decode()
    assert "未规定专门的异议程序" in binjiang and "四、（七）" in binjiang
    assert "提交评审委员会" in binjiang  # 滨江: the investigation report goes to the committee


def test_an_unknown_notice_is_404(world: World, client: Client) -> None:
    assert client.get("/notices/999999/").status_code == 404


# ---------------------------------------------------------------------------------------------
# Objections


def test_an_objection_in_the_window_is_accepted_with_its_evidence(world: World,
                                                                  client: Client) -> None:
    response = post_objection(client, world.current, world.app_b, evidence=[pdf()])
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert (objection.objector_name, objection.application, objection.notice) == \
        ("赵异议", world.app_b, world.current)
    evidence = ObjectionEvidence.objects.get(objection=objection)
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (evidence.original_name, evidence.size) == ("截图.pdf", len(PDF))
    assert evidence.file.read() == PDF
    assert verify_chain().ok
    page = client.get(response["Location"]).content.decode()
    assert f"受理编号 {objection.pk}" in page


def test_a_late_objection_is_refused_citing_the_article_and_keeps_what_was_typed(
        world: World, client: Client) -> None:
    response = post_objection(client, world.past, world.app_c, evidence=[pdf()])
    page = response.content.decode()
    assert response.status_code == 200
    assert "不在公示期内" in page and "第二十一条" in page
    assert 'value="赵异议"' in page and "附报道截图" in page
    assert "请重新选择证明材料" in page
    assert not Objection.objects.exists() and not ObjectionEvidence.objects.exists()


def test_an_anonymous_objection_is_refused_citing_the_article(world: World,
                                                              client: Client) -> None:
    response = post_objection(client, world.current, world.app_b, name="", id_number="",
                              phone="")
    page = response.content.decode()
    assert "异议未被受理" in page
    assert ("异议须实名提出：请填写姓名或单位名称、身份证号或统一社会信用代码、联系电话和异议内容"
            "（四、（七））") in page
    assert "附报道截图" in page  # the statement typed is kept
    assert not Objection.objects.exists()


def test_an_objection_must_name_a_listed_applicant(world: World, client: Client) -> None:
    response = post_objection(client, world.current, world.app_b2)
    assert response.status_code == 200
    assert not Objection.objects.exists()


def test_an_evidence_file_of_the_wrong_type_is_refused(world: World, client: Client) -> None:
    exe = SimpleUploadedFile("证据.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    fake = pdf("伪装.pdf", b"not a pdf at all")
    page = post_objection(client, world.current, world.app_b,
                          evidence=[exe, fake]).content.decode()
    assert "“证据.exe”的文件类型不允许" in page
    assert "“伪装.pdf”的内容不是PDF文件" in page
    assert not Objection.objects.exists()


def test_an_evidence_file_over_the_size_limit_is_refused(world: World, client: Client,
                                                         settings: object) -> None:
    settings.QAWARD_MAX_UPLOAD_BYTES = 16  # type: ignore[attr-defined]
    page = post_objection(client, world.current, world.app_b,
                          evidence=[pdf()]).content.decode()
    assert "超过" in page and "上限" in page
    assert not Objection.objects.exists()


def test_where_the_regulation_asks_for_evidence_an_objection_without_it_is_refused(
        world: World, client: Client) -> None:
    advance(world.app_c, "approval", office=world.office_c, on=today_shanghai())
    try:
        notice = notice_publish(cycle=world.cycle_c, stage="final",
                                  starts_on=today_shanghai(), actor=world.office_c,
                                  applications=[world.app_c])
    except ServiceError as err:  # the working-day schedule of next year is not out yet
        if "working-day schedule" in str(err):
            pytest.skip(str(err))
        raise
    page = post_objection(client, notice, world.app_c).content.decode()
    assert "请上传必要的证明材料" in page and "第三十一条" in page
    assert not Objection.objects.exists()
    assert post_objection(client, notice, world.app_c, evidence=[pdf()]).status_code == 302


def test_public_pages_never_show_the_objectors_data(world: World, client: Client) -> None:
    response = post_objection(client, world.current, world.app_b, evidence=[pdf()])
    assert response.status_code == 302
    pages = [client.get(response["Location"]).content.decode(),
             client.get("/notices/").content.decode(),
             client.get(f"/notices/{world.current.pk}/").content.decode(),
             Client().get(f"/notices/{world.current.pk}/").content.decode(),
             Client().get("/api/notices").content.decode(),
             Client().get(f"/api/notices/{world.current.pk}").content.decode()]
    for page in pages:
        for value in OBJECTOR.values():
            assert value not in page
        assert "截图.pdf" not in page


def test_the_board_is_shown_in_english_when_chosen(world: World, client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/notices/"})
    page = client.get("/notices/").content.decode()
    assert 'lang="en"' in page
    assert "Hangzhou Hi-tech Zone (Binjiang)" in page
