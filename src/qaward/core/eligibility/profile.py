"""Applicant profiles: the facts the eligibility engine screens, read from JSON, CSV or XLSX.

Conventions (docs/conventions.md): the facts ``legal_person``, ``pays_tax_locally``,
``licensed``, ``chief_quality_officer`` and ``for_profit`` are unknown (None) unless stated,
and a rule that needs an unknown fact becomes a manual check; ``top_manager`` defaults to
true; lists default to empty; an event's ``major``/``serious``/``organization_at_fault``
default to true (an event counts unless declared otherwise); ``policy_loss`` defaults to
false (a loss is excused only when declared). One bad record is reported with its field
and never stops the others.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from qaward.core.errors import ProfileError, QawardError
from qaward.core.policy.model import (
    NATIONAL_AWARD_TIERS,
    AwardLevel,
    IncidentKind,
    RevocationCause,
)


class _Fact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AnnualResult(_Fact):
    year: int = Field(ge=1900, le=2200)
    profit: float
    policy_loss: bool = False


class Incident(_Fact):
    date: dt.date
    kind: IncidentKind
    major: bool = True


class Complaint(_Fact):
    date: dt.date
    major: bool = True
    organization_at_fault: bool = True


class Dishonesty(_Fact):
    date: dt.date
    serious: bool = True


class Violation(_Fact):
    date: dt.date
    serious: bool = True


class AwardRecord(_Fact):
    level: AwardLevel
    jurisdiction: str | None = None
    tier: str | None = None
    year: int = Field(ge=1900, le=2200)
    revoked_on: dt.date | None = None
    revocation_cause: RevocationCause | None = None

    @model_validator(mode="after")
    def _cause_with_revocation(self) -> AwardRecord:
        if (self.revoked_on is None) != (self.revocation_cause is None):
            raise ValueError("give `revoked_on` and `revocation_cause` together (fraud|incident)")
        if self.level == "national" and self.tier not in (None, *NATIONAL_AWARD_TIERS):
            raise ValueError("a national award's `tier` is `award` (中国质量奖) or `nomination` "
                             f"(中国质量奖提名奖), not {self.tier!r}")
        return self


class OtherApplication(_Fact):
    level: AwardLevel
    jurisdiction: str | None = None
    year: int = Field(ge=1900, le=2200)


class Profile(_Fact):
    id: str = Field(min_length=1)
    kind: Literal["organization", "individual"]
    name: str = Field(min_length=1)
    jurisdiction: str = Field(min_length=1)
    established_on: dt.date
    # Facts a rule may need: None (not stated) is unknown, and the rule becomes a manual check.
    legal_person: bool | None = None
    pays_tax_locally: bool | None = None
    licensed: bool | None = None
    chief_quality_officer: bool | None = None
    # 从事生产、经营活动 (true) or 非盈利性业务 (false): 崇明 第十六条第（五）项.
    for_profit: bool | None = None
    excellence_model_since: dt.date | None = None
    sector: str | None = None
    annual_results: tuple[AnnualResult, ...] = ()
    incidents: tuple[Incident, ...] = ()
    complaints: tuple[Complaint, ...] = ()
    failed_inspections: tuple[dt.date, ...] = ()
    dishonesty: tuple[Dishonesty, ...] = ()
    violations: tuple[Violation, ...] = ()
    awards: tuple[AwardRecord, ...] = ()
    other_applications: tuple[OtherApplication, ...] = ()
    # Individuals only
    employer: Profile | None = None
    top_manager: bool = True

    @model_validator(mode="after")
    def _individual_fields(self) -> Profile:
        if self.kind == "organization" and self.employer is not None:
            raise ValueError("`employer` is only for individuals")
        if self.employer is not None and self.employer.kind != "organization":
            raise ValueError("`employer` must be an organization profile")
        return self


def _record_label(raw: Any, index: int) -> str:
    if isinstance(raw, Mapping) and raw.get("id") not in (None, ""):
        return f"#{index + 1} (id {raw['id']})"
    return f"#{index + 1}"


def _problems(exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "<record>"
        if err["type"] == "extra_forbidden":
            msg = "unknown field (see docs/conventions.md for the fields)"
        elif err["type"] == "missing":
            msg = "required field is missing"
        else:
            msg = err["msg"]
            if err["type"] not in ("value_error",):
                msg += f" (got {err.get('input')!r})"
        out.append(f"field `{loc}`: {msg}")
    return out


def parse_profile(raw: Any, index: int = 0) -> Profile:
    label = _record_label(raw, index)
    if not isinstance(raw, Mapping):
        raise ProfileError(label, ["a record must be an object with named fields"])
    try:
        return Profile.model_validate(raw)
    except ValidationError as exc:
        raise ProfileError(label, _problems(exc)) from None


ParsedRecord = Profile | ProfileError


@dataclass(frozen=True)
class ProfileBatch:
    """All records of a file, each parsed or with its error, in file order."""

    source: str
    records: tuple[ParsedRecord, ...]

    def profiles(self) -> Iterator[Profile]:
        return (r for r in self.records if isinstance(r, Profile))

    def errors(self) -> Iterator[ProfileError]:
        return (r for r in self.records if isinstance(r, ProfileError))


class ProfileFileError(QawardError):
    """The file as a whole cannot be read (not per record)."""


def parse_records(raws: list[Any], source: str) -> ProfileBatch:
    """Parse JSON values or tabular rows; each record becomes a Profile or its ProfileError."""
    return ProfileBatch(source, tuple(_parse_any(r, i) for i, r in enumerate(raws)))


def read_profiles(path: Path) -> ProfileBatch:
    suffix = path.suffix.lower()
    if suffix == ".json":
        raws = _read_json(path)
    elif suffix == ".csv":
        raws = list(_read_csv(path))
    elif suffix in (".xlsx", ".xlsm"):
        raws = list(_read_xlsx(path))
    else:
        raise ProfileFileError(
            f"{path}: unsupported file type `{suffix}`; use .json, .csv or .xlsx"
        )
    return parse_records(raws, str(path))


def _read_json(path: Path) -> list[Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProfileFileError(f"{path}: cannot read: {exc.strerror}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ProfileFileError(f"{path}: not valid JSON: {exc}") from exc
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ProfileFileError(f"{path}: expected a JSON list of applicant profiles")
    return data


# -- tabular files: one row per applicant, the same field names as column headers ------------

_LIST_OR_OBJECT_FIELDS = {
    "annual_results",
    "incidents",
    "complaints",
    "failed_inspections",
    "dishonesty",
    "violations",
    "awards",
    "other_applications",
    "employer",
}
_TEXT_FIELDS = {"id", "name", "jurisdiction", "sector"}
_BOOLEAN_FIELDS = {"legal_person", "pays_tax_locally", "licensed", "chief_quality_officer",
                   "for_profit", "top_manager"}
_TRUE = {"true", "yes", "y", "1", "是", "有", "√"}
_FALSE = {"false", "no", "n", "0", "否", "无", "×"}
_UNKNOWN = {"unknown", "?", "不详", "未知", "未说明"}  # as an empty cell: not stated


def _cell_value(column: str, value: Any) -> Any:
    """Convert one cell; list fields hold JSON text. Raises ValueError with a clear message."""
    if isinstance(value, dt.datetime):
        return value.date()
    if column in _TEXT_FIELDS and isinstance(value, int | float) and not isinstance(value, bool):
        # A spreadsheet stores an id like 1001 as a number; it is still a text field.
        return str(int(value)) if float(value).is_integer() else str(value)
    if not isinstance(value, str):
        return value
    text = value.strip()
    if column in _LIST_OR_OBJECT_FIELDS:
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"column `{column}` must hold JSON ({exc.msg})") from None
    if column in _BOOLEAN_FIELDS:
        low = text.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        if low in _UNKNOWN:
            return None
        raise ValueError(f"column `{column}` must be true/false (是/否) or unknown (不详), "
                         f"got {text!r}")
    return text


def _row_to_record(row: Mapping[str, Any]) -> dict[str, Any] | _BadRow:
    record: dict[str, Any] = {}
    problems = []
    for column, value in row.items():
        if column is None or value is None or (isinstance(value, str) and not value.strip()):
            continue  # empty cell: the field's default
        try:
            converted = _cell_value(str(column).strip(), value)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if converted is not None:  # "不详": as an empty cell
            record[str(column).strip()] = converted
    return _BadRow(record.get("id"), problems) if problems else record


@dataclass(frozen=True)
class _BadRow:
    id: Any
    problems: list[str]


def _read_csv(path: Path) -> Iterator[Any]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                yield _row_to_record(row)
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileFileError(f"{path}: cannot read as UTF-8 CSV: {exc}") from exc


def _read_xlsx(path: Path) -> Iterator[Any]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a bad workbook
        raise ProfileFileError(f"{path}: cannot open as an Excel workbook: {exc}") from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return
    columns = [str(h).strip() if h is not None else None for h in header]
    for values in rows:
        if all(v is None for v in values):
            continue
        yield _row_to_record(dict(zip(columns, values, strict=False)))  # type: ignore[arg-type]
    wb.close()


def _parse_tabular(raw: Any, index: int) -> Profile:
    if isinstance(raw, _BadRow):
        label = f"#{index + 1}" + (f" (id {raw.id})" if raw.id else "")
        raise ProfileError(label, raw.problems)
    return parse_profile(raw, index)


def _parse_any(raw: Any, index: int) -> ParsedRecord:
    try:
        return _parse_tabular(raw, index)
    except ProfileError as err:
        return err

