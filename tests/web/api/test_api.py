"""The REST API: schema, token and session auth, the UI's permissions, and errors as JSON
{detail, field, article} — 400 with the article, 404 across districts, 409 when stale."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from qaward.web.accounts.models import Membership, Role
from qaward.web.api import issue_token
from qaward.web.audit.services import verify_chain
from qaward.web.cycles.models import Application
from qaward.web.notices.models import Objection
from tests.web.board_world import BINJIANG_PROFILE, OBJECTOR, PDF, World

pytestmark = pytest.mark.django_db(transaction=False)


def bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)}"}


def body(response: Any) -> Any:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return json.loads(response.content)


def post_json(client: Client, url: str, data: dict[str, Any], **extra: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def error_of(response: Any) -> dict[str, Any]:
    data = body(response)
    assert set(data) == {"detail", "field", "article"}
    assert isinstance(data["detail"], str) and "Traceback" not in data["detail"]
    return dict(data)


# ---------------------------------------------------------------------------------------------
# Schema and authentication


def test_the_openapi_schema_is_served_as_json_with_every_path(client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = body(response)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= {
        "/api/policies", "/api/policies/{policy_id}", "/api/notices", "/api/notices/{notice_id}",
        "/api/notices/{notice_id}/objections", "/api/cycles",
        "/api/cycles/{cycle_id}/applications", "/api/applications/{application_id}",
        "/api/applications/{application_id}/transition", "/api/screen"}
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["TokenAuth"].items()
    assert client.get("/api/docs").status_code == 200


def test_a_token_authenticates_an_integration(world: World, client: Client) -> None:
    response = client.get("/api/cycles", **bearer(world.office_b))
    assert response.status_code == 200
    assert [c["title"] for c in body(response)] == ["2026年度滨江区政府质量奖"]
    stages = [st["id"] for st in body(response)[0]["stages"]]
    assert stages[:2] == ["recommendation", "eligibility"] and "committee_notice" in stages


def test_without_a_valid_token_the_answer_is_401_json(world: World, client: Client) -> None:
    assert "Bearer" in error_of(client.get("/api/cycles"))["detail"]
    assert client.get("/api/cycles").status_code == 401
    forged = issue_token(world.office_b)[:-2] + "xx"
    assert client.get("/api/cycles", HTTP_AUTHORIZATION=f"Bearer {forged}").status_code == 401


def test_changing_the_password_or_deactivating_revokes_a_token(world: World,
                                                                client: Client) -> None:
    headers = bearer(world.office_b)
    world.office_b.set_password("a new password")
    world.office_b.save()
    assert client.get("/api/cycles", **headers).status_code == 401
    headers = bearer(world.office_b)
    assert client.get("/api/cycles", **headers).status_code == 200
    world.office_b.is_active = False
    world.office_b.save()
    assert client.get("/api/cycles", **headers).status_code == 401


def test_a_browser_session_authenticates_too(world: World, client: Client) -> None:
    client.force_login(world.office_c)
    assert [c["title"] for c in body(client.get("/api/cycles"))] == ["2026年度长宁区政府质量奖"]


def test_a_write_through_the_session_needs_the_csrf_token(world: World) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.office_b)
    response = post_json(browser, f"/api/applications/{world.app_b2.pk}/transition",
                         {"target": "recommendation", "expected_version": world.app_b2.version})
    assert response.status_code == 403 and "CSRF" in error_of(response)["detail"]
    assert Application.objects.get(pk=world.app_b2.pk).state == "submitted"


# ---------------------------------------------------------------------------------------------
# Policies


def test_a_policy_lists_its_rules_with_their_articles(world: World, client: Client) -> None:
    listed = body(client.get("/api/policies", **bearer(world.office_b)))
    assert "changning-2023" in [p["id"] for p in listed]
    policy = body(client.get("/api/policies/changning-2023", **bearer(world.office_b)))
    assert policy["in_force_until"] == "2028-11-14" and policy["in_force_article"] == "第三十九条"
    rules = {r["key"]: r for r in policy["rules"]}
    assert rules["objections.evidence_required"] == {
        "key": "objections.evidence_required", "value": "yes", "article": "第三十一条"}
    assert rules["cycle.frequency_years"]["article"] == "第三条第一款"
    assert [r["key"] for r in policy["rules"] if r["key"].startswith("eligibility")
            and not r["article"]] == []
    assert error_of(client.get("/api/policies/nowhere-2020", **bearer(world.office_b)))


# ---------------------------------------------------------------------------------------------
# Cycles and applications: the UI's permissions


def test_the_office_lists_its_cycles_applications_with_a_state_filter(world: World,
                                                                      client: Client) -> None:
    url = f"/api/cycles/{world.cycle_b.pk}/applications"
    page = body(client.get(url, **bearer(world.office_b)))
    assert page["count"] == 2
    assert {a["applicant_name"] for a in page["items"]} == {"杭州滨澜智能传感技术有限公司",
                                                            "杭州江晖数据科技有限公司"}
    page = body(client.get(url, {"state": "submitted"}, **bearer(world.office_b)))
    assert [a["id"] for a in page["items"]] == [world.app_b2.pk]


def test_another_districts_cycle_is_not_found(world: World, client: Client) -> None:
    response = client.get(f"/api/cycles/{world.cycle_b.pk}/applications",
                          **bearer(world.office_c))
    assert response.status_code == 404
    assert error_of(response)["article"] is None
    response = client.get(f"/api/applications/{world.app_b.pk}", **bearer(world.office_c))
    assert response.status_code == 404


def test_an_applicant_sees_only_its_own_applications(world: World, client: Client) -> None:
    auth = bearer(world.applicant_user)
    page = body(client.get(f"/api/cycles/{world.cycle_b.pk}/applications", **auth))
    assert [a["id"] for a in page["items"]] == [world.app_b.pk]
    own = client.get(f"/api/applications/{world.app_b.pk}", **auth)
    assert own.status_code == 200
    assert body(own)["engine_result"] is None  # the engine's result is for the office
    assert all(e["actor"] is None for e in body(own)["history"])
    assert client.get(f"/api/applications/{world.app_b2.pk}", **auth).status_code == 404


def test_an_applicant_cannot_transition_its_application(world: World, client: Client) -> None:
    response = post_json(client, f"/api/applications/{world.app_b.pk}/transition",
                         {"target": "withdrawn", "reason": "", "expected_version":
                          world.app_b.version}, **bearer(world.applicant_user))
    assert response.status_code == 403
    assert "评审办" in error_of(response)["detail"]
    assert Application.objects.get(pk=world.app_b.pk).state == "committee_notice"


def test_the_office_sees_history_and_the_engine_result(world: World, client: Client) -> None:
    detail = body(client.get(f"/api/applications/{world.app_b.pk}", **bearer(world.office_b)))
    assert detail["state"] == "committee_notice" and detail["public_state_name_zh"] == "公示中"
    assert detail["engine_result"]["verdict"] == "eligible"
    assert detail["eligibility_decision"]["decision"] == "eligible"
    moves = [(e["from_state"], e["to_state"]) for e in detail["history"] if e["to_state"]]
    assert moves[0] == ("", "draft") and moves[-1] == ("committee", "committee_notice")
    assert detail["history"][-1]["article"] == "四、（七）"
    assert detail["history"][-1]["actor"] == "office_b"


def test_the_office_moves_an_application_with_the_version_it_read(world: World,
                                                                  client: Client) -> None:
    url = f"/api/applications/{world.app_b2.pk}/transition"
    response = post_json(client, url, {"target": "recommendation", "reason": "转推荐部门",
                                       "expected_version": world.app_b2.version},
                         **bearer(world.office_b))
    assert response.status_code == 200, response.content
    assert (body(response)["state"], body(response)["version"]) == \
        ("recommendation", world.app_b2.version + 1)


def test_a_stale_version_is_409_with_a_clear_message(world: World, client: Client) -> None:
    url = f"/api/applications/{world.app_b2.pk}/transition"
    response = post_json(client, url, {"target": "recommendation",
                                       "expected_version": world.app_b2.version - 1},
                         **bearer(world.office_b))
    assert response.status_code == 409
    assert "该申报已被他人修改" in error_of(response)["detail"]
    client.cookies["django_language"] = "en"  # the refusal in the client's language
    response = post_json(client, url, {"target": "recommendation",
                                       "expected_version": world.app_b2.version - 1},
                         **bearer(world.office_b))
    assert response.status_code == 409
    assert "changed by someone else" in error_of(response)["detail"]
    assert Application.objects.get(pk=world.app_b2.pk).state == "submitted"


def test_a_refusal_of_the_policy_is_400_json_with_the_article(world: World,
                                                              client: Client) -> None:
    url = f"/api/applications/{world.app_b2.pk}/transition"
    auth = bearer(world.office_b)
    post_json(client, url, {"target": "recommendation",
                            "expected_version": world.app_b2.version}, **auth)
    response = post_json(client, url, {"target": "eligibility",
                                       "expected_version": world.app_b2.version + 1}, **auth)
    assert response.status_code == 400
    error = error_of(response)
    assert error["article"] == "四、（二）" and "推荐" in error["detail"]


def test_the_office_cannot_submit_for_the_applicant(world: World, client: Client) -> None:
    response = post_json(client, f"/api/applications/{world.app_b2.pk}/transition",
                         {"target": "submitted", "expected_version": world.app_b2.version},
                         **bearer(world.office_b))
    assert response.status_code == 400 and error_of(response)["field"] == "target"


def test_a_notice_state_cannot_be_left_before_the_window_ends(world: World,
                                                              client: Client) -> None:
    response = post_json(client, f"/api/applications/{world.app_b.pk}/transition",
                         {"target": "approval", "expected_version": world.app_b.version},
                         **bearer(world.office_b))
    assert response.status_code == 400
    assert error_of(response)["article"] == "四、（七）"


def test_a_malformed_request_is_422_json(world: World, client: Client) -> None:
    response = post_json(client, f"/api/applications/{world.app_b2.pk}/transition",
                         {"target": "recommendation"}, **bearer(world.office_b))
    assert response.status_code == 422
    assert error_of(response)["field"] == "expected_version"


# ---------------------------------------------------------------------------------------------
# Public notices and objections


def test_notices_are_public(world: World, client: Client) -> None:
    notices = body(client.get("/api/notices"))
    assert [n["title"] for n in notices] == [world.current.title, world.past.title] or \
        {n["title"] for n in notices} == {world.current.title, world.past.title}
    past = body(client.get(f"/api/notices/{world.past.pk}"))
    assert past["status"] == "past" and past["rule"] == "不少于5个工作日"
    assert {a["name"] for a in past["applicants"]} == {"上海虹桥精密仪器有限公司",
                                                      "李海燕（上海仙霞医疗器械有限公司）"}
    assert past["objections"]["article"] == "第三十一条"
    assert past["objections"]["evidence_required"] is True
    only = body(client.get("/api/notices", {"jurisdiction": "hangzhou-binjiang"}))
    assert [n["id"] for n in only] == [world.current.pk]
    current = body(client.get("/api/notices", {"status": "current"}))
    assert [n["id"] for n in current] == [world.current.pk]
    assert client.get("/api/notices", {"status": "someday"}).status_code == 422


def test_a_real_name_objection_in_the_window_is_accepted(world: World, client: Client) -> None:
    evidence = SimpleUploadedFile("报道.pdf", PDF, content_type="application/pdf")
    response = client.post(f"/api/notices/{world.current.pk}/objections",
                           {**OBJECTOR, "application_id": world.app_b.pk, "evidence": evidence})
    assert response.status_code == 201, response.content
    receipt = body(response)
    objection = Objection.objects.get(pk=receipt["id"])
    assert objection.evidence.count() == 1
    for value in OBJECTOR.values():
        assert value not in response.content.decode()


def test_a_late_objection_is_refused_with_the_article(world: World, client: Client) -> None:
    evidence = SimpleUploadedFile("报道.pdf", PDF, content_type="application/pdf")
    response = client.post(f"/api/notices/{world.past.pk}/objections",
                           {**OBJECTOR, "application_id": world.app_c.pk, "evidence": evidence})
    assert response.status_code == 400
    error = error_of(response)
    assert (error["field"], error["article"]) == ("notice", "第二十一条")
    assert not Objection.objects.exists()


def test_an_anonymous_objection_is_refused_with_the_article(world: World,
                                                            client: Client) -> None:
    response = client.post(f"/api/notices/{world.current.pk}/objections",
                           {"application_id": world.app_b.pk, "statement": "匿名反映"})
    assert response.status_code == 400
    error = error_of(response)
    assert (error["field"], error["article"]) == ("name", "四、（七）")
    assert "实名" in error["detail"]


# ---------------------------------------------------------------------------------------------
# Screening


def test_screen_returns_a_verdict_per_profile_and_the_record_errors(world: World,
                                                                    client: Client) -> None:
    good = {"id": "A", "kind": "organization", "name": "杭州甲公司", **BINJIANG_PROFILE}
    young = {**good, "id": "B", "name": "杭州乙公司", "established_on": "2025-01-01"}
    broken = {"id": "C", "kind": "organization"}
    response = post_json(client, "/api/screen", {"policy": "binjiang-2020", "on": "2026-05-06",
                                                 "profiles": [good, young, broken]},
                         **bearer(world.applicant_user))
    assert response.status_code == 200, response.content
    result = body(response)
    assert [(r["id"], r["verdict"]) for r in result["results"]] == [("A", "eligible"),
                                                                    ("B", "ineligible")]
    assert [r["article"] for r in result["results"][1]["reasons"]] == ["三、（一）"]
    assert [e["index"] for e in result["errors"]] == [2]
    assert (result["eligible"], result["ineligible"]) == (1, 1)


def test_screen_needs_authentication(client: Client) -> None:
    response = post_json(client, "/api/screen", {"policy": "binjiang-2020", "profiles": []})
    assert response.status_code == 401


def test_screening_outside_the_period_in_force_cites_the_article(world: World,
                                                                client: Client) -> None:
    response = post_json(client, "/api/screen", {"policy": "hongkou-2021", "on": "2026-11-30",
                                                 "profiles": []}, **bearer(world.office_b))
    assert response.status_code == 400 and error_of(response)["article"]
    response = post_json(client, "/api/screen", {"policy": "nowhere-2020", "profiles": []},
                         **bearer(world.office_b))
    assert response.status_code == 400 and error_of(response)["field"] == "policy"


def test_a_user_with_no_role_sees_no_cycle(world: World, client: Client) -> None:
    stranger = User.objects.create_user("stranger")
    assert body(client.get("/api/cycles", **bearer(stranger))) == []
    assert client.get(f"/api/cycles/{world.cycle_b.pk}/applications",
                      **bearer(stranger)).status_code == 404
    Membership.objects.create(user=stranger, jurisdiction=world.binjiang, role=Role.AUDITOR)
    page = body(client.get(f"/api/cycles/{world.cycle_b.pk}/applications", **bearer(stranger)))
    assert page["count"] == 2
    assert verify_chain().ok
