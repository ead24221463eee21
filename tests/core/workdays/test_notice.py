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
LAW = NoticeCounting()  # 民法典 第二百零一条、第二百零三条
# The office's configured decision: the publication day is day 1 (第二百零三条 still applies).
OFFICE = NoticeCounting(publication_day_counts=True, source="configuration",
                        cite="区审定办通知（2026）5号")
# The counting used before: publication day is day 1, a calendar-day window may end on a
# rest day. Kept to show the law never ends a window earlier.
OLD = NoticeCounting(publication_day_counts=True, calendar_days_extend_to_workday=False)
D = date
WD = "working_days"


@pytest.mark.parametrize(("case", "start", "length", "unit", "counting", "first", "end"), [
    # The examples.
    ("国庆: 5 working days published Mon 09-28 end on the 调休 Saturday 10-10",
     D(2026, 9, 28), 5, WD, LAW, D(2026, 9, 29), D(2026, 10, 10)),
    ("7 days published 09-28: day 7 is 10-05 inside 国庆, so the window ends Thu 10-08",
     D(2026, 9, 28), 7, "days", LAW, D(2026, 9, 29), D(2026, 10, 8)),
    ("the office's decision: 5 working days from Mon 09-28 (day 1) end Fri 10-09",
     D(2026, 9, 28), 5, WD, OFFICE, D(2026, 9, 28), D(2026, 10, 9)),
    ("the office's decision: 7 days from 09-28 end on 10-04, a holiday, so Thu 10-08",
     D(2026, 9, 28), 7, "days", OFFICE, D(2026, 9, 28), D(2026, 10, 8)),
    # Publication on a rest day.
    ("published on a rest Saturday, the 调休 Sunday 09-20 is day 1",
     D(2026, 9, 19), 1, WD, LAW, D(2026, 9, 20), D(2026, 9, 20)),
    ("published on a Sunday, counting starts on Monday",
     D(2026, 3, 1), 5, WD, LAW, D(2026, 3, 2), D(2026, 3, 6)),
    ("published on a Sunday, the office's day 1 is Monday too",
     D(2026, 3, 1), 5, WD, OFFICE, D(2026, 3, 2), D(2026, 3, 6)),
    ("published on the 调休 Sunday 09-20, day 1 is Monday 09-21",
     D(2026, 9, 20), 5, WD, LAW, D(2026, 9, 21), D(2026, 9, 28)),
    ("published on the 调休 Sunday 09-20, the office counts it as day 1",
     D(2026, 9, 20), 5, WD, OFFICE, D(2026, 9, 20), D(2026, 9, 24)),
    ("7 days published on a holiday (10-01): day 1 is 10-02, day 7 is 10-08, a working day",
     D(2026, 10, 1), 7, "days", LAW, D(2026, 10, 2), D(2026, 10, 8)),
    ("7 days published on a rest Sunday ending on a Monday",
     D(2026, 12, 20), 7, "days", LAW, D(2026, 12, 21), D(2026, 12, 28)),
    # Publication on the eve of a holiday.
    ("published Wed 09-30, the eve of 国庆: day 1 is 10-08",
     D(2026, 9, 30), 5, WD, LAW, D(2026, 10, 8), D(2026, 10, 13)),
    ("published on the eve of 国庆, the office's day 1 is 09-30",
     D(2026, 9, 30), 5, WD, OFFICE, D(2026, 9, 30), D(2026, 10, 12)),
    ("7 days published on the eve of 国庆 end on the first working day, 10-08",
     D(2026, 9, 30), 7, "days", LAW, D(2026, 10, 1), D(2026, 10, 8)),
    ("published Thu 06-18, the eve of 端午: day 1 is Monday 06-22",
     D(2026, 6, 18), 5, WD, LAW, D(2026, 6, 22), D(2026, 6, 26)),
    ("春节: published Fri 02-13, the 调休 Saturday 02-14 is day 1",
     D(2026, 2, 13), 3, WD, LAW, D(2026, 2, 14), D(2026, 2, 25)),
    # A window crossing New Year.
    ("5 working days from Mon 2025-12-29 skip 元旦 and count the 调休 Sunday 2026-01-04",
     D(2025, 12, 29), 5, WD, LAW, D(2025, 12, 30), D(2026, 1, 6)),
    ("the office's 5 working days from 2025-12-29 end 2026-01-05",
     D(2025, 12, 29), 5, WD, OFFICE, D(2025, 12, 29), D(2026, 1, 5)),
    ("published on New Year's Eve: day 1 is the 调休 Sunday 2026-01-04",
     D(2025, 12, 31), 3, WD, LAW, D(2026, 1, 4), D(2026, 1, 6)),
    ("7 days from Sat 2025-12-27: day 7 is 01-03, a holiday, so the 调休 Sunday 01-04",
     D(2025, 12, 27), 7, "days", LAW, D(2025, 12, 28), D(2026, 1, 4)),
    ("the office's 7 days from 2025-12-27 end on 01-02, a holiday, so 01-04",
     D(2025, 12, 27), 7, "days", OFFICE, D(2025, 12, 27), D(2026, 1, 4)),
    ("1 working day published on 2026-12-30 is 12-31",
     D(2026, 12, 30), 1, WD, LAW, D(2026, 12, 31), D(2026, 12, 31)),
    ("the last 5-working-day window that ends in 2026 is published 12-24",
     D(2026, 12, 24), 5, WD, LAW, D(2026, 12, 25), D(2026, 12, 31)),
    # The counting used before, for comparison.
    ("before: 5 working days from 09-28 counted 09-28 as day 1 and ended 10-09",
     D(2026, 9, 28), 5, WD, OLD, D(2026, 9, 28), D(2026, 10, 9)),
    ("before: 7 days from 09-28 ended on 10-04, a holiday",
     D(2026, 9, 28), 7, "days", OLD, D(2026, 9, 28), D(2026, 10, 4)),
])
def test_notice_window_boundary_cases(
    case: str, start: date, length: int, unit: NoticeUnit, counting: NoticeCounting,
    first: date, end: date,
) -> None:
    w = notice_window(CAL, start, length, unit, counting)
    assert (w.first_counted_day, w.end) == (first, end), case
    assert (w.start, w.length, w.unit, w.counting) == (start, length, unit, counting)


def test_the_default_counting_is_the_law() -> None:
    assert (LAW.publication_day_counts, LAW.calendar_days_extend_to_workday) == (False, True)
    assert LAW.basis() == ("民法典 第二百零一条、第二百零三条", "Civil Code, Articles 201 and 203")
    assert notice_window(CAL, D(2026, 9, 28), 5, WD).end == D(2026, 10, 10)


def test_the_basis_of_a_configured_or_stated_counting_names_its_decision() -> None:
    assert OFFICE.basis() == (
        "评审办决定（区审定办通知（2026）5号）：发布之日计为第1日",
        "the office's decision (区审定办通知（2026）5号): the publication day is day 1")
    stated = NoticeCounting(publication_day_counts=True, source="regulation", cite="第二十条")
    assert stated.basis() == ("第二十条：发布之日计为第1日",
                              "第二十条: the publication day is day 1")


@pytest.mark.parametrize(("start", "length", "unit", "counting"), [
    (D(2026, 12, 28), 5, WD, LAW),
    (D(2026, 12, 31), 1, WD, LAW),  # day 1 is in 2027
    (D(2026, 12, 31), 1, WD, OFFICE),  # 12-31 is day 1 and the end: no 2027 needed
    (D(2026, 12, 28), 7, "days", LAW),  # day 7 is 2027-01-04: is it a working day?
    (D(2026, 12, 28), 7, "days", OFFICE),  # day 7 is Sunday 2027-01-03: extending needs 2027
])
def test_a_notice_running_into_an_unloaded_year_says_so(
    start: date, length: int, unit: NoticeUnit, counting: NoticeCounting
) -> None:
    if (start, length, counting) == (D(2026, 12, 31), 1, OFFICE):
        assert notice_window(CAL, start, length, unit, counting).end == start
        return
    with pytest.raises(CalendarNotAvailable, match="runs into 2027") as e:
        notice_window(CAL, start, length, unit, counting)
    assert e.value.year == 2027 and "qaward calendar import" in str(e.value)


def test_a_notice_lasts_at_least_one_day() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        notice_window(CAL, D(2026, 9, 28), 0, WD, LAW)


def test_a_window_prints_both_dates_in_full_with_its_basis() -> None:
    w = notice_window(CAL, D(2026, 9, 28), 5, WD)
    assert w.period() == ("公示期：2026年9月29日至2026年10月10日",
                          "Notice period: 29 September 2026 to 10 October 2026")
    assert str(w) == ("公示期：2026年9月29日至2026年10月10日（5个工作日；"
                      "计算依据：民法典 第二百零一条、第二百零三条）")


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


lawful = st.sampled_from([LAW, OFFICE])


@given(starts, lengths, units, lawful)
def test_the_law_never_ends_a_window_earlier_than_the_old_counting(
    start: date, n: int, unit: NoticeUnit, counting: NoticeCounting
) -> None:
    assert notice_window(CAL, start, n, unit, counting).end >= notice_window(
        CAL, start, n, unit, OLD).end


@given(starts, lengths, units, lawful)
def test_a_lawful_window_holds_exactly_n_counted_days(
    start: date, n: int, unit: NoticeUnit, counting: NoticeCounting
) -> None:
    w = notice_window(CAL, start, n, unit, counting)
    one = timedelta(days=1)
    after = start if counting.publication_day_counts else start + one
    if unit == "working_days":
        # Day 1 is the first working day after publication (on or after it for the office).
        assert workdays_between(after, w.first_counted_day - one) == []
        counted = workdays_between(w.first_counted_day, w.end)
        assert len(counted) == n
        assert counted[0] == w.first_counted_day and counted[-1] == w.end
    else:
        # 第二百零一条: day 1 is the day after publication; 第二百零三条: a last day that is a
        # rest day or holiday moves to the next working day, and no further.
        assert w.first_counted_day == after
        nominal_end = after + (n - 1) * one
        assert chinese_calendar.is_workday(w.end)
        assert nominal_end <= w.end
        assert workdays_between(nominal_end, w.end - one) == []
    if not counting.publication_day_counts:
        assert w.first_counted_day > start
