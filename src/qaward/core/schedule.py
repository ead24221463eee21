"""Date rules of a cycle (评选年度) and its notices (公示): pure decisions with reasons.

Every function takes plain values (dates, booleans, integers) and returns a :class:`Decision`
(or a plain predicate), so the web layer can call them from forms and services alike and show
the reasons, in Chinese and English, with the article the caller attaches. "Today" is always
passed in by the caller as the date in Asia/Shanghai.

The rules (docs/conventions.md, "Cycle and notice dates"):

- A cycle's call is published in the cycle's year, and applications close on or after the
  day of publication. A window longer than ``max_application_days`` (default 183) or closing
  after 31 December of the cycle's year needs the office head's sign-off.
- A cycle is offered to applicants from its opening date up to and including its closing date.
- No later stage (eligibility review, notices, reviews) begins before the application window
  has closed, i.e. before the day after the closing date, unless applications are reviewed
  on arrival (``reviewed_on_arrival``, e.g. a rolling call).
- A notice starts on its publication day, today or later: a backdated start is refused, a start
  on or before the closing date is refused (unless reviewed on arrival), and a start more than
  ``max_lead_days`` (default 30) ahead or outside the cycle's year needs the office head's
  sign-off.
- Objections are accepted from a notice's first day to its last day, both included.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from qaward.core.workdays import full_date_en

Verdict = Literal["ok", "refused", "needs_sign_off"]

DEFAULT_MAX_LEAD_DAYS = 30
DEFAULT_MAX_APPLICATION_DAYS = 183


@dataclass(frozen=True)
class Reason:
    """Why a date is refused or needs sign-off: the field concerned and a stable code."""

    field: str
    code: str
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class Decision:
    """A verdict with its reasons (empty when ``ok``) and the article the caller attached.

    When refusals and sign-off reasons both apply, the verdict is ``refused`` and ``reasons``
    lists the refusals only: signing off cannot cure them.
    """

    verdict: Verdict
    reasons: tuple[Reason, ...] = ()
    article: str | None = None

    @property
    def ok(self) -> bool:
        return self.verdict == "ok"

    @property
    def refused(self) -> bool:
        return self.verdict == "refused"

    @property
    def needs_sign_off(self) -> bool:
        return self.verdict == "needs_sign_off"


def _decide(refusals: list[Reason], sign_offs: list[Reason], article: str | None) -> Decision:
    if refusals:
        return Decision("refused", tuple(refusals), article)
    if sign_offs:
        return Decision("needs_sign_off", tuple(sign_offs), article)
    return Decision("ok", (), article)


def _zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _positive(name: str, value: int) -> None:
    if value < 0:
        raise ValueError(f"{name} must be 0 or more, not {value}")


# --- cycles -------------------------------------------------------------------------------


def check_cycle_dates(*, year: int, opened_on: dt.date, applications_close_on: dt.date,
                      max_application_days: int = DEFAULT_MAX_APPLICATION_DAYS,
                      article: str | None = None) -> Decision:
    """Whether a cycle's year, opening date (发布申报通知日期) and closing date agree."""
    _positive("max_application_days", max_application_days)
    refusals: list[Reason] = []
    sign_offs: list[Reason] = []
    if opened_on.year != year:
        refusals.append(Reason(
            "opened_on", "cycle.opened_outside_year",
            f"{year}年度的申报通知应在{year}年内发布，发布日期{_zh(opened_on)}不在该年度内。",
            f"The call of the {year} cycle is published in {year}; {opened_on.isoformat()} is "
            "not in that year."))
    if applications_close_on < opened_on:
        refusals.append(Reason(
            "applications_close_on", "cycle.closes_before_opening",
            f"申报截止日期{_zh(applications_close_on)}早于发布日期{_zh(opened_on)}，"
            "请改为发布当日或以后。",
            f"Applications close on {applications_close_on.isoformat()}, before the call is "
            f"published on {opened_on.isoformat()}; choose that day or a later one."))
    if refusals:
        return _decide(refusals, sign_offs, article)
    days = (applications_close_on - opened_on).days
    if days > max_application_days:
        sign_offs.append(Reason(
            "applications_close_on", "cycle.long_window",
            f"申报期为{days}天，超过{max_application_days}天，需经办公室负责人确认。",
            f"The application window is {days} days, more than {max_application_days}: the "
            "office head must sign it off."))
    if applications_close_on.year > year:
        sign_offs.append(Reason(
            "applications_close_on", "cycle.closes_after_year",
            f"申报截止日期{_zh(applications_close_on)}晚于{year}年12月31日，评审和公示将跨入"
            "下一年，需经办公室负责人确认。",
            f"Applications close on {applications_close_on.isoformat()}, after 31 December "
            f"{year}: reviews and notices run into the next year, so the office head must sign "
            "it off."))
    return _decide(refusals, sign_offs, article)


def cycle_is_open(*, today: dt.date, opened_on: dt.date, applications_close_on: dt.date) -> bool:
    """Whether applicants are offered the cycle today: opening day to closing day, inclusive."""
    return opened_on <= today <= applications_close_on


def check_cycle_open(*, today: dt.date, opened_on: dt.date, applications_close_on: dt.date,
                     article: str | None = None) -> Decision:
    """:func:`cycle_is_open` with the reason when it is not."""
    if today < opened_on:
        return _decide([Reason(
            "opened_on", "cycle.not_yet_open",
            f"申报将于{_zh(opened_on)}开始，请届时再申报。",
            f"Applications open on {opened_on.isoformat()}; please apply from then on.")],
            [], article)
    if today > applications_close_on:
        return _decide([Reason(
            "applications_close_on", "cycle.closed",
            f"申报已于{_zh(applications_close_on)}截止。",
            f"Applications closed on {applications_close_on.isoformat()}.")], [], article)
    return _decide([], [], article)


def check_later_stage_may_begin(*, today: dt.date, applications_close_on: dt.date,
                                reviewed_on_arrival: bool = False,
                                article: str | None = None) -> Decision:
    """Whether a stage after applications (eligibility review, a notice, a review round) may
    begin today: only once the window has closed (today after the closing date), unless
    applications are reviewed on arrival."""
    if reviewed_on_arrival or today > applications_close_on:
        return _decide([], [], article)
    return _decide([Reason(
        "applications_close_on", "stage.before_close",
        f"申报截止日期为{_zh(applications_close_on)}，截止之后（{_zh(_next(applications_close_on))}"
        "起）才能开始资格审查、公示或评审。",
        f"Applications close on {applications_close_on.isoformat()}: eligibility review, "
        f"notices and reviews begin only after that, from "
        f"{_next(applications_close_on).isoformat()} on.")], [], article)


def _next(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=1)


# --- notices ------------------------------------------------------------------------------


def check_notice_start(*, starts_on: dt.date, today: dt.date, applications_close_on: dt.date,
                       cycle_year: int, reviewed_on_arrival: bool = False,
                       max_lead_days: int = DEFAULT_MAX_LEAD_DAYS,
                       article: str | None = None) -> Decision:
    """Whether a notice (公示) may start on ``starts_on``, its publication day.

    Refused: a start before today (backdated), or on or before the closing date unless
    applications are reviewed on arrival. Needs the office head's sign-off: a start more than
    ``max_lead_days`` after today, or outside the cycle's year.
    """
    _positive("max_lead_days", max_lead_days)
    refusals: list[Reason] = []
    sign_offs: list[Reason] = []
    if starts_on < today:
        refusals.append(Reason(
            "starts_on", "notice.backdated",
            f"公示开始日期{_zh(starts_on)}早于今天（{_zh(today)}），不能倒签；"
            "请选择今天或以后的日期。",
            f"The notice cannot start on {starts_on.isoformat()}, before today "
            f"({today.isoformat()}): no backdating; choose today or a later day."))
    if not reviewed_on_arrival and starts_on <= applications_close_on:
        refusals.append(Reason(
            "starts_on", "notice.before_close",
            f"申报截止日期为{_zh(applications_close_on)}，公示最早从"
            f"{_zh(_next(applications_close_on))}开始。",
            f"Applications close on {applications_close_on.isoformat()}: the notice can start "
            f"on {_next(applications_close_on).isoformat()} at the earliest."))
    if refusals:
        return _decide(refusals, sign_offs, article)
    lead = (starts_on - today).days
    if lead > max_lead_days:
        sign_offs.append(Reason(
            "starts_on", "notice.far_ahead",
            f"公示开始日期在{lead}天后，超过{max_lead_days}天，需经办公室负责人确认。",
            f"The notice starts in {lead} days, more than {max_lead_days}: the office head "
            "must sign it off."))
    if starts_on.year != cycle_year:
        sign_offs.append(Reason(
            "starts_on", "notice.outside_cycle_year",
            f"公示开始日期{_zh(starts_on)}不在{cycle_year}评选年度内，需经办公室负责人确认。",
            f"The notice starts on {starts_on.isoformat()}, outside the {cycle_year} cycle's "
            "year: the office head must sign it off."))
    return _decide(refusals, sign_offs, article)


def objection_accepted(*, on: dt.date, notice_starts_on: dt.date,
                       notice_ends_on: dt.date) -> bool:
    """Whether an objection dated ``on`` falls in the notice: from its publication day to the
    last day of its period, both included (an objection on the publication day, which the
    legal counting does not count, is not refused)."""
    return notice_starts_on <= on <= notice_ends_on


def check_objection_date(*, on: dt.date, notice_starts_on: dt.date, notice_ends_on: dt.date,
                         article: str | None = None) -> Decision:
    """:func:`objection_accepted` with the reason when it is not."""
    if objection_accepted(on=on, notice_starts_on=notice_starts_on,
                          notice_ends_on=notice_ends_on):
        return _decide([], [], article)
    return _decide([Reason(
        "objection_on", "objection.outside_notice",
        f"异议应自公示发布之日（{_zh(notice_starts_on)}）起至公示期满（{_zh(notice_ends_on)}）"
        f"提出，{_zh(on)}不在公示期内。",
        f"Objections are accepted from the day the notice is published, "
        f"{full_date_en(notice_starts_on)}, to the end of the notice period, "
        f"{full_date_en(notice_ends_on)}; {full_date_en(on)} is outside it.")], [], article)
