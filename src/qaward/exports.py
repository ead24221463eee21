"""Excel exports for the award office (openpyxl)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from qaward.core.eligibility import ScreeningResult
from qaward.core.policy.model import Policy

_HEADER = ["编号 ID", "名称 Name", "结论 Verdict", "不符合的条件 Reasons", "依据条款 Articles",
           "需人工核查 Manual checks", "直通资料评审 Fast track", "限制申报至 Barred until"]
_WIDTHS = [14, 28, 12, 60, 24, 60, 14, 16]


def write_screening_xlsx(path: Path, policy: Policy, on: dt.date,
                         results: Sequence[ScreeningResult]) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "资格审查结果"
    ws.append(_HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for r in results:
        ws.append([
            r.id,
            r.name,
            "符合" if r.verdict == "eligible" else "不符合",
            "\n".join(x.message_zh for x in r.reasons),
            "\n".join(dict.fromkeys(x.article for x in r.reasons)),
            "\n".join(f"{m.text_zh}（{m.article}）" for m in r.manual_checks),
            f"是（{r.fast_track_article}）" if r.fast_track else "",
            r.barred_until,
        ])
    for i, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[chr(64 + i)].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions

    info = wb.create_sheet("说明")
    for row in (
        ("办法 Regulation", f"{policy.title_zh}（{policy.id}）"),
        ("审查日期 Screening date", on.isoformat()),
        ("符合 Eligible", sum(r.verdict == "eligible" for r in results)),
        ("不符合 Ineligible", sum(r.verdict != "eligible" for r in results)),
        ("说明 Note", "“需人工核查”为须由评审办判断的定性条件，不影响自动结论。"),
    ):
        info.append(row)
    info.column_dimensions["A"].width = 26
    info.column_dimensions["B"].width = 60
    wb.save(path)


def table_xlsx(title: str, header: Sequence[str], rows: Sequence[Sequence[object]],
               widths: Sequence[int] = ()) -> bytes:
    """One sheet of a list as shown (the caller filters and words it), in the style of the
    screening export: a bold shaded header, wrapped cells, frozen header, auto-filter."""
    import io

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title[:31]
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for r in rows:
        ws.append(["" if v is None else v for v in r])
    for i, width in enumerate(widths or [18] * len(header), start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
