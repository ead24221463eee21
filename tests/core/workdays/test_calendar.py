from dataclasses import FrozenInstanceError
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaward.core.errors import CalendarNotAvailable
from qaward.core.workdays import (
    WorkdayCalendar,
    YearSchedule,
    load_default_calendar,
    read_year_file,
    save_year,
    user_calendar_dir,
)
from qaward.core.workdays.store import load_bundled_schedules

BUNDLED = WorkdayCalendar.from_schedules(load_bundled_schedules())
DATA = Path(__file__).parents[3] / "src" / "qaward" / "data" / "calendar"
# 2026 holiday schedule: 国庆 10-01..10-07 with Sun 09-20 and Sat 10-10 worked.
TOY = YearSchedule(
    2026, True, "test",
    holidays={date(2026, 10, d): "National Day" for d in range(1, 8)},
    working_weekends={date(2026, 9, 20): "National Day", date(2026, 10, 10): "National Day"},
)
dates_in_data = st.dates(date(2004, 1, 1), date(2026, 10, 31))


def test_every_date_from_2004_to_2026_agrees_with_chinese_calendar() -> None:
    d, mismatches = date(2004, 1, 1), []
    while d <= date(2026, 12, 31):
        if BUNDLED.is_workday(d) != chinese_calendar.is_workday(d):
            mismatches.append(d)
        d += timedelta(days=1)
    assert mismatches == []


def test_bundled_files_are_the_package_dicts_year_by_year() -> None:
    assert [p.name for p in sorted(DATA.glob("*.json"))] == [f"{y}.json" for y in range(2004, 2027)]
    for path in sorted(DATA.glob("*.json")):
        s = read_year_file(path)
        assert s.complete and "chinese-calendar 1.11.0" in s.source
        for mine, theirs in [(s.holidays, chinese_calendar.holidays),
                             (s.working_weekends, chinese_calendar.workdays),
                             (s.in_lieu_days, chinese_calendar.in_lieu_days)]:
            assert dict(mine) == {d: n for d, n in theirs.items() if d.year == s.year}


@pytest.mark.parametrize(("day", "workday"), [
    (date(2026, 9, 28), True),    # ordinary Monday
    (date(2026, 10, 1), False),   # holiday on a weekday
    (date(2026, 10, 3), False),   # holiday on a Saturday
    (date(2026, 9, 19), False),   # ordinary Saturday
    (date(2026, 9, 20), True),    # 调休 Sunday
    (date(2026, 10, 10), True),   # 调休 Saturday
])
def test_weekdays_work_unless_holidays_and_weekends_rest_unless_worked(
    day: date, workday: bool
) -> None:
    assert WorkdayCalendar.from_schedules([TOY]).is_workday(day) is workday


def test_a_year_that_is_not_loaded_raises_calendar_not_available_naming_it() -> None:
    with pytest.raises(CalendarNotAvailable, match="2027") as e:
        BUNDLED.is_workday(date(2027, 1, 4))
    assert e.value.year == 2027


def test_a_year_marked_incomplete_raises_calendar_not_available() -> None:
    partial = YearSchedule(2027, False, "only 元旦 known", {date(2027, 1, 1): "元旦"}, {})
    cal = BUNDLED.with_schedule(partial)
    assert 2027 not in cal.available_years
    with pytest.raises(CalendarNotAvailable, match="incomplete"):
        cal.is_workday(date(2027, 1, 4))


def test_schedules_and_calendars_cannot_be_changed() -> None:
    with pytest.raises(FrozenInstanceError):
        TOY.year = 2027  # type: ignore[misc]
    with pytest.raises(TypeError):
        TOY.holidays[date(2026, 1, 1)] = "元旦"  # type: ignore[index]
    with pytest.raises(TypeError):
        BUNDLED.years[2027] = TOY  # type: ignore[index]


def test_add_and_count_workdays_across_national_day() -> None:
    cal = WorkdayCalendar.from_schedules([TOY])
    assert cal.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert cal.add_workdays(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert cal.add_workdays(date(2026, 10, 3), 0) == date(2026, 10, 3)
    assert cal.next_workday_on_or_after(date(2026, 10, 1)) == date(2026, 10, 8)
    assert cal.next_workday_after(date(2026, 10, 9)) == date(2026, 10, 10)
    assert cal.count_workdays(date(2026, 9, 28), date(2026, 10, 10)) == 6
    assert cal.count_workdays(date(2026, 10, 10), date(2026, 9, 28)) == 0


# 40 working days either way from these dates stay inside the bundled years.
@given(st.dates(date(2004, 3, 15), date(2026, 10, 31)), st.integers(-40, 40))
def test_adding_n_workdays_passes_exactly_n_workdays(d: date, n: int) -> None:
    later = BUNDLED.add_workdays(d, n)
    assert BUNDLED.is_workday(later) or n == 0
    if n >= 0:
        assert BUNDLED.count_workdays(d + timedelta(days=1), later) == n
    else:
        assert BUNDLED.count_workdays(later, d - timedelta(days=1)) == -n


def test_imported_years_override_bundled_ones_and_add_new_years(tmp_path: Path) -> None:
    changed = YearSchedule(2026, True, "更正", {**TOY.holidays, date(2026, 9, 28): "test"},
                           TOY.working_weekends)
    save_year(changed, tmp_path)
    save_year(YearSchedule(2027, True, "test", {date(2027, 1, 1): "元旦"}, {}), tmp_path)
    cal = load_default_calendar(tmp_path)
    assert not cal.is_workday(date(2026, 9, 28))
    assert cal.is_workday(date(2027, 1, 4))
    assert cal.is_workday(date(2025, 12, 31)) and cal.available_years[0] == 2004


def test_the_user_directory_comes_from_qaward_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QAWARD_DATA_DIR", str(tmp_path))
    assert user_calendar_dir() == tmp_path / "calendar"
    save_year(TOY)
    assert (tmp_path / "calendar" / "2026.json").exists()
    assert load_default_calendar().years[2026] == TOY
    monkeypatch.delenv("QAWARD_DATA_DIR")
    assert user_calendar_dir() == Path.home() / ".local" / "share" / "qaward" / "calendar"
