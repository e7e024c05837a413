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

from complaints.core.messages import t
from complaints.reports.files.common import Section, quarter_title, report_facts, sections
from complaints.reports.quarterly import QuarterlyReport

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


# A4 landscape less the margins, in millimetres: the tables' relative widths are scaled to it.
PAGE_WIDTH = 297 - 2 * 12
INDENT = "\u3000"  # how the tables' sub-items are indented


def quarterly_pdf(report: QuarterlyReport) -> bytes:
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=12 * mm,
                                 rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=12 * mm,
                                 title=quarter_title(report), author=report.author)
    style = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12)
    heading = ParagraphStyle("heading", parent=style, fontSize=16, leading=22, alignment=1)
    subheading = ParagraphStyle("subheading", parent=style, fontSize=12, leading=16)
    cell = ParagraphStyle("cell", parent=style, fontSize=7.5, leading=9)
    note = ParagraphStyle("note", parent=style, fontSize=7.5, leading=10)

    def text(value: object) -> Paragraph:
        # Residents' words are text, not ReportLab markup: "<" would crash it, a tag could
        # make it read a server file. A sub-item's leading ideographic spaces stay an indent.
        words = "" if value is None else str(value)
        indent = len(words) - len(words.lstrip(INDENT))
        if not indent:
            return Paragraph(escape(words), cell)
        # The font has no no-break space: the indent is the paragraph's.
        return Paragraph(escape(words[indent:]), ParagraphStyle(
            f"cell-{indent}", parent=cell, leftIndent=indent * cell.fontSize))

    def table(section: Section) -> Table:
        columns = len(section.headers)
        rows: list[Sequence[object]] = [section.headers, *section.rows]
        data: list[list[object]] = [[text(value) for value in row] for row in rows]
        data += [[text(line)] + [""] * (columns - 1) for line in section.spanning]
        # Wide tables fill the page; narrow ones are not stretched past twice their width.
        scale = min(PAGE_WIDTH / sum(section.widths), 2.0)
        grid = Table(data, colWidths=[w * scale * mm for w in section.widths], repeatRows=1,
                     hAlign="LEFT")
        spans = [("SPAN", (0, row), (-1, row))
                 for row in range(len(data) - len(section.spanning), len(data))]
        grid.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            *spans,
        ]))
        return grid

    story: list[object] = [Paragraph(escape(report.author), heading),
                           Paragraph(escape(quarter_title(report)),
                                     ParagraphStyle("title", parent=subheading, alignment=1)),
                           Spacer(1, 4 * mm)]
    story += [Paragraph(escape(fact), style) for fact in report_facts(report)]
    for section in sections(report):
        story += [Spacer(1, 5 * mm), Paragraph(escape(section.title), subheading), table(section),
                  Spacer(1, 1.5 * mm)]
        story += [Paragraph(escape(line), note) for line in section.notes]
    story += [Spacer(1, 10 * mm), Paragraph(escape(t("quarterly.signature")), style)]
    document.build(story)
    return out.getvalue()
