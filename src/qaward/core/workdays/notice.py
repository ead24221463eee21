"""Notice (公示) windows counted in working days or calendar days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from qaward.core.errors import CalendarNotAvailable
from qaward.core.workdays.calendar import WorkdayCalendar

NoticeUnit = Literal["working_days", "days"]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def today_shanghai() -> date:
    """Today's date in China, whatever the server's time zone."""
    return datetime.now(SHANGHAI).date()


class NoticeCounting(BaseModel):
    """How a policy counts its notice periods (the regulation may leave this open)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Notices usually state their period with both ends included ("9月28日至10月9日（5个工作日）").
    publication_day_counts: bool = True
    # 民法典 第二百零三条: a period whose last day is a rest day ends on the next working day.
    calendar_days_extend_to_workday: bool = False


@dataclass(frozen=True)
class NoticeWindow:
    start: date  # publication day
    first_counted_day: date  # day 1 of the period
    end: date  # last day of the period, included
    length: int
    unit: NoticeUnit

    def __str__(self) -> str:
        what = "个工作日" if self.unit == "working_days" else "天"
        return f"{self.start.isoformat()}至{self.end.isoformat()}（{self.length}{what}）"


def notice_window(
    calendar: WorkdayCalendar,
    start: date,
    length: int,
    unit: NoticeUnit,
    counting: NoticeCounting | None = None,
) -> NoticeWindow:
    """The notice period published on `start` lasting `length` working days or calendar days.

    Raises CalendarNotAvailable when the period needs a year whose schedule is not loaded.
    """
    counting = counting or NoticeCounting()
    if length < 1:
        raise ValueError(f"a notice period lasts at least 1 day, not {length}")
    one = timedelta(days=1)
    try:
        if unit == "working_days":
            first = start if counting.publication_day_counts else start + one
            first = calendar.next_workday_on_or_after(first)
            end = calendar.add_workdays(first, length - 1)
        elif unit == "days":
            first = start if counting.publication_day_counts else start + one
            end = first + (length - 1) * one
            if counting.calendar_days_extend_to_workday:
                end = calendar.next_workday_on_or_after(end)
        else:
            raise ValueError(f"unknown notice unit {unit!r}; use 'working_days' or 'days'")
    except CalendarNotAvailable as e:
        what = "working days" if unit == "working_days" else "days"
        raise CalendarNotAvailable(
            e.year, f"The notice published on {start} for {length} {what} runs into {e.year}."
        ) from None
    return NoticeWindow(start, first, end, length, unit)
