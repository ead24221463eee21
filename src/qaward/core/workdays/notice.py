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


CountingSource = Literal["law", "regulation", "configuration"]

# 民法典 第二百零一条: 按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。
# 民法典 第二百零三条: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。
LAW_CITE = "民法典 第二百零一条、第二百零三条"
LAW_CITE_EN = "Civil Code, Articles 201 and 203"


class NoticeCounting(BaseModel):
    """How a notice period is counted.

    The default is the law (民法典 第二百零一条、第二百零三条): the day of publication is not
    counted, counting starts the next day, and a calendar-day period whose last day is a rest
    day or holiday ends on the next working day. A regulation may state otherwise
    (``source="regulation"``, citing its article); where none does, the office may decide that
    the publication day is day 1 (``source="configuration"``, citing its decision).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    publication_day_counts: bool = False
    calendar_days_extend_to_workday: bool = True
    source: CountingSource = "law"
    cite: str = LAW_CITE

    def basis(self) -> tuple[str, str]:
        """The basis of this counting, in Chinese and English, as shown with every window."""
        if self.source == "law":
            return LAW_CITE, LAW_CITE_EN
        first_zh = "发布之日计为第1日" if self.publication_day_counts else "发布之日不计入"
        first_en = ("the publication day is day 1" if self.publication_day_counts
                    else "the publication day is not counted")
        if self.source == "configuration":
            return (f"评审办决定（{self.cite}）：{first_zh}",
                    f"the office's decision ({self.cite}): {first_en}")
        return f"{self.cite}：{first_zh}", f"{self.cite}: {first_en}"


LAW_COUNTING = NoticeCounting()


def full_date_zh(d: date) -> str:
    """``2026年9月29日``."""
    return f"{d.year}年{d.month}月{d.day}日"


MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def full_date_en(d: date) -> str:
    """``29 September 2026``."""
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def period_text(first: date, end: date) -> tuple[str, str]:
    """A notice period with both dates in full: ``公示期：2026年9月29日至2026年10月10日`` and
    ``Notice period: 29 September 2026 to 10 October 2026``."""
    return (f"公示期：{full_date_zh(first)}至{full_date_zh(end)}",
            f"Notice period: {full_date_en(first)} to {full_date_en(end)}")


@dataclass(frozen=True)
class NoticeWindow:
    start: date  # publication day
    first_counted_day: date  # day 1 of the period
    end: date  # last day of the period, included
    length: int
    unit: NoticeUnit
    counting: NoticeCounting = LAW_COUNTING

    def period(self) -> tuple[str, str]:
        """Both dates in full, Chinese and English."""
        return period_text(self.first_counted_day, self.end)

    def __str__(self) -> str:
        what = "个工作日" if self.unit == "working_days" else "天"
        return (f"{self.period()[0]}（{self.length}{what}；"
                f"计算依据：{self.counting.basis()[0]}）")


def notice_window(
    calendar: WorkdayCalendar,
    start: date,
    length: int,
    unit: NoticeUnit,
    counting: NoticeCounting | None = None,
) -> NoticeWindow:
    """The notice period published on `start` lasting `length` working days or calendar days,
    counted by `counting` (default: 民法典 第二百零一条、第二百零三条).

    Working days: day 1 is the first working day after publication (on or after it when the
    publication day counts); the period ends on the Nth working day. Calendar days: day 1 is the
    day after publication (or the publication day); a period whose Nth day is a rest day or
    holiday ends on the next working day (第二百零三条).

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
    return NoticeWindow(start, first, end, length, unit, counting)
