"""The stage engine: which states an application passes through under a policy, and which
transitions are allowed, each with the article that allows or refuses it.

The sequence comes from the policy's ordered ``stages``; a stage whose notice (公示) the
policy requires is followed by a notice state. Where a stage may send an application besides
the next stage comes from the stage's ``exits`` in the policy; state ids, kinds and the names
of the fixed states and ends come from :mod:`qaward.core.states`. Pure Python: the web layer
persists the state and records every transition as an audit event. State ids leave this module
as plain ``str``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from qaward.core.appeals import DECISION_OF_STATE
from qaward.core.errors import QawardError
from qaward.core.policy.model import FastTrack, Policy, Silent
from qaward.core.states import (
    AWARDED,
    CYCLE_LEVEL,
    DRAFT,
    ENDS,
    LABELS,
    NOTICE_SUFFIX,
    REMOVED_BY_OBJECTION,
    RETURNED,
    SUBMITTED,
    WITHDRAWN,
    Kind,
    NoticeId,
    StageId,
    kind_of,
    notice_state_id,
)

# Re-exported for the web layer, which imports these names from here.
__all__ = [
    "AWARDED", "DRAFT", "ENDS", "NOTICE_SUFFIX", "RETURNED", "SUBMITTED", "Facts", "State",
    "StateKind", "Transition", "TransitionRefused", "allowed_targets", "main_line",
    "notice_state_of", "plan_reinstatement", "plan_transition", "state", "states",
]

StateKind = Literal["intake", "review", "notice", "end", "awarded"]


@dataclass(frozen=True)
class State:
    id: str
    kind: StateKind
    name_zh: str
    name_en: str
    public_name_zh: str
    public_name_en: str
    cite: str | None
    notice: str | None = None  # the notice stage (eligibility, shortlist, final, internal)

    @property
    def step_kind(self) -> Kind:
        """What kind of step the state is, from the table of states (review, decision …)."""
        return kind_of(self.id)


@dataclass(frozen=True)
class Transition:
    """An allowed move, with the article that the move follows."""

    source: str
    target: str
    article: str | None


class TransitionRefused(QawardError):
    def __init__(self, source: str, target: str, reason_zh: str, reason_en: str,
                 article: str | None) -> None:
        self.source, self.target, self.article = source, target, article
        self.reason_zh, self.reason_en = reason_zh, reason_en
        cite = f" ({article})" if article else ""
        super().__init__(f"cannot move from `{source}` to `{target}`: {reason_en}{cite}")


def states(policy: Policy) -> tuple[State, ...]:
    """Every state of an application under ``policy``, in order, then the ends."""
    def fixed(state_id: str, cite: str | None) -> State:
        lb = LABELS[state_id]
        return State(state_id, "intake", lb.name_zh, lb.name_en, lb.public_zh, lb.public_en,
                     cite)

    out = [fixed(DRAFT.value, None), fixed(SUBMITTED.value, policy.recommendation_cite),
           fixed(RETURNED.value, None)]
    for stage in policy.stages:
        if stage.id in CYCLE_LEVEL:
            continue
        out.append(State(stage.id.value, "review", stage.name_zh, stage.name_en,
                         stage.public_name_zh, stage.public_name_en, stage.cite))
        if stage.notice is not None and stage.notice != NoticeId.INTERNAL:
            n = policy.notice_rule(stage.notice)
            if isinstance(n, Silent) or n.required:
                out.append(State(notice_state_id(stage.id), "notice",
                                 f"{stage.name_zh}公示", f"{stage.name_en} notice",
                                 "公示中", "Public notice", n.cite,
                                 notice=stage.notice.value))
    award = LABELS[AWARDED]
    out.append(State(AWARDED.value, "awarded", award.name_zh, award.name_en, award.public_zh,
                     award.public_en, _award_cite(policy)))
    for end in ENDS:
        lb = LABELS[end]
        out.append(State(end.value, "end", lb.name_zh, lb.name_en, lb.public_zh, lb.public_en,
                         None))
    return tuple(out)


def _award_cite(policy: Policy) -> str | None:
    for s in policy.stages:
        if s.id == StageId.AWARD:
            return s.cite
    return None


def state(policy: Policy, state_id: str) -> State:
    for s in states(policy):
        if s.id == state_id:
            return s
    raise KeyError(state_id)


def notice_state_of(policy: Policy, notice: str) -> State | None:
    """The state in which ``notice`` (eligibility, shortlist, final) runs under ``policy``, or
    None when no stage publishes it as a state of its own (not required, or ``internal``)."""
    return next((s for s in states(policy) if s.kind == "notice" and s.notice == notice), None)


def main_line(policy: Policy) -> tuple[str, ...]:
    """The ordered states an application passes on its way to the award."""
    return tuple(s.id for s in states(policy) if s.kind in ("review", "notice", "awarded"))


@dataclass(frozen=True)
class Facts:
    """What the guards need to know about an application at the moment of a transition."""

    today: dt.date
    recommendation_signed: bool = False
    willingness_confirmed: bool = True
    internal_notice_evidence: bool = False
    notice_end: dt.date | None = None  # end of the current notice window, if in a notice
    open_objections: int = 0
    upheld_objections: int = 0
    fast_track: bool = False
    # Last day of the cycle's application window; None: not checked (e.g. no window set).
    application_window_closes: dt.date | None = None
    # An appeal (申诉) against the decision is open: the application is held where it is.
    open_appeal: bool = False


def allowed_targets(policy: Policy, source: str) -> tuple[str, ...]:
    """The states reachable from ``source`` in one move (before guards)."""
    line = main_line(policy)
    if source in (DRAFT, RETURNED):
        return (SUBMITTED.value, WITHDRAWN.value)
    if source == SUBMITTED:
        first = [line[0], line[1]] if _is_optional(policy, line[0]) else [line[0]]
        return (*first, RETURNED.value, WITHDRAWN.value)
    if source not in line or source == AWARDED:
        return ()
    i = line.index(source)
    targets: list[str] = []
    if i + 1 < len(line):
        targets.append(line[i + 1])
        nxt = state(policy, line[i + 1])
        # An optional stage (虹口 陈述答辩) may be passed over.
        if _is_optional(policy, nxt.id) and i + 2 < len(line):
            targets.append(line[i + 2])
    # The fast track (虹口 第十五条第二款) is decided at the eligibility review.
    if source == StageId.ELIGIBILITY and isinstance(policy.fast_track, FastTrack):
        targets.append(policy.fast_track.skips_to)
    src = state(policy, source)
    if src.kind == "notice":
        targets.append(REMOVED_BY_OBJECTION)
    elif src.kind == "review":
        # The stage's own exits (未入围, 未获奖, 退回补正 …), as the policy lists them.
        targets.extend(e.to.value for e in policy.stage(source).exits)
    targets.append(WITHDRAWN)
    return tuple(dict.fromkeys(str(t) for t in targets))


def _is_optional(policy: Policy, state_id: str) -> bool:
    return any(s.id == state_id and s.optional for s in policy.stages)


def plan_transition(policy: Policy, source: str, target: str, facts: Facts) -> Transition:
    """Check a move against the policy; return it with its article or raise TransitionRefused."""
    if facts.open_appeal:
        raise TransitionRefused(
            source, target, "该申报有尚未处理的申诉，处理完毕前不能变更状态",
            "an appeal against the decision is open; the application is held until it is "
            "decided", _appeals_cite(policy))
    if target not in allowed_targets(policy, source):
        raise TransitionRefused(
            source, target,
            f"{policy.id} 不允许从“{_name(policy, source)}”直接进入“{_name(policy, target)}”",
            f"{policy.id} does not allow this step", None,
        )
    tgt = state(policy, target) if target not in (RETURNED, WITHDRAWN) else None
    _check_window(policy, source, target, facts)
    if target == SUBMITTED:
        policy.recommendation_rule()  # the recommendation stage needs the rule settled
    if target == StageId.ELIGIBILITY:
        rec = policy.recommendation_rule()
        if rec.required and not facts.recommendation_signed:
            raise TransitionRefused(
                source, target, f"须经{rec.by_zh}签署推荐意见后方可进入资格审查",
                "the recommending department has not signed the recommendation", rec.cite)
        if rec.confirm_willingness and not facts.willingness_confirmed:
            raise TransitionRefused(
                source, target, "被推荐组织尚未确认申报意愿",
                "the recommended organization has not confirmed that it wants to apply",
                rec.cite)
        internal = policy.notice(NoticeId.INTERNAL)
        if internal.required and _internal_before_application(policy) and \
                not facts.internal_notice_evidence:
            raise TransitionRefused(
                source, target, "未提交组织内部公示的证明材料",
                "no evidence of the notice inside the organization was uploaded", internal.cite)
    if source == StageId.ELIGIBILITY and isinstance(policy.fast_track, FastTrack) \
            and target == policy.fast_track.skips_to and not facts.fast_track:
        raise TransitionRefused(
            source, target, "不符合直接进入资料评审的条件", "the applicant does not qualify for "
            "the fast track", policy.fast_track.cite)
    if tgt is not None and tgt.kind == "notice" and tgt.notice:
        policy.notice(tgt.notice)  # publishing the notice needs it settled
    src = state(policy, source)
    if src.kind == "notice" and target not in (REMOVED_BY_OBJECTION, WITHDRAWN):
        notice = policy.notice(src.notice or "")
        if facts.notice_end is None or facts.today <= facts.notice_end:
            raise TransitionRefused(
                source, target, f"公示期（至{facts.notice_end}）尚未结束",
                f"the notice window (until {facts.notice_end}) has not ended", notice.cite)
        if notice.requires_no_objection and (facts.open_objections or facts.upheld_objections):
            raise TransitionRefused(
                source, target, "公示期内的异议尚未处理完毕或已成立",
                "objections raised during the notice are unresolved or upheld", notice.cite)
    if target == REMOVED_BY_OBJECTION and not facts.upheld_objections:
        objections = getattr(policy.objections, "cite", None)
        raise TransitionRefused(source, target, "没有成立的异议", "no objection was upheld",
                                objections)
    # An end (不符合, 未入围, 异议成立 …) follows from the stage being left: cite the exit's
    # article, else the stage's.
    article = tgt.cite if tgt is not None and tgt.cite else src.cite
    if src.kind == "review" and (target in (RETURNED, *ENDS)):
        exit_ = policy.stage(source).exit(target)
        if exit_ is not None and exit_.cite:
            article = exit_.cite
    if target == REMOVED_BY_OBJECTION and src.notice:
        article = policy.notice(src.notice).cite
    return Transition(source, target, article)


def plan_reinstatement(policy: Policy, source: str, target: str) -> Transition:
    """An upheld appeal (申诉) returns an application from the refused state ``source``
    (不符合, 未入围) to the stage ``target`` it was refused from; the appeals article."""
    cite = _appeals_cite(policy)
    appeals = policy.appeals
    decision = DECISION_OF_STATE.get(source)
    if decision is None or not policy.appealable(decision):
        raise TransitionRefused(
            source, target, f"{policy.id} 不允许通过申诉改变该结论",
            f"{policy.id} provides no appeal against this decision", cite)
    if target not in main_line(policy) or state(policy, target).kind != "review" or \
            source not in allowed_targets(policy, target):
        raise TransitionRefused(
            source, target, "申诉成立只能使申报回到作出该结论的阶段，"
            f"而非“{_name(policy, target)}”",
            "an upheld appeal returns the application to the stage that refused it", cite)
    assert not isinstance(appeals, Silent)
    return Transition(source, target, appeals.cite)


def _appeals_cite(policy: Policy) -> str | None:
    return policy.appeals.cite


def _check_window(policy: Policy, source: str, target: str, facts: Facts) -> None:
    """No review stage begins before the application window closes, unless the policy has
    applications reviewed on arrival. Recommending happens within the window."""
    closes = facts.application_window_closes
    if closes is None or policy.reviewed_on_arrival or facts.today > closes:
        return
    if target in (SUBMITTED, RETURNED, WITHDRAWN, StageId.RECOMMENDATION) or \
            state(policy, target).kind not in ("review", "notice"):
        return
    raise TransitionRefused(
        source, target, f"申报期（至{closes}）尚未结束，评审不得提前开始",
        f"the application window (until {closes}) is still open; reviews begin after it "
        "closes", policy.cycle.reviewed_on_arrival.cite)


def _internal_before_application(policy: Policy) -> bool:
    return any(s.notice == NoticeId.INTERNAL and s.id == StageId.APPLICATION
               for s in policy.stages)


def _name(policy: Policy, state_id: str) -> str:
    try:
        return state(policy, state_id).name_zh
    except KeyError:
        return state_id
