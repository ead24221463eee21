"""Every state an application can be in, named once.

The one place where state ids are spelled: the fixed application states (草稿, 已提交,
退回补正), the ends (资格审查未通过, 未入围 …), the award, and the catalogue of stage ids a
policy may list in its ``stages``. Each id is a :class:`enum.StrEnum` member whose value is
the string stored in the database, so ``State.DRAFT == "draft"``.

What a stage *does* under a given regulation (its exits, its notice, its article) lives in the
policy file; this module says what kind of step each id is and how it is labelled when a
policy does not name it. Groupings the web layer needs (editable by the applicant, awaiting a
recommendation, finished, successful …) are defined here too, so no caller repeats them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What kind of step a state is."""

    APPLICATION = "application"  # the applicant's side: drafting, submitting, completing
    REVIEW = "review"  # the office, reviewers or departments examine the application
    NOTICE = "notice"  # a public notice (公示) is running
    DECISION = "decision"  # a body decides (committee, government) or the award is made
    END = "end"  # nothing follows


class Fixed(StrEnum):
    """The application states every policy has, before its review stages."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"  # sent back to the applicant for completion (退回补正)


class End(StrEnum):
    """The ends an application can reach without an award."""

    INELIGIBLE = "ineligible"
    NOT_SHORTLISTED = "not_shortlisted"
    NOT_AWARDED = "not_awarded"
    WITHDRAWN = "withdrawn"
    REMOVED_BY_OBJECTION = "removed_by_objection"


class Outcome(StrEnum):
    """The successful end."""

    AWARDED = "awarded"


class StageId(StrEnum):
    """The catalogue of stage ids a policy may list in ``stages`` (in their usual order)."""

    CALL = "call"
    APPLICATION = "application"
    RECOMMENDATION = "recommendation"
    ELIGIBILITY = "eligibility"
    MATERIAL_REVIEW = "material_review"
    SITE_REVIEW = "site_review"
    PRESENTATION = "presentation"
    RANKING = "ranking"
    COMPREHENSIVE_EVALUATION = "comprehensive_evaluation"
    DEPARTMENT_CONSULTATION = "department_consultation"
    COMMITTEE = "committee"
    APPROVAL = "approval"
    AWARD = "award"


class NoticeId(StrEnum):
    """The notices (公示) a policy describes under ``notices``."""

    ELIGIBILITY = "eligibility"
    SHORTLIST = "shortlist"
    FINAL = "final"
    INTERNAL = "internal"  # published by the applicant inside its own organization


class ExitTarget(StrEnum):
    """Where a stage may send an application other than to the next stage (``exits``).

    Withdrawal is always possible and an upheld objection removes from a notice, so neither
    is a stage's exit.
    """

    INELIGIBLE = End.INELIGIBLE.value
    NOT_SHORTLISTED = End.NOT_SHORTLISTED.value
    NOT_AWARDED = End.NOT_AWARDED.value
    RETURNED = Fixed.RETURNED.value


# Convenience names (the values are the stored strings).
DRAFT = Fixed.DRAFT
SUBMITTED = Fixed.SUBMITTED
RETURNED = Fixed.RETURNED
AWARDED = Outcome.AWARDED
WITHDRAWN = End.WITHDRAWN
REMOVED_BY_OBJECTION = End.REMOVED_BY_OBJECTION
ENDS: tuple[End, ...] = tuple(End)

# Stages that belong to the cycle (the call, the application window, the award ceremony):
# an application is never "in" them; the fixed states and ``awarded`` stand for them.
CYCLE_LEVEL: frozenset[StageId] = frozenset(
    {StageId.CALL, StageId.APPLICATION, StageId.AWARD})

NOTICE_SUFFIX = "_notice"


def notice_state_id(stage: str) -> str:
    """The id of the notice state that follows ``stage`` (``committee`` → ``committee_notice``)."""
    return f"{StageId(stage).value}{NOTICE_SUFFIX}"


def stage_of_notice_state(state_id: str) -> StageId | None:
    """The stage whose notice ``state_id`` is, or None when it is no notice state."""
    if not state_id.endswith(NOTICE_SUFFIX):
        return None
    try:
        return StageId(state_id[: -len(NOTICE_SUFFIX)])
    except ValueError:
        return None


@dataclass(frozen=True)
class Label:
    """How a state is named: for staff, and for the applicant and the public."""

    kind: Kind
    name_zh: str
    name_en: str
    public_zh: str
    public_en: str


def _same(kind: Kind, zh: str, en: str) -> Label:
    return Label(kind, zh, en, zh, en)


LABELS: dict[str, Label] = {
    Fixed.DRAFT: Label(Kind.APPLICATION, "草稿", "Draft", "填写中", "Draft"),
    Fixed.SUBMITTED: _same(Kind.APPLICATION, "已提交", "Submitted"),
    Fixed.RETURNED: Label(Kind.APPLICATION, "退回补正", "Returned for completion",
                          "请补正材料", "Please complete your application"),
    End.INELIGIBLE: _same(Kind.END, "资格审查未通过", "Not eligible"),
    End.NOT_SHORTLISTED: _same(Kind.END, "未进入下一阶段", "Not shortlisted"),
    End.NOT_AWARDED: _same(Kind.END, "未获奖", "Not awarded"),
    End.WITHDRAWN: _same(Kind.END, "已撤回", "Withdrawn"),
    End.REMOVED_BY_OBJECTION: _same(Kind.END, "因异议成立退出评审",
                                    "Removed after an upheld objection"),
    Outcome.AWARDED: _same(Kind.END, "获奖", "Awarded"),
    # Default names of the catalogue's stages; a policy names its own stages.
    StageId.CALL: _same(Kind.APPLICATION, "申报通知", "Call for applications"),
    StageId.APPLICATION: _same(Kind.APPLICATION, "申报", "Application"),
    StageId.RECOMMENDATION: _same(Kind.REVIEW, "推荐", "Recommendation"),
    StageId.ELIGIBILITY: _same(Kind.REVIEW, "资格审查", "Eligibility review"),
    StageId.MATERIAL_REVIEW: _same(Kind.REVIEW, "资料评审", "Material review"),
    StageId.SITE_REVIEW: _same(Kind.REVIEW, "现场评审", "Site review"),
    StageId.PRESENTATION: _same(Kind.REVIEW, "陈述答辩", "Presentation and defence"),
    StageId.RANKING: _same(Kind.REVIEW, "综合排名", "Ranking"),
    StageId.COMPREHENSIVE_EVALUATION: _same(Kind.REVIEW, "综合评价",
                                            "Comprehensive evaluation"),
    StageId.DEPARTMENT_CONSULTATION: _same(Kind.REVIEW, "征求意见",
                                           "Consultation of departments"),
    StageId.COMMITTEE: _same(Kind.DECISION, "评审委员会审议", "Committee deliberation"),
    StageId.APPROVAL: _same(Kind.DECISION, "提请审定", "Submitted for approval"),
    StageId.AWARD: _same(Kind.DECISION, "表彰", "Award"),
}
# A notice state, whatever stage it follows.
NOTICE_LABEL = Label(Kind.NOTICE, "公示", "Public notice", "公示中", "Public notice")


def kind_of(state_id: str) -> Kind:
    """The kind of any state id: fixed, end, awarded, catalogue stage or notice state."""
    if stage_of_notice_state(state_id) is not None:
        return Kind.NOTICE
    return LABELS[state_id].kind


def label(state_id: str) -> Label:
    """The default label of a state id (a policy's own stage names take precedence)."""
    if stage_of_notice_state(state_id) is not None:
        return NOTICE_LABEL
    return LABELS[state_id]


# ---------------------------------------------------------------------------------------------
# Groupings

# The applicant may still change its application.
EDITABLE_BY_APPLICANT: tuple[Fixed, ...] = (Fixed.DRAFT, Fixed.RETURNED)
# A department's recommendation is awaited.
AWAITING_RECOMMENDATION: tuple[str, ...] = (Fixed.SUBMITTED, StageId.RECOMMENDATION)
# Nothing follows: every end and the award.
FINISHED: tuple[str, ...] = (*ENDS, Outcome.AWARDED)
SUCCESSFUL: tuple[str, ...] = (Outcome.AWARDED,)
# Ended without an award by a decision of the office or a body (withdrawal is the applicant's).
UNSUCCESSFUL: tuple[End, ...] = tuple(e for e in End if e is not End.WITHDRAWN)


def is_finished(state_id: str) -> bool:
    return state_id in FINISHED


def is_in_progress(state_id: str) -> bool:
    """Submitted and not finished: the office, a department or a body has it."""
    return state_id not in (Fixed.DRAFT, *FINISHED)


def is_editable_by_applicant(state_id: str) -> bool:
    return state_id in EDITABLE_BY_APPLICANT


__all__ = [
    "AWAITING_RECOMMENDATION",
    "AWARDED",
    "CYCLE_LEVEL",
    "DRAFT",
    "EDITABLE_BY_APPLICANT",
    "ENDS",
    "FINISHED",
    "LABELS",
    "NOTICE_LABEL",
    "NOTICE_SUFFIX",
    "REMOVED_BY_OBJECTION",
    "RETURNED",
    "SUBMITTED",
    "SUCCESSFUL",
    "UNSUCCESSFUL",
    "WITHDRAWN",
    "End",
    "ExitTarget",
    "Fixed",
    "Kind",
    "Label",
    "NoticeId",
    "Outcome",
    "StageId",
    "is_editable_by_applicant",
    "is_finished",
    "is_in_progress",
    "kind_of",
    "label",
    "notice_state_id",
    "stage_of_notice_state",
]
