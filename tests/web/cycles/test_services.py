"""A cycle through the service layer: open, apply, recommend, review, notice, object."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from qaward.web.accounts.models import Department, Jurisdiction, Membership, Role
from qaward.web.audit.services import verify_chain
from qaward.web.common.errors import ServiceError, StaleVersion
from qaward.web.cycles.models import Applicant
from qaward.web.cycles.services import (
    application_create,
    application_submit,
    application_transition,
    cycle_open,
    eligibility_conclude,
    eligibility_decide,
    eligibility_screen,
)
from qaward.web.policies.services import sync_policies
from qaward.web.recommendations.services import recommendation_sign
from tests.web.office_world import checks_found_met

pytestmark = pytest.mark.django_db(transaction=False)

GOOD_PROFILE = {
    "jurisdiction": "滨江区",
    "established_on": "2010-05-01",
    "excellence_model_since": "2018-01-01",
    "annual_results": [{"year": y, "profit": 100} for y in range(2021, 2026)],
}


@pytest.fixture
def world() -> dict[str, object]:
    sync_policies()
    j = Jurisdiction.objects.get(code="hangzhou-binjiang")
    office = User.objects.create_user("office")
    head = User.objects.create_user("head")
    dept_user = User.objects.create_user("dept")
    dept = Department.objects.create(jurisdiction=j, name="长河街道", kind="street")
    org = Applicant.objects.create(jurisdiction=j, kind="organization", name="杭州示例科技有限公司",
                                   credit_code="91330108MA2XXXXX01", email="a@example.com",
                                   profile=GOOD_PROFILE)
    Membership.objects.create(user=office, jurisdiction=j, role=Role.OFFICE)
    Membership.objects.create(user=head, jurisdiction=j, role=Role.OFFICE_HEAD)
    Membership.objects.create(user=dept_user, jurisdiction=j, role=Role.DEPARTMENT,
                              department=dept)
    return {"j": j, "office": office, "head": head, "dept": dept_user, "org": org}


def test_an_application_goes_from_draft_through_eligibility(
    world: dict, mailoutbox: list, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        run_cycle(world)
    assert any("资料评审" in m.subject for m in mailoutbox)


def run_cycle(world: dict) -> None:
    j, office = world["j"], world["office"]
    cycle = cycle_open(jurisdiction=j, year=2026, title="2026年度滨江区政府质量奖",
                         opened_on=dt.date(2026, 3, 2), applications_close_on=dt.date(2026, 4, 30),
                         actor=office)
    app = application_create(cycle=cycle, applicant=world["org"], track="organization",
                               actor=office, today=dt.date(2026, 3, 20))
    app = application_submit(application=app, actor=office, expected_version=app.version,
                               report_chars=20000, today=dt.date(2026, 4, 1))
    assert app.state == "submitted" and app.pinned_policy_id == "binjiang-2020"
    app = application_transition(application=app, target="recommendation", actor=office,
                                   today=dt.date(2026, 4, 2))
    with pytest.raises(ServiceError, match="四、（二）"):
        application_transition(application=app, target="eligibility", actor=office,
                                 today=dt.date(2026, 5, 4))
    recommendation_sign(application=app, actor=world["dept"], opinion="同意推荐")
    # The review begins only once the window has closed: on the closing day it is refused
    # (citing the article that sets the deadline), the day after it may begin.
    with pytest.raises(ServiceError, match=r"申报期（至2026-04-30）尚未结束.*四、（二）"):
        application_transition(application=app, target="eligibility", actor=office,
                                 today=dt.date(2026, 4, 30))
    app = application_transition(application=app, target="eligibility", actor=office,
                                   today=dt.date(2026, 5, 1))
    result = eligibility_screen(application=app, on=dt.date(2026, 5, 6))
    assert result["verdict"] == "eligible"
    checks_found_met(app, office)
    eligibility_decide(application=app, actor=office, decision="eligible")
    app = eligibility_conclude(application=app, actor=office, today=dt.date(2026, 5, 6))
    assert app.state == "material_review"
    with pytest.raises(StaleVersion):
        application_transition(application=app, target="site_review", actor=office,
                                 expected_version=1)
    assert verify_chain().ok
