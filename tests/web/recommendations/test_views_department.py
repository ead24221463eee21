"""The recommending department's pages: what awaits its recommendation, signing it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from qaward.web.accounts.models import Department, Role
from qaward.web.cycles.services import application_transition
from qaward.web.recommendations.models import Recommendation
from qaward.web.recommendations.services import recommendation_sign
from tests.web.office_world import AFTER_CLOSE, World, client_for, fresh, set_today, submit, user

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_is_sent_to_login(w: World) -> None:
    response = Client().get(reverse("awards:department"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_home_sends_the_department_to_its_list(w: World) -> None:
    assert client_for(w.dept_user).get("/")["Location"] == reverse("awards:department")


def test_the_department_sees_the_submitted_applications_awaiting_it(w: World) -> None:
    c = client_for(w.dept_user)
    assert list(c.get(reverse("awards:department")).context["page"]) == []  # a draft: not yet
    app = submit(w)
    page = c.get(reverse("awards:department"))
    assert list(page.context["page"]) == [app]
    assert "待签署" in page.content.decode()


def test_the_department_signs_and_the_office_can_move_the_application_on(w: World) -> None:
    app = submit(w)
    app = application_transition(application=app, target="recommendation", actor=w.office)
    c = client_for(w.dept_user)
    url = reverse("awards:department_application", args=[app.pk])
    assert "四、（二）" in c.get(url).content.decode()
    response = c.post(url, {"opinion": "该企业质量管理成效显著，同意推荐。"})
    assert response.status_code == 302
    rec = Recommendation.objects.get(application=app)
    assert (rec.department, rec.signed_by, rec.opinion) == (
        w.dept, w.dept_user, "该企业质量管理成效显著，同意推荐。")
    assert "已签署" in c.get(reverse("awards:department")).content.decode()
    assert c.post(url, {"opinion": "再签一次"}).status_code == 403
    set_today(AFTER_CLOSE)  # the eligibility review begins once applications have closed
    application_transition(application=app, target="eligibility", actor=w.office)
    assert fresh(app).state == "eligibility"


def test_an_empty_opinion_is_shown_on_its_field(w: World) -> None:
    app = submit(w)
    response = client_for(w.dept_user).post(
        reverse("awards:department_application", args=[app.pk]), {"opinion": "   "})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["opinion"]
    assert not Recommendation.objects.exists()


def test_another_department_no_longer_sees_an_application_once_signed(w: World) -> None:
    app = submit(w)
    recommendation_sign(application=app, actor=w.dept_user, opinion="同意推荐")
    other = Department.objects.create(jurisdiction=w.j, name="西兴街道", kind="street")
    c = client_for(user("dept2", w.j, Role.DEPARTMENT, department=other))
    assert c.get(reverse("awards:department_application", args=[app.pk])).status_code == 404
    assert list(c.get(reverse("awards:department")).context["page"]) == []


def test_a_department_of_another_district_gets_404(w: World) -> None:
    app = submit(w)
    far = Department.objects.create(jurisdiction=w.other_j, name="华阳路街道", kind="street")
    c = client_for(user("far-dept", w.other_j, Role.DEPARTMENT, department=far))
    assert c.get(reverse("awards:department_application", args=[app.pk])).status_code == 404
    assert c.post(reverse("awards:department_application", args=[app.pk]),
                  {"opinion": "同意"}).status_code == 404
    assert list(c.get(reverse("awards:department")).context["page"]) == []


def test_a_department_has_no_console(w: World) -> None:
    c = client_for(w.dept_user)
    assert c.get(reverse("awards:console", args=["hangzhou-binjiang"])).status_code == 404
    assert c.get(reverse("awards:application_detail", args=[w.app.pk])).status_code == 404
    assert c.get(reverse("awards:portal")).status_code == 404
