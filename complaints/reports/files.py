"""The quarterly report as files: an XLSX workbook and an A4 PDF with the county's header.

The PDF uses ReportLab's built-in CID font STSong-Light (Adobe's Song for simplified
Chinese): nothing to install, and PDF readers supply the glyphs.
"""

from __future__ import annotations

import io
from datetime import timedelta
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from complaints.core.clock import to_local
from complaints.reports.quarterly import QuarterlyReport, UnitRow

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

TITLE = "云霄县住房和城乡建设局"
HEADERS = ["单位", "本季度收到", "上季度结转", "办结（次）", "其中按期", "仍在办理", "移送其他部门",
           "移送纪检监察机关", "退回牵头单位", "季末超期", "批准延期", "办结用时中位数（工作日）",
           "办结用时90%（工作日）", "满意回复/评价"]


def quarter_title(report: QuarterlyReport) -> str:
    q = report.quarter
    return f"{q.year}年第{'一二三四'[q.number - 1]}季度推动房屋结构安全隐患大排查大整治问题线索情况报告"


def _cells(row: UnitRow) -> list[object]:
    moved = "；".join(f"{name} {count}" for name, count in sorted(row.transferred_out.items()))
    return [row.name, row.received, row.carried_over, row.resolved, row.resolved_on_time,
            row.in_progress, f"{row.transferred_total}（{moved}）" if moved else 0,
            row.to_commission, row.returned, row.overdue, row.extensions,
            row.median_days if row.median_days is not None else "—",
            row.p90_days if row.p90_days is not None else "—",
            f"{row.satisfied}/{row.asked}" if row.asked else "—"]


def _facts(report: QuarterlyReport) -> list[str]:
    made = to_local(report.generated_at)
    last_day = report.quarter.next_first_day - timedelta(days=1)
    return [f"季度：{report.quarter.label}（{report.quarter.first_day} 至 {last_day}，北京时间）",
            f"生成时间：{made:%Y-%m-%d %H:%M}",
            f"审计链：第 {report.chain_seq} 条记录，哈希 {report.chain_hash}"]


def quarterly_xlsx(report: QuarterlyReport) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    summary.append([TITLE])
    summary.append([quarter_title(report)])
    for fact in _facts(report):
        summary.append([fact])
    summary.append([])
    summary.append(HEADERS)
    header_row = summary.max_row
    for row in [*report.rows, report.total]:
        summary.append(_cells(row))
    summary["A1"].font = Font(bold=True, size=14)
    summary["A2"].font = Font(bold=True, size=12)
    for cell in summary[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    summary.freeze_panes = summary.cell(row=header_row + 1, column=2)
    _widths(summary, [24, 10, 10, 10, 10, 10, 22, 14, 12, 10, 10, 14, 14, 12])

    clues = book.create_sheet("移送纪委监委线索")
    clues.append(["查询编号", "收到日期", "移送日期", "责任单位", "问题摘要", "处理情况"])
    for line in report.clues:
        clues.append([line.tracking_number, line.received_on, line.transferred_on, line.unit,
                      line.summary, line.action])
    _table_sheet(clues, [18, 12, 12, 22, 60, 40])

    overdue = book.create_sheet("超期案件")
    overdue.append(["查询编号", "责任单位", "办理期限", "超期天数", "问题摘要"])
    for line in report.overdue:
        overdue.append([line.tracking_number, line.unit, line.due_on, line.days_overdue,
                        line.summary])
    _table_sheet(overdue, [18, 22, 12, 10, 60])

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _widths(sheet, widths: list[int]) -> None:  # type: ignore[no-untyped-def]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _table_sheet(sheet, widths: list[int]) -> None:  # type: ignore[no-untyped-def]
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if hasattr(cell.value, "year"):
                cell.number_format = "yyyy-mm-dd"
    _widths(sheet, widths)


def quarterly_pdf(report: QuarterlyReport) -> bytes:
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=12 * mm,
                                 rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=12 * mm,
                                 title=quarter_title(report), author=TITLE)
    style = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12)
    heading = ParagraphStyle("heading", parent=style, fontSize=16, leading=22, alignment=1)
    subheading = ParagraphStyle("subheading", parent=style, fontSize=12, leading=16, alignment=1)
    cell = ParagraphStyle("cell", parent=style, fontSize=7.5, leading=9)

    def table(rows: list[list[object]], widths: list[float]) -> Table:
        # Residents' words are text, not ReportLab markup: "<" would crash it, a tag could
        # make it read a server file.
        data = [[Paragraph(escape(str(value)), cell) for value in row] for row in rows]
        grid = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
        grid.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]))
        return grid

    story: list[object] = [Paragraph(TITLE, heading), Paragraph(quarter_title(report), subheading),
                           Spacer(1, 4 * mm)]
    story += [Paragraph(fact, style) for fact in _facts(report)]
    story.append(Spacer(1, 3 * mm))
    story.append(table([HEADERS] + [_cells(row) for row in [*report.rows, report.total]],
                       [30, 15, 15, 15, 15, 15, 30, 18, 17, 15, 15, 20, 20, 18]))
    story += [Spacer(1, 5 * mm), Paragraph("移送纪检监察机关的问题线索", subheading)]
    story.append(table([["查询编号", "收到日期", "移送日期", "责任单位", "问题摘要", "处理情况"]]
                       + [[c.tracking_number, c.received_on, c.transferred_on, c.unit, c.summary,
                           c.action] for c in report.clues] or [["—"] * 6],
                       [32, 20, 20, 35, 100, 60]))
    story += [Spacer(1, 5 * mm), Paragraph("季度末超期案件", subheading)]
    story.append(table([["查询编号", "责任单位", "办理期限", "超期天数", "问题摘要"]]
                       + [[o.tracking_number, o.unit, o.due_on, o.days_overdue, o.summary]
                          for o in report.overdue],
                       [32, 40, 25, 20, 150]))
    story += [Spacer(1, 10 * mm), Paragraph(
        "单位负责人（签字）：______________　　审核人：______________　　"
        "填报人：______________　　联系电话：______________　　报送日期：　　年　　月　　日"
        "　　（单位盖章）", style)]
    document.build(story)
    return out.getvalue()


MONTH_HEADERS = ["乡镇", "本期收到", "本期办结", "截至报送日仍在办理", "截至报送日超期", "本期督办",
                 "本期重新办理"]


def monthly_xlsx(period, rows) -> bytes:  # type: ignore[no-untyped-def]
    """One sheet for all townships, then one per township, as townships report them."""
    book = Workbook()
    summary = book.active
    summary.title = "全县汇总"

    def fill(sheet, selected) -> None:  # type: ignore[no-untyped-def]
        sheet.append([TITLE])
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
