"""The pool's API: office only, other jurisdictions not found, decisions need a reason."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from qaward.web.api import issue_token
from qaward.web.cycles.models import Application
from qaward.web.experts import services
from qaward.web.experts.models import Conflict
from tests.web.office_world import World, build_world

pytestmark = pytest.mark.django_db


def bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)}"}


def test_experts_api() -> None:
    w: World = build_world()
    Application.objects.filter(pk=w.app.pk).update(state="material_review",
                                                   submitted_at=timezone.now())
    e = services.expert_create(jurisdiction=w.j, actor=w.office, name="王建国",
                               employer_name="杭州示例科技有限公司", sectors=["电子信息"])
    services.availability_set(expert=e, cycle=w.cycle, actor=w.office)
    c = Client()
    r = c.get(f"/api/experts/jurisdictions/{w.j.code}?sector=电子信息", **bearer(w.office))
    assert r.status_code == 200 and [x["name"] for x in r.json()] == ["王建国"]
    assert c.get(f"/api/experts/jurisdictions/{w.j.code}",
                 **bearer(w.other_office)).status_code == 404
    url = f"/api/experts/cycles/{w.cycle.pk}/conflicts"
    # The auditor sees the console but does not keep the pool: refused, as on the pages; a
    # reviewer does not see the console at all (issue 8): not found.
    assert c.post(url + "/detect", **bearer(w.auditor)).status_code == 403
    assert c.post(url + "/detect", **bearer(w.reviewer)).status_code == 404
    assert c.post(url + "/detect", **bearer(w.office)).json()["created"] == 1
    assert c.post(url + "/detect", **bearer(w.office)).json()["created"] == 0
    [row] = c.get(url + "?status=pending", **bearer(w.office)).json()
    assert row["relation"] == "employed_by_applicant" and row["evidence"][0]["by"] == "name"
    decide = f"/api/experts/conflicts/{row['id']}/decide"
    r = c.post(decide, json.dumps({"status": "dismissed", "reason": ""}),
               content_type="application/json", **bearer(w.office))
    assert r.status_code == 422
    r = c.post(decide, json.dumps({"status": "confirmed", "reason": "在职员工"}),
               content_type="application/json", **bearer(w.office))
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    assert Conflict.objects.get().decided_by == w.office
