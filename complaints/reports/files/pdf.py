"""The quarterly report as an A4 landscape PDF with the county's header.

It uses ReportLab's built-in CID font STSong-Light (Adobe's Song for simplified Chinese):
nothing to install, and PDF readers supply the glyphs.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from complaints.reports.files.common import HEADERS, quarter_title, report_facts, unit_cells
from complaints.reports.quarterly import QuarterlyReport

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def quarterly_pdf(report: QuarterlyReport) -> bytes:
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=12 * mm,
                                 rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=12 * mm,
                                 title=quarter_title(report), author=report.author)
    style = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12)
    heading = ParagraphStyle("heading", parent=style, fontSize=16, leading=22, alignment=1)
    subheading = ParagraphStyle("subheading", parent=style, fontSize=12, leading=16, alignment=1)
    cell = ParagraphStyle("cell", parent=style, fontSize=7.5, leading=9)

    def table(rows: Sequence[Sequence[object]], widths: list[float]) -> Table:
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

    story: list[object] = [Paragraph(report.author, heading), Paragraph(quarter_title(report), subheading),
                           Spacer(1, 4 * mm)]
    story += [Paragraph(fact, style) for fact in report_facts(report)]
    story.append(Spacer(1, 3 * mm))
    story.append(table([HEADERS] + [unit_cells(row) for row in [*report.rows, report.total]],
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
