"""The API lists the manual checks of an application's current screening with the office's
findings, and records a finding through the same service as the page: 200 with the whole
list, 400 with field and article when refused, 403 for who may see but not record, 404
across districts, 422 when malformed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from qaward.web.api import issue_token
from qaward.web.audit.models import AuditEvent
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import Application, ManualCheckFinding
from qaward.web.cycles.services import eligibility_decide, eligibility_screen
from tests.web.office_world import World, fresh, into_eligibility

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)}"}


def post(client: Client, url: str, data: dict[str, Any], user: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json", **bearer(user))


def screened(w: World) -> Application:
    app = into_eligibility(w)
    eligibility_screen(application=app, actor=w.office)
    return fresh(app)


def url(app: Application) -> str:
    return f"/api/applications/{app.pk}/manual-checks"


def test_the_paths_are_in_the_schema(client: Client) -> None:
    paths = json.loads(client.get("/api/openapi.json").content)["paths"]
    ops = paths["/api/applications/{application_id}/manual-checks"]
    assert set(ops) == {"get", "post"}
    assert {"200", "400", "403", "404", "422"} <= set(ops["post"]["responses"])


def test_the_office_lists_the_checks_without_findings(w: World, client: Client) -> None:
    app = screened(w)
    data = json.loads(client.get(url(app), **bearer(w.office)).content)
    assert data["application_id"] == app.pk and data["screened_on"] == app.engine_result["on"]
    assert (data["screening_verdict"], data["engine_verdict"]) == ("eligible", "eligible")
    assert [c["article"] for c in data["checks"]] == ["三、（二）", "三、（三）", "三、（四）",
                                                      "三、（五）"]
    assert data["missing"] == [c["key"] for c in data["checks"]]
    assert all(c["finding"] is None for c in data["checks"])
    assert data["checks"][3]["text_en"].startswith("Fulfils")


def test_recording_not_met_answers_the_list_with_the_verdict_and_article(
        w: World, client: Client) -> None:
    app = screened(w)
    response = post(client, url(app), {"key": "credit_record", "met": False,
                                       "note": "严重失信记录一条"}, w.office)
    assert response.status_code == 200, response.content
    data = json.loads(response.content)
    assert data["engine_verdict"] == "ineligible" and data["not_met_articles"] == ["三、（五）"]
    finding = data["checks"][3]["finding"]
    assert (finding["met"], finding["note"], finding["recorded_by"]) == (
        False, "严重失信记录一条", "office")
    assert "credit_record" not in data["missing"] and len(data["missing"]) == 3
    event = AuditEvent.objects.get(action="manual_check_record")
    assert event.article == "三、（五）" and event.actor == w.office
    # The same service: the decision is still refused while the others have none.
    with pytest.raises(ServiceError, match="尚未记录核实结果"):
        eligibility_decide(application=app, actor=w.office, decision="ineligible")


def test_a_refusal_is_400_with_field_and_article(w: World, client: Client) -> None:
    app = screened(w)
    response = post(client, url(app), {"key": "credit_record", "met": False, "note": ""},
                    w.office)
    assert response.status_code == 400
    error = json.loads(response.content)
    assert error["field"] == "note" and error["article"] == "三、（五）"
    unknown = post(client, url(app), {"key": "nope", "met": True}, w.office)
    assert unknown.status_code == 400 and json.loads(unknown.content)["field"] == "key"
    assert not ManualCheckFinding.objects.exists()


def test_who_may_read_and_who_may_record(w: World, client: Client) -> None:
    app = screened(w)
    assert client.get(url(app), **bearer(w.auditor)).status_code == 200
    # A reviewer reads only the applications assigned to them (issue 8): not found here.
    assert client.get(url(app), **bearer(w.reviewer)).status_code == 404
    assert client.get(url(app), **bearer(w.applicant_user)).status_code == 403
    assert client.get(url(app), **bearer(w.other_office)).status_code == 404
    body = {"key": "credit_record", "met": True, "note": ""}
    assert post(client, url(app), body, w.auditor).status_code == 403
    assert post(client, url(app), body, w.reviewer).status_code == 404
    assert post(client, url(app), body, w.applicant_user).status_code == 403
    assert post(client, url(app), body, w.other_office).status_code == 404
    assert not ManualCheckFinding.objects.exists()
    assert post(client, url(app), body, w.head).status_code == 200


def test_a_malformed_request_is_422(w: World, client: Client) -> None:
    app = screened(w)
    response = post(client, url(app), {"key": "credit_record", "met": "vielleicht"}, w.office)
    assert response.status_code == 422
    assert json.loads(response.content)["field"] == "met"


def test_before_the_first_screening_the_list_is_empty(w: World, client: Client) -> None:
    app = into_eligibility(w)
    data = json.loads(client.get(url(app), **bearer(w.office)).content)
    assert data["checks"] == [] and data["screened_on"] is None
