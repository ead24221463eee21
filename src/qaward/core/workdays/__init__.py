"""The official Chinese working-day calendar (工作日) and notice (公示) windows."""

from qaward.core.workdays.calendar import WorkdayCalendar, YearSchedule
from qaward.core.workdays.notice import (
    LAW_CITE,
    LAW_CITE_EN,
    NoticeCounting,
    NoticeUnit,
    NoticeWindow,
    full_date_en,
    full_date_zh,
    notice_window,
    period_text,
    today_shanghai,
)
from qaward.core.workdays.store import (
    dump_schedule,
    import_year_file,
    load_default_calendar,
    parse_schedule,
    read_year_file,
    save_year,
    user_calendar_dir,
    user_data_dir,
)

__all__ = [
    "LAW_CITE",
    "LAW_CITE_EN",
    "NoticeCounting",
    "NoticeUnit",
    "NoticeWindow",
    "WorkdayCalendar",
    "YearSchedule",
    "dump_schedule",
    "full_date_en",
    "full_date_zh",
    "import_year_file",
    "load_default_calendar",
    "notice_window",
    "parse_schedule",
    "period_text",
    "read_year_file",
    "save_year",
    "today_shanghai",
    "user_calendar_dir",
    "user_data_dir",
]
