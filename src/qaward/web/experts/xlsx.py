"""The pool as the xlsx the offices keep (专家库名册): import with row-level errors, export that
imports back to the same pool.

Columns (the first row holds the headers, in any order; 姓名 is required, a missing column
leaves that field as it is): see :data:`COLUMNS`. 专业领域 and 资质 are lists separated by
``、``; the relation columns hold organizations separated by ``；`` or new lines, each
``单位名称`` or ``单位名称|统一社会信用代码``; 曾任职单位 holds ``单位|起|止`` (dates
``2020-03-01``, ``2020-03`` or ``2020``; 止 empty while unknown).

A row is identified by 姓名 with 联系电话 or 电子邮箱: importing again updates that expert
(and sets its relations to the row's) without a duplicate. Every row is checked on its own
and written in its own transaction: a bad row is reported (row number, column, what to do)
and the other rows are imported.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from qaward.web.accounts import rules
from qaward.web.common.errors import ServiceError

from . import services
from .models import Expert, ExpertRelation

COLUMNS: list[tuple[str, str]] = [
    ("姓名", "name"), ("工作单位", "employer_name"), ("统一社会信用代码", "employer_code"),
    ("职务/职称", "title"), ("专业领域", "sectors"), ("资质", "qualifications"),
    ("可任组长", "can_lead"), ("联系电话", "phone"), ("电子邮箱", "email"),
    ("关联单位", "affiliate"), ("业务往来单位", "partner"), ("竞争对手单位", "competitor"),
    ("曾任职单位（单位|起|止）", "past_employer"), ("指导的组织", "mentee"), ("状态", "status"),
]
HEADER_OF = {key: header for header, key in COLUMNS}
RELATION_COLUMNS = ("affiliate", "partner", "competitor", "past_employer", "mentee")
YES, NO = ("是", "y", "yes", "true", "1", "√"), ("否", "n", "no", "false", "0", "")
STATUS_LABELS = {"正常": "active", "已警告": "warned", "取消评审资格": "disqualified"}
_SPLIT_ORGS = re.compile(r"[；;\n]+")
_SPLIT_LIST = re.compile(r"[、,，;；\n]+")
CODE = re.compile(r"^[0-9A-Z]{18}$")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("第%(row)s行「%(column)s」：%(message)s") % {
            "row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def rows_failed(self) -> int:
        return len({e.row for e in self.errors})


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    return str(v).strip()


def _date(text: str, *, end: bool) -> dt.date | None:
    """``2020-03-01``, ``2020/3/1``, ``2020-03`` or ``2020``; a month or year is read as its
    first day (起) or its last day (止)."""
    t = text.strip().replace("/", "-").replace(".", "-")
    if not t:
        return None
    parts = t.split("-")
    if not all(p.isdigit() for p in parts) or not 1 <= len(parts) <= 3:
        raise ValueError(t)
    y = int(parts[0])
    if len(parts) == 1:
        return dt.date(y, 12, 31) if end else dt.date(y, 1, 1)
    m = int(parts[1])
    if len(parts) == 2:
        return dt.date(y, m, calendar.monthrange(y, m)[1] if end else 1)
    return dt.date(y, m, int(parts[2]))


@dataclass
class _Row:
    values: dict[str, Any] = field(default_factory=dict)
    relations: dict[str, list[tuple[str, str, dt.date | None, dt.date | None]]] = field(
        default_factory=dict)
    status: str | None = None


def _parse(n: int, cells: dict[str, str], errors: list[RowError]) -> _Row:
    row = _Row()

    def bad(key: str, message: str) -> None:
        errors.append(RowError(n, HEADER_OF[key], message))

    for key in ("name", "employer_name", "title", "phone", "email"):
        if key in cells:
            row.values[key] = cells[key]
    if "name" in cells and not cells["name"]:
        bad("name", _("姓名不能为空，请填写专家姓名"))
    if cells.get("employer_code"):
        code = cells["employer_code"].upper().replace(" ", "")
        if not CODE.match(code):
            bad("employer_code", _("统一社会信用代码应为18位数字或大写字母，请核对或留空"))
        row.values["employer_code"] = code
    elif "employer_code" in cells:
        row.values["employer_code"] = ""
    if cells.get("email"):
        try:
            validate_email(cells["email"])
        except ValidationError:
            bad("email", _("电子邮箱格式不正确，请填写如 name@example.com 的地址"))
    if not cells.get("phone") and not cells.get("email"):
        errors.append(RowError(n, HEADER_OF["phone"],
                               _("请填写联系电话或电子邮箱（用于识别专家，重复导入时更新而不重复）")))
    for key in ("sectors", "qualifications"):
        if key in cells:
            row.values[key] = [x.strip() for x in _SPLIT_LIST.split(cells[key]) if x.strip()]
    if "can_lead" in cells:
        v = cells["can_lead"].lower()
        if v in YES:
            row.values["can_lead"] = True
        elif v in NO:
            row.values["can_lead"] = False
        else:
            bad("can_lead", _("请填写「是」或「否」"))
    for key in RELATION_COLUMNS:
        if key not in cells:
            continue
        items: list[tuple[str, str, dt.date | None, dt.date | None]] = []
        for chunk in _SPLIT_ORGS.split(cells[key]):
            if not chunk.strip():
                continue
            parts = [p.strip() for p in chunk.replace("｜", "|").split("|")]
            if key == "past_employer":
                if len(parts) > 3 or not parts[0]:
                    bad(key, _("「%(v)s」应写成 单位|起|止，如 某某有限公司|2015-03|2020-06")
                        % {"v": chunk.strip()})
                    continue
                try:
                    since = _date(parts[1], end=False) if len(parts) > 1 else None
                    until = _date(parts[2], end=True) if len(parts) > 2 else None
                except ValueError:
                    bad(key, _("「%(v)s」的日期无法识别，请写成 2020-06-30、2020-06 或 2020")
                        % {"v": chunk.strip()})
                    continue
                if since and until and until < since:
                    bad(key, _("「%(v)s」的止日期早于起日期") % {"v": chunk.strip()})
                    continue
                items.append((parts[0], "", since, until))
            else:
                if len(parts) > 2 or not parts[0]:
                    bad(key, _("「%(v)s」应写成 单位名称 或 单位名称|统一社会信用代码")
                        % {"v": chunk.strip()})
                    continue
                code = parts[1].upper() if len(parts) == 2 else ""
                if code and not CODE.match(code):
                    bad(key, _("「%(v)s」的统一社会信用代码应为18位") % {"v": chunk.strip()})
                    continue
                items.append((parts[0], code, None, None))
        row.relations[key] = items
    if cells.get("status"):
        status = STATUS_LABELS.get(cells["status"])
        if status is None:
            bad("status", _("状态应为：%(v)s") % {"v": "、".join(STATUS_LABELS)})
        row.status = status
    return row


def _find(jurisdiction: Any, values: dict[str, Any]) -> Expert | None:
    qs = Expert.objects.filter(jurisdiction=jurisdiction, name=values.get("name", ""))
    phone, email = values.get("phone", ""), values.get("email", "")
    for e in qs:
        if (phone and e.phone == phone) or (email and e.email.lower() == email.lower()):
            return e
    return None


def _apply(jurisdiction: Any, actor: Any, existing: Expert | None, row: _Row,
           report: ImportReport) -> None:
    with transaction.atomic():
        if existing is None:
            e = services.expert_create(jurisdiction=jurisdiction, actor=actor, **row.values)
            changed = True
        else:
            before = {k: getattr(existing, k) for k in row.values}
            e = services.expert_update(expert=existing, actor=actor,
                                       reason=_("导入专家库名册"), **row.values)
            changed = before != {k: getattr(e, k) for k in row.values}
        current = {(r.kind, r.organization_name, r.organization_code, r.since, r.until): r
                   for r in e.relations.all()}
        wanted = {(kind, *item) for kind, items in row.relations.items() for item in items}
        for key, rel in current.items():
            if rel.kind in row.relations and key not in wanted:
                services.relation_remove(relation=rel, actor=actor, reason=_("导入专家库名册"))
                changed = True
        for kind, name, code, since, until in sorted(wanted - set(current), key=str):
            services.relation_add(expert=e, actor=actor, kind=kind, organization_name=name,
                                  organization_code=code, since=since, until=until)
            changed = True
    if existing is None:
        report.created += 1
    elif changed:
        report.updated += 1
    else:
        report.unchanged += 1


def import_pool(jurisdiction: Any, data: bytes | io.BytesIO, actor: Any) -> ImportReport:
    """Import the pool from an xlsx workbook (its first sheet)."""
    report = ImportReport()
    if not rules.can_manage_pool(actor, jurisdiction):
        raise ServiceError(_("只有评审办可以维护专家库"))
    try:
        wb = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data,
                           read_only=True, data_only=True)
    except Exception:  # any unreadable file gets the same answer
        raise ServiceError(_("无法读取该文件，请上传 Excel（.xlsx）格式的专家库名册"),
                                    field="file") from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    by_header = {h: k for h, k in COLUMNS}
    by_header.update({"曾任职单位": "past_employer"})
    index = {by_header[h]: i for i, h in enumerate(header) if h in by_header}
    if "name" not in index:
        raise ServiceError(
            _("第1行应为表头，且须有「姓名」列；可先导出名册作为模板"), field="file")
    seen: dict[tuple[str, str], int] = {}
    for n, raw in enumerate(rows, start=2):
        cells = {k: _text(raw[i]) if i < len(raw) else "" for k, i in index.items()}
        if not any(cells.values()):
            continue
        errors: list[RowError] = []
        row = _parse(n, cells, errors)
        for ident in (cells.get("phone", ""), cells.get("email", "").lower()):
            if ident and (cells["name"], ident) in seen:
                errors.append(RowError(n, HEADER_OF["name"], _(
                    "与第%(row)s行是同一位专家（姓名和联系方式相同），请合并为一行")
                    % {"row": seen[(cells["name"], ident)]}))
                break
        for ident in (cells.get("phone", ""), cells.get("email", "").lower()):
            if ident:
                seen.setdefault((cells["name"], ident), n)
        existing = _find(jurisdiction, row.values)
        if row.status is not None and row.status != (existing.status if existing else "active"):
            errors.append(RowError(n, HEADER_OF["status"], _(
                "状态不能通过导入变更：警告、取消评审资格须由评审办负责人在专家页面登记处理决定；"
                "请保留原状态")))
        if errors:
            report.errors.extend(errors)
            continue
        try:
            _apply(jurisdiction, actor, existing, row, report)
        except ServiceError as err:
            column = HEADER_OF.get(err.field or "", "")
            report.errors.append(RowError(n, column, str(err)))
    return report


def _orgs_cell(rels: list[ExpertRelation], kind: str) -> str:
    out = []
    for r in rels:
        if r.kind != kind:
            continue
        if kind == "past_employer":
            out.append("|".join([r.organization_name, r.since.isoformat() if r.since else "",
                                 r.until.isoformat() if r.until else ""]).rstrip("|"))
        else:
            out.append(f"{r.organization_name}|{r.organization_code}" if r.organization_code
                       else r.organization_name)
    return "；".join(out)


def export_pool(jurisdiction: Any, experts: list[Expert] | None = None) -> bytes:
    """The pool (or the experts given) as the xlsx :func:`import_pool` reads."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "专家库"
    ws.append([h for h, _k in COLUMNS])
    rows = experts if experts is not None else services.experts_of(jurisdiction)
    labels = {v: k for k, v in STATUS_LABELS.items()}
    for e in rows:
        rels = list(e.relations.all().order_by("kind", "pk"))
        ws.append([e.name, e.employer_name, e.employer_code, e.title, "、".join(e.sectors),
                   "、".join(e.qualifications), "是" if e.can_lead else "否", e.phone, e.email,
                   *(_orgs_cell(rels, k) for k in RELATION_COLUMNS), labels[e.status]])
    for col, width in zip("ABCDEFGHIJKLMNO", (10, 28, 22, 14, 20, 16, 8, 16, 24, 30, 30, 30,
                                               40, 30, 10), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
