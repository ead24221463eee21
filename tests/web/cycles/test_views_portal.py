"""The applicant portal: profile, uploads with their 字数, submission, feedback, invitations."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qaward.core.workdays import today_shanghai
from qaward.web.accounts.models import Jurisdiction, Role
from qaward.web.cycles.forms import LIST_FIELDS
from qaward.web.cycles.models import Applicant, Application, Cycle, Document
from qaward.web.cycles.services import (
    application_create,
    application_return,
    application_submit,
    cycle_open,
    eligibility_conclude,
    eligibility_decide,
    eligibility_screen,
)
from qaward.web.policies.services import sync_policies
from qaward.web.recommendations.models import Invitation
from tests.web.office_world import (
    ELSEWHERE_PROFILE,
    World,
    build_world,
    checks_found_met,
    client_for,
    fresh,
    into_eligibility,
    user,
)

pytestmark = pytest.mark.django_db

LIST_NAMES = [lf.name for lf in LIST_FIELDS]


@pytest.fixture
def w(settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def docx_file(text: str, name: str = "自评报告.docx") -> SimpleUploadedFile:
    d = docx.Document()
    for para in text.split("\n"):
        d.add_paragraph(para)
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = "GB/T 19580"
    buf = io.BytesIO()
    d.save(buf)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="application/vnd.openxmlformats-"
                              "officedocument.wordprocessingml.document")


def pdf_file(text: str, name: str = "report.pdf") -> SimpleUploadedFile:
    """A one-page PDF whose text layer holds ``text`` (ASCII)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def profile_post(**overrides: Any) -> dict[str, Any]:
    year = today_shanghai().year
    data: dict[str, Any] = {
        "jurisdiction": "滨江区", "established_on": "2010-05-01", "sector": "电子信息",
        "legal_person": "yes", "pays_tax_locally": "yes", "licensed": "yes",
        "chief_quality_officer": "yes", "for_profit": "yes", "excellence_model_since": "2018-01-01",
        **{f"profit_{y}": "120.5" for y in range(year - 5, year)},
    }
    for name in LIST_NAMES:
        data.update({f"{name}-TOTAL_FORMS": "0", f"{name}-INITIAL_FORMS": "0"})
    data.update(overrides)
    return data


def rows(name: str, *entries: dict[str, str], initial: int = 0) -> dict[str, str]:
    """The POST data of a list field's formset with these rows."""
    data = {f"{name}-TOTAL_FORMS": str(len(entries)), f"{name}-INITIAL_FORMS": str(initial)}
    for i, entry in enumerate(entries):
        data.update({f"{name}-{i}-{k}": v for k, v in entry.items()})
    return data


# ---------------------------------------------------------------------------------------------
# Access


def test_an_anonymous_visitor_is_sent_to_login(w: World) -> None:
    from django.test import Client

    for url in (reverse("awards:portal"), reverse("awards:portal_application", args=[w.app.pk])):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_home_sends_the_applicant_to_its_portal(w: World) -> None:
    assert client_for(w.applicant_user).get("/")["Location"] == reverse("awards:portal")


def test_another_applicants_application_is_404(w: World) -> None:
    other = Applicant.objects.create(jurisdiction=w.j, kind="organization", name="别家公司")
    stranger = user("stranger", w.j, Role.APPLICANT, applicant=other)
    c = client_for(stranger)
    assert c.get(reverse("awards:portal_application", args=[w.app.pk])).status_code == 404
    assert c.post(reverse("awards:portal_submit", args=[w.app.pk]),
                  {"expected_version": 1}).status_code == 404
    # Office staff use the console, not the portal.
    assert client_for(w.office).get(reverse("awards:portal_application",
                                            args=[w.app.pk])).status_code == 404


# ---------------------------------------------------------------------------------------------
# The list and the feedback


def test_the_applicant_sees_its_applications_in_public_words(w: World) -> None:
    body = client_for(w.applicant_user).get(reverse("awards:portal")).content.decode()
    assert "杭州示例科技有限公司" in body and "填写中" in body


def test_a_return_for_completion_shows_its_reason(w: World) -> None:
    app = application_submit(application=w.app, actor=w.applicant_user,
                               expected_version=w.app.version, report_chars=100)
    application_return(application=app, actor=w.office, reason="请补充近三年财务报表")
    body = client_for(w.applicant_user).get(reverse("awards:portal")).content.decode()
    assert "请补正材料" in body and "请补充近三年财务报表" in body


def test_an_ineligible_application_shows_the_conditions_and_articles(w: World) -> None:
    w.org.profile = ELSEWHERE_PROFILE
    w.org.save()
    app = into_eligibility(w)
    eligibility_screen(application=app)
    checks_found_met(app, w.office)
    eligibility_decide(application=app, actor=w.office, decision="ineligible")
    eligibility_conclude(application=app, actor=w.office)
    body = client_for(w.applicant_user).get(
        reverse("awards:portal_application", args=[app.pk])).content.decode()
    assert "资格审查未通过" in body
    assert "不符合的申报条件" in body and "三、（一）" in body


def test_the_portal_speaks_english_after_the_switch(w: World) -> None:
    c = client_for(w.applicant_user)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = c.get(reverse("awards:portal")).content.decode()
    assert "My applications" in body and "Draft" in body


# ---------------------------------------------------------------------------------------------
# Creating an application, invitations


def test_an_applicant_starts_an_application_for_an_open_cycle(w: World) -> None:
    newcomer = Applicant.objects.create(jurisdiction=w.j, kind="organization", name="新来的公司")
    u = user("newcomer", w.j, Role.APPLICANT, applicant=newcomer)
    c = client_for(u)
    form = c.get(reverse("awards:portal")).context["create_form"]
    choice = f"{newcomer.pk}:{w.cycle.pk}:organization"
    assert choice in dict(form.fields["choice"].choices)
    response = c.post(reverse("awards:portal_create"), {"choice": choice})
    app = Application.objects.get(applicant=newcomer)
    assert response["Location"] == reverse("awards:portal_application", args=[app.pk])
    assert app.state == "draft"


def test_the_applicant_accepts_an_invitation(w: World) -> None:
    inv = Invitation.objects.create(jurisdiction=w.j, cycle=w.cycle, applicant=w.org,
                                    recommender="区质量协会", recommender_kind="association",
                                    reason="质量管理成效显著")
    c = client_for(w.applicant_user)
    assert "区质量协会" in c.get(reverse("awards:portal")).content.decode()
    c.post(reverse("awards:invitation_respond", args=[inv.pk, "accept"]))
    inv.refresh_from_db()
    assert inv.accepted_at is not None and inv.declined_at is None
    again = c.post(reverse("awards:invitation_respond", args=[inv.pk, "decline"]), follow=True)
    assert "已经答复" in again.content.decode()


# ---------------------------------------------------------------------------------------------
# The profile


def test_the_applicant_fills_in_the_profile(w: World) -> None:
    c = client_for(w.applicant_user)
    url = reverse("awards:portal_profile", args=[w.app.pk])
    assert c.get(url).status_code == 200
    response = c.post(url, profile_post(
        **rows("incidents", {"date": "2024-05-01", "kind": "safety"})))
    assert response.status_code == 302
    w.org.refresh_from_db()
    p = w.org.profile
    assert p["incidents"] == [{"date": "2024-05-01", "kind": "safety", "major": False}]
    year = today_shanghai().year
    # The five years on the form are replaced; older years already on file are kept.
    assert [(r["year"], r["profit"]) for r in p["annual_results"]] == [
        *[(y, 100) for y in range(2019, year - 5)], *[(y, 120.5) for y in range(year - 5, year)]]
    assert p["licensed"] is True and p["sector"] == "电子信息"
    # A fact answered 否 is stored false; one left 未说明 is left out (unknown to the engine).
    response = c.post(url, profile_post(licensed="no", chief_quality_officer=""))
    assert response.status_code == 302
    w.org.refresh_from_db()
    assert w.org.profile["licensed"] is False
    assert "chief_quality_officer" not in w.org.profile


def test_a_row_the_engine_cannot_read_is_refused_on_its_row_and_nothing_is_lost(w: World) -> None:
    response = client_for(w.applicant_user).post(
        reverse("awards:portal_profile", args=[w.app.pk]),
        profile_post(sector="新能源", **rows("incidents", {"date": "2024-05-01", "kind": "fire"},
                                              {"date": "2024-06-01", "kind": "quality"})))
    assert response.status_code == 200
    fs = dict((lf.name, f) for lf, f in response.context["lists"])["incidents"]
    assert [list(f.errors) for f in fs.forms] == [["kind"], []]
    body = response.content.decode()
    assert "新能源" in body and 'value="2024-06-01"' in body
    w.org.refresh_from_db()
    assert w.org.profile.get("sector") == "电子信息"  # nothing saved


# ---------------------------------------------------------------------------------------------
# Uploads


def test_a_docx_report_is_stored_and_its_characters_counted(w: World) -> None:
    c = client_for(w.applicant_user)
    response = c.post(reverse("awards:portal_upload", args=[w.app.pk]),
                      {"kind": "report", "file": docx_file("质量管理，成效显著。\nQuality first")})
    assert response.status_code == 302
    doc = Document.objects.get(application=w.app)
    assert (doc.kind, doc.original_name) == ("report", "自评报告.docx")
    # 10 CJK characters and punctuation + 2 English words + 2 table cells (2 + 2 words)
    body = c.get(reverse("awards:portal_application", args=[w.app.pk])).content.decode()
    assert "共 16 字" in body


def test_a_pdf_report_is_counted(w: World) -> None:
    c = client_for(w.applicant_user)
    c.post(reverse("awards:portal_upload", args=[w.app.pk]),
           {"kind": "report", "file": pdf_file("Quality is everyone's work")})
    body = c.get(reverse("awards:portal_application", args=[w.app.pk])).content.decode()
    assert "共 4 字" in body


@pytest.mark.parametrize("upload,expected", [
    (SimpleUploadedFile("report.txt", b"plain text"), ".docx 或 .pdf"),
    (SimpleUploadedFile("report.pdf", b"not really a pdf"), "不是有效的 .pdf 文件"),
    (SimpleUploadedFile("report.docx", b"PK\x03\x04broken zip"), "无法读取"),
])
def test_a_report_of_the_wrong_type_is_refused_on_the_file_field(
        w: World, upload: SimpleUploadedFile, expected: str) -> None:
    response = client_for(w.applicant_user).post(
        reverse("awards:portal_upload", args=[w.app.pk]), {"kind": "report", "file": upload})
    assert response.status_code == 200
    assert expected in response.context["upload_form"].errors["file"][0]
    assert not Document.objects.exists()


def test_an_oversized_file_is_refused_with_the_limit(w: World, settings: Any) -> None:
    settings.QAWARD_MAX_UPLOAD_BYTES = 1024
    response = client_for(w.applicant_user).post(
        reverse("awards:portal_upload", args=[w.app.pk]),
        {"kind": "evidence", "file": SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * 4096)})
    assert "文件大小为5 KB，超过1 KB的上限" in response.context["upload_form"].errors["file"][0]
    assert not Document.objects.exists()


# ---------------------------------------------------------------------------------------------
# Submission


def test_submitting_freezes_the_application(w: World) -> None:
    c = client_for(w.applicant_user)
    c.post(reverse("awards:portal_upload", args=[w.app.pk]),
           {"kind": "report", "file": docx_file("质量管理")})
    response = c.post(reverse("awards:portal_submit", args=[w.app.pk]),
                      {"expected_version": w.app.version})
    assert response.status_code == 302
    app = fresh(w.app)
    assert (app.state, app.report_chars, app.pinned_policy_id) == ("submitted", 8,
                                                                   "binjiang-2020")
    assert app.profile_snapshot["jurisdiction"] == "滨江区"
    body = c.get(reverse("awards:portal_application", args=[app.pk])).content.decode()
    assert "已提交" in body and "提交申报" not in body
    # Frozen: no more uploads or profile changes.
    assert c.post(reverse("awards:portal_upload", args=[app.pk]),
                  {"kind": "evidence", "file": pdf_file("x")}).status_code == 403
    assert c.get(reverse("awards:portal_profile", args=[app.pk])).status_code == 403


def test_submitting_without_a_report_says_so(w: World) -> None:
    response = client_for(w.applicant_user).post(
        reverse("awards:portal_submit", args=[w.app.pk]), {"expected_version": w.app.version})
    assert response.status_code == 200
    assert "自我评价报告：请上传自我评价报告" in str(
        response.context["submit_form"].non_field_errors())
    assert fresh(w.app).state == "draft"


def test_a_stale_submission_is_refused(w: World) -> None:
    c = client_for(w.applicant_user)
    c.post(reverse("awards:portal_upload", args=[w.app.pk]),
           {"kind": "report", "file": docx_file("质量")})
    stale = w.app.version
    application_submit(application=w.app, actor=w.applicant_user, expected_version=stale,
                         report_chars=2)
    application_return(application=fresh(w.app), actor=w.office, reason="补充材料")
    response = c.post(reverse("awards:portal_submit", args=[w.app.pk]),
                      {"expected_version": stale})
    assert response.status_code == 409
    assert "该申报已被他人修改" in response.content.decode()
    assert fresh(w.app).state == "returned"


def test_a_report_over_the_limit_is_refused_with_the_article(settings: Any,
                                                             tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.QAWARD_TODAY = "2026-11-20"
    sync_policies()
    hongkou = Jurisdiction.objects.get(code="shanghai-hongkou")
    office = user("hk-office", hongkou, Role.OFFICE)
    cycle = cycle_open(jurisdiction=hongkou, year=2026, title="2026年度虹口区区长质量奖",
                         opened_on=dt.date(2026, 11, 1),
                         applications_close_on=dt.date(2026, 12, 20), actor=office)
    org = Applicant.objects.create(jurisdiction=hongkou, kind="organization", name="虹口示例公司",
                                   profile={"jurisdiction": "虹口区",
                                            "established_on": "2010-01-01"})
    applicant: User = user("hk-org", hongkou, Role.APPLICANT, applicant=org)
    app = application_create(cycle=cycle, applicant=org, track="organization", actor=applicant)
    c = client_for(applicant)
    c.post(reverse("awards:portal_upload", args=[app.pk]),
           {"kind": "report", "file": docx_file("质" * 30001)})
    page = c.get(reverse("awards:portal_application", args=[app.pk])).content.decode()
    assert "已超过上限" in page and "第五条" in page
    assert "内部公示证明" in page  # 虹口 requires the notice inside the organization
    response = c.post(reverse("awards:portal_submit", args=[app.pk]),
                      {"expected_version": app.version})
    errors = str(response.context["submit_form"].non_field_errors())
    assert "超过30000字的上限" in errors and "第五条" in errors
    assert fresh(app).state == "draft"
    assert Cycle.objects.filter(jurisdiction=hongkou).count() == 1


def test_an_individual_gives_the_employer_on_the_profile_form(w: World) -> None:
    cycle = cycle_open(jurisdiction=w.other_j, year=w.cycle.year, title="长宁区政府质量奖",
                         opened_on=w.cycle.opened_on,
                         applications_close_on=w.cycle.applications_close_on,
                         actor=w.other_office)
    person = Applicant.objects.create(jurisdiction=w.other_j, kind="individual", name="李四")
    u = user("li", w.other_j, Role.APPLICANT, applicant=person)
    app = application_create(cycle=cycle, applicant=person, track="individual", actor=u)
    c = client_for(u)
    url = reverse("awards:portal_profile", args=[app.pk])
    form = c.get(url).context["form"]
    assert {"employer", "top_manager"} <= set(form.fields)
    assert form.fields["established_on"].label == "开始在本区从事质量工作日期"
    refused = c.post(url, profile_post(jurisdiction="长宁区", employer="[1]"))
    assert "JSON 对象" in refused.context["form"].errors["employer"][0]
    employer = ('{"id": "e1", "kind": "organization", "name": "长宁某公司", '
                '"jurisdiction": "长宁区", "established_on": "2000-01-01"}')
    response = c.post(url, profile_post(jurisdiction="长宁区", employer=employer,
                                        top_manager="on"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.profile["employer"]["name"] == "长宁某公司"
    assert person.profile["top_manager"] is True
