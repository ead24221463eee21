"""The review reports as documents: PDF (Django templates → HTML → WeasyPrint) and xlsx score
tables (openpyxl). The content comes from :mod:`qaward.core.review.reports`; this module only
lays it out, so a view fills a report dataclass and calls one function here.

- `render_pdf(report, language=...)` — an A4 PDF in Chinese (or English), fonts embedded
  (Noto Serif/Sans CJK SC from the Debian package fonts-noto-cjk, installed by scripts/setup.sh),
  text extractable (ToUnicode maps), page numbers 第 N 页 共 M 页 in the footer.
- `score_table_xlsx(reports_or_rows, language=...)` — one sheet per stage (and criteria set), a
  row per application, a column per item (points), the subtotal of each category and the total.
- `reviewer_table_xlsx(table, language=...)` — one application's scores reviewer by reviewer;
  reviewers are 评审员1..n when their names are withheld.
- `document_response(data, filename)` and `report_filename(report)` — the download a view
  returns (after its own permission check and the audit of the download).

Nothing is fetched from the network: the templates reference no URL, and the URL fetcher
refuses every URL except inline ``data:`` ones (a stray reference is dropped with a warning,
never fetched).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from qaward.core import states
from qaward.core.review.reports import (
    ComprehensiveEvaluationReport,
    ReviewerTable,
    ReviewReport,
    ScoreRow,
    SiteReviewReport,
)
from qaward.core.states import StageId

log = logging.getLogger(__name__)

LANGUAGES = ("zh-hans", "en")


class RefusedURL(ValueError):
    """A report document referenced a resource that is not inline (``data:``)."""


def local_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher that refuses every URL but inline `data:` ones (and lists them
    in `.refused`): rendering a report never touches the network or the file system."""
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """Fetches inline ``data:`` URLs only: no network, no files at render time."""

        refused: list[str]

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("data:"):
                self.refused.append(url)
                raise RefusedURL(f"report documents fetch nothing: refused {url}")
            return super().fetch(url, headers)

    fetcher = LocalOnlyFetcher(allowed_protocols=("data",))
    fetcher.refused = []
    return fetcher


# ---------------------------------------------------------------------------------------------
# PDF


def report_title(report: ReviewReport) -> str:
    """The document's title in the active language."""
    titles = {
        StageId.MATERIAL_REVIEW: _("资料评审报告"),
        StageId.SITE_REVIEW: _("现场评审报告"),
        StageId.COMPREHENSIVE_EVALUATION: _("综合评价报告"),
    }
    return titles[StageId(report.kind)]


def stage_name(stage: str) -> str:
    """A stage id in the active language (its default label), or the id when unknown."""
    try:
        label = states.label(stage)
    except (KeyError, ValueError):
        return stage
    return label.name_en if _english() else label.name_zh


def format_date(day: dt.date) -> str:
    if _english():
        return f"{day.day} {day.strftime('%B')} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def report_html(report: ReviewReport, *, language: str = "zh-hans") -> str:
    """The report as an HTML document (what `render_pdf` lays out)."""
    _check_language(language)
    with translation.override(language):
        return render_to_string("documents/report.html", _context(report, language))


def render_pdf(report: ReviewReport, *, language: str = "zh-hans") -> bytes:
    """The report as an A4 PDF with embedded CJK fonts, in Chinese (default) or English."""
    from weasyprint import HTML

    html = report_html(report, language=language)
    fetcher = local_only_fetcher()
    pdf: bytes = HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf()
    if fetcher.refused:
        log.warning("report PDF: refused to fetch %s", ", ".join(fetcher.refused))
    return pdf


def _context(report: ReviewReport, language: str) -> dict[str, Any]:
    english = language == "en"
    individual = report.applicant_kind == "individual"
    summary = [p.strip() for p in report.summary.splitlines() if p.strip()]
    extra: dict[str, Any] = {}
    if isinstance(report, SiteReviewReport):
        extra["visit_dates"] = [format_date(d) for d in report.visit_dates]
        extra["applicant_confirms"] = report.applicant_confirms
    if isinstance(report, ComprehensiveEvaluationReport):
        extra["stage_totals"] = [
            {"stage": stage_name(t.stage), "display": t.display,
             "available": t.total_available, "basis": _basis(t.basis)}
            for t in report.stage_totals
        ]
    return {
        "report": report,
        "lang": "en" if english else "zh-Hans",
        "english": english,
        "title": report_title(report),
        "stage": stage_name(report.stage),
        "criteria_title": report.criteria_title_en if english else report.criteria_title_zh,
        "applicant_label": (_("申报人") if individual else _("申报单位")),
        "basis": _basis(report.basis),
        "date": format_date(report.date),
        "summary": summary,
        "categories": [
            {
                "line": c,
                "name": c.name_en if english else c.name_zh,
                "items": [{"line": i, "name": i.name_en if english else i.name_zh}
                          for i in c.items],
            }
            for c in report.categories
        ],
        "has_feedback": any(i.has_feedback for i in report.items),
        "page_footer": _css_counters(_("第 {page} 页 共 {pages} 页")),
        **extra,
    }


def _css_counters(template: str) -> str:
    """A CSS ``content`` value from a translated text with ``{page}`` and ``{pages}``:
    ``第 {page} 页`` → ``"第 " counter(page) " 页"``."""
    parts = []
    for chunk in re.split(r"(\{pages?\})", template):
        if chunk in ("{page}", "{pages}"):
            parts.append(f"counter({chunk[1:-1]})")
        elif chunk:
            escaped = chunk.replace("\\", "\\\\").replace('"', '\\"')
            parts.append(f'"{escaped}"')
    return " ".join(parts)


def _basis(basis: str) -> str:
    return _("评审组共识") if basis == "consensus" else _("评审员评分的平均值")


PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_filename(report: ReviewReport, *, language: str = "zh-hans") -> str:
    """``资料评审报告-<applicant>-<date>.pdf`` (in the report's language), safe as a file name."""
    _check_language(language)
    with translation.override(language):
        title = report_title(report)
    stem = "-".join((title, report.applicant_name, report.date.isoformat()))
    return "".join("_" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in stem) + ".pdf"


def document_response(data: bytes, filename: str) -> HttpResponse:
    """A download of `data` (PDF or xlsx, by the file name's extension); a Chinese file name
    is sent as RFC 6266 ``filename*`` so browsers keep it."""
    kind = PDF if filename.lower().endswith(".pdf") else XLSX
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------------------------------------
# xlsx

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_SUBTOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
POINTS_FORMAT = "0.0"


def score_table_xlsx(
    reports_or_rows: Iterable[ReviewReport | ScoreRow], *, language: str = "zh-hans"
) -> bytes:
    """The score tables of a cycle: a sheet per stage (per stage and criteria set where one
    stage scored under several), a row per application in the order given, a column per item
    (points), each category's subtotal after its items, and the total."""
    _check_language(language)
    rows = [r.row if isinstance(r, ReviewReport) else r for r in reports_or_rows]
    groups: dict[tuple[str, str], list[ScoreRow]] = {}
    for row in rows:
        groups.setdefault((row.stage, row.criteria_id), []).append(row)
    order = {stage.value: i for i, stage in enumerate(states.StageId)}
    keys = sorted(groups, key=lambda k: (order.get(k[0], len(order)), k[0]))
    stages_with_several = {s for s, _c in keys if sum(1 for t, _d in keys if t == s) > 1}
    kinds_of = {(s, c): groups[(s, c)][0].applicant_kind for s, c in keys}
    wb = Workbook()
    with translation.override(language):
        if not keys:
            ws = wb.active
            assert ws is not None
            ws.title = _("评分表")
            ws.append([_("没有评分")])
        for n, (stage, criteria_id) in enumerate(keys):
            group = groups[(stage, criteria_id)]
            if n == 0:
                ws = wb.active
                assert ws is not None
            else:
                ws = wb.create_sheet()
            name = stage_name(stage)
            if stage in stages_with_several:
                kinds = [kinds_of[k] for k in keys if k[0] == stage]
                # Organizations and individuals: by kind; two criteria of one kind: by id.
                label = (_kind_name(group[0]) if kinds.count(group[0].applicant_kind) == 1
                         else criteria_id)
                name = f"{name}{_paren(label)}"
            ws.title = _sheet_title(name, [w.title for w in wb.worksheets if w is not ws])
            _write_stage_sheet(ws, group)
    return _save(wb)


def _paren(text: object) -> str:
    """`text` in brackets: full-width in Chinese, ASCII with a space before in English."""
    return f" ({text})" if _english() else f"（{text}）"


def _kind_name(row: ScoreRow) -> str:
    return _("个人") if row.applicant_kind == "individual" else _("组织")


def _write_stage_sheet(ws: Worksheet, rows: list[ScoreRow]) -> None:
    first = rows[0]
    individual = first.applicant_kind == "individual"
    fixed = [_("序号"), _("编号"), _("申报人") if individual else _("申报单位")]
    # Row 1: category names merged over their items and subtotal; row 2: items.
    col = len(fixed) + 1
    for i, title in enumerate(fixed, start=1):
        ws.cell(row=1, column=i, value=title)
        ws.merge_cells(start_row=1, start_column=i, end_row=2, end_column=i)
    for category in first.categories:
        start = col
        for item in category.items:
            name = item.name_en if _english() else item.name_zh
            ws.cell(row=2, column=col,
                    value=f"{item.item_id} {name}{_paren(item.points_available)}")
            col += 1
        ws.cell(row=2, column=col, value=_("小计（%(points)s）") % {
            "points": category.points_available})
        ws.cell(row=2, column=col).fill = _SUBTOTAL_FILL
        name = category.name_en if _english() else category.name_zh
        ws.cell(row=1, column=start,
                value=f"{category.category_id} {name}{_paren(category.points_available)}")
        ws.merge_cells(start_row=1, start_column=start, end_row=1, end_column=col)
        col += 1
    total_col = col
    ws.cell(row=1, column=col, value=_("总分（%(points)s）") % {"points": first.total_available})
    ws.merge_cells(start_row=1, start_column=col, end_row=2, end_column=col)
    ws.cell(row=1, column=col + 1, value=_("得分依据"))
    ws.merge_cells(start_row=1, start_column=col + 1, end_row=2, end_column=col + 1)
    ws.cell(row=1, column=col + 2, value=_("评审人数"))
    ws.merge_cells(start_row=1, start_column=col + 2, end_row=2, end_column=col + 2)
    last_col = col + 2
    for r in (1, 2):
        for c in range(1, last_col + 1):
            cell = ws.cell(row=r, column=c)
            cell.font = Font(bold=True)
            if cell.fill != _SUBTOTAL_FILL:
                cell.fill = _HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            cell.border = _BORDER
    ws.row_dimensions[1].height = 30
    ws.row_dimensions[2].height = 62

    for n, row in enumerate(rows, start=1):
        r = n + 2
        if row.criteria_id != first.criteria_id:  # grouped by criteria: cannot happen
            raise ValueError(f"row {n}: criteria {row.criteria_id}, sheet {first.criteria_id}")
        values: list[object] = [n, row.reference, row.applicant_name]
        for category in row.categories:
            values.extend(_number(item.points) for item in category.items)
            values.append(_number(category.points))
        values.extend([_number(row.total), _basis(row.basis), row.reviewer_count])
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.border = _BORDER
            if isinstance(value, float):
                cell.number_format = POINTS_FORMAT
            if c == total_col:
                cell.font = Font(bold=True)
        for c in _subtotal_columns(first, len(fixed)):
            ws.cell(row=r, column=c).fill = _SUBTOTAL_FILL

    widths = {1: 6.0, 2: 12.0, 3: _text_width([_("申报单位")] + [r.applicant_name for r in rows],
                                              floor=16, cap=40)}
    for c in range(len(fixed) + 1, last_col + 1):
        widths[c] = 11.0
    widths[total_col] = 12.0
    widths[total_col + 1] = _text_width([_basis("consensus"), _basis("mean")], floor=10, cap=24)
    for c, width in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = ws.cell(row=3, column=len(fixed) + 1)
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


def _subtotal_columns(row: ScoreRow, fixed: int) -> list[int]:
    cols, col = [], fixed
    for category in row.categories:
        col += len(category.items) + 1
        cols.append(col)
    return cols


def reviewer_table_xlsx(table: ReviewerTable, *, language: str = "zh-hans") -> bytes:
    """One application's sheet by reviewer: per item the points available, each reviewer's
    points, the mean, the spread (percentage points) and the consensus where recorded; the
    category subtotals and the total. Reviewers are 评审员1..n where names are withheld."""
    _check_language(language)
    wb = Workbook()
    with translation.override(language):
        ws = wb.active
        assert ws is not None
        ws.title = _sheet_title(f"{stage_name(table.stage)}·{_('评分明细')}", [])
        labels = reviewer_labels(table)
        header: list[str] = [_("编号"), _("评分项"), _("分值"), *labels, _("平均"),
                             _("极差（百分点）")]
        if table.consensus is not None:
            header.append(_("共识"))
        ws.append([f"{table.applicant_name} — {stage_name(table.stage)}"])
        ws.cell(row=1, column=1).font = Font(bold=True, size=12)
        ws.append(header)
        for cell in ws[2]:
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            cell.border = _BORDER
        mean_items = {s.item.id: s.points for s in table.mean.items}
        agreed = ({s.item.id: s.points for s in table.consensus.items}
                  if table.consensus is not None else {})
        for category in table.criteria.categories:
            for item in category.items:
                row: list[object] = [
                    item.id, item.name_en if _english() else item.name_zh, item.points,
                    *(_number(r.points[item.id]) for r in table.reviewers),
                    _number(mean_items[item.id]), _number(table.spread(item.id))]
                if table.consensus is not None:
                    row.append(_number(agreed[item.id]))
                _append(ws, row)
            ids = [i.id for i in category.items]
            row = [category.id, (category.name_en if _english() else category.name_zh)
                   + " " + _("小计"), category.points,
                   *(_number(sum((r.points[i] for i in ids), Fraction(0)))
                     for r in table.reviewers),
                   _number(sum((mean_items[i] for i in ids), Fraction(0))), None]
            if table.consensus is not None:
                row.append(_number(sum((agreed[i] for i in ids), Fraction(0))))
            _append(ws, row, fill=_SUBTOTAL_FILL)
        row = ["", _("总分"), table.criteria.total_points,
               *(_number(r.total) for r in table.reviewers), _number(table.mean.total), None]
        if table.consensus is not None:
            row.append(_number(table.consensus.total))
        _append(ws, row, bold=True)
        ws.column_dimensions["A"].width = 8
        ws.column_dimensions["B"].width = _text_width(
            [i.name_en if _english() else i.name_zh for i in table.criteria.items], 16, 40)
        for c in range(3, len(header) + 1):
            ws.column_dimensions[get_column_letter(c)].width = 11
        ws.freeze_panes = "C3"
    return _save(wb)


def reviewer_labels(table: ReviewerTable) -> list[str]:
    """Column labels: the names where allowed, else 评审员1..n (Reviewer 1..n)."""
    if table.reviewer_names is not None:
        return list(table.reviewer_names)
    return [_("评审员%(n)s") % {"n": n} for n in range(1, len(table.reviewers) + 1)]


def _append(ws: Worksheet, values: list[object], *, fill: PatternFill | None = None,
            bold: bool = False) -> None:
    ws.append(values)
    for cell in ws[ws.max_row]:
        cell.border = _BORDER
        if isinstance(cell.value, float):
            cell.number_format = POINTS_FORMAT
        if fill is not None:
            cell.fill = fill
        if bold:
            cell.font = Font(bold=True)


def _number(value: Fraction) -> float:
    """The exact value as a float (shown with one decimal by the cell's number format)."""
    return float(value)


def _text_width(texts: Sequence[str], floor: float, cap: float) -> float:
    """A column width for `texts` counting a CJK (wide) character as two units."""
    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    widest = max((width(t) for t in texts), default=0)
    return float(min(cap, max(floor, widest + 2)))


def _sheet_title(name: str, taken: Sequence[str]) -> str:
    """A valid, unique sheet title (≤ 31 characters, none of []:*?/\\)."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31]
    title, n = clean, 2
    while title in taken:
        suffix = f" {n}"
        title, n = clean[: 31 - len(suffix)] + suffix, n + 1
    return title


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _english() -> bool:
    return (translation.get_language() or "zh-hans").startswith("en")


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"language: {language!r} is not one of {', '.join(LANGUAGES)}")
