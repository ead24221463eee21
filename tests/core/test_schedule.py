"""Cycle and notice date rules at their boundaries, and their properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaward.core.schedule import (
    DEFAULT_MAX_LEAD_DAYS,
    Decision,
    check_cycle_dates,
    check_cycle_open,
    check_later_stage_may_begin,
    check_notice_start,
    check_objection_date,
    cycle_is_open,
    objection_accepted,
)

D = dt.date
ART = "第二十五条"


def outcome(decision: Decision) -> tuple[str, list[str]]:
    for reason in decision.reasons:
        assert reason.message_zh.strip() and reason.message_en.strip(), reason
    return decision.verdict, [r.code for r in decision.reasons]


# --- cycle dates ------------------------------------------------------------------------------

CYCLE_CASES = [
    ("a call from 1 January to 1 March is fine", 2026, D(2026, 1, 1), D(2026, 3, 1), 183,
     "ok", []),
    ("a call published on 31 December of the year before is refused", 2026, D(2025, 12, 31),
     D(2026, 3, 1), 183, "refused", ["cycle.opened_outside_year"]),
    ("a call published on 1 January of the year after is refused", 2026, D(2027, 1, 1),
     D(2027, 3, 1), 183, "refused", ["cycle.opened_outside_year"]),
    ("opening and closing on 31 December of the year is fine", 2026, D(2026, 12, 31),
     D(2026, 12, 31), 183, "ok", []),
    ("closing the day before opening is refused", 2026, D(2026, 3, 2), D(2026, 3, 1), 183,
     "refused", ["cycle.closes_before_opening"]),
    ("both wrong: both fields named", 2026, D(2025, 3, 2), D(2025, 3, 1), 183, "refused",
     ["cycle.opened_outside_year", "cycle.closes_before_opening"]),
    ("a window of exactly 183 days is fine", 2026, D(2026, 1, 1), D(2026, 7, 3), 183, "ok", []),
    ("a window of 184 days needs sign-off", 2026, D(2026, 1, 1), D(2026, 7, 4), 183,
     "needs_sign_off", ["cycle.long_window"]),
    ("a window of 30 days with a limit of 30 is fine", 2026, D(2026, 3, 1), D(2026, 3, 31), 30,
     "ok", []),
    ("a window of 31 days with a limit of 30 needs sign-off", 2026, D(2026, 3, 1),
     D(2026, 4, 1), 30, "needs_sign_off", ["cycle.long_window"]),
    ("closing on 1 January of the next year needs sign-off", 2026, D(2026, 12, 1),
     D(2027, 1, 1), 183, "needs_sign_off", ["cycle.closes_after_year"]),
    ("long and into the next year: both named", 2026, D(2026, 3, 1), D(2027, 3, 1), 183,
     "needs_sign_off", ["cycle.long_window", "cycle.closes_after_year"]),
    ("refusal hides sign-off reasons: signing off cannot cure it", 2026, D(2025, 1, 1),
     D(2027, 1, 1), 183, "refused", ["cycle.opened_outside_year"]),
]


@pytest.mark.parametrize(
    ("year", "opened_on", "close", "max_days", "verdict", "codes"),
    [pytest.param(*c[1:], id=c[0]) for c in CYCLE_CASES],
)
def test_cycle_dates(year: int, opened_on: D, close: D, max_days: int, verdict: str,
                     codes: list[str]) -> None:
    decision = check_cycle_dates(year=year, opened_on=opened_on, applications_close_on=close,
                                 max_application_days=max_days, article=ART)
    assert outcome(decision) == (verdict, codes)
    assert decision.article == ART


def test_cycle_refusals_name_their_field() -> None:
    decision = check_cycle_dates(year=2026, opened_on=D(2025, 3, 2),
                                 applications_close_on=D(2025, 3, 1))
    assert [r.field for r in decision.reasons] == ["opened_on", "applications_close_on"]
    assert decision.article is None


def test_a_negative_window_limit_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="max_application_days"):
        check_cycle_dates(year=2026, opened_on=D(2026, 1, 1),
                          applications_close_on=D(2026, 2, 1), max_application_days=-1)


OPEN, CLOSE = D(2026, 3, 2), D(2026, 4, 30)


@pytest.mark.parametrize(
    ("today", "expected", "codes"),
    [
        pytest.param(D(2026, 3, 1), False, ["cycle.not_yet_open"], id="the day before opening"),
        pytest.param(OPEN, True, [], id="the opening day"),
        pytest.param(D(2026, 4, 1), True, [], id="in between"),
        pytest.param(CLOSE, True, [], id="the closing day"),
        pytest.param(D(2026, 5, 1), False, ["cycle.closed"], id="the day after closing"),
    ],
)
def test_a_cycle_is_offered_from_opening_to_closing_day(today: D, expected: bool,
                                                       codes: list[str]) -> None:
    assert cycle_is_open(today=today, opened_on=OPEN, applications_close_on=CLOSE) is expected
    decision = check_cycle_open(today=today, opened_on=OPEN, applications_close_on=CLOSE,
                                article=ART)
    assert outcome(decision) == ("ok" if expected else "refused", codes)
    assert decision.article == ART


@pytest.mark.parametrize(
    ("today", "reviewed_on_arrival", "verdict"),
    [
        pytest.param(D(2026, 4, 29), False, "refused", id="the day before closing"),
        pytest.param(CLOSE, False, "refused", id="the closing day itself"),
        pytest.param(D(2026, 5, 1), False, "ok", id="the day after closing"),
        pytest.param(D(2027, 1, 1), False, "ok", id="long after"),
        pytest.param(D(2026, 3, 2), True, "ok", id="reviewed on arrival: the opening day"),
        pytest.param(CLOSE, True, "ok", id="reviewed on arrival: the closing day"),
    ],
)
def test_later_stages_begin_after_the_window_closed(today: D, reviewed_on_arrival: bool,
                                                    verdict: str) -> None:
    decision = check_later_stage_may_begin(today=today, applications_close_on=CLOSE,
                                           reviewed_on_arrival=reviewed_on_arrival, article=ART)
    assert decision.verdict == verdict and decision.article == ART
    if verdict == "refused":
        (reason,) = decision.reasons
        assert (reason.field, reason.code) == ("applications_close_on", "stage.before_close")
        assert "2026-05-01" in reason.message_en and "2026年5月1日" in reason.message_zh


# --- notice starts ------------------------------------------------------------------------------

TODAY = D(2026, 6, 15)

NOTICE_CASES = [
    # id, starts_on, today, close, reviewed_on_arrival, max_lead, verdict, codes
    ("starting today", TODAY, TODAY, CLOSE, False, 30, "ok", []),
    ("starting yesterday is backdated", D(2026, 6, 14), TODAY, CLOSE, False, 30, "refused",
     ["notice.backdated"]),
    ("starting in 30 days", D(2026, 7, 15), TODAY, CLOSE, False, 30, "ok", []),
    ("starting in 31 days needs sign-off", D(2026, 7, 16), TODAY, CLOSE, False, 30,
     "needs_sign_off", ["notice.far_ahead"]),
    ("starting on the closing day is before the window closed", CLOSE, CLOSE, CLOSE, False, 30,
     "refused", ["notice.before_close"]),
    ("starting the day after closing", D(2026, 5, 1), CLOSE, CLOSE, False, 30, "ok", []),
    ("scheduled on the closing day for the next day", D(2026, 5, 1), D(2026, 4, 30), CLOSE,
     False, 30, "ok", []),
    ("before closing, reviewed on arrival", D(2026, 4, 1), D(2026, 4, 1), CLOSE, True, 30, "ok",
     []),
    ("on the closing day, reviewed on arrival", CLOSE, CLOSE, CLOSE, True, 30, "ok", []),
    ("backdated and before closing: both named", D(2026, 4, 1), D(2026, 4, 2), CLOSE, False,
     30, "refused", ["notice.backdated", "notice.before_close"]),
    ("backdated even when reviewed on arrival", D(2026, 4, 1), D(2026, 4, 2), CLOSE, True, 30,
     "refused", ["notice.backdated"]),
    ("31 December of the cycle year", D(2026, 12, 31), D(2026, 12, 20), CLOSE, False, 30, "ok",
     []),
    ("1 January of the next year needs sign-off", D(2027, 1, 1), D(2026, 12, 20), CLOSE, False,
     30, "needs_sign_off", ["notice.outside_cycle_year"]),
    ("far ahead and in the next year: both named", D(2027, 1, 20), D(2026, 12, 20), CLOSE,
     False, 30, "needs_sign_off", ["notice.far_ahead", "notice.outside_cycle_year"]),
    ("today in the next year, starting today", D(2027, 1, 1), D(2027, 1, 1), CLOSE, False, 30,
     "needs_sign_off", ["notice.outside_cycle_year"]),
    ("backdated into the cycle year: refused, no sign-off offered", D(2026, 12, 31),
     D(2027, 1, 1), CLOSE, False, 30, "refused", ["notice.backdated"]),
    ("a lead limit of 0: today is fine", TODAY, TODAY, CLOSE, False, 0, "ok", []),
    ("a lead limit of 0: tomorrow needs sign-off", D(2026, 6, 16), TODAY, CLOSE, False, 0,
     "needs_sign_off", ["notice.far_ahead"]),
]


@pytest.mark.parametrize(
    ("starts_on", "today", "close", "reviewed", "max_lead", "verdict", "codes"),
    [pytest.param(*c[1:], id=c[0]) for c in NOTICE_CASES],
)
def test_notice_start(starts_on: D, today: D, close: D, reviewed: bool, max_lead: int,
                      verdict: str, codes: list[str]) -> None:
    decision = check_notice_start(starts_on=starts_on, today=today, applications_close_on=close,
                                  cycle_year=2026, reviewed_on_arrival=reviewed,
                                  max_lead_days=max_lead, article=ART)
    assert outcome(decision) == (verdict, codes)
    assert decision.article == ART
    assert all(r.field == "starts_on" for r in decision.reasons)
    assert decision.ok is (verdict == "ok")
    assert decision.refused is (verdict == "refused")
    assert decision.needs_sign_off is (verdict == "needs_sign_off")


def test_the_default_lead_is_30_days() -> None:
    assert DEFAULT_MAX_LEAD_DAYS == 30
    def start(on: D) -> Decision:
        return check_notice_start(starts_on=on, today=TODAY, applications_close_on=CLOSE,
                                  cycle_year=2026)

    assert start(D(2026, 7, 15)).ok
    assert start(D(2026, 7, 16)).needs_sign_off


def test_a_negative_lead_limit_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="max_lead_days"):
        check_notice_start(starts_on=TODAY, today=TODAY, applications_close_on=CLOSE,
                           cycle_year=2026, max_lead_days=-1)


# --- objections ---------------------------------------------------------------------------------

N_START, N_END = D(2026, 9, 28), D(2026, 10, 9)


@pytest.mark.parametrize(
    ("on", "accepted"),
    [
        pytest.param(D(2026, 9, 27), False, id="the day before the notice"),
        pytest.param(N_START, True, id="the first day"),
        pytest.param(D(2026, 10, 3), True, id="a holiday inside the notice"),
        pytest.param(N_END, True, id="the last day"),
        pytest.param(D(2026, 10, 10), False, id="the day after the notice"),
    ],
)
def test_objections_are_accepted_during_the_notice_inclusive(on: D, accepted: bool) -> None:
    assert objection_accepted(on=on, notice_starts_on=N_START, notice_ends_on=N_END) is accepted
    decision = check_objection_date(on=on, notice_starts_on=N_START, notice_ends_on=N_END,
                                    article=ART)
    assert outcome(decision) == (("ok", []) if accepted
                                 else ("refused", ["objection.outside_notice"]))
    assert decision.article == ART


def test_a_one_day_notice_accepts_objections_on_that_day_only() -> None:
    day = D(2026, 12, 31)
    assert objection_accepted(on=day, notice_starts_on=day, notice_ends_on=day)
    assert not objection_accepted(on=D(2027, 1, 1), notice_starts_on=day, notice_ends_on=day)
    assert not objection_accepted(on=D(2026, 12, 30), notice_starts_on=day, notice_ends_on=day)


# --- properties -----------------------------------------------------------------------------

dates = st.dates(D(2024, 1, 1), D(2028, 12, 31))
SEVERITY = {"ok": 0, "needs_sign_off": 1, "refused": 2}


@given(dates, dates, dates)
def test_offered_exactly_between_opening_and_closing(today: D, opened: D, close: D) -> None:
    offered = cycle_is_open(today=today, opened_on=opened, applications_close_on=close)
    assert offered is (opened <= today <= close)
    assert check_cycle_open(today=today, opened_on=opened, applications_close_on=close).ok \
        is offered


@given(dates, dates, st.booleans())
def test_a_later_stage_allowed_one_day_stays_allowed(today: D, close: D, reviewed: bool) -> None:
    now = check_later_stage_may_begin(today=today, applications_close_on=close,
                                      reviewed_on_arrival=reviewed)
    later = check_later_stage_may_begin(today=today + dt.timedelta(days=1),
                                        applications_close_on=close,
                                        reviewed_on_arrival=reviewed)
    assert not now.ok or later.ok
    assert now.verdict in ("ok", "refused")


@given(dates, dates, dates, st.integers(2024, 2028), st.integers(0, 400))
def test_notice_start_properties(starts_on: D, today: D, close: D, year: int,
                                 max_lead: int) -> None:
    def decide(reviewed: bool) -> Decision:
        return check_notice_start(starts_on=starts_on, today=today, applications_close_on=close,
                                  cycle_year=year, reviewed_on_arrival=reviewed,
                                  max_lead_days=max_lead)

    strict, lenient = decide(False), decide(True)
    # Reviewing on arrival never makes a start stricter.
    assert SEVERITY[lenient.verdict] <= SEVERITY[strict.verdict]
    # A backdated start is always refused.
    if starts_on < today:
        assert strict.refused and lenient.refused
    # A start that is not refused never begins a stage before the window closed.
    if not strict.refused:
        assert check_later_stage_may_begin(today=starts_on, applications_close_on=close).ok
    # A decision is ok exactly when it gives no reasons.
    for d in (strict, lenient):
        assert d.ok is (d.reasons == ())
    # Within the lead and the year, a start after closing from today on is ok.
    if today <= starts_on <= today + dt.timedelta(days=max_lead) and starts_on > close \
            and starts_on.year == year:
        assert strict.ok


@given(dates, st.integers(0, 40))
def test_objections_are_accepted_on_exactly_the_days_of_the_notice(start: D, length: int) -> None:
    end = start + dt.timedelta(days=length)
    around = [start + dt.timedelta(days=i) for i in range(-5, length + 6)]
    accepted = [d for d in around
                if objection_accepted(on=d, notice_starts_on=start, notice_ends_on=end)]
    assert accepted == around[5:5 + length + 1]
    assert accepted[0] == start and accepted[-1] == end
