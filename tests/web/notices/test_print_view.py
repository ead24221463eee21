"""A notice's print view carries the office's contact from its configuration, which the head
of the office edits; the public notice page shows it too."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from qaward.web.audit.models import AuditEvent
from tests.web.notices.test_views_office import into_committee, publish_final
from tests.web.office_world import World, client_for

pytestmark = pytest.mark.django_db

CONTACT = {"address": "杭州市滨江区江南大道 1 号", "telephone": "0571-87000000",
           "objection_email": "yiyi@example.gov.cn"}


def test_the_head_sets_the_contact_and_the_notice_shows_it(w: World) -> None:
    notice = publish_final(w, into_committee(w))
    url = reverse("awards:office_contact", args=[w.j.code])
    assert client_for(w.office).post(url, CONTACT).status_code == 403
    assert client_for(w.head).post(url, CONTACT).status_code == 302
    w.j.refresh_from_db()
    assert (w.j.address, w.j.telephone, w.j.objection_email) == tuple(CONTACT.values())
    assert AuditEvent.objects.filter(action="office_contact_update").count() == 1
    public = Client()
    printed = public.get(reverse("public:notice_print", args=[notice.pk])).content.decode()
    for value in CONTACT.values():
        assert value in printed
    assert "@media print" in printed and notice.title in printed
    page = public.get(reverse("public:notice_detail", args=[notice.pk])).content.decode()
    assert "yiyi@example.gov.cn" in page
    assert reverse("public:notice_print", args=[notice.pk]) in page


def test_a_bad_email_is_shown_on_its_field(w: World) -> None:
    response = client_for(w.head).post(reverse("awards:office_contact", args=[w.j.code]),
                                       {**CONTACT, "objection_email": "not-an-email"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["objection_email"]


def test_the_objections_list_exports_to_xlsx(w: World) -> None:
    import datetime as dt
    import io

    from openpyxl import load_workbook

    from qaward.web.notices.services import objection_submit

    app = into_committee(w)
    notice = publish_final(w, app)
    objection_submit(notice=notice, application=app, name="张三",
                     id_number="33010619900101123X", phone="13800000000",
                     statement="该企业2025年发生质量事故。", today=dt.date(2026, 9, 2))
    url = reverse("awards:notice_objections", args=[notice.pk])
    response = client_for(w.office).get(url, {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][3] == "异议人"
    assert rows[1][2:5] == ("杭州示例科技有限公司", "张三", "13800000000")
    assert rows[1][7] == "已受理"
    assert client_for(w.auditor).get(url, {"export": "xlsx"}).status_code == 403
    assert client_for(w.reviewer).get(url, {"export": "xlsx"}).status_code == 404
