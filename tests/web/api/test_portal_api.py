"""The applicant's side of the API: the same services as the portal's pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from qaward.web.api import issue_token
from qaward.web.audit.models import AuditEvent
from tests.web.cycles.test_views_portal import docx_file
from tests.web.office_world import GOOD_PROFILE, World, fresh

pytestmark = pytest.mark.django_db


def auth(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)}"}


def send(method: str, user: User, url: str, data: dict[str, Any]) -> Any:
    return getattr(Client(), method)(url, data=json.dumps(data),
                                     content_type="application/json", **auth(user))


def test_the_schema_documents_the_portal_paths(client: Client) -> None:
    paths = json.loads(client.get("/api/openapi.json").content)["paths"]
    assert {"/api/portal/applications", "/api/portal/applications/{application_id}/profile",
            "/api/portal/applications/{application_id}/documents",
            "/api/portal/applications/{application_id}/submit",
            "/api/portal/invitations/{invitation_id}/{answer}"} <= set(paths)
    assert "409" in paths["/api/portal/applications/{application_id}/submit"]["post"][
        "responses"]


def test_an_applicant_prepares_and_submits_through_the_api(w: World) -> None:
    u = w.applicant_user
    listed = json.loads(Client().get("/api/portal/applications", **auth(u)).content)
    assert [a["id"] for a in listed] == [w.app.pk]
    r = send("post", u, "/api/portal/applications",
             {"cycle_id": w.cycle.pk, "applicant_id": w.org.pk, "track": "individual"})
    assert r.status_code == 400 and json.loads(r.content)["field"] == "track"
    r = send("post", u, f"/api/portal/applications/{w.app.pk}/profile",
             {"profile": {**GOOD_PROFILE, "sector": "电子信息"}})
    assert r.status_code == 200, r.content
    # Submitting without a report is refused, naming the field.
    r = send("post", u, f"/api/portal/applications/{w.app.pk}/submit",
             {"expected_version": w.app.version})
    assert r.status_code == 400 and json.loads(r.content)["field"] == "report"
    r = Client().post(f"/api/portal/applications/{w.app.pk}/documents",
                      {"kind": "report", "file": docx_file("质量管理" * 50)}, **auth(u))
    assert r.status_code == 201, r.content
    assert json.loads(r.content)["report_chars"] >= 200  # the docx helper adds a title
    r = send("post", u, f"/api/portal/applications/{w.app.pk}/submit",
             {"expected_version": w.app.version + 5})
    assert r.status_code == 409
    r = send("post", u, f"/api/portal/applications/{w.app.pk}/submit",
             {"expected_version": w.app.version})
    assert r.status_code == 200, r.content
    assert fresh(w.app).state == "submitted"
    assert AuditEvent.objects.filter(entity_id=str(w.app.pk), to_state="submitted").exists()
    # Submitted: no more changes.
    r = send("post", u, f"/api/portal/applications/{w.app.pk}/profile", {"profile": GOOD_PROFILE})
    assert r.status_code == 403


def test_others_see_nothing(w: World) -> None:
    r = send("post", w.office, f"/api/portal/applications/{w.app.pk}/profile",
             {"profile": GOOD_PROFILE})
    assert r.status_code == 404
    assert json.loads(Client().get("/api/portal/applications", **auth(w.office)).content) == []
