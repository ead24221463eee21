"""The appeals API calls the same services as the portal and the console."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from qaward.web.api import issue_token
from tests.web.appeals.test_services import configured, refused  # noqa: F401
from tests.web.office_world import World, fresh

pytestmark = pytest.mark.django_db


def post(user: User, url: str, data: dict[str, Any]) -> Any:
    return Client().post(url, data=json.dumps(data), content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {issue_token(user)}")


def test_the_schema_documents_the_appeal_paths(client: Client) -> None:
    schema = json.loads(client.get("/api/openapi.json").content)
    filing = schema["paths"]["/api/appeals/applications/{application_id}"]["post"]
    assert {"201", "400", "404"} <= set(filing["responses"])
    assert "/api/appeals/{appeal_id}/decide" in schema["paths"]


def test_file_and_decide_through_the_api(w: World, configured: None) -> None:  # noqa: F811
    app = refused(w)
    r = post(w.applicant_user, f"/api/appeals/applications/{app.pk}", {"reason": "已在本区注册"})
    assert r.status_code == 201, r.content
    appeal = json.loads(r.content)
    assert appeal["status"] == "open" and appeal["refused_from"] == "eligibility"
    # The one who decided is refused, with the field and the article.
    r = post(w.head, f"/api/appeals/{appeal['id']}/decide", {"upheld": True, "findings": "成立"})
    assert r.status_code == 400
    assert json.loads(r.content)["field"] == "decided_by"
    r = post(w.reviewer, f"/api/appeals/{appeal['id']}/decide",
             {"upheld": True, "findings": "营业执照显示注册在本区"})
    assert r.status_code == 200 and json.loads(r.content)["status"] == "upheld"
    assert fresh(app).state == "eligibility"


def test_a_late_or_unconfigured_appeal_is_a_400_with_the_field(w: World) -> None:
    app = refused(w)
    r = post(w.applicant_user, f"/api/appeals/applications/{app.pk}", {"reason": "理由"})
    assert r.status_code == 400
    assert json.loads(r.content)["field"] == "appeals.time_limit"


def test_another_applicant_sees_nothing(w: World, configured: None) -> None:  # noqa: F811
    app = refused(w)
    r = post(w.other_office, f"/api/appeals/applications/{app.pk}", {"reason": "理由"})
    assert r.status_code == 404
