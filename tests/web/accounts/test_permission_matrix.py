"""The permission matrix: every URL pattern and every API operation, against every role, on
an object of the user's own district and on the same kind of object of another district.

One world (built once for the module, rolled back at its end; every test runs in a savepoint
of it) holds two jurisdictions, 滨江 (binjiang-2020) and 长宁 (changning-2023), each with a
user of every role and a cycle whose applications stand in useful states: a draft, a
submitted one awaiting its recommendation, one in eligibility review (recommended, a
consultation recorded, an evidence file, an overriding decision awaiting the head's
sign-off) and one listed on a current public notice with a real-name objection and its
evidence file. The actors are always 滨江 users; "own district" cells use 滨江's objects,
"other district" cells the matching 长宁 objects.

Expected outcomes:
  allowed         200, or a 302 to a page of the same area (a POST with an empty body may
                  also answer with its form errors: 200/400/409)
  login required  302 to /accounts/login/
  403             the object may be seen, not acted on
  404             the object may not be seen at all - always the answer for another
                  district's objects (rules.py: existence does not leak)
For the API (bearer tokens) the expected status is given exactly (200/400/401/403/404); its
POSTs carry a body the rules refuse (400) once past the permission check, so no cell writes.

Every cell whose expected outcome is not "allowed" also checks that nothing changed (audit
events, application states and versions, engine results, objections, recommendations,
decisions, consultations, invitations, documents).

New views cannot escape: ``test_every_url_pattern_is_in_the_matrix`` walks the URL resolver
and ``test_every_api_operation_is_in_the_matrix`` the OpenAPI schema; a pattern or an
operation the tables below do not cover fails the suite.

A cell marked xfail(strict=True) is a known deviation from the expected permission (see its
reason); it turns into a failure once the view is fixed, so the table gets updated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from qaward.core.states import StageId
from qaward.core.workflow import allowed_targets
from qaward.web.accounts import rules
from qaward.web.accounts.models import Department, Jurisdiction, Membership, Role
from qaward.web.api import api, issue_token
from qaward.web.audit.models import AuditEvent
from qaward.web.audit.services import verify_chain
from qaward.web.cycles.models import Applicant, Application, Cycle, Document, EligibilityDecision
from qaward.web.cycles.services import (
    application_create,
    application_submit,
    application_transition,
    cycle_open,
    document_add,
    eligibility_conclude,
    eligibility_decide,
    eligibility_screen,
)
from qaward.web.experts.models import Conflict, Expert, ExpertCycle, ExpertRelation, Sanction
from qaward.web.notices import services as notice_services
from qaward.web.notices.models import Notice, Objection, ObjectionEvidence
from qaward.web.notices.services import notice_publish
from qaward.web.policies.services import policy_of, sync_policies
from qaward.web.recommendations.models import Consultation, Invitation, Recommendation
from qaward.web.recommendations.services import consultation_record, recommendation_sign
from qaward.web.review.models import ReportRelease, Shortlist
from tests.web.office_world import checks_found_met

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------------------------------------
# Dates: the office's "today" is fixed, so the notices below are open whatever the real date.

TODAY = dt.date(2026, 5, 12)
# Applications are taken until 30 April; the reviews and the notice come after (no stage
# begins before the window closes), and the pages are read on TODAY.
OPENED, CLOSES = dt.date(2026, 3, 2), dt.date(2026, 4, 30)
SUBMITTED_ON = dt.date(2026, 4, 1)
REVIEWED_ON = dt.date(2026, 5, 6)
NOTICE_FROM = dt.date(2026, 5, 11)  # 滨江 final notice: 7 days; 长宁 eligibility: 5 working days

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PROFILES = {
    "hangzhou-binjiang": {
        "jurisdiction": "杭州高新区（滨江）",
        "established_on": "2010-05-01",
        "excellence_model_since": "2018-01-01",
        "annual_results": [{"year": y, "profit": 100} for y in range(2021, 2026)],
    },
    "shanghai-changning": {
        "jurisdiction": "上海市长宁区",
        "established_on": "2008-06-01",
        "annual_results": [{"year": y, "profit": 100} for y in range(2021, 2026)],
    },
}

# ---------------------------------------------------------------------------------------------
# Roles

ANON, OFFICE, HEAD, OWNER, OTHER_APPLICANT, DEPT, REVIEWER, COMMITTEE, AUDITOR = (
    "anonymous", "office", "office_head", "applicant", "other_applicant", "department",
    "reviewer", "committee", "auditor")
ROLES = (ANON, OFFICE, HEAD, OWNER, OTHER_APPLICANT, DEPT, REVIEWER, COMMITTEE, AUDITOR)
ROLE_LABELS = {ANON: "anonymous", OFFICE: "office", HEAD: "office head",
               OWNER: "applicant (owner)", OTHER_APPLICANT: "other applicant",
               DEPT: "department", REVIEWER: "reviewer", COMMITTEE: "committee",
               AUDITOR: "auditor"}
STAFF_ROLES = {OFFICE: Role.OFFICE, HEAD: Role.OFFICE_HEAD, REVIEWER: Role.REVIEWER,
               COMMITTEE: Role.COMMITTEE, AUDITOR: Role.AUDITOR}
LOGGED_IN = ROLES[1:]
# A reviewer is no staff reader: the console and every application not assigned to them are
# 404 (their assigned applications are read in the review app, tests/web/review).
STAFF = (OFFICE, HEAD, COMMITTEE, AUDITOR)
THE_OFFICE = (OFFICE, HEAD)
READ_ONLY_STAFF = (COMMITTEE, AUDITOR)
APPLICANTS = (OWNER, OTHER_APPLICANT)

# Applications (and the applicant user owning each): the "applicant (owner)" of a row is the
# owner of the row's subject; the "other applicant" owns only an unrelated draft.
SUBJECTS = ("draft", "submitted", "eligibility", "notice", "other", "invited", "newcomer")

# ---------------------------------------------------------------------------------------------
# The world


@dataclass
class District:
    j: Jurisdiction
    policy_id: str
    users: dict[str, User]  # staff and department roles
    owners: dict[str, User]  # subject -> the applicant user who owns it
    applicants: dict[str, Applicant]
    cycle: Cycle
    apps: dict[str, Application]
    notice: Notice
    objection: Objection
    evidence: ObjectionEvidence
    consultation: Consultation
    document: Document
    invitation: Invitation
    expert: Expert  # the district's reviewer, in its expert pool
    conflict: Conflict  # a suggested conflict of that expert, pending
    report: ReportRelease  # a review report released on the listed application

    @property
    def code(self) -> str:
        return str(self.j.code)


@dataclass
class World:
    home: District  # 滨江: where every actor works
    away: District  # 长宁: the other district
    sessions: dict[int, str] = field(default_factory=dict)  # user pk -> session key
    tokens: dict[int, str] = field(default_factory=dict)  # user pk -> bearer token

    def district(self, scope: str | None) -> District:
        return self.away if scope == "other" else self.home

    def actor(self, role: str, subject: str) -> User | None:
        if role == ANON:
            return None
        if role == OWNER:
            return self.home.owners[subject]
        if role == OTHER_APPLICANT:
            return self.home.owners["other"]
        return self.home.users[role]

    def client(self, user: User | None) -> Client:
        c = Client()
        if user is not None:
            c.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[user.pk]
        return c


def member(name: str, j: Jurisdiction, role: Any, **extra: Any) -> User:
    u = User.objects.create_user(name, password=f"pw-{name}")
    Membership.objects.create(user=u, jurisdiction=j, role=role, **extra)
    return u


def walk(app: Application, to: str, *, office: User, dept: User) -> Application:
    """Move an application along its policy's main line up to the state ``to``."""
    while app.state != to:
        if app.state == "recommendation":
            recommendation_sign(application=app, actor=dept, opinion="同意推荐")
            app = application_transition(application=app, target="eligibility", actor=office,
                                           today=REVIEWED_ON)
        elif app.state == "eligibility":
            assert eligibility_screen(application=app, on=REVIEWED_ON)["verdict"] == "eligible"
            checks_found_met(app, office)
            eligibility_decide(application=app, actor=office, decision="eligible")
            app = eligibility_conclude(application=app, actor=office, today=REVIEWED_ON)
        else:
            target = allowed_targets(policy_of(app.cycle), app.state)[0]
            app = application_transition(application=app, target=target, actor=office,
                                           today=REVIEWED_ON)
    return app


def build_district(code: str, tag: str, *, notice_stage: str, before_notice: str) -> District:
    j = Jurisdiction.objects.get(code=code)
    dept = Department.objects.create(jurisdiction=j, name=f"{tag}推荐部门", kind="competent")
    users = {role: member(f"{tag}-{role}", j, db_role) for role, db_role in STAFF_ROLES.items()}
    users[DEPT] = member(f"{tag}-department", j, Role.DEPARTMENT, department=dept)
    office = users[OFFICE]
    applicants, owners = {}, {}
    for i, subject in enumerate(SUBJECTS, start=1):
        a = Applicant.objects.create(jurisdiction=j, kind="organization",
                                     name=f"{tag}申报单位{subject}",
                                     credit_code=f"91{tag.upper()}{i:016d}",
                                     email=f"{subject}@{tag}.example.com", profile=PROFILES[code])
        applicants[subject] = a
        owners[subject] = member(f"{tag}-applicant-{subject}", j, Role.APPLICANT, applicant=a)

    cycle = cycle_open(jurisdiction=j, year=2026, title=f"2026年度{j.name_zh}政府质量奖",
                         opened_on=OPENED, applications_close_on=CLOSES, actor=office)
    policy_id = cycle.policy.policy_id

    def create(subject: str) -> Application:
        return application_create(cycle=cycle, applicant=applicants[subject],
                                    track="organization", actor=owners[subject],
                                    today=SUBMITTED_ON)

    def submit(app: Application, subject: str) -> Application:
        return application_submit(application=app, actor=owners[subject],
                                    expected_version=app.version, report_chars=20000,
                                    today=SUBMITTED_ON)

    apps = {"draft": create("draft"), "other": create("other")}
    apps["submitted"] = submit(create("submitted"), "submitted")

    app = create("eligibility")
    document = document_add(application=app, actor=owners["eligibility"], kind="evidence",
                            upload=SimpleUploadedFile("证实性材料.pdf", PDF,
                                                      content_type="application/pdf"))
    app = walk(submit(app, "eligibility"), "eligibility", office=office, dept=users[DEPT])
    assert eligibility_screen(application=app, on=REVIEWED_ON)["verdict"] == "eligible"
    checks_found_met(app, office)
    eligibility_decide(application=app, actor=office, decision="ineligible",
                         reason="书面征求意见反映存在未结质量投诉")  # overrides: head signs off
    consultation = consultation_record(application=app, actor=office,
                                         department_name="区市场监管局", question="有无质量投诉？")
    apps["eligibility"] = app

    app = walk(submit(create("notice"), "notice"), before_notice, office=office,
               dept=users[DEPT])
    if before_notice == "eligibility":  # the eligibility notice lists those decided eligible
        assert eligibility_screen(application=app, on=REVIEWED_ON)["verdict"] == "eligible"
        checks_found_met(app, office)
        eligibility_decide(application=app, actor=office, decision="eligible")
    notice = notice_publish(cycle=cycle, stage=notice_stage, starts_on=NOTICE_FROM,
                              today=NOTICE_FROM, actor=office, applications=[app])
    assert notice.starts_on <= TODAY <= notice.ends_on
    objection = notice_services.objection_submit_with_evidence(
        notice=notice, application=app, name="赵异议", id_number="310105198001011235",
        phone="13800138000", statement="该公司2025年发生过质量事故，附报道截图。",
        files=[SimpleUploadedFile("报道.pdf", PDF, content_type="application/pdf")])
    apps["notice"] = Application.objects.get(pk=app.pk)

    invitation = Invitation.objects.create(
        jurisdiction=j, cycle=cycle, applicant=applicants["invited"],
        recommender=f"{tag}行业协会", recommender_kind="association", reason="质量管理成效显著")
    for key, a in apps.items():
        apps[key] = Application.objects.get(pk=a.pk)

    # The review (issue 8): the reviewer is an expert of the district's pool, available in
    # the cycle with the pledge signed; a conflict suggested between that expert and the
    # application in eligibility review, pending; the material review's report released on
    # the listed application (its PDF made, so downloads serve it as kept).
    expert = Expert.objects.create(jurisdiction=j, user=users[REVIEWER], name=f"{tag}评审专家",
                                   employer_name=f"{tag}质量咨询公司", can_lead=True)
    ExpertCycle.objects.create(expert=expert, cycle=cycle, available=True,
                               pledge_signed_at=timezone.now(), pledge_text="保密承诺；回避承诺")
    conflict = Conflict.objects.create(
        cycle=cycle, application=apps["eligibility"], expert=expert,
        origin=Conflict.Origin.DETECTED, relation="affiliate", statement="曾在该组织任职",
        evidence=[{"field": "employer_name", "value": applicants["eligibility"].name}])
    report = ReportRelease.objects.create(
        application=apps["notice"], kind=ReportRelease.Kind.MATERIAL_REVIEW,
        stage=StageId.MATERIAL_REVIEW.value, article="评审报告", released_by=office,
        released_at=timezone.now(), pdf=PDF, sha256=hashlib.sha256(PDF).hexdigest())
    return District(j=j, policy_id=policy_id, users=users, owners=owners,
                    applicants=applicants, cycle=cycle, apps=apps, notice=notice,
                    objection=objection, evidence=objection.evidence.get(),
                    consultation=consultation, document=document, invitation=invitation,
                    expert=expert, conflict=conflict, report=report)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(QAWARD_TODAY=TODAY.isoformat(),
                                                       MEDIA_ROOT=str(media)):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            sync_policies()
            w = World(
                home=build_district("hangzhou-binjiang", "bj", notice_stage="final",
                                    before_notice="committee"),
                away=build_district("shanghai-changning", "cn", notice_stage="eligibility",
                                    before_notice="eligibility"))
            for d in (w.home, w.away):
                for u in (*d.users.values(), *d.owners.values()):
                    c = Client()
                    c.force_login(u)
                    w.sessions[u.pk] = c.cookies[settings.SESSION_COOKIE_NAME].value
                    w.tokens[u.pk] = issue_token(u)
            yield w
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def fingerprint() -> tuple[Any, ...]:
    """Everything an action of the console, the portal or the department could change."""
    return (
        AuditEvent.objects.count(),
        list(Application.objects.order_by("pk").values_list(
            "pk", "state", "version", "engine_result", "fast_track", "profile_snapshot")),
        list(Applicant.objects.order_by("pk").values_list("pk", "profile", "sector")),
        list(Objection.objects.order_by("pk").values_list(
            "pk", "status", "investigator_id", "findings", "decision_reason")),
        list(Recommendation.objects.order_by("pk").values_list(
            "pk", "department_id", "opinion", "signed_at")),
        list(EligibilityDecision.objects.order_by("pk").values_list(
            "pk", "decision", "reason", "signed_off_by_id", "signed_off_at")),
        list(Consultation.objects.order_by("pk").values_list("pk", "answer", "answered_at")),
        list(Invitation.objects.order_by("pk").values_list("pk", "accepted_at", "declined_at")),
        Cycle.objects.count(), Notice.objects.count(), Document.objects.count(),
        ObjectionEvidence.objects.count(), Membership.objects.count(),
        # The review's pool, conflicts, shortlists and released reports (issue 8).
        list(Expert.objects.order_by("pk").values_list(
            "pk", "name", "status", "disqualified_until", "user_id")),
        list(ExpertCycle.objects.order_by("pk").values_list(
            "pk", "available", "min_load", "max_load", "pledge_signed_at")),
        list(Conflict.objects.order_by("pk").values_list("pk", "status", "reason")),
        ExpertRelation.objects.count(), Sanction.objects.count(), Shortlist.objects.count(),
        list(ReportRelease.objects.order_by("pk").values_list("pk", "sha256")),
    )


def test_the_world_holds_each_object_in_its_state(world: World) -> None:
    """The matrix means something only if its objects are what the rows say they are."""
    for d, notice_state in ((world.home, "committee_notice"),
                            (world.away, "eligibility_notice")):
        assert {k: a.state for k, a in d.apps.items()} == {
            "draft": "draft", "other": "draft", "submitted": "submitted",
            "eligibility": "eligibility", "notice": notice_state}
        assert rules.awaits_recommendation(None, d.apps["submitted"])
        assert d.apps["eligibility"].recommendation.signed_at is not None
        decision = d.apps["eligibility"].eligibility_decision
        assert decision.overrides_engine and decision.signed_off_at is None
        assert d.notice.starts_on <= TODAY <= d.notice.ends_on
        assert d.objection.status == "received" and d.evidence.file
        assert d.invitation.accepted_at is None and d.invitation.declined_at is None
        assert d.expert.user == d.users[REVIEWER] and d.conflict.status == "pending"
        assert d.report.application == d.apps["notice"] and d.report.pdf
    assert world.home.policy_id == "binjiang-2020" and world.away.policy_id == "changning-2023"
    assert verify_chain().ok


# ---------------------------------------------------------------------------------------------
# Outcomes

ALLOWED, LOGIN, FORBIDDEN, NOT_FOUND = "allowed", "login required", "403", "404"


def outcomes(allowed: tuple[str, ...] = (), forbidden: tuple[str, ...] = (), *,
             default: str = NOT_FOUND, anonymous: str = LOGIN) -> dict[str, str]:
    out = {role: default for role in LOGGED_IN}
    out.update({role: FORBIDDEN for role in forbidden})
    out.update({role: ALLOWED for role in allowed})
    out[ANON] = anonymous
    return out


EVERYONE = outcomes(default=ALLOWED, anonymous=ALLOWED)
HIDDEN = outcomes()  # another district's object: 404 to every role, login for the anonymous
# The office console: the office acts, the read-only staff may look but not act.
OFFICE_ACTION = outcomes(THE_OFFICE, READ_ONLY_STAFF)
STAFF_PAGE = outcomes(STAFF)


# ---------------------------------------------------------------------------------------------
# The page table (every URL pattern outside the API's operations)

Args = Callable[[District], dict[str, Any]]


@dataclass(frozen=True)
class Page:
    name: str  # the URL pattern's name, with its namespace
    method: str
    label: str
    own: dict[str, str]
    args: Args | None = None  # None: the page has no object (no district to compare)
    other: dict[str, str] | None = None  # default: HIDDEN
    subject: str = "draft"  # whose owner plays "applicant (owner)"
    data: Callable[[District], dict[str, Any]] | None = None
    area: str | None = None  # an allowed redirect must stay under this path
    # For lists: what an allowed 200 shows is exactly what the rules let the user see.
    check: Callable[[World, District, User | None, Any], None] | None = None
    holes: dict[tuple[str, str | None], str] = field(default_factory=dict)


def portal_lists_own_applications(w: World, d: District, user: User | None,
                                  response: Any) -> None:
    listed = {a.pk for a in response.context["apps"]}
    own = set(Application.objects.filter(applicant_id__in=rules.applicant_ids(user))
              .values_list("pk", flat=True))
    assert listed == own and own


def department_lists_what_it_recommends(w: World, d: District, user: User | None,
                                        response: Any) -> None:
    listed = {a.pk for a in response.context["page"]}
    mine = {a.pk for a in Application.objects.select_related("cycle")
            if rules.is_recommending_department(user, a)}
    assert listed == mine and mine <= {a.pk for a in w.home.apps.values()}
    assert d.apps["submitted"].pk in listed and d.apps["eligibility"].pk in listed


def audit_log_of_its_district(w: World, d: District, user: User | None,
                              response: Any) -> None:
    events = list(response.context["page"])
    assert events and {e.jurisdiction_id for e in events} == {d.j.pk}


def cycle_list_of_its_cycle(w: World, d: District, user: User | None, response: Any) -> None:
    listed = {a.pk for a in response.context["page"]}
    assert listed == set(Application.objects.filter(cycle=d.cycle).values_list("pk", flat=True))


def code(d: District) -> dict[str, Any]:
    return {"code": d.code}


def app_of(subject: str) -> Args:
    return lambda d: {"pk": d.apps[subject].pk}


def of_cycle(d: District) -> dict[str, Any]:
    return {"pk": d.cycle.pk}


def material_review(d: District) -> dict[str, Any]:
    return {"pk": d.cycle.pk, "stage": StageId.MATERIAL_REVIEW.value}


def pool_of_its_district(w: World, d: District, user: User | None, response: Any) -> None:
    listed = list(response.context["experts"])
    assert d.expert in listed and {e.jurisdiction_id for e in listed} == {d.j.pk}


def conflicts_of_its_cycle(w: World, d: District, user: User | None, response: Any) -> None:
    rows = response.context["rows"]
    assert {c.pk for c in rows} == set(Conflict.objects.filter(cycle=d.cycle)
                                         .values_list("pk", flat=True)) == {d.conflict.pk}


def reports_of_its_application(w: World, d: District, user: User | None,
                               response: Any) -> None:
    assert [r.pk for r in response.context["reports"]] == [d.report.pk]


# Who reads a cycle's ranking (review/views/ranking.py): the office, the committee and the
# auditors; a reviewer sees only the applications of their own teams, never the ranking.
RANKING_READERS = (OFFICE, HEAD, COMMITTEE, AUDITOR)
RANKING_ACTION = outcomes(THE_OFFICE, (COMMITTEE, AUDITOR))
# The released review reports: the applicant of the application and the office.
REPORT_READERS = (OWNER, OFFICE, HEAD)



PAGES: list[Page] = [
    # Public and account pages
    Page("healthz", "GET", "health check", EVERYONE),
    Page("login", "GET", "login page", EVERYONE),
    Page("logout", "POST", "logout", EVERYONE, data=lambda d: {"next": "/"}),
    Page("set_language", "POST", "language switch", EVERYONE,
         data=lambda d: {"language": "en", "next": "/"}),
    Page("public:notice_list", "GET", "public notice board", EVERYONE),
    Page("public:notice_detail", "GET", "public notice", EVERYONE,
         args=lambda d: {"pk": d.notice.pk}, other=EVERYONE, subject="notice"),
    Page("public:notice_detail", "POST", "public notice objection form", EVERYONE,
         args=lambda d: {"pk": d.notice.pk}, other=EVERYONE, subject="notice"),
    Page("public:notice_print", "GET", "public notice print view", EVERYONE,
         args=lambda d: {"pk": d.notice.pk}, other=EVERYONE, subject="notice"),
    Page("public:objection_status", "GET", "objection status lookup form", EVERYONE),
    Page("public:objection_status", "POST", "objection status lookup (receipt + ID)", EVERYONE,
         data=lambda d: {"receipt_no": d.objection.receipt_no, "id_number": "x"}),
    Page("api:openapi-json", "GET", "API schema", EVERYONE),
    Page("api:openapi-view", "GET", "API docs", EVERYONE),
    Page("api:api-root", "GET", "API root", outcomes(anonymous=NOT_FOUND)),
    # Home: a user with one console is sent to it, others choose
    Page("awards:home", "GET", "home", EVERYONE),
    # Office console
    Page("awards:console", "GET", "console", STAFF_PAGE, args=code, area="/console/"),
    Page("awards:cycle_open", "GET", "open cycle form", OFFICE_ACTION, args=code),
    Page("awards:cycle_open", "POST", "open cycle", OFFICE_ACTION, args=code),
    Page("awards:audit_log", "GET", "audit log", outcomes((HEAD, AUDITOR), (OFFICE, COMMITTEE)),
         args=code, check=audit_log_of_its_district),
    Page("awards:head_desk", "GET", "office head's sign-off list", outcomes((HEAD,), (
        OFFICE, COMMITTEE, AUDITOR)), args=code),
    Page("awards:office_contact", "GET", "office contact form", outcomes((HEAD,), (
        OFFICE, COMMITTEE, AUDITOR)), args=code),
    Page("awards:office_contact", "POST", "office contact update", outcomes((HEAD,), (
        OFFICE, COMMITTEE, AUDITOR)), args=code, area="/console/"),
    Page("awards:cycle_detail", "GET", "cycle application list", STAFF_PAGE,
         args=lambda d: {"pk": d.cycle.pk}, check=cycle_list_of_its_cycle),
    Page("awards:application_batch", "POST", "batch action on applications", OFFICE_ACTION,
         args=lambda d: {"pk": d.cycle.pk}, area="/console/"),
    # Moving a cycle to its policy file's newest content: the office head only.
    Page("awards:cycle_repin", "GET", "policy version confirmation",
         outcomes((HEAD,), (OFFICE, *READ_ONLY_STAFF)), args=lambda d: {"pk": d.cycle.pk},
         area="/console/"),
    Page("awards:cycle_repin", "POST", "move cycle to new policy version",
         outcomes((HEAD,), (OFFICE, *READ_ONLY_STAFF)), args=lambda d: {"pk": d.cycle.pk},
         area="/console/"),
    Page("awards:invitation_create", "POST", "third-party recommendation", OFFICE_ACTION,
         args=lambda d: {"pk": d.cycle.pk}, area="/console/"),
    # Ticking a duty of the checklist (issue 7): the office acts.
    Page("awards:duty_done", "POST", "duty ticked as done", OFFICE_ACTION,
         args=lambda d: {"pk": d.cycle.pk, "duty_id": "no_fees"}, area="/console/"),
    Page("awards:notice_publish", "GET", "notice publishing form", OFFICE_ACTION,
         args=lambda d: {"pk": d.cycle.pk, "stage": "final"}),
    Page("awards:notice_publish", "POST", "notice publishing", OFFICE_ACTION,
         args=lambda d: {"pk": d.cycle.pk, "stage": "final"}, area="/console/"),
    Page("awards:notice_objections", "GET", "notice objections list (objectors' names)",
         OFFICE_ACTION, args=lambda d: {"pk": d.notice.pk}, subject="notice"),
    Page("awards:objection_detail", "GET", "objection (objector's real name)", OFFICE_ACTION,
         args=lambda d: {"pk": d.objection.pk}, subject="notice"),
    Page("awards:objection_assign", "POST", "objection assignment", OFFICE_ACTION,
         args=lambda d: {"pk": d.objection.pk}, subject="notice", area="/console/"),
    Page("awards:objection_decide", "POST", "objection decision", OFFICE_ACTION,
         args=lambda d: {"pk": d.objection.pk}, subject="notice", area="/console/"),
    Page("awards:objection_removal", "POST", "removal decision of an upheld objection",
         OFFICE_ACTION, args=lambda d: {"pk": d.objection.pk}, subject="notice",
         area="/console/"),
    Page("awards:objection_evidence", "GET", "objection evidence file", OFFICE_ACTION,
         args=lambda d: {"pk": d.evidence.pk}, subject="notice"),
    Page("awards:application_detail", "GET", "office application detail (draft)", STAFF_PAGE,
         args=app_of("draft")),
    Page("awards:application_detail", "GET", "office application detail (in eligibility)",
         STAFF_PAGE, args=app_of("eligibility"), subject="eligibility"),
    Page("awards:application_detail", "GET", "office application detail (on notice)",
         STAFF_PAGE, args=app_of("notice"), subject="notice"),
    Page("awards:eligibility_screen", "POST", "eligibility screening", OFFICE_ACTION,
         args=app_of("eligibility"), subject="eligibility", area="/console/"),
    Page("awards:eligibility_decide", "POST", "eligibility decision", OFFICE_ACTION,
         args=app_of("eligibility"), subject="eligibility", area="/console/"),
    Page("awards:manual_check_record", "POST", "finding on a manual check", OFFICE_ACTION,
         args=app_of("eligibility"), subject="eligibility", area="/console/"),
    Page("awards:eligibility_sign_off", "POST", "eligibility override sign-off",
         outcomes((HEAD,), (OFFICE, *READ_ONLY_STAFF)), args=app_of("eligibility"),
         subject="eligibility", area="/console/"),
    Page("awards:eligibility_conclude", "POST", "eligibility conclusion", OFFICE_ACTION,
         args=app_of("eligibility"), subject="eligibility", area="/console/"),
    Page("awards:application_return", "POST", "return for completion", OFFICE_ACTION,
         args=app_of("submitted"), subject="submitted", area="/console/"),
    Page("awards:application_transition", "POST", "application transition", OFFICE_ACTION,
         args=app_of("submitted"), subject="submitted", area="/console/"),
    Page("awards:consultation_add", "POST", "consultation record", OFFICE_ACTION,
         args=app_of("eligibility"), subject="eligibility", area="/console/"),
    Page("awards:consultation_answer", "POST", "consultation answer", OFFICE_ACTION,
         args=lambda d: {"pk": d.consultation.pk}, subject="eligibility", area="/console/"),
    # Documents: whoever may see the application (staff, its applicant, its department)
    Page("awards:document_download", "GET", "application document download",
         outcomes((*STAFF, OWNER, DEPT)), args=lambda d: {"pk": d.document.pk},
         subject="eligibility"),
    # Applicant portal
    Page("awards:portal", "GET", "applicant portal", outcomes(APPLICANTS),
         check=portal_lists_own_applications),
    Page("awards:portal_create", "POST", "new application", outcomes(APPLICANTS),
         area="/portal/"),
    Page("awards:portal_application", "GET", "portal application (draft)", outcomes((OWNER,)),
         args=app_of("draft")),
    Page("awards:portal_application", "GET", "portal application (on notice)",
         outcomes((OWNER,)), args=app_of("notice"), subject="notice"),
    Page("awards:portal_profile", "GET", "portal profile form (draft)", outcomes((OWNER,)),
         args=app_of("draft")),
    Page("awards:portal_profile", "POST", "portal profile save (draft)", outcomes((OWNER,)),
         args=app_of("draft"), area="/portal/"),
    Page("awards:portal_profile", "GET", "portal profile form (submitted)",
         outcomes(forbidden=(OWNER,)), args=app_of("submitted"), subject="submitted"),
    Page("awards:portal_profile", "POST", "portal profile save (submitted)",
         outcomes(forbidden=(OWNER,)), args=app_of("submitted"), subject="submitted"),
    Page("awards:portal_upload", "POST", "portal upload (draft)", outcomes((OWNER,)),
         args=app_of("draft"), area="/portal/"),
    Page("awards:portal_upload", "POST", "portal upload (submitted)",
         outcomes(forbidden=(OWNER,)), args=app_of("submitted"), subject="submitted"),
    Page("awards:portal_submit", "POST", "portal submission (draft)", outcomes((OWNER,)),
         args=app_of("draft"), area="/portal/"),
    # Submitting again is answered with "申报已提交" on the application's page; nothing changes.
    Page("awards:portal_submit", "POST", "portal submission (submitted)",
         outcomes((OWNER,)), args=app_of("submitted"), subject="submitted", area="/portal/"),
    Page("awards:invitation_respond", "POST", "recommendation invitation answer",
         outcomes((OWNER,)), args=lambda d: {"pk": d.invitation.pk, "answer": "accept"},
         subject="invited", area="/portal/"),
    # Appeals (申诉): only the owner may file (a draft is refused by the service and the page
    # says so); the world holds no appeal, so deciding one is not found for every role.
    Page("awards:appeal_file", "POST", "appeal filing (draft)", outcomes((OWNER,)),
         args=app_of("draft"), area="/portal/", data=lambda d: {"reason": "理由"}),
    Page("awards:appeal_decide", "POST", "appeal decision (no such appeal)", outcomes(),
         args=lambda d: {"pk": 999999}),
    # The review teams (issue 8): the office forms them; a reviewer reads only what is assigned
    # (the world assigns nothing, so every application is 404 to everyone there).
    Page("awards:review_teams", "GET", "review teams of a stage",
         outcomes(THE_OFFICE, READ_ONLY_STAFF),
         args=lambda d: {"pk": d.cycle.pk, "stage": "material_review"}),
    Page("awards:review_teams_propose", "POST", "review teams proposal (no application)",
         outcomes(THE_OFFICE, READ_ONLY_STAFF),
         args=lambda d: {"pk": d.cycle.pk, "stage": "material_review"}, area="/console/"),
    Page("awards:review_teams_recuse", "POST", "review teams: record recusals",
         outcomes(THE_OFFICE, READ_ONLY_STAFF),
         args=lambda d: {"pk": d.cycle.pk, "stage": "material_review"}, area="/console/"),
    Page("awards:review_teams_accept", "POST", "review teams acceptance (no such proposal)",
         outcomes(forbidden=READ_ONLY_STAFF, default=NOT_FOUND),
         args=lambda d: {"pk": d.cycle.pk, "stage": "material_review", "proposal": 999999}),
    Page("awards:review_team_adjust", "POST", "review team adjustment (no such team)",
         outcomes(), args=lambda d: {"pk": 999999}),
    Page("awards:review_tasks", "GET", "reviewer's tasks", outcomes(LOGGED_IN)),
    Page("awards:review_application", "GET", "reviewer's application (unassigned)", outcomes(),
         args=app_of("eligibility"), subject="eligibility"),
    Page("awards:review_document", "GET", "reviewer's document download (unassigned)",
         outcomes(), args=lambda d: {"pk": d.document.application_id, "doc": d.document.pk},
         subject="eligibility"),
    # Score sheets (issue 8, review/urls_sheets.py): the reviewer's pages pass through
    # access.member_for (tests/web/review/test_sheets.py); the world holds no team, so they are
    # not found for every role. The office's progress and ratings pages: the office only.
    Page("awards:review_my_teams", "GET", "reviewer's own review tasks",
         outcomes(default=ALLOWED)),
    Page("awards:review_sheet", "GET", "score sheet (no such team)", outcomes(),
         args=lambda d: {"pk": 999999}),
    Page("awards:review_sheet", "POST", "score sheet save (no such team)", outcomes(),
         args=lambda d: {"pk": 999999}),
    Page("awards:review_team", "GET", "review team sheets (no such team)", outcomes(),
         args=lambda d: {"pk": 999999}),
    Page("awards:review_team", "POST", "review team consensus (no such team)", outcomes(),
         args=lambda d: {"pk": 999999}),
    Page("awards:review_visit_plan", "GET", "site visit plan (no such team)", outcomes(),
         args=lambda d: {"pk": 999999}),
    Page("awards:review_visit_plan", "POST", "site visit plan save (no such team)",
         outcomes(), args=lambda d: {"pk": 999999}),
    Page("awards:portal_site_review", "GET", "applicant's site review (no such team)",
         outcomes(), args=lambda d: {"pk": 999999}),
    Page("awards:portal_site_review", "POST", "site report confirmation (no such team)",
         outcomes(), args=lambda d: {"pk": 999999}),
    Page("awards:review_progress", "GET", "scoring progress of a stage", OFFICE_ACTION,
         args=lambda d: {"pk": d.cycle.pk, "stage": "material_review"}),
    Page("awards:review_ratings", "GET", "two-way supervision ratings", OFFICE_ACTION,
         args=lambda d: {"pk": d.cycle.pk}),
    # The expert pool (issue 8, experts/urls.py): the office keeps it; the read-only staff see
    # the console but not the pool (403); nobody else finds it.
    Page("awards:expert_pool", "GET", "expert pool", OFFICE_ACTION, args=code,
         check=pool_of_its_district),
    Page("awards:expert_pool", "POST", "expert pool import (no file)", OFFICE_ACTION,
         args=code, area="/console/"),
    Page("awards:expert_new", "GET", "new expert form", OFFICE_ACTION, args=code),
    Page("awards:expert_new", "POST", "new expert (empty form)", OFFICE_ACTION, args=code,
         area="/console/"),
    Page("awards:expert_detail", "GET", "expert's page", OFFICE_ACTION,
         args=lambda d: {"pk": d.expert.pk}),
    Page("awards:expert_detail", "POST", "expert's profile save (empty form)", OFFICE_ACTION,
         args=lambda d: {"pk": d.expert.pk}, data=lambda d: {"what": "profile"},
         area="/console/"),
    Page("awards:cycle_pool", "GET", "cycle's expert availability", OFFICE_ACTION,
         args=of_cycle),
    Page("awards:cycle_pool", "POST", "cycle's expert availability (nothing changed)",
         OFFICE_ACTION, args=of_cycle, area="/console/"),
    Page("awards:cycle_conflicts", "GET", "cycle's conflicts of interest", OFFICE_ACTION,
         args=of_cycle, check=conflicts_of_its_cycle),
    Page("awards:cycle_conflicts", "POST", "conflict decision without a reason",
         OFFICE_ACTION, args=of_cycle, area="/console/",
         data=lambda d: {"conflict": d.conflict.pk, "status": "confirmed"}),
    # An office member's own recusal from an application: whoever sees the application and
    # is not of the office may not declare one (403).
    Page("awards:staff_recuse", "POST", "office member's recusal (no statement)",
         outcomes(THE_OFFICE, (*READ_ONLY_STAFF, OWNER, DEPT)), args=app_of("eligibility"),
         subject="eligibility", area="/console/"),
    # The expert's own pages: only a user who is an expert of the cycle's district (the
    # world's reviewer); nobody else finds them.
    Page("awards:expert_pledge", "GET", "expert's pledge", outcomes((REVIEWER,)),
         args=of_cycle),
    Page("awards:expert_pledge", "POST", "expert's pledge (not ticked)", outcomes((REVIEWER,)),
         args=of_cycle, area="/review/"),
    Page("awards:expert_declare", "GET", "expert's declaration of interests",
         outcomes((REVIEWER,)), args=of_cycle),
    Page("awards:expert_declare", "POST", "expert's declaration (empty)",
         outcomes((REVIEWER,)), args=of_cycle, area="/review/"),
    # The ranking (issue 8, review/urls_ranking.py): read by the office, the committee and
    # the auditors, acted on by the office (403 for the readers); reviewers do not find it.
    Page("awards:ranking_overview", "GET", "ranking of the material review",
         outcomes(RANKING_READERS), args=material_review),
    Page("awards:ranking_shortlist", "GET", "shortlist", outcomes(RANKING_READERS),
         args=of_cycle),
    Page("awards:ranking_shortlist", "POST", "shortlist check (nothing chosen)",
         RANKING_ACTION, args=of_cycle, area="/console/"),
    Page("awards:ranking_reports_release", "POST", "release of the material review's reports",
         RANKING_ACTION, args=material_review, area="/console/"),
    Page("awards:ranking_reviewer_table", "GET", "an application's scores by reviewer (xlsx)",
         RANKING_ACTION, area="/console/",
         args=lambda d: {"pk": d.apps["notice"].pk, "stage": StageId.MATERIAL_REVIEW.value},
         subject="notice"),
    # The released review reports: the applicant of the application and the office only.
    Page("awards:portal_reports", "GET", "applicant's review reports",
         outcomes(REPORT_READERS), args=app_of("notice"), subject="notice",
         check=reports_of_its_application),
    Page("awards:report_download", "GET", "review report download (PDF)",
         outcomes(REPORT_READERS), args=lambda d: {"pk": d.report.pk}, subject="notice"),
    # Password reset (Django's views): open to everyone.
    Page("password_reset", "GET", "password reset form", EVERYONE),
    Page("password_reset", "POST", "password reset request (empty)", EVERYONE),
    Page("password_reset_done", "GET", "password reset mail sent", EVERYONE),
    Page("password_reset_confirm", "GET", "password reset link (invalid)", EVERYONE,
         args=lambda d: {"uidb64": "MQ", "token": "invalid-token"}, other=EVERYONE),
    Page("password_reset_complete", "GET", "password reset complete", EVERYONE),
    # Recommending department
    Page("awards:department", "GET", "department list", outcomes((DEPT,)),
         check=department_lists_what_it_recommends),
    Page("awards:department_application", "GET",
         "department application (awaiting recommendation)", outcomes((DEPT,)),
         args=app_of("submitted"), subject="submitted"),
    Page("awards:department_application", "POST",
         "department recommendation (awaiting recommendation)", outcomes((DEPT,)),
         args=app_of("submitted"), subject="submitted", area="/department/"),
    Page("awards:department_application", "GET", "department application (recommended)",
         outcomes((DEPT,)), args=app_of("eligibility"), subject="eligibility"),
    Page("awards:department_application", "POST",
         "department recommendation (already signed)", outcomes(forbidden=(DEPT,)),
         args=app_of("eligibility"), subject="eligibility"),
    Page("awards:department_application", "GET", "department application (draft)",
         outcomes(), args=app_of("draft")),
]


def classify_page(response: Any, method: str, area: str | None) -> str:
    status = response.status_code
    if status in (301, 302, 303):
        location = response["Location"]
        if location.startswith(settings.LOGIN_URL):
            return LOGIN
        if area is not None and not location.startswith(area):
            return f"redirect outside {area}: {location}"
        return ALLOWED
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return NOT_FOUND
    if status in (200, 204) or (method == "POST" and status in (400, 409)):
        return ALLOWED
    return f"unexpected {status}"


def page_cells() -> Iterator[Any]:
    for page in PAGES:
        scopes: tuple[str | None, ...] = ("own", "other") if page.args else (None,)
        for scope in scopes:
            table = page.own if scope != "other" else (page.other or HIDDEN)
            for role in ROLES:
                expected = table[role]
                where = f" of {scope} district" if scope else ""
                cell_id = (f"{ROLE_LABELS[role]} {page.method} {page.label}{where} "
                           f"-> {expected}")
                marks = []
                reason = page.holes.get((role, scope))
                if reason:
                    marks.append(pytest.mark.xfail(strict=True, reason=reason))
                yield pytest.param(page, scope, role, expected, id=cell_id, marks=marks)


@pytest.mark.parametrize(("page", "scope", "role", "expected"), list(page_cells()))
def test_page(world: World, page: Page, scope: str | None, role: str, expected: str) -> None:
    d = world.district(scope)
    url = reverse(page.name, kwargs=page.args(d) if page.args else None)
    client = world.client(world.actor(role, page.subject))
    before = fingerprint()
    if page.method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, page.data(d) if page.data else {})
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
        # Close the file, not the response: response.close() sends request_finished, whose
        # close_old_connections would end the module's transaction on PostgreSQL.
        stream = getattr(response, "file_to_stream", None)
        if stream is not None:
            stream.close()
    outcome = classify_page(response, page.method, page.area)
    if expected != ALLOWED:
        assert fingerprint() == before, f"{page.method} {url} changed something"
    assert outcome == expected, f"{page.method} {url}: {response.status_code}"
    if page.check is not None and response.status_code == 200:
        page.check(world, d, world.actor(role, page.subject), response)


# ---------------------------------------------------------------------------------------------
# The API table (every operation of the OpenAPI schema), with bearer tokens


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # as the OpenAPI schema names it
    label: str
    own: dict[str, int]
    args: Args | None = None
    other: dict[str, int] | None = None  # default: 404, 401 for the anonymous
    subject: str = "draft"
    body: Callable[[District], dict[str, Any]] | None = None
    multipart: bool = False
    check: Callable[[World, District, User | None, Any], None] | None = None
    holes: dict[tuple[str, str | None], str] = field(default_factory=dict)
    # A POST with no body the rules could refuse (an idempotent run): allowed cells may
    # write; its refusals still change nothing.
    writes: bool = False


def statuses(default: int, *, anonymous: int = 401, **by_role: int) -> dict[str, int]:
    out = {role: default for role in LOGGED_IN}
    out.update(by_role)
    out[ANON] = anonymous
    return out


def by_roles(roles: tuple[str, ...], status: int) -> dict[str, int]:
    return {role: status for role in roles}


API_HIDDEN = statuses(404)
OPEN_TO_ALL = statuses(200, anonymous=200)
ANY_USER = statuses(200)


def only_own_cycles(w: World, d: District, user: User | None, data: Any) -> None:
    mine = {g.jurisdiction_id for g in rules.grants(user)}
    assert {c["jurisdiction"] for c in data} <= set(
        Jurisdiction.objects.filter(pk__in=mine).values_list("code", flat=True))
    assert w.away.cycle.pk not in {c["id"] for c in data}


def only_visible_applications(w: World, d: District, user: User | None, data: Any) -> None:
    rules.forget_grants(user)
    visible = {a.pk for a in Application.objects.filter(cycle=d.cycle).select_related(
        "cycle", "applicant") if rules.can_view_application(user, a)}
    assert {a["id"] for a in data["items"]} == visible and data["count"] == len(visible)


OFFICE_API = statuses(404, **by_roles(THE_OFFICE, 200), **by_roles(READ_ONLY_STAFF, 403))


def api_pool_of_its_district(w: World, d: District, user: User | None, data: Any) -> None:
    listed = {e["id"] for e in data}
    assert listed == set(Expert.objects.filter(jurisdiction=d.j).values_list("pk", flat=True))
    assert d.expert.pk in listed


def api_conflicts_of_its_cycle(w: World, d: District, user: User | None, data: Any) -> None:
    assert [c["id"] for c in data] == [d.conflict.pk]


def api_reports_of_its_application(w: World, d: District, user: User | None,
                                   data: Any) -> None:
    assert [r["id"] for r in data] == [d.report.pk]


def api_the_kept_pdf(w: World, d: District, user: User | None, data: Any) -> None:
    assert data == bytes(d.report.pdf)


OPERATIONS: list[Operation] = [
    Operation("GET", "/api/policies", "API policy list", ANY_USER),
    Operation("GET", "/api/policies/{policy_id}", "API policy", ANY_USER,
              args=lambda d: {"policy_id": d.policy_id}, other=ANY_USER),
    Operation("GET", "/api/notices", "API public notice list", OPEN_TO_ALL),
    Operation("GET", "/api/notices/{notice_id}", "API public notice", OPEN_TO_ALL,
              args=lambda d: {"notice_id": d.notice.pk}, other=OPEN_TO_ALL, subject="notice"),
    # Public; the objection without a real name is refused (400) and nothing is stored.
    Operation("POST", "/api/notices/{notice_id}/objections", "API objection without real name",
              statuses(400, anonymous=400), args=lambda d: {"notice_id": d.notice.pk},
              other=statuses(400, anonymous=400), subject="notice", multipart=True,
              body=lambda d: {"application_id": d.apps["notice"].pk}),
    Operation("GET", "/api/cycles", "API cycle list", ANY_USER, check=only_own_cycles),
    Operation("GET", "/api/cycles/{cycle_id}/applications", "API cycle applications",
              ANY_USER, args=lambda d: {"cycle_id": d.cycle.pk},
              check=only_visible_applications),
    Operation("GET", "/api/applications/{application_id}", "API application (draft)",
              statuses(404, **by_roles(STAFF, 200), **{OWNER: 200}),
              args=lambda d: {"application_id": d.apps["draft"].pk}),
    Operation("GET", "/api/applications/{application_id}",
              "API application (awaiting recommendation)",
              statuses(404, **by_roles(STAFF, 200), **{OWNER: 200, DEPT: 200}),
              args=lambda d: {"application_id": d.apps["submitted"].pk}, subject="submitted"),
    Operation("GET", "/api/applications/{application_id}", "API application (in eligibility)",
              statuses(404, **by_roles(STAFF, 200), **{OWNER: 200, DEPT: 200}),
              args=lambda d: {"application_id": d.apps["eligibility"].pk},
              subject="eligibility"),
    # A target the office may not choose (submission belongs to the applicant): the office
    # gets past the permission check to the 400; nobody changes anything.
    Operation("POST", "/api/applications/{application_id}/transition",
              "API transition (awaiting recommendation)",
              statuses(403, **by_roles(THE_OFFICE, 400), **{OTHER_APPLICANT: 404,
                                                             REVIEWER: 404}),
              args=lambda d: {"application_id": d.apps["submitted"].pk}, subject="submitted",
              body=lambda d: {"target": "submitted", "expected_version": 1}),
    Operation("POST", "/api/applications/{application_id}/transition",
              "API transition (in eligibility)",
              statuses(403, **by_roles(THE_OFFICE, 400), **{OTHER_APPLICANT: 404,
                                                             REVIEWER: 404}),
              args=lambda d: {"application_id": d.apps["eligibility"].pk},
              subject="eligibility",
              body=lambda d: {"target": "submitted", "expected_version": 1}),
    Operation("POST", "/api/applications/{application_id}/transition",
              "API transition (draft)",
              statuses(404, **by_roles(THE_OFFICE, 400), **by_roles(READ_ONLY_STAFF, 403),
                       **{OWNER: 403}),
              args=lambda d: {"application_id": d.apps["draft"].pk},
              body=lambda d: {"target": "submitted", "expected_version": 1}),
    # Manual checks and the office's findings: staff read them; only the office records (an
    # unknown check: the office gets past the permission check to the 400).
    Operation("GET", "/api/applications/{application_id}/manual-checks",
              "API manual checks (in eligibility)",
              statuses(404, **by_roles(STAFF, 200), **{OWNER: 403, DEPT: 403}),
              args=lambda d: {"application_id": d.apps["eligibility"].pk},
              subject="eligibility"),
    Operation("POST", "/api/applications/{application_id}/manual-checks",
              "API finding on a manual check (in eligibility)",
              statuses(404, **by_roles(THE_OFFICE, 400), **by_roles(READ_ONLY_STAFF, 403),
                       **{OWNER: 403, DEPT: 403}),
              args=lambda d: {"application_id": d.apps["eligibility"].pk},
              subject="eligibility", body=lambda d: {"key": "no_such_check", "met": True}),
    # Appeals: whoever sees the application sees its appeals; filing reaches the service for
    # them (400: only the applicant, and only against a refusal); no appeal to decide exists.
    Operation("GET", "/api/appeals/applications/{application_id}", "API appeals (draft)",
              statuses(404, **by_roles(STAFF, 200), **{OWNER: 200}),
              args=lambda d: {"application_id": d.apps["draft"].pk}),
    Operation("POST", "/api/appeals/applications/{application_id}", "API appeal filing (draft)",
              statuses(404, **by_roles(STAFF, 400), **{OWNER: 400}),
              args=lambda d: {"application_id": d.apps["draft"].pk},
              body=lambda d: {"reason": "理由"}),
    Operation("POST", "/api/appeals/{appeal_id}/decide", "API appeal decision (no such appeal)",
              statuses(404), args=lambda d: {"appeal_id": 999999},
              body=lambda d: {"upheld": False, "findings": "理由"}),
    # Score sheets (issue 8): a team of the reviewer's own district that does not exist is
    # not found for everyone (the rules with real teams: tests/web/review/test_sheets.py).
    Operation("GET", "/api/review/teams/{team_id}/sheet", "API score sheet (no such team)",
              statuses(404), args=lambda d: {"team_id": 999999}),
    Operation("POST", "/api/review/teams/{team_id}/sheet", "API sheet save (no such team)",
              statuses(404), args=lambda d: {"team_id": 999999},
              body=lambda d: {"items": {"4.1.2": {"percentage": 50}}}),
    Operation("POST", "/api/review/teams/{team_id}/sheet/submit",
              "API sheet submission (no such team)", statuses(404),
              args=lambda d: {"team_id": 999999}),
    Operation("GET", "/api/review/teams/{team_id}/spread", "API team spread (no such team)",
              statuses(404), args=lambda d: {"team_id": 999999}),
    Operation("POST", "/api/review/teams/{team_id}/consensus",
              "API consensus record (no such team)", statuses(404),
              args=lambda d: {"team_id": 999999},
              body=lambda d: {"item_id": "4.1.2", "percentage": 50}),
    Operation("POST", "/api/review/teams/{team_id}/consensus/close",
              "API consensus close (no such team)", statuses(404),
              args=lambda d: {"team_id": 999999}),
    Operation("GET", "/api/review/teams/{team_id}/progress", "API team progress (no such team)",
              statuses(404), args=lambda d: {"team_id": 999999}),
    # The expert pool and conflicts (issue 8): the office; 403 for the read-only staff, who
    # see the console; not found for the others.
    Operation("GET", "/api/experts/jurisdictions/{code}", "API expert pool", OFFICE_API,
              args=code, check=api_pool_of_its_district),
    Operation("GET", "/api/experts/cycles/{cycle_id}/conflicts", "API cycle conflicts",
              OFFICE_API, args=lambda d: {"cycle_id": d.cycle.pk},
              check=api_conflicts_of_its_cycle),
    Operation("POST", "/api/experts/cycles/{cycle_id}/conflicts/detect", "API conflict check",
              OFFICE_API, args=lambda d: {"cycle_id": d.cycle.pk}, writes=True),
    Operation("POST", "/api/experts/conflicts/{conflict_id}/decide",
              "API conflict decision without a reason",
              statuses(404, **by_roles(THE_OFFICE, 400), **by_roles(READ_ONLY_STAFF, 403)),
              args=lambda d: {"conflict_id": d.conflict.pk},
              body=lambda d: {"status": "confirmed", "reason": " "}),
    # The ranking, the shortlist and the released reports (issue 8), as the pages.
    Operation("GET", "/api/review/cycles/{cycle_id}/ranking/{stage}",
              "API ranking of the material review",
              statuses(404, **by_roles(RANKING_READERS, 200)),
              args=lambda d: {"cycle_id": d.cycle.pk, "stage": StageId.MATERIAL_REVIEW.value}),
    Operation("POST", "/api/review/cycles/{cycle_id}/shortlist",
              "API shortlist (nothing chosen)",
              statuses(404, **by_roles(THE_OFFICE, 400), **by_roles((COMMITTEE, AUDITOR), 403)),
              args=lambda d: {"cycle_id": d.cycle.pk}, body=lambda d: {"chosen": []}),
    Operation("GET", "/api/review/applications/{application_id}/reports",
              "API review reports of an application",
              statuses(404, **by_roles(REPORT_READERS, 200)),
              args=lambda d: {"application_id": d.apps["notice"].pk}, subject="notice",
              check=api_reports_of_its_application),
    Operation("GET", "/api/review/reports/{report_id}.pdf", "API review report (PDF)",
              statuses(404, **by_roles(REPORT_READERS, 200)),
              args=lambda d: {"report_id": d.report.pk}, subject="notice",
              check=api_the_kept_pdf),
    # The portal's API: the applicant's own applications only.
    # The review teams (issue 8): the office forms them (no application is in 资料评审, so a
    # proposal is refused with 400); a reviewer lists their own tasks.
    Operation("GET", "/api/review/cycles/{cycle_id}/teams/{stage}", "API review teams",
              statuses(404, **by_roles(THE_OFFICE, 200), **by_roles(READ_ONLY_STAFF, 403)),
              args=lambda d: {"cycle_id": d.cycle.pk, "stage": "material_review"}),
    Operation("POST", "/api/review/cycles/{cycle_id}/teams/{stage}/propose",
              "API review teams proposal (no application)",
              statuses(404, **by_roles(THE_OFFICE, 400), **by_roles(READ_ONLY_STAFF, 403)),
              args=lambda d: {"cycle_id": d.cycle.pk, "stage": "material_review"}),
    Operation("POST", "/api/review/proposals/{proposal_id}/accept",
              "API review teams acceptance (no such proposal)", statuses(404),
              args=lambda d: {"proposal_id": 999999}, body=lambda d: {"reason": ""}),
    Operation("POST", "/api/review/teams/{team_id}/adjust",
              "API review team adjustment (no such team)", statuses(404),
              args=lambda d: {"team_id": 999999},
              body=lambda d: {"action": "remove", "member_id": 1, "reason": "理由"}),
    Operation("GET", "/api/review/tasks", "API reviewer's tasks", ANY_USER),
    Operation("GET", "/api/portal/applications", "API own applications", ANY_USER),
    Operation("POST", "/api/portal/applications", "API new application (exists already)",
              statuses(404, **{OWNER: 201}),
              body=lambda d: {"cycle_id": d.cycle.pk, "applicant_id":
                              d.apps["draft"].applicant_id, "track": "organization"}),
    Operation("POST", "/api/portal/applications/{application_id}/profile",
              "API profile (submitted)", statuses(404, **{OWNER: 403}),
              args=lambda d: {"application_id": d.apps["submitted"].pk}, subject="submitted",
              body=lambda d: {"profile": {}}),
    Operation("POST", "/api/portal/applications/{application_id}/documents",
              "API upload (submitted, no file)", statuses(422), other=statuses(422),
              args=lambda d: {"application_id": d.apps["submitted"].pk}, subject="submitted",
              multipart=True, body=lambda d: {"kind": "report"}),
    Operation("POST", "/api/portal/applications/{application_id}/submit",
              "API submission (submitted)", statuses(404, **{OWNER: 403}),
              args=lambda d: {"application_id": d.apps["submitted"].pk}, subject="submitted",
              body=lambda d: {"expected_version": 1}),
    Operation("POST", "/api/portal/invitations/{invitation_id}/{answer}",
              "API invitation answer (neither accept nor decline)", statuses(404),
              args=lambda d: {"invitation_id": d.invitation.pk, "answer": "maybe"},
              subject="invited"),
    Operation("POST", "/api/screen", "API screening", ANY_USER,
              args=lambda d: {"policy": d.policy_id}, other=ANY_USER,
              body=lambda d: {"policy": d.policy_id, "on": REVIEWED_ON.isoformat(),
                              "profiles": [{"id": "A", "kind": "organization", "name": "甲公司",
                                            **PROFILES[str(d.j.code)]}]}),
]


def operation_cells() -> Iterator[Any]:
    for op in OPERATIONS:
        scopes: tuple[str | None, ...] = ("own", "other") if op.args else (None,)
        for scope in scopes:
            table = op.own if scope != "other" else (op.other or API_HIDDEN)
            for role in ROLES:
                expected = table[role]
                where = f" of {scope} district" if scope else ""
                who = ROLE_LABELS[role] + ("" if role == ANON else " token")
                cell_id = f"{who} {op.method} {op.label}{where} -> {expected}"
                marks = []
                reason = op.holes.get((role, scope))
                if reason:
                    marks.append(pytest.mark.xfail(strict=True, reason=reason))
                yield pytest.param(op, scope, role, expected, id=cell_id, marks=marks)


@pytest.mark.parametrize(("op", "scope", "role", "expected"), list(operation_cells()))
def test_api(world: World, op: Operation, scope: str | None, role: str,
             expected: int) -> None:
    d = world.district(scope)
    path = op.path
    if op.args and "{" in path:
        path = path.format(**op.args(d))
    user = world.actor(role, op.subject)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[user.pk]}"} if user else {}
    client = Client()
    cache.clear()  # the objection endpoint throttles anonymous callers per address
    before = fingerprint()
    if op.method == "GET":
        response = client.get(path, **headers)
    elif op.multipart:
        response = client.post(path, op.body(d) if op.body else {}, **headers)
    else:
        response = client.post(path, json.dumps(op.body(d) if op.body else {}),
                               content_type="application/json", **headers)
    # Every answer is JSON but a document's download (a GET answered 200 with the file).
    is_json = response["Content-Type"].startswith("application/json")
    assert is_json or (op.method == "GET" and response.status_code == expected == 200), (
        f"{op.method} {path}: {response.status_code} {response['Content-Type']}")
    data = json.loads(response.content) if is_json else response.content
    if expected >= 400 or (op.method == "POST" and not op.writes):
        # Refusals, and the POSTs chosen to be refused by the rules, change nothing.
        assert fingerprint() == before, f"{op.method} {path} changed something"
    assert response.status_code == expected, f"{op.method} {path}: {data}"
    if expected >= 400:
        assert set(data) == {"detail", "field", "article"}
    elif op.check is not None:
        op.check(world, d, user, data)


# ---------------------------------------------------------------------------------------------
# Nothing escapes the matrix


def url_patterns(patterns: list[Any], prefix: str = "",
                 namespace: str | None = None) -> Iterator[tuple[str, str]]:
    """(name with namespace, route) of every URL pattern, recursively."""
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from url_patterns(p.url_patterns, prefix + str(p.pattern), ns)
        else:
            assert isinstance(p, URLPattern)
            route = prefix + str(p.pattern)
            name = p.name or route
            yield (f"{namespace}:{name}" if namespace else name), route


def openapi_operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}


def api_route(route: str) -> str:
    """The schema's path for an API URL route: api/cycles/<cycle_id> -> /api/cycles/{cycle_id}."""
    out = "/" + route
    while "<" in out:
        start, end = out.index("<"), out.index(">")
        name = out[start + 1:end].split(":")[-1]
        out = f"{out[:start]}{{{name}}}{out[end + 1:]}"
    return out


def test_every_url_pattern_is_in_the_matrix() -> None:
    operation_paths = {path for _method, path in openapi_operations()}
    patterns = dict(url_patterns(get_resolver().url_patterns))
    # The API's operations are the API table's; its other patterns (schema, docs, root) are
    # pages like any other.
    pages_needed = {name for name, route in patterns.items()
                    if api_route(route) not in operation_paths}
    covered = {p.name for p in PAGES}
    assert pages_needed - covered == set(), "URL patterns missing from the permission matrix"
    assert covered - set(patterns) == set(), "the matrix names URL patterns that do not exist"
    api_routes = {api_route(route) for name, route in patterns.items()
                  if name.startswith("api:") and name not in covered}
    assert api_routes == operation_paths


def test_every_api_operation_is_in_the_matrix() -> None:
    covered = {(op.method, op.path) for op in OPERATIONS}
    assert openapi_operations() - covered == set(), "API operations missing from the matrix"
    assert covered - openapi_operations() == set(), "the matrix names unknown API operations"


def test_every_row_has_both_districts_and_every_role() -> None:
    rows: list[Page | Operation] = [*PAGES, *OPERATIONS]
    for row in rows:
        assert set(row.own) == set(ROLES), row.label
        if row.other is not None:
            assert set(row.other) == set(ROLES), row.label

