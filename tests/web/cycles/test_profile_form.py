"""The applicant profile as a form: a formset per list field (rows to add and remove, also
without JavaScript), the core's problems on their row, the recorded diff in words, and the
office's panel of the applicant's earlier cycles."""

from __future__ import annotations

import datetime as dt
from typing import Any, get_args

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from qaward.core.eligibility import parse_profile
from qaward.core.policy.model import AwardLevel, IncidentKind, RevocationCause
from qaward.core.states import End
from qaward.web.audit.models import AuditEvent
from qaward.web.audit.services import record_event
from qaward.web.cycles.forms import AWARD_LEVELS, INCIDENT_KINDS, LIST_FIELDS, REVOCATION_CAUSES
from qaward.web.cycles.models import Application, Cycle
from qaward.web.cycles.profile_changes import change_words, profile_diff
from qaward.web.cycles.services import applicant_profile_update
from tests.web.cycles.test_views_portal import profile_post, rows
from tests.web.office_world import (
    GOOD_PROFILE,
    World,
    build_world,
    client_for,
    into_eligibility,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def url(w: World) -> str:
    return reverse("awards:portal_profile", args=[w.app.pk])


# Two rows per list field as typed, and what the core then reads from the database.
ROWS: dict[str, tuple[list[dict[str, str]], list[Any]]] = {
    "incidents": (
        [{"date": "2024-03-02", "kind": "quality", "major": "on"},
         {"date": "2023-01-05", "kind": "environment"}],
        [{"date": "2024-03-02", "kind": "quality", "major": True},
         {"date": "2023-01-05", "kind": "environment", "major": False}]),
    "complaints": (
        [{"date": "2024-02-01", "major": "on", "organization_at_fault": "on"},
         {"date": "2022-07-07", "major": "on"}],
        [{"date": "2024-02-01", "major": True, "organization_at_fault": True},
         {"date": "2022-07-07", "major": True, "organization_at_fault": False}]),
    "failed_inspections": (
        [{"date": "2024-09-30"}, {"date": "2021-04-01"}],
        ["2024-09-30", "2021-04-01"]),
    "dishonesty": (
        [{"date": "2023-03-03", "serious": "on"}, {"date": "2020-03-03"}],
        [{"date": "2023-03-03", "serious": True}, {"date": "2020-03-03", "serious": False}]),
    "violations": (
        [{"date": "2023-05-05", "serious": "on"}, {"date": "2019-05-05"}],
        [{"date": "2023-05-05", "serious": True}, {"date": "2019-05-05", "serious": False}]),
    "awards": (
        [{"level": "city", "jurisdiction": "杭州市", "tier": "award", "year": "2021"},
         {"level": "district", "year": "2019", "revoked_on": "2020-06-01",
          "revocation_cause": "fraud"}],
        [{"level": "city", "jurisdiction": "杭州市", "tier": "award", "year": 2021},
         {"level": "district", "year": 2019, "revoked_on": "2020-06-01",
          "revocation_cause": "fraud"}]),
    "other_applications": (
        [{"level": "city", "jurisdiction": "杭州市", "year": "2026"},
         {"level": "provincial", "year": "2026"}],
        [{"level": "city", "jurisdiction": "杭州市", "year": 2026},
         {"level": "provincial", "year": 2026}]),
}


def test_every_list_field_of_the_core_has_a_formset() -> None:
    assert set(ROWS) == {lf.name for lf in LIST_FIELDS}
    assert set(INCIDENT_KINDS) == set(get_args(IncidentKind))
    assert set(AWARD_LEVELS) == set(get_args(AwardLevel))
    assert set(REVOCATION_CAUSES) == set(get_args(RevocationCause))


@pytest.mark.parametrize("name", list(ROWS))
def test_add_two_rows_save_remove_one_save(w: World, name: str) -> None:
    typed, stored = ROWS[name]
    c = client_for(w.applicant_user)
    response = c.post(url(w), profile_post(**rows(name, *typed)))
    assert response.status_code == 302, response.context and [
        f.errors for _lf, fs in response.context["lists"] for f in fs.forms]
    w.org.refresh_from_db()
    assert w.org.profile[name] == stored
    parsed = parse_profile({"id": "x", "kind": "organization", "name": "x", **w.org.profile})
    assert len(getattr(parsed, name)) == 2

    # The form shows both rows; removing the first keeps the second.
    fs = dict(c.get(url(w)).context["lists"])
    shown = next(f for lf, f in fs.items() if lf.name == name)
    assert len(shown.forms) == 2 and shown.initial_form_count() == 2
    again = [{**typed[0], "DELETE": "on"}, typed[1]]
    assert c.post(url(w), profile_post(**rows(name, *again, initial=2))).status_code == 302
    w.org.refresh_from_db()
    assert w.org.profile[name] == stored[1:]


def test_blank_rows_are_ignored_and_an_emptied_list_is_removed(w: World) -> None:
    c = client_for(w.applicant_user)
    c.post(url(w), profile_post(**rows("incidents", {"date": "2024-03-02", "kind": "quality",
                                                     "major": "on"})))
    # A blank new row (the major box as shown) is not a record.
    blank = {"date": "", "kind": "", "major": "on"}
    response = c.post(url(w), profile_post(**rows(
        "incidents", {"date": "2024-03-02", "kind": "quality", "major": "on"}, blank,
        initial=1)))
    assert response.status_code == 302
    w.org.refresh_from_db()
    assert len(w.org.profile["incidents"]) == 1
    c.post(url(w), profile_post(**rows("incidents", {"date": "2024-03-02", "kind": "quality",
                                                     "major": "on", "DELETE": "on"},
                                       initial=1)))
    w.org.refresh_from_db()
    assert "incidents" not in w.org.profile


def test_the_core_problem_is_put_on_its_row_counting_removed_rows(w: World) -> None:
    """The core checks a revocation's date and cause together; its problem names row 1 of
    what is kept, which is row 2 on the form (row 0 is being removed)."""
    typed = [{"level": "city", "year": "2020", "DELETE": "on"},
             {"level": "city", "year": "2021"},
             {"level": "district", "year": "2019", "revoked_on": "2020-06-01"}]
    response = client_for(w.applicant_user).post(
        url(w), profile_post(sector="新能源", **rows("awards", *typed)))
    assert response.status_code == 200
    fs = next(f for lf, f in response.context["lists"] if lf.name == "awards")
    assert [bool(f.errors) for f in fs.forms] == [False, False, True]
    assert "revocation_cause" in fs.forms[2].non_field_errors()[0]
    assert not response.context["form"].errors
    body = response.content.decode()
    assert "新能源" in body and 'value="2020-06-01"' in body and len(fs.forms) == 3
    w.org.refresh_from_db()
    assert "awards" not in w.org.profile  # nothing saved


def test_a_type_error_is_on_its_field(w: World) -> None:
    response = client_for(w.applicant_user).post(url(w), profile_post(**rows(
        "complaints", {"date": "2024-02-01", "major": "on"}, {"date": "2024-13-45"})))
    fs = next(f for lf, f in response.context["lists"] if lf.name == "complaints")
    assert [list(f.errors) for f in fs.forms] == [[], ["date"]]


def test_add_row_without_javascript_renders_one_more_row_and_judges_nothing(w: World) -> None:
    c = client_for(w.applicant_user)
    data = profile_post(established_on="", sector="新能源", add_row="violations",
                        **rows("violations", {"date": "2023-05-05", "serious": "on"}))
    response = c.post(url(w), data)
    assert response.status_code == 200
    fs = next(f for lf, f in response.context["lists"] if lf.name == "violations")
    assert len(fs.forms) == 2
    body = response.content.decode()
    assert 'name="violations-TOTAL_FORMS" value="2"' in body
    assert 'id="id_violations-1-date"' in body and 'value="2023-05-05"' in body
    assert "新能源" in body and "errorlist" not in body
    w.org.refresh_from_db()
    assert "violations" not in w.org.profile


def test_every_row_input_has_a_label_and_each_row_a_legend(w: World) -> None:
    c = client_for(w.applicant_user)
    c.post(url(w), profile_post(**rows("awards", ROWS["awards"][0][0])))
    body = c.get(url(w)).content.decode()
    for name in ("level", "jurisdiction", "tier", "year", "revoked_on", "revocation_cause",
                 "DELETE"):
        assert f'<label for="id_awards-0-{name}"' in body
    assert "<legend>获奖 第 1 条</legend>" in body
    assert 'data-add-row="incidents"' in body and 'id="empty-incidents"' in body


# ---------------------------------------------------------------------------------------------
# The diff


def test_the_diff_names_fields_and_rows() -> None:
    before = {"established_on": "2008-06-01", "incidents": [
        {"date": "2020-01-01", "kind": "safety", "major": True}]}
    after = {"established_on": "2008-07-01", "sector": "电子", "incidents": [
        {"date": "2020-01-01", "kind": "safety", "major": True},
        {"date": "2024-03-02", "kind": "quality", "major": True}]}
    assert profile_diff(before, after) == [
        {"field": "established_on", "before": "2008-06-01", "after": "2008-07-01"},
        {"field": "incidents", "added": [{"date": "2024-03-02", "kind": "quality",
                                          "major": True}], "removed": [], "changed": []},
        {"field": "sector", "before": None, "after": "电子"},
    ]
    assert profile_diff(after, after) == []
    changed = profile_diff({"violations": [{"date": "2020-01-01", "serious": True}]},
                           {"violations": [{"date": "2020-01-01", "serious": False}]})
    assert changed[0]["changed"] == [{"before": {"date": "2020-01-01", "serious": True},
                                      "after": {"date": "2020-01-01", "serious": False}}]
    removed = profile_diff({"failed_inspections": ["2021-01-01", "2022-01-01"]},
                           {"failed_inspections": ["2022-01-01"]})
    assert removed[0]["removed"] == ["2021-01-01"] and removed[0]["added"] == []


def test_defaults_and_number_types_are_no_change() -> None:
    stored = {"jurisdiction": "滨江区", "established_on": "2010-05-01",
              "annual_results": [{"year": 2024, "profit": 100}]}
    saved = {**stored, "top_manager": True,
             "annual_results": [{"year": 2024, "profit": 100.0, "policy_loss": False}]}
    assert profile_diff(stored, saved, kind="organization") == []
    assert len(profile_diff(stored, saved)) == 2  # compared as stored without the kind


def test_a_fact_left_out_is_unknown_so_stating_it_is_a_change() -> None:
    stored = {"jurisdiction": "滨江区", "established_on": "2010-05-01"}
    assert profile_diff(stored, {**stored, "licensed": True}, kind="organization") == [
        {"field": "licensed", "before": None, "after": True}]
    assert profile_diff({**stored, "licensed": True}, {**stored, "licensed": False},
                        kind="organization") == [
        {"field": "licensed", "before": True, "after": False}]


def test_the_diff_in_words_in_both_languages() -> None:
    changes = profile_diff(
        {"established_on": "2008-06-01"},
        {"established_on": "2008-07-01",
         "incidents": [{"date": "2024-03-02", "kind": "quality", "major": True}]})
    with translation.override("zh-hans"):
        assert change_words(changes) == ["成立日期：2008-06-01 → 2008-07-01",
                                         "事故记录：新增 1 条（2024-03-02 质量事故）"]
    with translation.override("en"):
        assert change_words(changes) == ["Established on: 2008-06-01 → 2008-07-01",
                                         "Incidents: 1 added (2024-03-02 quality incident)"]


def test_the_update_records_its_diff_and_the_office_reads_it(w: World) -> None:
    new = {**GOOD_PROFILE, "established_on": "2010-06-01",
           "incidents": [{"date": "2024-03-02", "kind": "quality", "major": True}]}
    applicant_profile_update(applicant=w.org, actor=w.applicant_user, profile=new)
    event = AuditEvent.objects.get(entity="applicant", entity_id=str(w.org.pk),
                                   action="profile_update")
    assert event.data["changes"] == [
        {"field": "established_on", "before": "2010-05-01", "after": "2010-06-01"},
        {"field": "incidents", "added": new["incidents"], "removed": [], "changed": []}]
    office = client_for(w.office)
    page = reverse("awards:application_detail", args=[w.app.pk])
    body = office.get(page).content.decode()
    assert "成立日期：2010-05-01 → 2010-06-01" in body
    assert "事故记录：新增 1 条（2024-03-02 质量事故）" in body
    office.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = office.get(page).content.decode()
    assert "Established on: 2010-05-01 → 2010-06-01" in body
    assert "Incidents: 1 added (2024-03-02 quality incident)" in body


# ---------------------------------------------------------------------------------------------
# Earlier cycles


def earlier(w: World, year: int, state: str, reason: str, article: str) -> Application:
    """An application of an earlier cycle, ended as the audit chain tells."""
    cycle = Cycle.objects.create(
        jurisdiction=w.j, policy=w.cycle.policy, year=year, title=f"{year}年度滨江区政府质量奖",
        opened_on=dt.date(year, 3, 1), applications_close_on=dt.date(year, 4, 30),
        status=Cycle.Status.CLOSED)
    app = Application.objects.create(
        cycle=cycle, applicant=w.org, track="organization", state=state,
        submitted_at=dt.datetime(year, 4, 1, 9, tzinfo=dt.UTC), profile_snapshot=GOOD_PROFILE,
        pinned_policy_id=w.cycle.policy.policy_id)
    record_event(actor=w.office, jurisdiction=w.j, entity="application", entity_id=app.pk,
                 action="transition", from_state="eligibility_notice", to_state=state,
                 reason=reason, article=article)
    return app


def test_the_office_sees_the_applicants_earlier_cycles(w: World) -> None:
    year = w.cycle.year
    earlier(w, year - 2, End.INELIGIBLE, "注册地不在本区", "三、（一）")
    earlier(w, year - 4, End.REMOVED_BY_OBJECTION, "申报材料弄虚作假", "四、（七）")
    office = client_for(w.office)
    response = office.get(reverse("awards:application_detail", args=[w.app.pk]))
    got = [(o["year"], o["state"], o["reason"], o["article"])
           for o in response.context["earlier"]]
    assert got == [(year - 2, "资格审查未通过", "注册地不在本区", "三、（一）"),
                   (year - 4, "因异议成立退出评审", "申报材料弄虚作假", "四、（七）")]
    body = response.content.decode()
    assert 'id="earlier-cycles"' in body and "申报材料弄虚作假" in body
    # The current application is not its own earlier cycle; another applicant has none.
    assert all(o["app"].pk != w.app.pk for o in response.context["earlier"])


def test_no_earlier_cycles_is_said(w: World) -> None:
    response = client_for(w.office).get(reverse("awards:application_detail", args=[w.app.pk]))
    assert response.context["earlier"] == []
    assert "该申报人在本区以往周期没有申报" in response.content.decode()


def test_declared_revocations_are_shown_beside_the_earlier_cycles(w: World) -> None:
    earlier(w, w.cycle.year - 2, End.INELIGIBLE, "注册地不在本区", "三、（一）")
    w.org.profile = {**GOOD_PROFILE, "awards": [
        {"level": "district", "jurisdiction": "滨江区", "year": 2019,
         "revoked_on": "2020-06-01", "revocation_cause": "fraud"}]}
    w.org.save()
    page = reverse("awards:application_detail", args=[w.app.pk])
    body = client_for(w.office).get(page).content.decode()
    assert "申报人自报的被撤销奖项" in body
    assert "2019 区级 滨江区 2020-06-01 被撤销（弄虚作假）" in body
    # The auditor (a staff reader) reads it too; a department never reaches this page.
    assert "注册地不在本区" in client_for(w.auditor).get(page).content.decode()
    into_eligibility(w)
    assert client_for(w.dept_user).get(page).status_code == 404
