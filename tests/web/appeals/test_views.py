"""The portal's appeal form and the office's decision form on the application pages."""

from __future__ import annotations

import pytest

from qaward.web.appeals.models import Appeal
from tests.web.appeals.test_services import configured, refused  # noqa: F401
from tests.web.office_world import World, client_for, fresh

pytestmark = pytest.mark.django_db


def test_file_in_the_portal_and_decide_in_the_console(w: World, configured: None) -> None:  # noqa: F811
    app = refused(w)
    portal = client_for(w.applicant_user)
    page = portal.get(f"/portal/applications/{app.pk}/").content.decode()
    assert "提出申诉" in page
    r = portal.post(f"/portal/applications/{app.pk}/appeal/", {"reason": "已在本区注册"},
                    follow=True)
    assert "申诉已提交" in r.content.decode()
    a = Appeal.objects.get()
    office = client_for(w.reviewer)
    page = office.get(f"/console/applications/{app.pk}/").content.decode()
    assert "申诉不成立" in page
    r = client_for(w.head).post(f"/console/appeals/{a.pk}/decide/",
                                {"upheld": "1", "findings": "成立"}, follow=True)
    assert "作出原结论的人员不能处理" in r.content.decode()
    office.post(f"/console/appeals/{a.pk}/decide/", {"upheld": "1", "findings": "成立"})
    assert fresh(app).state == "eligibility"


def test_no_form_once_the_time_limit_is_unconfigured(w: World) -> None:
    app = refused(w)
    page = client_for(w.applicant_user).get(f"/portal/applications/{app.pk}/").content.decode()
    assert "提出申诉" not in page
