import json
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaward.core.errors import PolicyFileError
from qaward.core.workdays import (
    YearSchedule,
    dump_schedule,
    import_year_file,
    load_default_calendar,
)

VALID: dict[str, Any] = {
    "year": 2027,
    "complete": True,
    "source": "国务院办公厅关于2027年部分节假日安排的通知",
    "holidays": {"2027-01-01": "元旦", "2027-01-02": "元旦", "2027-02-08": "春节"},
    "working_weekends": {"2027-02-06": "春节"},  # a Saturday
    "in_lieu_days": {"2027-02-08": "春节"},
}


def write(directory: Path, data: object, name: str = "notice.json") -> Path:
    path = directory / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_a_valid_file_is_imported_saved_and_used(tmp_path: Path) -> None:
    user = tmp_path / "user"
    s = import_year_file(write(tmp_path, VALID), user)
    assert s.working_weekends == {date(2027, 2, 6): "春节"}
    assert json.loads((user / "2027.json").read_text(encoding="utf-8")) == VALID
    cal = load_default_calendar(user)
    assert cal.is_workday(date(2027, 2, 6)) and not cal.is_workday(date(2027, 1, 1))


def test_a_yaml_file_with_unquoted_dates_is_accepted(tmp_path: Path) -> None:
    text = ("year: 2027\ncomplete: true\nsource: 国办发明电\n"
            "holidays:\n  2027-01-01: 元旦\nworking_weekends: {}\nin_lieu_days: {}\n")
    s = import_year_file(write(tmp_path, text, "2027.yaml"), tmp_path / "user")
    assert s.holidays == {date(2027, 1, 1): "元旦"}


Change = Callable[[dict[str, Any]], object]


def put(**values: Any) -> Change:
    """Replace top-level values; None deletes the key."""
    return lambda data: {k: v for k, v in {**data, **values}.items() if v is not None}


def add(key: str, day: str, name: str = "春节") -> Change:
    return lambda data: {**data, key: {**data[key], day: name}}


@pytest.mark.parametrize(("change", "expected"), [
    pytest.param(put(working_weekends=None), "`working_weekends`: missing", id="missing key"),
    pytest.param(add("holidays", "2026-12-31"),
                 "`holidays` → `2026-12-31`: is in 2026, but the table is for 2027",
                 id="date in another year"),
    pytest.param(add("working_weekends", "2027-01-02"),
                 "`working_weekends` → `2027-01-02`: also listed in `holidays`",
                 id="holiday and working weekend at once"),
    pytest.param(add("working_weekends", "2027-02-10"),
                 "`working_weekends` → `2027-02-10`: is a Wednesday; a working weekend must be",
                 id="working weekend on a weekday"),
    pytest.param(add("in_lieu_days", "2027-02-09"),
                 "`in_lieu_days` → `2027-02-09`: not listed in `holidays`",
                 id="day in lieu that is not a holiday"),
    pytest.param(add("holidays", "2027-02-30"), "`holidays` → `2027-02-30`: not a date",
                 id="impossible date"),
    pytest.param(add("holidays", "2027-10-01", ""),
                 "`holidays` → `2027-10-01`: needs the holiday's name", id="holiday without name"),
    pytest.param(put(holidays=["2027-01-01"]), "`holidays`: must be a mapping", id="list of dates"),
    pytest.param(put(holidays={}), "`holidays`: empty, but `complete` is true",
                 id="complete year without holidays"),
    pytest.param(put(year="2027"), "`year`: must be an integer", id="year as text"),
    pytest.param(put(complete="yes"), "`complete`: must be true or false", id="complete as text"),
    pytest.param(put(source=" "), "`source`: must name the notice", id="blank source"),
    pytest.param(put(workdays={}), "`workdays`: unknown key", id="misspelt key"),
    pytest.param(lambda data: [data], "the top level must be a mapping", id="not a mapping"),
    pytest.param(lambda data: json.dumps(data).replace('"2027-01-02"', '"2027-01-01"'),
                 "`2027-01-01` appears twice", id="date listed twice"),
    pytest.param(lambda data: "{not json", "cannot be read", id="not json"),
])
def test_import_rejects_a_bad_file_naming_the_file_key_and_problem(
    tmp_path: Path, change: Change, expected: str
) -> None:
    path = write(tmp_path, change(json.loads(json.dumps(VALID))))
    with pytest.raises(PolicyFileError) as e:
        import_year_file(path, tmp_path / "user")
    assert e.value.file == str(path) and str(path) in str(e.value)
    assert any(expected in p for p in e.value.problems), e.value.problems
    assert not (tmp_path / "user").exists()


def test_import_rejects_a_file_named_for_another_year(tmp_path: Path) -> None:
    with pytest.raises(PolicyFileError) as e:
        import_year_file(write(tmp_path, VALID, "2026.json"), tmp_path / "user")
    assert e.value.problems == ["`year`: is 2027, but the file is named 2026.json"]


def test_import_reports_every_problem_at_once(tmp_path: Path) -> None:
    bad = {**VALID, "complete": None, "working_weekends": {"2027-02-10": "x", "2028-01-01": "y"}}
    with pytest.raises(PolicyFileError) as e:
        import_year_file(write(tmp_path, bad), tmp_path / "user")
    assert len(e.value.problems) == 3


@st.composite
def schedules(draw: st.DrawFn) -> YearSchedule:
    year = draw(st.integers(2000, 2100))
    days = st.dates(date(year, 1, 1), date(year, 12, 31))
    names = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Z"]),
                    min_size=1, max_size=8)
    holidays = draw(st.dictionaries(days, names, min_size=1, max_size=40))
    weekends = draw(st.dictionaries(days.filter(lambda d: d.weekday() >= 5 and d not in holidays),
                                    names, max_size=8))
    weekday_holidays = sorted(d for d in holidays if d.weekday() < 5)
    in_lieu = draw(st.lists(st.sampled_from(weekday_holidays), unique=True)
                   if weekday_holidays else st.just([]))
    source = draw(names)
    return YearSchedule(year, draw(st.booleans()), source, holidays, weekends,
                        {d: holidays[d] for d in in_lieu})


@given(schedules())
def test_an_exported_schedule_imports_back_unchanged(s: YearSchedule) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.json"
        path.write_text(dump_schedule(s), encoding="utf-8")
        assert import_year_file(path, Path(tmp) / "user") == s
        assert import_year_file(Path(tmp) / "user" / f"{s.year}.json", Path(tmp) / "again") == s


@given(schedules(), st.data())
def test_import_rejects_any_weekday_listed_as_a_working_weekend(
    s: YearSchedule, data: st.DataObject
) -> None:
    weekday = data.draw(st.dates(date(s.year, 1, 1), date(s.year, 12, 31))
                        .filter(lambda d: d.weekday() < 5))
    table = json.loads(dump_schedule(s))
    table["working_weekends"][weekday.isoformat()] = "x"
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), table)
        with pytest.raises(PolicyFileError) as e:
            import_year_file(path, Path(tmp) / "user")
    assert any(p.startswith(f"`working_weekends` → `{weekday}`: is a ") for p in e.value.problems)


@given(schedules(), st.integers(1, 400))
def test_import_rejects_any_date_outside_the_tables_year(s: YearSchedule, offset: int) -> None:
    outside = date(s.year, 12, 31) + timedelta(days=offset)
    table = json.loads(dump_schedule(s))
    table["holidays"][outside.isoformat()] = "x"
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), table)
        with pytest.raises(PolicyFileError) as e:
            import_year_file(path, Path(tmp) / "user")
    assert e.value.problems == [
        f"`holidays` → `{outside}`: is in {outside.year}, but the table is for {s.year}"
    ]
