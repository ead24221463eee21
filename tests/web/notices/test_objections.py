"""The objection (异议) workflow: real-name checks on the form and in the API, one objection
per submission, the receipt number and its lookup, the outcomes (upheld, dismissed, not
accepted, duplicate), the assigned investigator deciding, the removal decision of whom the
policy names (the head's sign-off where the regulation is silent, 滨江 四、（七）'s
committee), and the removed applicant marked on the notice."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from qaward.core.states import REMOVED_BY_OBJECTION
from qaward.web.accounts.models import Membership, Role
from qaward.web.audit.services import verify_chain
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import Application
from qaward.web.notices.models import Notice, Objection
from qaward.web.notices.services import (
    objection_assign,
    objection_decide,
    objection_removal_decide,
    objection_submit,
)
from tests.web.board_world import OBJECTOR, World

pytestmark = pytest.mark.django_db(transaction=False)

# Valid identities (GB 11643 check digit, GB 32100 check character).
SECOND = {"name": "Zhao Yiyi", "id_number": "33010619900101123X", "phone": "0571-88886666"}
THIRD = {"name": "阿依古丽·买买提", "id_number": "330106198812120419", "phone": "13912345678"}
COMPANY = {"name": "杭州江晖数据科技有限公司", "id_number": "91330108MA2B00000Q",
           "phone": "0571-86660000"}


def staff(world: World, name: str, role: str, *, changning: bool = False) -> User:
    u = User.objects.create_user(name)
    Membership.objects.create(user=u, role=role,
                              jurisdiction=world.changning if changning else world.binjiang)
    return u


def client_for(u: User) -> Client:
    c = Client()
    c.force_login(u)
    return c


def form_token(client: Client, notice: Notice) -> str:
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    found = re.search(r'name="token" value="([^"]+)"', page)
    assert found, "the objection form carries a token"
    return found.group(1)


def post_form(client: Client, notice: Notice, app: Application, **fields: Any) -> Any:
    data: dict[str, Any] = {**OBJECTOR, "application": app.pk}
    data.update(fields)
    return client.post(f"/notices/{notice.pk}/", data)


def submit(world: World, who: dict[str, str] = OBJECTOR, *, changning: bool = False,
           statement: str = "", app: Application | None = None) -> Objection:
    notice = world.past if changning else world.current
    app = app or (world.app_c if changning else world.app_b)
    fields = {k: who[k] for k in ("name", "id_number", "phone")}
    return objection_submit(notice=notice, application=app, **fields,
                            statement=statement
                            or f"该单位发生过质量事故（线索{who['id_number'][6:10]}）。",
                            today=notice.starts_on)


def uphold(o: Objection, actor: User) -> Objection:
    return objection_decide(objection=o, actor=actor, outcome="upheld",
                            findings="经核实，确有质量事故未如实申报。", reason="申报材料不实")


def state_of(app: Application) -> str:
    return Application.objects.get(pk=app.pk).state


# ---------------------------------------------------------------------------------------------
# Real names, on the form and in the API

REFUSED = [
    pytest.param({"id_number": "310105198001011234"}, "id_number", id="id-check-digit"),
    pytest.param({"id_number": "91330108MA2B000001"}, "id_number", id="credit-code-check"),
    pytest.param({"phone": "12345"}, "phone", id="phone-implausible"),
    pytest.param({"phone": "13800"}, "phone", id="phone-short"),
    pytest.param({"name": "赵1议"}, "name", id="name-with-digit"),
    pytest.param({"name": "匿名"}, "name", id="placeholder-anonymous"),
    pytest.param({"name": "x"}, "name", id="placeholder-x"),
]


@pytest.mark.parametrize(("fields", "field"), REFUSED)
def test_the_form_refuses_what_is_not_a_real_name_on_its_field(
        world: World, client: Client, fields: dict[str, str], field: str) -> None:
    response = post_form(client, world.current, world.app_b, **fields)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field], errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Objection.objects.exists()


@pytest.mark.parametrize(("fields", "field"), REFUSED)
def test_the_api_refuses_what_is_not_a_real_name_naming_the_field(
        world: World, client: Client, fields: dict[str, str], field: str) -> None:
    response = client.post(f"/api/notices/{world.current.pk}/objections",
                           {**OBJECTOR, **fields, "application_id": world.app_b.pk})
    assert response.status_code == 400, response.content
    error = response.json()
    assert (error["field"], error["article"]) == (field, "四、（七）")
    assert not Objection.objects.exists()


def test_the_refusals_are_in_english_for_an_english_reader(world: World,
                                                          client: Client) -> None:
    from django.conf import settings
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(f"/notices/{world.current.pk}/",
                           {**OBJECTOR, "id_number": "310105198001011234",
                            "application": world.app_b.pk})
    errors = response.context["form"].errors["id_number"]
    assert "check" in errors[0].lower() and "校验" not in errors[0]


@pytest.mark.parametrize("who", [SECOND, THIRD, COMPANY], ids=["latin", "middle-dot", "org"])
def test_real_names_of_every_kind_are_accepted(world: World, client: Client,
                                               who: dict[str, str]) -> None:
    response = post_form(client, world.current, world.app_b, **who)
    assert response.status_code == 302
    assert Objection.objects.get().objector_id_number == who["id_number"]


# ---------------------------------------------------------------------------------------------
# One objection per submission, a receipt number, its lookup


def test_a_resubmitted_form_creates_one_objection_with_the_same_receipt(
        world: World, client: Client) -> None:
    token = form_token(client, world.current)
    pages = []
    for statement in (OBJECTOR["statement"], "（再次点击提交）该公司2025年发生过质量事故。"):
        response = post_form(client, world.current, world.app_b, token=token,
                             statement=statement)
        assert response.status_code == 302
        pages.append(client.get(response["Location"]).content.decode())
    objection = Objection.objects.get()
    assert objection.idempotency_key == token
    for page in pages:
        assert f"受理编号 {objection.receipt_no}" in page
    assert re.fullmatch(r"\d{8}-[A-Z2-9]{4}-[A-Z2-9]{4}", objection.receipt_no)
    assert verify_chain().ok


def test_the_same_statement_by_the_same_person_is_one_objection(world: World,
                                                                client: Client) -> None:
    post_form(client, world.current, world.app_b, token=form_token(client, world.current))
    post_form(client, world.current, world.app_b, token=form_token(client, world.current),
              statement=OBJECTOR["statement"] + "\n")
    assert Objection.objects.count() == 1
    post_form(client, world.current, world.app_b, token=form_token(client, world.current),
              statement="另一件事：该公司虚报了销售额。")
    assert Objection.objects.count() == 2


def test_two_forms_get_two_tokens(world: World, client: Client) -> None:
    assert form_token(client, world.current) != form_token(client, world.current)


def test_the_api_idempotency_key_returns_the_objection_already_received(
        world: World, client: Client) -> None:
    url = f"/api/notices/{world.current.pk}/objections"
    data = {**OBJECTOR, "application_id": world.app_b.pk}
    first = client.post(url, data, HTTP_IDEMPOTENCY_KEY="retry-7f3a")
    second = client.post(url, {**data, "statement": "重试"}, HTTP_IDEMPOTENCY_KEY="retry-7f3a")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["receipt_no"] == second.json()["receipt_no"]
    assert Objection.objects.count() == 1
    other = client.post(url, {**data, **SECOND}, HTTP_IDEMPOTENCY_KEY="another")
    assert other.status_code == 201 and Objection.objects.count() == 2


def test_the_receipt_is_mailed_to_the_objector(world: World, client: Client,
                                               django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post_form(client, world.current, world.app_b)
    objection = Objection.objects.get()
    assert any(objection.receipt_no in m.subject for m in mail.outbox)


def test_the_objector_looks_the_status_up_with_receipt_and_id_number(
        world: World, client: Client) -> None:
    objection = submit(world)
    url = reverse("public:objection_status")
    page = client.post(url, {"receipt_no": objection.receipt_no.lower(),
                            "id_number": OBJECTOR["id_number"]}).content.decode()
    assert objection.receipt_no in page and "已受理" in page
    assert OBJECTOR["name"] not in page and OBJECTOR["phone"] not in page
    assert OBJECTOR["id_number"] not in page
    wrong = client.post(url, {"receipt_no": objection.receipt_no,
                             "id_number": SECOND["id_number"]}).content.decode()
    assert "未找到该异议" in wrong and "已受理" not in wrong
    dismissed = objection_decide(objection=objection, actor=world.office_b,
                                 outcome="dismissed", findings="查无此事", reason="证据不足")
    page = client.post(url, {"receipt_no": dismissed.receipt_no,
                            "id_number": OBJECTOR["id_number"]}).content.decode()
    assert "异议不成立" in page and "证据不足" in page


# ---------------------------------------------------------------------------------------------
# Outcomes


@pytest.mark.parametrize("reason", ["out_of_time", "not_about_notice", "no_evidence"])
def test_an_objection_may_be_not_accepted_with_its_reason(world: World, reason: str) -> None:
    o = objection_decide(objection=submit(world), actor=world.office_b,
                         outcome="not_accepted", not_accepted_reason=reason,
                         findings="见受理审查记录", reason="不予受理")
    assert (o.status, o.not_accepted_reason) == ("not_accepted", reason)
    assert o.removal == "" and state_of(world.app_b) != REMOVED_BY_OBJECTION


def test_not_accepted_needs_a_reason(world: World) -> None:
    with pytest.raises(ServiceError) as err:
        objection_decide(objection=submit(world), actor=world.office_b,
                         outcome="not_accepted", findings="见受理审查记录", reason="不予受理")
    assert err.value.field == "not_accepted_reason"


def test_a_duplicate_names_the_original(world: World) -> None:
    original = submit(world)
    again = submit(world, SECOND, statement="同一事故：该公司2025年发生过质量事故。")
    with pytest.raises(ServiceError) as err:
        objection_decide(objection=again, actor=world.office_b, outcome="duplicate",
                         findings="与在先异议反映的事项相同", reason="重复异议")
    assert err.value.field == "duplicate_of"
    o = objection_decide(objection=again, actor=world.office_b, outcome="duplicate",
                         duplicate_of=original, findings="与在先异议反映的事项相同",
                         reason="重复异议")
    assert (o.status, o.duplicate_of) == ("duplicate", original)


def test_the_office_page_records_a_duplicate(world: World) -> None:
    original = submit(world)
    again = submit(world, SECOND, statement="同一事故")
    response = client_for(world.office_b).post(
        reverse("awards:objection_decide", args=[again.pk]),
        {"outcome": "duplicate", "duplicate_of": original.pk, "findings": "同一事项",
         "reason": "重复异议", "confirm": "on"})
    assert response.status_code == 302
    again.refresh_from_db()
    assert again.duplicate_of == original


# ---------------------------------------------------------------------------------------------
# Who decides


def test_only_the_assigned_investigator_or_a_head_decides(world: World) -> None:
    colleague = staff(world, "office_b2", Role.OFFICE)
    head = staff(world, "head_b", Role.OFFICE_HEAD)
    o = objection_assign(objection=submit(world), investigator=colleague, actor=world.office_b)
    with pytest.raises(ServiceError) as err:
        objection_decide(objection=o, actor=world.office_b, outcome="dismissed",
                         findings="查无此事", reason="证据不足")
    assert err.value.field == "outcome"
    page = client_for(world.office_b).get(
        reverse("awards:objection_detail", args=[o.pk])).content.decode()
    assert "只有调查核实人或评审办负责人可以作出处理结论" in page
    response = client_for(world.office_b).post(
        reverse("awards:objection_decide", args=[o.pk]),
        {"outcome": "dismissed", "findings": "查无此事", "reason": "证据不足",
         "confirm": "on"})
    assert response.status_code == 200
    assert Objection.objects.get(pk=o.pk).status == "investigating"
    assert objection_decide(objection=o, actor=colleague, outcome="dismissed",
                            findings="查无此事", reason="证据不足").status == "dismissed"
    other = objection_assign(objection=submit(world, SECOND), investigator=colleague,
                             actor=world.office_b)
    assert objection_decide(objection=other, actor=head, outcome="dismissed",
                            findings="查无此事", reason="证据不足").decided_by == head


def test_only_the_investigator_and_heads_see_the_objector(world: World) -> None:
    colleague = staff(world, "office_b2", Role.OFFICE)
    head = staff(world, "head_b", Role.OFFICE_HEAD)
    o = objection_assign(objection=submit(world), investigator=colleague, actor=world.office_b)
    url = reverse("awards:objection_detail", args=[o.pk])
    for u in (colleague, head):
        page = client_for(u).get(url).content.decode()
        assert OBJECTOR["id_number"] in page and OBJECTOR["phone"] in page
        assert OBJECTOR["name"] in page
    page = client_for(world.office_b).get(url).content.decode()
    for value in (OBJECTOR["id_number"], OBJECTOR["phone"], OBJECTOR["name"],
                  OBJECTOR["email"]):
        assert value not in page
    assert "3101**********1235" in page and "赵**" in page
    listing = client_for(world.office_b).get(
        reverse("awards:notice_objections", args=[world.current.pk])).content.decode()
    assert OBJECTOR["name"] not in listing and o.receipt_no in listing


# ---------------------------------------------------------------------------------------------
# Removal: by whom the policy names, once no objection is open


def test_where_the_regulation_is_silent_the_head_signs_off_the_removal(world: World) -> None:
    """长宁 第三十一条 says nothing of who decides: the office head signs off."""
    head = staff(world, "head_c", Role.OFFICE_HEAD, changning=True)
    o = uphold(submit(world, changning=True), world.office_c)
    assert (o.removal, o.removal_by) == ("pending", "office_head")
    assert state_of(world.app_c) != REMOVED_BY_OBJECTION
    desk = reverse("awards:head_desk", args=[o.notice.cycle.jurisdiction.code])
    assert o.receipt_no in client_for(head).get(desk).content.decode()  # waits on the desk
    with pytest.raises(ServiceError):
        objection_removal_decide(objection=o, actor=world.office_c, approve=True,
                                 opinion="同意退出")
    assert state_of(world.app_c) != REMOVED_BY_OBJECTION
    objection_removal_decide(objection=o, actor=head, approve=True, opinion="同意退出评审")
    assert state_of(world.app_c) == REMOVED_BY_OBJECTION
    o.refresh_from_db()
    assert (o.removal, o.removal_decided_by) == ("approved", head)
    assert o.receipt_no not in client_for(head).get(desk).content.decode()
    assert verify_chain().ok


def test_the_head_may_refuse_the_removal(world: World) -> None:
    head = staff(world, "head_c", Role.OFFICE_HEAD, changning=True)
    o = uphold(submit(world, changning=True), world.office_c)
    objection_removal_decide(objection=o, actor=head, approve=False,
                             opinion="事故已整改，不影响申报资格")
    assert Objection.objects.get(pk=o.pk).removal == "refused"
    assert state_of(world.app_c) != REMOVED_BY_OBJECTION
    with pytest.raises(ServiceError):
        objection_removal_decide(objection=o, actor=head, approve=True, opinion="改变主意")


def test_removal_waits_until_every_open_objection_is_decided(world: World) -> None:
    head = staff(world, "head_c", Role.OFFICE_HEAD, changning=True)
    first = uphold(submit(world, changning=True), world.office_c)
    second = submit(world, SECOND, changning=True)
    objection_removal_decide(objection=first, actor=head, approve=True, opinion="同意退出")
    assert state_of(world.app_c) != REMOVED_BY_OBJECTION  # the second is still open
    objection_decide(objection=second, actor=world.office_c, outcome="dismissed",
                     findings="查无此事", reason="证据不足")
    assert state_of(world.app_c) == REMOVED_BY_OBJECTION


def test_binjiang_removal_is_the_committees_recorded_by_the_office(world: World) -> None:
    """滨江 四、（七）: the office investigates and reports; the committee decides."""
    head = staff(world, "head_b", Role.OFFICE_HEAD)
    o = uphold(submit(world), world.office_b)
    assert (o.removal, o.removal_by) == ("pending", "committee")
    with pytest.raises(ServiceError) as err:
        objection_removal_decide(objection=o, actor=head, approve=True, opinion="同意")
    assert err.value.field == "resolution_on" and err.value.article == "四、（七）"
    assert state_of(world.app_b) != REMOVED_BY_OBJECTION
    objection_removal_decide(objection=o, actor=world.office_b, approve=True,
                             opinion="评审委员会决定退出评审",
                             resolution_on=dt.date(2026, 9, 10), reference="滨评委会议纪要3号")
    assert state_of(world.app_b) == REMOVED_BY_OBJECTION


def test_the_head_signs_off_in_the_page(world: World) -> None:
    head = staff(world, "head_c", Role.OFFICE_HEAD, changning=True)
    o = uphold(submit(world, changning=True), world.office_c)
    url = reverse("awards:objection_detail", args=[o.pk])
    assert 'name="decision"' not in client_for(world.office_c).get(url).content.decode()
    assert 'name="decision"' in client_for(head).get(url).content.decode()
    response = client_for(head).post(reverse("awards:objection_removal", args=[o.pk]),
                                     {"decision": "approve", "opinion": "同意退出评审"})
    assert response.status_code == 302
    assert state_of(world.app_c) == REMOVED_BY_OBJECTION


def test_the_notice_marks_the_removed_applicant(world: World, client: Client) -> None:
    o = uphold(submit(world), world.office_b)
    objection_removal_decide(objection=o, actor=world.office_b, approve=True,
                             opinion="评审委员会决定退出评审",
                             resolution_on=dt.date(2026, 9, 10), reference="会议纪要3号")
    page = client.get(f"/notices/{world.current.pk}/").content.decode()
    assert "<del>杭州滨澜智能传感技术有限公司</del>" in page
    assert "已因异议成立退出评审" in page
    page = client.get(f"/notices/{world.past.pk}/").content.decode()
    assert "已因异议成立退出评审" not in page
