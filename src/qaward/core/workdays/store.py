"""Reading, validating and saving year schedule tables (bundled and user-imported)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from datetime import MAXYEAR, MINYEAR, date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from qaward.core.errors import PolicyFileError
from qaward.core.workdays.calendar import WorkdayCalendar, YearSchedule

_KEYS = ("year", "complete", "source", "holidays", "working_weekends", "in_lieu_days")
_DATE_KEYS = ("holidays", "working_weekends", "in_lieu_days")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def user_data_dir() -> Path:
    """`$QAWARD_DATA_DIR`, by default `~/.local/share/qaward`."""
    env = os.environ.get("QAWARD_DATA_DIR")
    return Path(env) if env else Path.home() / ".local" / "share" / "qaward"


def user_calendar_dir() -> Path:
    return user_data_dir() / "calendar"


def schedule_to_dict(s: YearSchedule) -> dict[str, Any]:
    return {
        "year": s.year,
        "complete": s.complete,
        "source": s.source,
        **{k: {d.isoformat(): n for d, n in getattr(s, k).items()} for k in _DATE_KEYS},
    }


def dump_schedule(s: YearSchedule) -> str:
    return json.dumps(schedule_to_dict(s), ensure_ascii=False, indent=2) + "\n"


def parse_schedule(data: object, file: str) -> YearSchedule:
    """Validate a year table strictly; every problem found is reported at once."""
    if not isinstance(data, Mapping):
        raise PolicyFileError(file, [f"the top level must be a mapping, not {_kind(data)}"])
    problems = [f"`{k}`: missing (required key)" for k in _KEYS if k not in data]
    problems += [f"`{k}`: unknown key (expected one of {', '.join(_KEYS)})"
                 for k in data if k not in _KEYS]

    year = data.get("year")
    if "year" in data and (type(year) is not int or not MINYEAR < year < MAXYEAR):
        problems.append(f"`year`: must be an integer year, not {year!r}")
        year = None
    complete = data.get("complete")
    if "complete" in data and not isinstance(complete, bool):
        problems.append(f"`complete`: must be true or false, not {complete!r}")
    source = data.get("source")
    if "source" in data and not (isinstance(source, str) and source.strip()):
        problems.append("`source`: must name the notice the schedule comes from")

    tables: dict[str, dict[date, str]] = {}
    for key in _DATE_KEYS:
        if key in data:
            tables[key] = _parse_dates(key, data[key], year, problems)
    holidays = tables.get("holidays", {})
    for d in tables.get("working_weekends", {}):
        if d.weekday() < 5:
            problems.append(f"`working_weekends` → `{d}`: is a {_WEEKDAYS[d.weekday()]}; "
                            "a working weekend must be a Saturday or Sunday")
        if d in holidays:
            problems.append(f"`working_weekends` → `{d}`: also listed in `holidays`; "
                            "a date cannot be both a holiday and a working day")
    for d in tables.get("in_lieu_days", {}):
        if d not in holidays:
            problems.append(f"`in_lieu_days` → `{d}`: not listed in `holidays`; "
                            "a day off in lieu is also a holiday")
    if complete is True and "holidays" in tables and not holidays:
        problems.append("`holidays`: empty, but `complete` is true (元旦 alone is a holiday)")

    if problems:
        raise PolicyFileError(file, problems)
    assert isinstance(year, int) and isinstance(complete, bool) and isinstance(source, str)
    return YearSchedule(year, complete, source.strip(), holidays,
                        tables["working_weekends"], tables["in_lieu_days"])


def _parse_dates(key: str, value: object, year: int | None, problems: list[str]) -> dict[date, str]:
    if not isinstance(value, Mapping):
        problems.append(f"`{key}`: must be a mapping of YYYY-MM-DD dates to holiday names, "
                        f"not {_kind(value)}")
        return {}
    out: dict[date, str] = {}
    for raw, name in value.items():
        d = _as_date(raw)
        if d is None:
            problems.append(f"`{key}` → `{raw}`: not a date in YYYY-MM-DD form")
            continue
        if year is not None and d.year != year:
            problems.append(f"`{key}` → `{raw}`: is in {d.year}, but the table is for {year}")
        if not (isinstance(name, str) and name.strip()):
            problems.append(f"`{key}` → `{raw}`: needs the holiday's name, not {name!r}")
        out[d] = str(name).strip()
    return out


def _as_date(raw: object) -> date | None:
    if type(raw) is date:  # YAML reads unquoted dates itself
        return raw
    if isinstance(raw, str) and len(raw) == 10:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            return None
    return None


def _kind(value: object) -> str:
    return "nothing" if value is None else f"a {type(value).__name__}"


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"`{k}` appears twice in the same mapping")
        out[k] = v
    return out


def parse_schedule_text(text: str, file: str) -> YearSchedule:
    try:
        if file.endswith((".yaml", ".yml")):
            data = yaml.safe_load(text)
        else:
            data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except (ValueError, yaml.YAMLError) as e:
        raise PolicyFileError(file, [f"cannot be read: {e}"]) from None
    return parse_schedule(data, file)


def read_year_file(path: str | os.PathLike[str]) -> YearSchedule:
    """Read a JSON (or .yaml/.yml) year table; its file name, if a year, must match."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise PolicyFileError(str(p), [f"cannot be read: {e}"]) from None
    s = parse_schedule_text(text, str(p))
    if p.stem.isdigit() and int(p.stem) != s.year:
        raise PolicyFileError(str(p), [f"`year`: is {s.year}, but the file is named {p.name}"])
    return s


def save_year(s: YearSchedule, directory: Path | None = None) -> Path:
    """Write `<directory>/<year>.json` atomically (default: the user calendar directory)."""
    directory = directory or user_calendar_dir()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{s.year}.json"
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{s.year}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(dump_schedule(s))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def import_year_file(path: str | os.PathLike[str], directory: Path | None = None) -> YearSchedule:
    """Validate a year table and save it to the user directory, where it overrides bundled data."""
    s = read_year_file(path)
    save_year(s, directory)
    return s


def load_bundled_schedules() -> list[YearSchedule]:
    root = resources.files("qaward").joinpath("data/calendar")
    return [parse_schedule_text(f.read_text(encoding="utf-8"), f"qaward/data/calendar/{f.name}")
            for f in sorted(root.iterdir(), key=lambda f: f.name) if f.name.endswith(".json")]


def load_user_schedules(directory: Path | None = None) -> list[YearSchedule]:
    directory = directory or user_calendar_dir()
    return [read_year_file(p) for p in sorted(directory.glob("*.json"))]


def load_default_calendar(user_dir: Path | None = None) -> WorkdayCalendar:
    """Bundled schedules, overridden year by year by the ones imported into the user directory."""
    schedules: Iterable[YearSchedule] = [*load_bundled_schedules(),
                                         *load_user_schedules(user_dir)]
    return WorkdayCalendar.from_schedules(schedules)
