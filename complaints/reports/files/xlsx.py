"""Reports as XLSX workbooks: Chinese headers, widths, frozen header rows, dates as dates."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from complaints.reports.files.common import HEADERS, quarter_title, report_facts, unit_cells
from complaints.reports.monthly import Period, TownshipMonth
from complaints.reports.quarterly import QuarterlyReport


def quarterly_xlsx(report: QuarterlyReport) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    summary.append([report.author])
    summary.append([quarter_title(report)])
    for fact in report_facts(report):
        summary.append([fact])
    summary.append([])
    summary.append(HEADERS)
    header_row = summary.max_row
    for row in [*report.rows, report.total]:
        summary.append(unit_cells(row))
    summary["A1"].font = Font(bold=True, size=14)
    summary["A2"].font = Font(bold=True, size=12)
    for cell in summary[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    summary.freeze_panes = summary.cell(row=header_row + 1, column=2)
    _widths(summary, [24, 10, 10, 10, 10, 10, 22, 14, 12, 10, 10, 14, 14, 12])

    clues = book.create_sheet("移送纪委监委线索")
    clues.append(["查询编号", "收到日期", "移送日期", "责任单位", "问题摘要", "处理情况"])
    for clue in report.clues:
        clues.append([clue.tracking_number, clue.received_on, clue.transferred_on, clue.unit,
                      clue.summary, clue.action])
    _table_sheet(clues, [18, 12, 12, 22, 60, 40])

    overdue = book.create_sheet("超期案件")
    overdue.append(["查询编号", "责任单位", "办理期限", "超期天数", "问题摘要"])
    for late in report.overdue:
        overdue.append([late.tracking_number, late.unit, late.due_on, late.days_overdue,
                        late.summary])
    _table_sheet(overdue, [18, 22, 12, 10, 60])

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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
        sheet.append([author])
        sheet.append([f"{period.month} 月度整治工作进展（{period.first_day} 至 {period.last_day}）"])
        sheet.append([])
        sheet.append(MONTH_HEADERS)
        for row in selected:
            sheet.append([row.name, row.received, row.resolved, row.in_progress, row.overdue,
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


LEDGER_HEADERS = ["查询编号", "收到时间", "乡镇", "村", "问题类别", "责任单位", "责任人", "状态",
                  "办理期限", "期限状态"]


def ledger_xlsx(lines: list[list[object]]) -> bytes:
    """The problem ledger (问题台账): one row per open case or follow-up task."""
    book = Workbook()
    sheet = book.active
    sheet.title = "问题台账"
    sheet.append(LEDGER_HEADERS)
    for line in lines:
        sheet.append(line)
    _table_sheet(sheet, [18, 18, 12, 14, 28, 22, 18, 12, 12, 10])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
