"""The official Chinese working-day calendar, built from one schedule table per year.

A weekday is a working day unless the State Council's notice makes it a holiday; a Saturday or
Sunday is a rest day unless the notice makes it a working weekend (调休上班).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType

from qaward.core.errors import CalendarNotAvailable

_DAY = timedelta(days=1)


def _frozen(mapping: Mapping[date, str]) -> Mapping[date, str]:
    return MappingProxyType(dict(sorted(mapping.items())))


@dataclass(frozen=True)
class YearSchedule:
    """One year's official schedule, as published in the State Council's notice."""

    year: int
    complete: bool
    source: str
    holidays: Mapping[date, str]  # rest days other than ordinary weekends, plus holiday weekends
    working_weekends: Mapping[date, str]  # Saturdays and Sundays that are working days
    in_lieu_days: Mapping[date, str] = field(default_factory=dict)  # informational only

    def __post_init__(self) -> None:
        for name in ("holidays", "working_weekends", "in_lieu_days"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def is_workday(self, d: date) -> bool:
        if d.weekday() < 5:
            return d not in self.holidays
        return d in self.working_weekends


@dataclass(frozen=True)
class WorkdayCalendar:
    """Immutable set of year schedules; every query outside a complete year raises."""

    years: Mapping[int, YearSchedule] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "years", MappingProxyType(dict(sorted(self.years.items()))))

    @classmethod
    def from_schedules(cls, schedules: Iterable[YearSchedule]) -> WorkdayCalendar:
        """Later schedules for the same year replace earlier ones."""
        return cls({s.year: s for s in schedules})

    def with_schedule(self, schedule: YearSchedule) -> WorkdayCalendar:
        return WorkdayCalendar({**self.years, schedule.year: schedule})

    @property
    def available_years(self) -> tuple[int, ...]:
        return tuple(y for y, s in self.years.items() if s.complete)

    def schedule(self, year: int) -> YearSchedule:
        s = self.years.get(year)
        if s is None:
            raise CalendarNotAvailable(year)
        if not s.complete:
            raise CalendarNotAvailable(year, f"Its table is marked incomplete ({s.source}).")
        return s

    def is_workday(self, d: date) -> bool:
        return self.schedule(d.year).is_workday(d)

    def next_workday_on_or_after(self, d: date) -> date:
        while not self.is_workday(d):
            d += _DAY
        return d

    def next_workday_after(self, d: date) -> date:
        return self.next_workday_on_or_after(d + _DAY)

    def add_workdays(self, d: date, n: int) -> date:
        """The n-th working day after d (before d if n < 0); d itself is never counted."""
        step = _DAY if n >= 0 else -_DAY
        for _ in range(abs(n)):
            d += step
            while not self.is_workday(d):
                d += step
        return d

    def count_workdays(self, start: date, end: date) -> int:
        """Working days in [start, end], both ends included; 0 if end < start."""
        return sum(self.is_workday(start + k * _DAY) for k in range((end - start).days + 1))
