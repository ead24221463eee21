"""The public notice board: lists without login, takes real-name objections in the window,
refuses anonymous and late ones with the article, and never shows objectors' data."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from qaward.web.audit.services import verify_chain
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import Application
from qaward.web.notices.models import Notice, Objection, ObjectionEvidence
from qaward.web.notices.services import notice_publish
from tests.web.board_world import (
    OBJECTOR,
    PDF,
    TODAY,
    World,
    advance,
)

pytestmark = pytest.mark.django_db(transaction=False)


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
    # Both dates in full, counted by law: published Mon 05-11, day 1 is Tue 05-12.
    assert "公示期：2026年5月12日至2026年5月18日" in page and "2026年5月11日发布" in page
    assert "计算依据：民法典 第二百零一条、第二百零三条" in page
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
    assert f"受理编号 {objection.receipt_no}" in page


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
    assert "（四、（七））" in page  # the article
    form = response.context["form"]  # each refusal on its field
    assert form.errors["name"] == ["异议须实名：请填写您的真实姓名或单位全称。"]
    assert "id_number" in form.errors and "phone" in form.errors
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
    advance(world.app_c, "approval", office=world.office_c, on=TODAY)
    try:
        notice = notice_publish(cycle=world.cycle_c, stage="final",
                                  starts_on=TODAY, today=TODAY, actor=world.office_c,
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
