"""Third-party recommendations (崇明 第二十条): an invitation the organization must accept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from qaward.web.accounts.models import Jurisdiction, Membership, Role
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import Applicant
from qaward.web.cycles.services import cycle_open
from qaward.web.policies.services import sync_policies
from qaward.web.recommendations.services import invitation_create, invitation_respond

pytestmark = pytest.mark.django_db


def setup_cycle(code: str, year: int = 2026) -> tuple[Jurisdiction, User, object, Applicant]:
    sync_policies()
    j = Jurisdiction.objects.get(code=code)
    office = User.objects.create_user(f"office-{code}")
    Membership.objects.create(user=office, jurisdiction=j, role=Role.OFFICE)
    cycle = cycle_open(jurisdiction=j, year=year, title="周期", opened_on=dt.date(year, 3, 2),
                         applications_close_on=dt.date(year, 4, 30), actor=office)
    org = Applicant.objects.create(jurisdiction=j, kind="organization",
                                   name="上海崇明示例农业有限公司", email="org@example.com")
    return j, office, cycle, org


def test_an_invitation_is_recorded_where_the_regulation_allows_third_parties(
        django_capture_on_commit_callbacks: object, mailoutbox: list) -> None:
    _, office, cycle, org = setup_cycle("shanghai-chongming")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        inv = invitation_create(cycle=cycle, applicant=org, recommender="区农业农村委",
                                  recommender_kind="competent", reason="绿色农业质量管理成效突出",
                                  actor=office)
    assert inv.accepted_at is None
    assert "第二十条" in mailoutbox[0].body
    with pytest.raises(ServiceError, match="等待其确认"):
        invitation_create(cycle=cycle, applicant=org, recommender="区农业农村委",
                            recommender_kind="competent", reason="再次推荐", actor=office)
    invitation_respond(invitation=inv, actor=office, accept=True)
    inv.refresh_from_db()
    assert inv.accepted_at is not None


def test_an_invitation_is_refused_where_only_the_competent_department_recommends() -> None:
    _, office, cycle, org = setup_cycle("hangzhou-binjiang")
    with pytest.raises(ServiceError, match="四、（二）"):
        invitation_create(cycle=cycle, applicant=org, recommender="某协会",
                            recommender_kind="association", reason="推荐", actor=office)


def test_the_office_records_a_recommendation_in_the_cycle_page(client: object) -> None:
    _, office, cycle, org = setup_cycle("shanghai-chongming")
    client.force_login(office)  # type: ignore[attr-defined]
    page = client.get(f"/console/cycles/{cycle.pk}/")  # type: ignore[attr-defined]
    assert "第三方推荐" in page.content.decode()
    response = client.post(  # type: ignore[attr-defined]
        f"/console/cycles/{cycle.pk}/invitations/new/",
        {"applicant": org.pk, "recommender": "区农业农村委", "recommender_kind": "competent",
         "reason": "绿色农业质量管理成效突出"}, follow=True)
    html = response.content.decode()
    assert "已记录推荐" in html
    assert "区农业农村委：待确认" in html.replace(" ", "")


def test_no_recommendation_form_where_the_regulation_has_no_third_parties(client: object) -> None:
    _, office, cycle, _org = setup_cycle("hangzhou-binjiang")
    client.force_login(office)  # type: ignore[attr-defined]
    page = client.get(f"/console/cycles/{cycle.pk}/")  # type: ignore[attr-defined]
    assert "记录推荐" not in page.content.decode()


def test_the_committee_reads_the_investigation_report_without_the_objector(
        client: object) -> None:
    """滨江 四、（七）: issues raised during the notice are investigated and reported to the
    committee; the committee sees the findings, never the objector's personal data."""
    from qaward.web.demo.builder import build_demo
    from qaward.web.notices.models import Objection

    build_demo(policy_id="binjiang-2020", count=6)
    objection = Objection.objects.get()
    assert objection.reported_to_committee
    committee = User.objects.get(username="committee")
    client.force_login(committee)  # type: ignore[attr-defined]
    html = client.get(  # type: ignore[attr-defined]
        f"/console/applications/{objection.application_id}/").content.decode()
    assert "提交评委会" in html
    assert objection.findings in html
    assert objection.objector_name not in html
    assert objection.objector_id_number not in html
