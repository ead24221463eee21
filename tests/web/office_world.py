"""A district with its office, head, reviewer, auditor, department and applicant, one cycle
and one draft application: the world of the console, portal and department page tests
(its fixture ``w`` is in ``conftest.py``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from qaward.web.accounts.models import Department, Jurisdiction, Membership, Role
from qaward.web.cycles.models import Applicant, Application, Cycle
from qaward.web.cycles.services import (
    application_create,
    application_submit,
    application_transition,
    cycle_open,
    eligibility_screen,
    manual_check_record,
    manual_checks_of,
)
from qaward.web.policies.services import sync_policies
from qaward.web.recommendations.services import recommendation_sign

GOOD_PROFILE = {
    "jurisdiction": "滨江区",
    "established_on": "2010-05-01",
    "excellence_model_since": "2018-01-01",
    "sector": "电子信息",
    "legal_person": True,  # the facts a rule needs, stated (not stated: a manual check)
    "annual_results": [{"year": y, "profit": 100} for y in range(2019, 2026)],
}
# Registered elsewhere: the engine finds it ineligible (三、（一）).
ELSEWHERE_PROFILE = {**GOOD_PROFILE, "jurisdiction": "上海市长宁区"}

# The world's cycle and its clock: the call on 2 March 2026, applications until 30 April;
# the world starts inside the window, and the office's review begins after it has closed.
OPENS, CLOSES = dt.date(2026, 3, 2), dt.date(2026, 4, 30)
IN_WINDOW = dt.date(2026, 4, 20)
AFTER_CLOSE = dt.date(2026, 5, 6)


def set_today(day: dt.date) -> None:
    """Move the office's clock (``QAWARD_TODAY``); the tests' settings fixture undoes it."""
    settings.QAWARD_TODAY = day.isoformat()


@dataclass
class World:
    j: Jurisdiction
    other_j: Jurisdiction
    office: User
    head: User
    reviewer: User
    auditor: User
    dept_user: User
    dept: Department
    applicant_user: User
    org: Applicant
    other_office: User
    cycle: Cycle
    app: Application


def user(name: str, j: Jurisdiction, role: str, **extra: Any) -> User:
    u = User.objects.create_user(name)
    Membership.objects.create(user=u, jurisdiction=j, role=role, **extra)
    return u


def build_world() -> World:
    sync_policies()
    j = Jurisdiction.objects.get(code="hangzhou-binjiang")
    other = Jurisdiction.objects.get(code="shanghai-changning")
    dept = Department.objects.create(jurisdiction=j, name="长河街道", kind="street")
    org = Applicant.objects.create(jurisdiction=j, kind="organization", name="杭州示例科技有限公司",
                                   credit_code="91330108MA2XXXXX01", sector="电子信息",
                                   email="a@example.com", profile=GOOD_PROFILE)
    office = user("office", j, Role.OFFICE)
    set_today(IN_WINDOW)
    cycle = cycle_open(jurisdiction=j, year=OPENS.year, title=f"{OPENS.year}年度滨江区政府质量奖",
                         opened_on=OPENS, applications_close_on=CLOSES, actor=office)
    app = application_create(cycle=cycle, applicant=org, track="organization", actor=office)
    return World(
        j=j, other_j=other, office=office, head=user("head", j, Role.OFFICE_HEAD),
        reviewer=user("reviewer", j, Role.REVIEWER), auditor=user("auditor", j, Role.AUDITOR),
        dept_user=user("dept", j, Role.DEPARTMENT, department=dept), dept=dept,
        applicant_user=user("org", j, Role.APPLICANT, applicant=org), org=org,
        other_office=user("changning-office", other, Role.OFFICE), cycle=cycle, app=app)


def client_for(u: User) -> Client:
    c = Client()
    c.force_login(u)
    return c


def submit(w: World, app: Application | None = None) -> Application:
    app = app or w.app
    return application_submit(application=app, actor=w.applicant_user,
                                expected_version=app.version, report_chars=20000)


def into_eligibility(w: World, app: Application | None = None) -> Application:
    """Submit (inside the window), then move the clock past the closing date and send the
    application to eligibility review."""
    app = submit(w, app)
    set_today(AFTER_CLOSE)
    app = application_transition(application=app, target="recommendation", actor=w.office)
    recommendation_sign(application=app, actor=w.dept_user, opinion="同意推荐")
    return application_transition(application=app, target="eligibility", actor=w.office)


def fresh(app: Application) -> Application:
    return Application.objects.get(pk=app.pk)


def other_applicant(w: World, name: str, profile: dict[str, Any]) -> Application:
    a = Applicant.objects.create(jurisdiction=w.j, kind="organization", name=name,
                                 sector="生物医药", profile=profile)
    return application_create(cycle=w.cycle, applicant=a, track="organization", actor=w.office)




def checks_found_met(app: Application, actor: User,
                     note: str = "已核对申报材料，符合") -> Application:
    """Screen the application (unless it was) and record "met" on every manual check, as
    the office must before deciding eligibility."""
    app = fresh(app)
    if app.engine_result is None:
        eligibility_screen(application=app, actor=actor)
        app = fresh(app)
    for check in manual_checks_of(app):
        manual_check_record(application=app, actor=actor, key=check["key"], met=True,
                            note=note)
    return fresh(app)
