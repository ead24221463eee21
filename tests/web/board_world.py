"""Two districts with notices: a current one (滨江) and a past one (长宁, with a person listed
with the employer). The world of the notice board and API tests (its fixture ``world`` is in
``conftest.py``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User

from qaward.core.workflow import allowed_targets
from qaward.web.accounts.models import Department, Jurisdiction, Membership, Role
from qaward.web.cycles.models import Applicant, Application, Cycle
from qaward.web.cycles.services import (
    application_create,
    application_submit,
    application_transition,
    cycle_open,
    eligibility_conclude,
    eligibility_decide,
    eligibility_screen,
)
from qaward.web.notices.models import Notice
from qaward.web.notices.services import notice_publish
from qaward.web.policies.services import policy_of, sync_policies
from qaward.web.recommendations.services import recommendation_sign
from tests.web.office_world import checks_found_met

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
BINJIANG_PROFILE = {
    "jurisdiction": "杭州高新区（滨江）",
    "established_on": "2010-05-01",
    "excellence_model_since": "2018-01-01",
    "annual_results": [{"year": y, "profit": 100} for y in range(2021, 2026)],
}
CHANGNING_ORG = {
    "jurisdiction": "上海市长宁区",
    "established_on": "2008-06-01",
    "annual_results": [{"year": y, "profit": 100} for y in range(2021, 2026)],
}
CHANGNING_PERSON = {
    "jurisdiction": "上海市长宁区",
    "established_on": "2010-03-01",
    "employer": {"id": "E1", "kind": "organization", "name": "上海仙霞医疗器械有限公司",
                 "jurisdiction": "上海市长宁区", "established_on": "2005-05-18"},
}
OBJECTOR = {"name": "赵异议", "id_number": "310105198001011235", "phone": "13800138000",
            "email": "objector@example.com",
            "statement": "该公司2025年发生过质量事故，附报道截图。"}


@dataclass
class World:
    binjiang: Jurisdiction
    changning: Jurisdiction
    office_b: User
    office_c: User
    applicant_user: User
    cycle_b: Cycle
    cycle_c: Cycle
    app_b: Application  # listed on the current binjiang notice
    app_b2: Application  # another binjiang applicant, not listed
    app_c: Application
    app_person: Application
    current: Notice  # binjiang final notice, open today (7 calendar days)
    past: Notice  # changning eligibility notice of May 2026


# The board's "today" (``QAWARD_TODAY``, set by the ``world`` fixture): the binjiang final
# notice is open on it, the changning eligibility notice of May is past.
TODAY = dt.date(2026, 6, 10)


def _submitted(cycle: Cycle, applicant: Applicant, track: str, actor: User) -> Application:
    app = application_create(cycle=cycle, applicant=applicant, track=track, actor=actor,
                             today=cycle.opened_on)
    return application_submit(application=app, actor=actor, expected_version=app.version,
                                report_chars=20000, today=cycle.opened_on)


def advance(app: Application, to: str, *, office: User, dept: User | None = None,
            on: dt.date = dt.date(2026, 5, 6)) -> Application:
    """Walk an application along its policy's main line up to the state ``to``."""
    while app.state != to:
        if app.state == "recommendation":
            recommendation_sign(application=app, actor=dept, opinion="同意推荐")
            app = application_transition(application=app, target="eligibility", actor=office,
                                           today=on)
        elif app.state == "eligibility":
            assert eligibility_screen(application=app, on=on)["verdict"] == "eligible"
            checks_found_met(app, office)
            eligibility_decide(application=app, actor=office, decision="eligible")
            app = eligibility_conclude(application=app, actor=office, today=on)
        else:
            nxt = allowed_targets(policy_of(app.cycle), app.state)[0]
            app = application_transition(application=app, target=nxt, actor=office, today=on)
    return app


def build_world() -> World:
    sync_policies()
    bj = Jurisdiction.objects.get(code="hangzhou-binjiang")
    cn = Jurisdiction.objects.get(code="shanghai-changning")
    office_b = User.objects.create_user("office_b", password="pw-office-b")
    office_c = User.objects.create_user("office_c", password="pw-office-c")
    applicant_user = User.objects.create_user("applicant_b", password="pw-applicant")
    dept_b = User.objects.create_user("dept_b")
    dept_c = User.objects.create_user("dept_c")
    Membership.objects.create(user=office_b, jurisdiction=bj, role=Role.OFFICE)
    Membership.objects.create(user=office_c, jurisdiction=cn, role=Role.OFFICE)
    Membership.objects.create(user=dept_b, jurisdiction=bj, role=Role.DEPARTMENT,
                              department=Department.objects.create(
                                  jurisdiction=bj, name="区经济和信息化局", kind="competent"))
    Membership.objects.create(user=dept_c, jurisdiction=cn, role=Role.DEPARTMENT,
                              department=Department.objects.create(
                                  jurisdiction=cn, name="仙霞新村街道", kind="street"))

    org_b = Applicant.objects.create(jurisdiction=bj, kind="organization",
                                     name="杭州滨澜智能传感技术有限公司",
                                     credit_code="91330108MA2B000001", profile=BINJIANG_PROFILE)
    org_b2 = Applicant.objects.create(jurisdiction=bj, kind="organization",
                                      name="杭州江晖数据科技有限公司",
                                      credit_code="91330108MA2B000002", profile=BINJIANG_PROFILE)
    Membership.objects.create(user=applicant_user, jurisdiction=bj, role=Role.APPLICANT,
                              applicant=org_b)
    org_c = Applicant.objects.create(jurisdiction=cn, kind="organization",
                                     name="上海虹桥精密仪器有限公司",
                                     credit_code="91310105MA1C000001", profile=CHANGNING_ORG)
    person = Applicant.objects.create(jurisdiction=cn, kind="individual", name="李海燕",
                                      profile=CHANGNING_PERSON)

    cycle_b = cycle_open(jurisdiction=bj, year=2026, title="2026年度滨江区政府质量奖",
                           opened_on=dt.date(2026, 3, 2),
                           applications_close_on=dt.date(2026, 4, 30), actor=office_b)
    cycle_c = cycle_open(jurisdiction=cn, year=2026, title="2026年度长宁区政府质量奖",
                           opened_on=dt.date(2026, 3, 2),
                           applications_close_on=dt.date(2026, 4, 30), actor=office_c)
    app_b = advance(_submitted(cycle_b, org_b, "organization", office_b), "committee",
                    office=office_b, dept=dept_b)
    app_b2 = _submitted(cycle_b, org_b2, "organization", office_b)
    app_c = advance(_submitted(cycle_c, org_c, "organization", office_c), "eligibility",
                    office=office_c, dept=dept_c)
    app_person = advance(_submitted(cycle_c, person, "individual", office_c), "eligibility",
                         office=office_c, dept=dept_c)

    # 滨江 counts its final notice in calendar days: published and open on the board's today.
    current = notice_publish(cycle=cycle_b, stage="final", starts_on=TODAY, today=TODAY,
                               actor=office_b, applications=[app_b])
    for app in (app_c, app_person):  # the office found both eligible
        assert eligibility_screen(application=app, on=dt.date(2026, 5, 6))["verdict"] == \
            "eligible"
        checks_found_met(app, office_c)
        eligibility_decide(application=app, actor=office_c, decision="eligible")
    past = notice_publish(cycle=cycle_c, stage="eligibility", starts_on=dt.date(2026, 5, 11),
                            today=dt.date(2026, 5, 11), actor=office_c,
                            applications=[app_c, app_person])
    for app in (app_b, app_b2, app_c, app_person):
        app.refresh_from_db()
    return World(bj, cn, office_b, office_c, applicant_user, cycle_b, cycle_c, app_b, app_b2,
                 app_c, app_person, current, past)
