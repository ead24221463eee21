"""Who may see and do what: small predicates over (user, object), combined here with ``|``,
``&`` and ``~`` so each permission of the UI (and the API) is one readable line.

A user's roles come from ``Membership`` rows (one role per jurisdiction; an applicant role
names its Applicant, a department role its Department). They are read once per request and
cached on the user object. The object of a predicate is a Jurisdiction, Cycle, Application,
Notice or Objection; its jurisdiction decides which memberships count, so nobody's role in
one district reaches another district's objects. Views answer 404 when an object may not be
seen at all, and 403 when it may be seen but not acted on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from qaward.core import states
from qaward.core.states import StageId

from .models import Jurisdiction, Membership, Role

# The role values as the database stores them.
OFFICE, OFFICE_HEAD, APPLICANT, DEPARTMENT, REVIEWER, COMMITTEE, AUDITOR = (
    str(r) for r in (Role.OFFICE, Role.OFFICE_HEAD, Role.APPLICANT, Role.DEPARTMENT,
                     Role.REVIEWER, Role.COMMITTEE, Role.AUDITOR))
# States in which a department's recommendation is awaited, and in which the applicant may
# still change its application: the groupings of the core's table of states.
AWAITING_RECOMMENDATION = states.AWAITING_RECOMMENDATION
EDITABLE = states.EDITABLE_BY_APPLICANT
# A reviewer is no staff reader: they read only the applications assigned to them, through
# the review app's pages (``qaward.web.review.access.member_for``), never the console.
STAFF_READER_ROLES = (OFFICE, OFFICE_HEAD, COMMITTEE, AUDITOR)


# ---------------------------------------------------------------------------------------------
# Memberships, read once per request


@dataclass(frozen=True)
class Grant:
    jurisdiction_id: int
    role: str
    applicant_id: int | None
    department_id: int | None


_CACHE = "_qaward_grants"


def grants(user: Any) -> tuple[Grant, ...]:
    """Every role of ``user``; anonymous users have none."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ()
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = tuple(
            Grant(j, r, a, d) for j, r, a, d in Membership.objects.filter(user=user).values_list(
                "jurisdiction_id", "role", "applicant_id", "department_id"))
        setattr(user, _CACHE, cached)
    return cached


def forget_grants(user: Any) -> None:
    """Drop the cache (after memberships change within one request, e.g. in tests)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def _is(obj: Any, label: str) -> bool:
    """``obj`` is an instance of the model ``app_label.model_name``. The apps whose objects
    are judged here build on this one, so their models are named, not imported."""
    meta = getattr(obj, "_meta", None)
    return getattr(meta, "label_lower", None) == label


def jurisdiction_id_of(obj: Any) -> int | None:
    """The jurisdiction an object belongs to, without extra queries where possible."""
    if isinstance(obj, Jurisdiction):
        return int(obj.pk)
    if _is(obj, "cycles.cycle"):
        return int(obj.jurisdiction_id)
    if _is(obj, "cycles.application"):
        return int(obj.cycle.jurisdiction_id)
    if _is(obj, "notices.notice"):
        return int(obj.cycle.jurisdiction_id)
    if _is(obj, "notices.objection"):
        return int(obj.notice.cycle.jurisdiction_id)
    return None


def roles_in(user: Any, obj: Any) -> set[str]:
    jid = jurisdiction_id_of(obj)
    return {g.role for g in grants(user) if g.jurisdiction_id == jid}


def applicant_ids(user: Any, jurisdiction_id: int | None = None) -> set[int]:
    return {g.applicant_id for g in grants(user) if g.role == APPLICANT
            and g.applicant_id is not None
            and (jurisdiction_id is None or g.jurisdiction_id == jurisdiction_id)}


def department_id(user: Any, obj: Any) -> int | None:
    jid = jurisdiction_id_of(obj)
    for g in grants(user):
        if g.role == DEPARTMENT and g.jurisdiction_id == jid:
            return g.department_id
    return None


def staff_jurisdictions(user: Any, *roles: str) -> set[int]:
    """Jurisdictions where ``user`` holds one of ``roles`` (default: any staff role)."""
    wanted = roles or STAFF_READER_ROLES
    return {g.jurisdiction_id for g in grants(user) if g.role in wanted}


# ---------------------------------------------------------------------------------------------
# Combinable predicates


class Predicate:
    """A named test of (user, object); ``a | b``, ``a & b`` and ``~a`` build new ones."""

    def __init__(self, test: Callable[[Any, Any], bool], name: str) -> None:
        self.test = test
        self.name = name

    def __call__(self, user: Any, obj: Any = None) -> bool:
        return bool(self.test(user, obj))

    def __or__(self, other: Predicate) -> Predicate:
        return Predicate(lambda u, o: self(u, o) or other(u, o), f"({self.name} | {other.name})")

    def __and__(self, other: Predicate) -> Predicate:
        return Predicate(lambda u, o: self(u, o) and other(u, o),
                         f"({self.name} & {other.name})")

    def __invert__(self) -> Predicate:
        return Predicate(lambda u, o: not self(u, o), f"~{self.name}")

    def __repr__(self) -> str:
        return f"<Predicate {self.name}>"


def predicate(fn: Callable[[Any, Any], bool]) -> Predicate:
    return Predicate(fn, fn.__name__)


def has_role(*roles: str) -> Predicate:
    wanted = set(roles)
    return Predicate(lambda u, o: bool(roles_in(u, o) & wanted), f"has_role{roles}")


is_office = has_role(OFFICE, OFFICE_HEAD)
is_office_head = has_role(OFFICE_HEAD)
is_auditor = has_role(AUDITOR)
is_reviewer = has_role(REVIEWER)
is_committee = has_role(COMMITTEE)
is_department = has_role(DEPARTMENT)
is_staff_reader = is_office | is_committee | is_auditor


@predicate
def is_own_applicant(user: Any, app: Any) -> bool:
    """The user holds the applicant role for this application's applicant."""
    return _is(app, "cycles.application") and app.applicant_id in applicant_ids(
        user, jurisdiction_id_of(app))


@predicate
def is_editable(user: Any, app: Any) -> bool:
    return _is(app, "cycles.application") and app.state in EDITABLE


@predicate
def in_eligibility_review(user: Any, app: Any) -> bool:
    return _is(app, "cycles.application") and app.state == StageId.ELIGIBILITY


def recommendation_of(app: Any) -> Any:
    """The application's Recommendation, or None."""
    try:
        return app.recommendation
    except ObjectDoesNotExist:
        return None


@predicate
def is_recommending_department(user: Any, app: Any) -> bool:
    """The user's department recommends this application, or may still take it up: it awaits
    a recommendation and no other department has claimed it."""
    if not _is(app, "cycles.application"):
        return False
    dept = department_id(user, app)
    if dept is None:
        return False
    rec = recommendation_of(app)
    if rec is not None:
        return bool(rec.department_id == dept)
    return app.state in AWAITING_RECOMMENDATION


@predicate
def awaits_recommendation(user: Any, app: Any) -> bool:
    if not _is(app, "cycles.application") or app.state not in AWAITING_RECOMMENDATION:
        return False
    rec = recommendation_of(app)
    return rec is None or (rec.signed_at is None and rec.declined_at is None)


@predicate
def is_assigned_investigator(user: Any, objection: Any) -> bool:
    """The office member assigned to investigate this objection (调查核实人)."""
    return (_is(objection, "notices.objection") and objection.investigator_id is not None
            and objection.investigator_id == getattr(user, "pk", None))


@predicate
def has_open_appeal(user: Any, app: Any) -> bool:
    """The application has an appeal awaiting its decision (the reverse relation
    ``appeals`` of the appeals app, named, not imported)."""
    return _is(app, "cycles.application") and app.appeals.filter(status="open").exists()


# ---------------------------------------------------------------------------------------------
# The permissions the views use

can_view_console = is_staff_reader                       # object: a Jurisdiction or Cycle
can_open_cycle = is_office                               # object: a Jurisdiction
# A reviewer reads the console's application page only while an appeal of it awaits a
# decision, where the review team may be the policy's decider (滨江 二、（四）: the appeals
# service checks who decides); their assigned applications they read in the review app.
reads_application_as_staff = is_staff_reader | (is_reviewer & has_open_appeal)
can_view_application = is_staff_reader | is_own_applicant | is_recommending_department
can_edit_application = is_own_applicant & is_editable
can_act_on_application = is_office                       # transitions, return, consultations
can_decide_eligibility = is_office & in_eligibility_review
can_sign_off_eligibility = is_office_head & in_eligibility_review
can_recommend = is_recommending_department & awaits_recommendation
can_publish_notice = is_office                           # object: a Cycle
can_handle_objections = is_office                        # object: a Notice or Objection
can_view_objector = is_office_head | is_assigned_investigator  # object: an Objection
can_view_audit_log = is_auditor | is_office_head         # object: a Jurisdiction
# The expert pool (issue 8; object: a Jurisdiction or Cycle)
can_manage_pool = is_office                              # experts, relations, availability
can_decide_conflicts = is_office                         # confirm or dismiss a conflict
can_sanction_experts = is_office_head                    # criticism, warning, disqualification
