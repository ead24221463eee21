"""Generate src/qaward/data/calendar/<year>.json from the chinese-calendar package.

Run with the project's venv: `.venv/bin/python scripts/seed_calendar.py`. Re-running it rewrites
the files; a year published later is added with `qaward calendar import FILE` instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from importlib.metadata import version
from pathlib import Path

import chinese_calendar

from qaward.core.workdays import YearSchedule, save_year

OUT = Path(__file__).resolve().parent.parent / "src" / "qaward" / "data" / "calendar"


def of_year(table: Mapping[date, str], year: int) -> dict[date, str]:
    return {d: name for d, name in table.items() if d.year == year}


def main() -> None:
    package = f"chinese-calendar {version('chinese-calendar')}"
    years = sorted({d.year for d in chinese_calendar.holidays})
    for year in years:
        schedule = YearSchedule(
            year=year,
            # The package refuses any year it has no data for, so each year it has is whole.
            complete=True,
            source=f"国务院办公厅关于{year}年部分节假日安排的通知; seeded from {package}",
            holidays=of_year(chinese_calendar.holidays, year),
            working_weekends=of_year(chinese_calendar.workdays, year),
            in_lieu_days=of_year(chinese_calendar.in_lieu_days, year),
        )
        print(save_year(schedule, OUT))


if __name__ == "__main__":
    main()
