"""The department declines to recommend, with its reason; signatures name the department and
the person, not the login."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from qaward.web.audit.models import AuditEvent
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.services import application_transition
from qaward.web.recommendations.models import Recommendation
from qaward.web.recommendations.services import recommendation_decline, recommendation_sign
from tests.web.office_world import World, client_for, fresh, submit

pytestmark = pytest.mark.django_db


def named(w: World) -> None:
    w.dept_user.last_name, w.dept_user.first_name = "王", "丽华"
    w.dept_user.save()


def test_the_department_declines_with_its_reason_and_the_signature_names_the_person(
        w: World) -> None:
    named(w)
    app = application_transition(application=submit(w), target="recommendation", actor=w.office)
    c = client_for(w.dept_user)
    url = reverse("awards:department_application", args=[app.pk])
    response = c.post(url, {"decline": "1", "reason": "近三年发生一般质量事故，暂不推荐。"})
    assert response.status_code == 302
    rec = Recommendation.objects.get(application=app)
    assert (rec.declined_by, rec.decline_reason, rec.signed_at) == (
        w.dept_user, "近三年发生一般质量事故，暂不推荐。", None)
    page = c.get(url).content.decode()
    assert "长河街道 王丽华" in page and "不予推荐" in page
    signature = page.split('class="signature warn">')[1].split("</p>")[0]
    assert signature.startswith("长河街道 王丽华") and "dept" not in signature
    assert "不予推荐" in c.get(reverse("awards:department")).content.decode()
    event = AuditEvent.objects.get(action="recommendation_decline")
    assert (event.reason, event.article) == ("近三年发生一般质量事故，暂不推荐。", "四、（二）")
    # No second answer, and the application cannot go on to eligibility review.
    assert c.post(url, {"opinion": "同意推荐"}).status_code == 403
    with pytest.raises(ServiceError):
        application_transition(application=app, target="eligibility", actor=w.office)
    assert fresh(app).state == "recommendation"
    office_page = client_for(w.office).get(
        reverse("awards:application_detail", args=[app.pk])).content.decode()
    assert "长河街道 王丽华" in office_page and "暂不推荐" in office_page


def test_a_decline_without_a_reason_is_shown_on_its_field(w: World) -> None:
    app = submit(w)
    response = client_for(w.dept_user).post(
        reverse("awards:department_application", args=[app.pk]),
        {"decline": "1", "reason": "  "})
    assert response.status_code == 200
    assert list(response.context["decline_form"].errors) == ["reason"]
    with pytest.raises(ServiceError) as err:
        recommendation_decline(application=app, actor=w.dept_user, reason=" ")
    assert err.value.field == "reason"
    assert not Recommendation.objects.exists()


def test_a_signed_recommendation_shows_the_department_and_the_name(w: World) -> None:
    named(w)
    app = submit(w)
    recommendation_sign(application=app, actor=w.dept_user, opinion="同意推荐")
    page = client_for(w.dept_user).get(
        reverse("awards:department_application", args=[app.pk])).content.decode()
    assert "长河街道 王丽华" in page
    with pytest.raises(ServiceError):
        recommendation_decline(application=app, actor=w.dept_user, reason="改变主意")


def test_without_a_recorded_name_the_login_stands_in(w: World) -> None:
    app = submit(w)
    recommendation_sign(application=app, actor=w.dept_user, opinion="同意推荐")
    page = client_for(w.dept_user).get(
        reverse("awards:department_application", args=[app.pk])).content.decode()
    assert "长河街道 dept" in page


def test_the_database_refuses_a_recommendation_both_signed_and_declined(w: World) -> None:
    app = submit(w)
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(application=app, department=w.dept, opinion="x",
                                      signed_by=w.dept_user, signed_at=now,
                                      declined_by=w.dept_user, declined_at=now,
                                      decline_reason="y")
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(application=app, department=w.dept,
                                      declined_by=w.dept_user, declined_at=now)
