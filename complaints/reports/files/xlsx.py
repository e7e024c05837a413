"""Reports as XLSX workbooks: Chinese headers, widths, frozen header rows, dates as dates.

Every row goes through ``_append``: text is always a text cell, never a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from complaints.core.clock import to_local
from complaints.core.messages import t
from complaints.reports.files.common import Section, quarter_title, report_facts, sections
from complaints.reports.monthly import Period, TownshipMonth
from complaints.reports.quarterly import QuarterlyReport
from complaints.reports.township_reports import FIGURES, Due, Standing


def quarterly_xlsx(report: QuarterlyReport) -> bytes:
    """The summary sheet (facts, the intake and the clue figures), then one sheet per table:
    each unit's cases, each unit's clues and transfers, the clue list, the overdue cases.
    Every table has its definitions in the rows under it."""
    book = Workbook()
    summary = book.active
    summary.title = t("quarterly.sheet.summary")
    _append(summary, [report.author])
    _append(summary, [quarter_title(report)])
    for fact in report_facts(report):
        _append(summary, [fact])
    summary["A1"].font = Font(bold=True, size=14)
    summary["A2"].font = Font(bold=True, size=12)
    parts = sections(report)
    for section in (part for part in parts if part.sheet == summary.title):
        _append(summary, [])
        _append(summary, [section.title])
        summary.cell(summary.max_row, 1).font = Font(bold=True, size=12)
        _section_rows(summary, section)
    _widths(summary, [44, 12])
    for section in (part for part in parts if part.sheet != summary.title):
        sheet = book.create_sheet(section.sheet)
        _section_rows(sheet, section)
        _table_sheet(sheet, section.widths)
        sheet.freeze_panes = section.frozen
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _section_rows(sheet: Worksheet, section: Section) -> None:
    """A table's header, rows, one-cell rows, and the notes under it, each note one row."""
    _append(sheet, section.headers)
    header = sheet.max_row
    for cell in sheet[header]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in section.rows:
        _append(sheet, row)
    for line in section.spanning:
        _append(sheet, [line])
        if len(section.headers) > 1:
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row,
                              end_column=len(section.headers))
    _append(sheet, [])
    for note in section.notes:
        _append(sheet, [note])


def _append(sheet: Worksheet, values: Iterable[object]) -> None:
    """One row. A string is stored as text whatever it holds: openpyxl would make one that
    starts with "=" a formula (a village typed as =HYPERLINK(...) a live link in the
    commission's file) and "#N/A" an error; characters XML cannot hold are dropped."""
    sheet.append([_text(sheet, value) if isinstance(value, str) else value for value in values])


def _text(sheet: Worksheet, value: str) -> Cell:
    cell = Cell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _table_sheet(sheet: Worksheet, widths: list[int]) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if hasattr(cell.value, "year"):
                cell.number_format = "yyyy-mm-dd"
    _widths(sheet, widths)


MONTH_HEADERS = ["乡镇", "本期收到", "本期办结", "截至报送日仍在办理", "截至报送日超期", "本期督办",
                 "本期重新办理"]


def monthly_xlsx(period: Period, rows: list[TownshipMonth], author: str) -> bytes:
    """One sheet for all townships, then one per township, as townships report them; ``author``
    is the lead unit the townships report to."""
    book = Workbook()
    summary = book.active
    summary.title = "全县汇总"

    def fill(sheet: Worksheet, selected: list[TownshipMonth]) -> None:
        _append(sheet, [author])
        _append(sheet, [f"{period.month} 月度整治工作进展（{period.first_day} 至 {period.last_day}）"])
        _append(sheet, [])
        _append(sheet, MONTH_HEADERS)
        for row in selected:
            _append(sheet, [row.name, row.received, row.resolved, row.in_progress, row.overdue,
                          row.escalated, row.reopened])
        sheet["A1"].font = Font(bold=True, size=14)
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "B5"
        _widths(sheet, [24, 12, 12, 18, 16, 12, 14])

    fill(summary, rows)
    if len(rows) > 1:
        for row in rows:
            fill(book.create_sheet(row.name[:31]), [row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


LEDGER_HEADERS = ["编号", "发现时间", "来源", "乡镇", "村", "问题", "整改措施", "责任单位", "责任人",
                  "整改期限", "整改进展", "期限状态", "销号日期"]


def ledger_xlsx(lines: list[list[object]]) -> bytes:
    """The problem ledger (整治问题台账): one row per problem found, closed ones included."""
    book = Workbook()
    sheet = book.active
    sheet.title = "问题台账"
    _append(sheet, LEDGER_HEADERS)
    for line in lines:
        _append(sheet, line)
    _table_sheet(sheet, [18, 18, 14, 12, 14, 32, 32, 20, 12, 12, 24, 10, 12])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def township_reports_xlsx(owed: list[tuple[Due, list[Standing]]]) -> bytes:
    """The townships' reports, one sheet per report asked for: each township's standing (sent,
    when, late), the figures it sent and its text, as the housing bureau forwards them."""
    book = Workbook()
    book.remove(book.active)
    for due, rows in owed:
        sheet = book.create_sheet(t(f"township_report.sheet_{due.kind.value}", period=due.period))
        _append(sheet, [t("township_report.col.township"), t("township_report.col.state"),
                        t("township_report.col.sent_at"), *(t(f"township_report.figure.{name}")
                                                            for name in FIGURES),
                        t("township_report.col.text")])
        for standing in rows:
            report = standing.report
            state = (t("township_report.late") if standing.late else t("township_report.on_time")) \
                if report else (t("township_report.missing_late") if standing.late
                                else t("township_report.missing"))
            _append(sheet, [standing.township.name, state,
                            to_local(report.submitted_at).replace(tzinfo=None) if report else None,
                            *((report.figures.get(name) if report else None) for name in FIGURES),
                            report.text if report else ""])
        _table_sheet(sheet, [16, 14, 18, *([10] * len(FIGURES)), 60])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
