"""The shapes of the API's requests and answers, and the state and stage names they carry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from qaward.core.policy import Policy
from qaward.core.workflow import states
from qaward.web.policies.models import PolicyVersion
from qaward.web.policies.services import policy_of_version


class ErrorOut(Schema):
    detail: str
    field: str | None = None
    article: str | None = None


class RuleOut(Schema):
    key: str
    value: str
    article: str | None  # None only for the policy's identity (id, names, schema version)


class StageOut(Schema):
    id: str
    kind: str
    name_zh: str
    name_en: str
    public_name_zh: str
    public_name_en: str
    article: str | None


class PolicyOut(Schema):
    id: str
    jurisdiction: str
    jurisdiction_name_zh: str
    title_zh: str
    award_name_zh: str
    award_name_en: str
    in_force_from: dt.date | None
    in_force_until: dt.date | None
    in_force_article: str


class PolicyDetailOut(PolicyOut):
    stages: list[StageOut]
    rules: list[RuleOut]


class CycleOut(Schema):
    id: int
    jurisdiction: str
    jurisdiction_name_zh: str
    policy_id: str
    year: int
    title: str
    opened_on: dt.date
    applications_close_on: dt.date
    status: str
    # Whether applicants are offered the cycle today: its opening date through its closing date.
    open_for_applications: bool
    stages: list[StageOut]


class ApplicationOut(Schema):
    id: int
    cycle_id: int
    applicant_id: int
    applicant_name: str
    track: str
    state: str
    state_name_zh: str
    state_name_en: str
    public_state_name_zh: str
    public_state_name_en: str
    version: int
    submitted_at: dt.datetime | None
    pinned_policy_id: str


class ApplicationPage(Schema):
    count: int
    items: list[ApplicationOut]


class EventOut(Schema):
    seq: int
    at: dt.datetime
    actor: str | None
    action: str
    from_state: str
    to_state: str
    reason: str
    article: str


class DecisionOut(Schema):
    engine_verdict: str
    decision: str
    reason: str
    decided_at: dt.datetime
    signed_off: bool


class ApplicationDetailOut(ApplicationOut):
    allowed_targets: list[str]
    fast_track: bool
    report_chars: int | None
    engine_result: dict[str, Any] | None
    eligibility_decision: DecisionOut | None
    history: list[EventOut]


class TransitionIn(Schema):
    target: str = Field(min_length=1, max_length=40)
    reason: str = Field("", max_length=5000)
    expected_version: int = Field(ge=1)


class FindingOut(Schema):
    """The office's finding on one manual check."""

    met: bool
    note: str
    recorded_by: str
    recorded_at: dt.datetime
    screened_on: dt.date  # the screening it was recorded against
    text_zh: str  # the check's text as the office saw it when recording
    text_en: str


class ManualCheckOut(Schema):
    key: str
    rule: str
    article: str
    text_zh: str
    text_en: str
    finding: FindingOut | None


class ManualChecksOut(Schema):
    """The manual checks (需人工核实的事项) of the application's current screening with the
    office's findings. ``engine_verdict`` is what an eligibility decision is compared with:
    the screening's verdict, "ineligible" when a check was found not met
    (``not_met_articles``). A decision is refused while ``missing`` names a check."""

    application_id: int
    screened_on: dt.date | None
    screening_verdict: str | None
    engine_verdict: str | None
    not_met_articles: list[str]
    missing: list[str]
    checks: list[ManualCheckOut]


class FindingIn(Schema):
    key: str = Field(min_length=1, max_length=200)
    met: bool
    note: str = Field("", max_length=5000)  # required when ``met`` is false


class ObjectionChannelOut(Schema):
    regulation: str
    article: str
    procedure_in_regulation: bool
    real_name: bool
    evidence_required: bool
    reported_to_committee: bool


class ListedOut(Schema):
    application_id: int
    name: str


class NoticeOut(Schema):
    id: int
    title: str
    jurisdiction: str
    jurisdiction_name_zh: str
    cycle_id: int
    cycle_title: str
    stage: str
    status: Literal["current", "upcoming", "past"]
    starts_on: dt.date = Field(description="the publication day")
    first_counted_on: dt.date = Field(description="day 1 of the notice period")
    ends_on: dt.date = Field(description="the last day of the notice period, included")
    period_zh: str = Field(description="公示期：2026年9月29日至2026年10月10日")
    period_en: str = Field(description="Notice period: 29 September 2026 to 10 October 2026")
    counting_source: Literal["law", "regulation", "configuration", "unstated"] = Field(
        description="law: 民法典 第二百零一条、第二百零三条; regulation: the policy's article; "
                    "configuration: the office's decision that the publication day is day 1")
    counting_basis_zh: str
    counting_basis_en: str
    rule: str
    article: str
    policy_id: str
    applicants: list[ListedOut]


class NoticeDetailOut(NoticeOut):
    objections: ObjectionChannelOut


class ObjectionIn(Schema):
    """Real name (实名) is required by the service, which refuses with the article."""

    application_id: int
    name: str = Field("", max_length=200)
    id_number: str = Field("", max_length=32)
    phone: str = Field("", max_length=32)
    email: str = Field("", max_length=254)
    statement: str = Field("", max_length=20000)


class ObjectionReceiptOut(Schema):
    id: int
    receipt_no: str  # with the identity number, looks the objection up on the board
    status: str
    detail: str


class ScreenIn(Schema):
    policy: str = Field(min_length=1, max_length=64)
    on: dt.date | None = None
    profiles: list[dict[str, Any]] = Field(max_length=5000)


class ScreenRecordError(Schema):
    index: int
    record: str
    problems: list[str]


class ScreenOut(Schema):
    policy: str
    on: dt.date
    eligible: int
    ineligible: int
    results: list[dict[str, Any]]
    errors: list[ScreenRecordError]



def stages(policy: Policy, *, review_only: bool = True) -> list[StageOut]:
    return [StageOut(id=s.id, kind=s.kind, name_zh=s.name_zh, name_en=s.name_en,
                     public_name_zh=s.public_name_zh, public_name_en=s.public_name_en,
                     article=s.cite)
            for s in states(policy) if not review_only or s.kind in ("review", "notice")]


_STATE_TABLES: dict[tuple[str, str], dict[str, tuple[str, str, str, str]]] = {}


def state_table(pv: PolicyVersion) -> dict[str, tuple[str, str, str, str]]:
    """State id -> (name zh, name en, public name zh, public name en) under a policy version;
    a version's content never changes, so each table is built once per digest."""
    key = (pv.policy_id, pv.digest)
    if key not in _STATE_TABLES:
        _STATE_TABLES[key] = {s.id: (s.name_zh, s.name_en, s.public_name_zh, s.public_name_en)
                              for s in states(policy_of_version(pv))}
    return _STATE_TABLES[key]


def state_names(pv: PolicyVersion, state_id: str) -> tuple[str, str, str, str]:
    return state_table(pv).get(state_id, (state_id,) * 4)

