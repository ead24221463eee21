from datetime import UTC, date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaward.core.errors import CalendarNotAvailable
from qaward.core.workdays import (
    NoticeCounting,
    NoticeUnit,
    WorkdayCalendar,
    notice_window,
    today_shanghai,
)
from qaward.core.workdays.store import load_bundled_schedules

CAL = WorkdayCalendar.from_schedules(load_bundled_schedules())
DEFAULT = NoticeCounting()
LATER = NoticeCounting(publication_day_counts=False)
EXTEND = NoticeCounting(calendar_days_extend_to_workday=True)
LATER_EXTEND = NoticeCounting(publication_day_counts=False, calendar_days_extend_to_workday=True)
D = date


@pytest.mark.parametrize(("case", "start", "length", "unit", "counting", "first", "end"), [
    ("国庆: Mon 09-28 + 5 working days ends Fri 10-09",
     D(2026, 9, 28), 5, "working_days", DEFAULT, D(2026, 9, 28), D(2026, 10, 9)),
    ("publication day not counted: the 调休 Saturday 10-10 is the 5th day",
     D(2026, 9, 28), 5, "working_days", LATER, D(2026, 9, 29), D(2026, 10, 10)),
    ("春节: the 调休 Saturday 02-14 counts",
     D(2026, 2, 13), 3, "working_days", DEFAULT, D(2026, 2, 13), D(2026, 2, 24)),
    ("published on a rest Saturday, the 调休 Sunday 09-20 is day 1",
     D(2026, 9, 19), 1, "working_days", DEFAULT, D(2026, 9, 20), D(2026, 9, 20)),
    ("published on a Sunday, counting starts on Monday",
     D(2026, 3, 1), 5, "working_days", DEFAULT, D(2026, 3, 2), D(2026, 3, 6)),
    ("published on a Sunday, not counting the publication day changes nothing",
     D(2026, 3, 1), 5, "working_days", LATER, D(2026, 3, 2), D(2026, 3, 6)),
    ("7-day notice ends inside 国庆",
     D(2026, 9, 28), 7, "days", DEFAULT, D(2026, 9, 28), D(2026, 10, 4)),
    ("7-day notice ending on a rest day extends to the next working day (民法典 第二百零三条)",
     D(2026, 9, 28), 7, "days", EXTEND, D(2026, 9, 28), D(2026, 10, 8)),
    ("7-day notice not counting the publication day",
     D(2026, 9, 28), 7, "days", LATER, D(2026, 9, 29), D(2026, 10, 5)),
    ("7-day notice not counting the publication day, extended",
     D(2026, 9, 28), 7, "days", LATER_EXTEND, D(2026, 9, 29), D(2026, 10, 8)),
    ("a calendar-day notice into 2027 needs no 2027 table when not extended",
     D(2026, 12, 28), 7, "days", DEFAULT, D(2026, 12, 28), D(2027, 1, 3)),
    ("1 working day on a working day is that day",
     D(2026, 12, 31), 1, "working_days", DEFAULT, D(2026, 12, 31), D(2026, 12, 31)),
])
def test_notice_window_boundary_cases(
    case: str, start: date, length: int, unit: NoticeUnit, counting: NoticeCounting,
    first: date, end: date,
) -> None:
    w = notice_window(CAL, start, length, unit, counting)
    assert (w.first_counted_day, w.end) == (first, end), case
    assert (w.start, w.length, w.unit) == (start, length, unit)


@pytest.mark.parametrize(("start", "length", "unit", "counting"), [
    (D(2026, 12, 28), 5, "working_days", DEFAULT),
    (D(2026, 12, 31), 1, "working_days", LATER),
    (D(2026, 12, 28), 7, "days", EXTEND),  # ends Sunday 2027-01-03: extending needs 2027
])
def test_a_notice_running_into_an_unloaded_year_says_so(
    start: date, length: int, unit: NoticeUnit, counting: NoticeCounting
) -> None:
    with pytest.raises(CalendarNotAvailable, match="runs into 2027") as e:
        notice_window(CAL, start, length, unit, counting)
    assert e.value.year == 2027 and "qaward calendar import" in str(e.value)


def test_a_notice_lasts_at_least_one_day() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        notice_window(CAL, D(2026, 9, 28), 0, "working_days", DEFAULT)


def test_a_window_reads_as_notices_state_it() -> None:
    w = notice_window(CAL, D(2026, 9, 28), 5, "working_days", DEFAULT)
    assert str(w) == "2026-09-28至2026-10-09（5个工作日）"


def test_today_is_the_date_in_shanghai() -> None:
    before = datetime.now(UTC)
    today = today_shanghai()
    after = datetime.now(UTC)
    assert today in {(t + timedelta(hours=8)).date() for t in (before, after)}


starts = st.dates(D(2004, 1, 1), D(2026, 10, 31))  # 2026-10-31 + 30 working days stays in 2026
lengths = st.integers(1, 30)
countings = st.builds(NoticeCounting, publication_day_counts=st.booleans(),
                      calendar_days_extend_to_workday=st.booleans())
units = st.sampled_from(["working_days", "days"])


def workdays_between(first: date, last: date) -> list[date]:
    """Independent oracle: the package's own is_workday."""
    days = (first + timedelta(days=k) for k in range((last - first).days + 1))
    return [d for d in days if chinese_calendar.is_workday(d)]


@given(starts, lengths, units, countings)
def test_a_window_never_ends_before_it_starts(
    start: date, n: int, unit: NoticeUnit, counting: NoticeCounting
) -> None:
    w = notice_window(CAL, start, n, unit, counting)
    assert start <= w.first_counted_day <= w.end


@given(starts, lengths, countings)
def test_a_working_day_window_holds_exactly_n_workdays_and_ends_on_one(
    start: date, n: int, counting: NoticeCounting
) -> None:
    w = notice_window(CAL, start, n, "working_days", counting)
    counted = workdays_between(w.first_counted_day, w.end)
    assert len(counted) == n
    assert counted[0] == w.first_counted_day and counted[-1] == w.end
    # No working day is skipped between publication and day 1.
    skipped_from = start if counting.publication_day_counts else start + timedelta(days=1)
    assert workdays_between(skipped_from, w.first_counted_day - timedelta(days=1)) == []


@given(starts, lengths, countings)
def test_a_calendar_day_window_holds_n_days_then_at_most_rest_days(
    start: date, n: int, counting: NoticeCounting
) -> None:
    w = notice_window(CAL, start, n, "days", counting)
    nominal_end = w.first_counted_day + timedelta(days=n - 1)
    if counting.calendar_days_extend_to_workday:
        assert chinese_calendar.is_workday(w.end)
        assert workdays_between(nominal_end, w.end - timedelta(days=1)) == []
    else:
        assert w.end == nominal_end


@given(starts, lengths, units, countings)
def test_a_longer_notice_never_ends_earlier(
    start: date, n: int, unit: NoticeUnit, counting: NoticeCounting
) -> None:
    shorter = notice_window(CAL, start, n, unit, counting)
    longer = notice_window(CAL, start, n + 1, unit, counting)
    assert longer.end >= shorter.end
    if unit == "working_days":
        assert longer.end > shorter.end
