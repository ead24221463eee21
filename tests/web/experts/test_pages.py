"""The pool's pages: who may open them, the import upload, the expert's page with its
relations formset, the conflicts page deciding with a reason, the reviewer's pledge and
declaration."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qaward.web.accounts.models import Membership, Role
from qaward.web.audit.models import AuditEvent
from qaward.web.cycles.models import Application
from qaward.web.experts import services
from qaward.web.experts.models import Conflict, Expert, ExpertCycle
from tests.web.experts.test_xlsx import GOOD, book
from tests.web.office_world import World, build_world, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    world = build_world()
    Application.objects.filter(pk=world.app.pk).update(state="material_review",
                                                       submitted_at=timezone.now())
    return world


def test_pool_is_the_office_s(w: World) -> None:
    url = reverse("awards:expert_pool", args=[w.j.code])
    assert client_for(w.office).get(url).status_code == 200
    assert client_for(w.reviewer).get(url).status_code == 404  # reviewers: no console
    assert client_for(w.applicant_user).get(url).status_code == 404
    assert client_for(w.other_office).get(url).status_code == 404


def test_upload_reports_bad_rows_and_exports(w: World) -> None:
    c = client_for(w.office)
    url = reverse("awards:expert_pool", args=[w.j.code])
    bad = [*GOOD]
    bad[0], bad[7], bad[8], bad[6] = "赵丽华", "13900000000", "", "也许"
    r = c.post(url, {"file": SimpleUploadedFile("pool.xlsx", book(GOOD, bad))}, follow=True)
    text = r.content.decode()
    assert "王建国" in text and "可任组长" in text and "请填写「是」或「否」" in text
    assert Expert.objects.count() == 1
    r = c.get(url + "?status=active&export=xlsx")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert c.get(url + "?sector=电子信息").content.decode().count("王建国") == 1
    assert "王建国" not in c.get(url + "?sector=医疗").content.decode()


def test_expert_page_saves_profile_and_relations(w: World) -> None:
    e = services.expert_create(jurisdiction=w.j, actor=w.office, name="王建国", phone="1")
    c = client_for(w.office)
    url = reverse("awards:expert_detail", args=[e.pk])
    assert c.get(url).status_code == 200
    data = {"what": "profile", "name": "王建国", "employer_name": "杭州瑞鼎新材料有限公司",
            "phone": "1", "sectors": "电子信息、新材料", "rel-TOTAL_FORMS": "2",
            "rel-INITIAL_FORMS": "0", "rel-MIN_NUM_FORMS": "0", "rel-MAX_NUM_FORMS": "1000",
            "rel-0-kind": "partner", "rel-0-organization_name": "杭州示例科技有限公司",
            "rel-1-kind": "past_employer", "rel-1-organization_name": "某公司",
            "rel-1-since": "2020-01-01", "rel-1-until": "2019-01-01"}
    r = c.post(url, data)
    assert r.status_code == 200 and "终止日期不能早于起始日期" in r.content.decode()
    assert not e.relations.exists()  # nothing half-written
    data["rel-1-until"] = "2024-01-01"
    assert c.post(url, data).status_code == 302
    e.refresh_from_db()
    assert e.sectors == ["电子信息", "新材料"] and e.relations.count() == 2
    r = c.post(url, {"what": "availability", "cycle": w.cycle.pk, "available": "on",
                     "min_load": "1", "max_load": "4"})
    assert r.status_code == 302
    assert ExpertCycle.objects.get(expert=e).max_load == 4


def test_conflicts_page_detects_and_decides(w: World) -> None:
    e = services.expert_create(jurisdiction=w.j, actor=w.office, name="王建国",
                               employer_name="杭州示例科技有限公司")
    services.availability_set(expert=e, cycle=w.cycle, actor=w.office)
    c = client_for(w.office)
    url = reverse("awards:cycle_conflicts", args=[w.cycle.pk])
    assert client_for(w.reviewer).get(url).status_code == 404  # reviewers: no console
    c.post(url, {"what": "detect"})
    conflict = Conflict.objects.get()
    page = c.get(url + "?status=pending").content.decode()
    assert "专家 工作单位名称「杭州示例科技有限公司」= 申报 名称「杭州示例科技有限公司」" in page
    assert "二、（五）" in page
    c.post(url, {"conflict": conflict.pk, "status": "dismissed", "reason": ""})
    assert Conflict.objects.get().status == "pending"
    c.post(url, {"conflict": conflict.pk, "status": "dismissed", "reason": "同名不同单位"})
    assert Conflict.objects.get().status == "dismissed"
    assert "同名不同单位" in c.get(url + "?status=dismissed").content.decode()


def test_reviewer_signs_the_pledge_then_declares(w: World) -> None:
    u = User.objects.create_user("expert1")
    Membership.objects.create(user=u, jurisdiction=w.j, role=Role.REVIEWER)
    e = services.expert_create(jurisdiction=w.j, actor=w.office, name="张志强")
    e.user = u
    e.save()
    services.availability_set(expert=e, cycle=w.cycle, actor=w.office)
    c = client_for(u)
    declare = reverse("awards:expert_declare", args=[w.cycle.pk])
    pledge = reverse("awards:expert_pledge", args=[w.cycle.pk])
    assert c.get(declare)["Location"] == pledge
    page = c.get(pledge).content.decode()
    assert "七、（六）" in page and "二、（五）" in page
    c.post(pledge, {})
    assert not services.pledge_signed_for(e, w.cycle)
    c.post(pledge, {"agree": "1"})
    assert services.pledge_signed_for(e, w.cycle)
    assert AuditEvent.objects.filter(action="pledge_sign", actor=u).exists()
    assert w.org.name in c.get(declare).content.decode()
    c.post(declare, {"application": w.app.pk, "relation": "business_partner",
                     "statement": "本人单位与其有采购合同"})
    assert Conflict.objects.get(expert=e).status == "confirmed"
    assert client_for(w.reviewer).get(pledge).status_code == 404  # not an expert


def test_english_pages(w: World) -> None:
    c = client_for(w.office)
    c.post(reverse("set_language"), {"language": "en"})
    page = c.get(reverse("awards:expert_pool", args=[w.j.code])).content.decode()
    assert "Expert pool" in page


def test_cycle_and_application_pages_link_the_pool(w: World) -> None:
    c = client_for(w.office)
    page = c.get(reverse("awards:cycle_detail", args=[w.cycle.pk])).content.decode()
    assert reverse("awards:cycle_conflicts", args=[w.cycle.pk]) in page
    # 滨江 is silent on staff recusal: the form is not offered until configured.
    page = c.get(reverse("awards:application_detail", args=[w.app.pk])).content.decode()
    assert "staff-recusal" not in page
    r = c.post(reverse("awards:staff_recuse", args=[w.app.pk]), {"statement": "亲属"},
               follow=True)
    assert "须先配置" in r.content.decode()


def test_cycle_pool_page_saves_changed_rows(w: World) -> None:
    a = services.expert_create(jurisdiction=w.j, actor=w.office, name="王建国")
    b = services.expert_create(jurisdiction=w.j, actor=w.office, name="李海燕")
    services.availability_set(expert=b, cycle=w.cycle, actor=w.office, min_load=1, max_load=3)
    c = client_for(w.office)
    url = reverse("awards:cycle_pool", args=[w.cycle.pk])
    assert client_for(w.reviewer).get(url).status_code == 404  # reviewers: no console
    assert "王建国" in c.get(url).content.decode()
    before = AuditEvent.objects.filter(action="expert_availability").count()
    c.post(url, {f"e{a.pk}-available": "on", f"e{a.pk}-min": "2", f"e{a.pk}-max": "1",
                 f"e{b.pk}-available": "on", f"e{b.pk}-min": "1", f"e{b.pk}-max": "3"})
    assert not ExpertCycle.objects.filter(expert=a).exists()  # refused: max below min
    assert AuditEvent.objects.filter(action="expert_availability").count() == before
    c.post(url, {f"e{a.pk}-available": "on", f"e{a.pk}-min": "0", f"e{a.pk}-max": "5",
                 f"e{b.pk}-min": "1", f"e{b.pk}-max": "3"})
    assert ExpertCycle.objects.get(expert=a).max_load == 5
    assert not ExpertCycle.objects.get(expert=b).available
