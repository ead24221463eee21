"""Duties of the office that change no verdict (policy key ``duties``): which belong to a
stage, and which stage a cycle is at.

A duty belongs to a stage of the policy, or to a phase of the cycle: ``throughout`` (shown at
every stage) or ``after_award``. A cycle is at the earliest stage (in the policy's order) that
holds an application still under way; with none under way it is at its first stage before any
application was made, and ``after_award`` once an application was awarded or the cycle closed.
"""

from __future__ import annotations

from collections.abc import Iterable

from qaward.core.policy.model import Duty, Policy
from qaward.core.states import (
    FINISHED,
    Fixed,
    Outcome,
    StageId,
    stage_of_notice_state,
)

THROUGHOUT = "throughout"
AFTER_AWARD = "after_award"


def stage_of_state(policy: Policy, state_id: str) -> str | None:
    """The stage an application in ``state_id`` is at (None for an ended application)."""
    if state_id in (Fixed.DRAFT, Fixed.SUBMITTED, Fixed.RETURNED):
        ids = [s.id for s in policy.stages]
        return StageId.APPLICATION if StageId.APPLICATION in ids else ids[0]
    if state_id == Outcome.AWARDED:
        return AFTER_AWARD
    if state_id in FINISHED:
        return None
    notice_stage = stage_of_notice_state(state_id)
    return notice_stage if notice_stage is not None else state_id


def current_stage(policy: Policy, states: Iterable[str], *, closed: bool = False) -> str:
    """The stage (or ``after_award``) the cycle is at, given its applications' states."""
    if closed:
        return AFTER_AWARD
    order = [s.id for s in policy.stages]
    at = {stage_of_state(policy, s) for s in states}
    under_way = [s for s in order if s in at]
    if under_way:
        return under_way[0]
    if AFTER_AWARD in at:
        return AFTER_AWARD
    return order[0]


def duties_of(policy: Policy, stage: str) -> tuple[Duty, ...]:
    """The duties of one stage (or phase) alone."""
    return tuple(d for d in policy.duties if d.stage == stage)


def checklist(policy: Policy, stage: str) -> tuple[Duty, ...]:
    """What the office sees at ``stage``: its own duties, then those of every stage."""
    own = duties_of(policy, stage)
    return own if stage == THROUGHOUT else (*own, *duties_of(policy, THROUGHOUT))


def by_stage(policy: Policy) -> list[tuple[str, tuple[Duty, ...]]]:
    """Every duty, grouped: throughout first, then the stages in order, then after the award;
    a stage without duties is left out."""
    groups = [THROUGHOUT, *(str(s.id) for s in policy.stages), AFTER_AWARD]
    return [(g, duties_of(policy, g)) for g in groups if duties_of(policy, g)]
