"""XLSX files: what people typed is text in every cell, never a formula that opens a link or
computes when the ledger or the commission's clue sheet is opened (security review)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime

from openpyxl import load_workbook
from sqlalchemy import select

from complaints.cases.clues import ClueAction, ClueRelation, perform_clue
from complaints.cases.operations import ActionRequest, perform
from complaints.cases.rules import Relation
from complaints.core.clock import frozen_at, now_utc
from complaints.core.vocabulary import Channel, EventKind
from complaints.db.models import Complaint
from complaints.intake.filing import NewComplaint, file_complaint
from complaints.reports.files.xlsx import ledger_xlsx, monthly_xlsx, quarterly_xlsx
from complaints.reports.ledger import ledger_lines
from complaints.reports.monthly import Period, monthly_report
from complaints.reports.quarterly import Quarter, quarterly_report

LEAD = frozenset({Relation.LEAD})
LINK = '=HYPERLINK("http://x","点我")'
SUM = "=1+1"


def cells(data: bytes):
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_no_formula(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheets = [name for name in package.namelist() if name.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert not re.search(rb"<(\w+:)?f[ >/]", package.read(name)), name


def text_cell(data: bytes, value: str):
    [cell] = [cell for cell in cells(data) if cell.value == value]
    assert cell.data_type == "s"
    return cell


def test_the_ledger_keeps_a_village_named_like_a_formula_as_text(db, tools):
    for village in (LINK, SUM, "#N/A", "梅\x01岭"):
        file_complaint(db, tools, NewComplaint(Channel.WEB, "房子墙裂了，怕塌", township_slug="mapu",
                                               village=village))
    db.commit()
    data = ledger_xlsx(ledger_lines(db, tools, select(Complaint), None, now_utc()))
    for village in (LINK, SUM, "#N/A"):
        text_cell(data, village)
    text_cell(data, "梅岭")  # a control character XML cannot hold is dropped, not a failed file
    assert_no_formula(data)
    # Dates are still dates, numbers still numbers.
    assert any(isinstance(cell.value, datetime) for cell in cells(data))


def at(month, day):
    return datetime(2026, month, day, 2, 0, tzinfo=UTC)


def test_the_quarterly_sheets_keep_a_description_like_a_formula_as_text(db, tools):
    def do(when, complaint, action, **fields):
        with frozen_at(when):
            perform(db, tools, complaint, ActionRequest(action, **fields), LEAD)

    with frozen_at(at(7, 15)):
        late = file_complaint(db, tools, NewComplaint(
            Channel.WEB, SUM, township_slug="mapu", village=SUM)).complaint
    do(at(7, 15), late, EventKind.ACCEPT)
    do(at(7, 15), late, EventKind.ASSIGN, unit="mapu")
    db.commit()
    report = quarterly_report(db, tools.table, Quarter.parse("2026Q3"), at(11, 28))
    assert late.tracking_number in {line.tracking_number for line in report.overdue}
    # A clue whose text and transfer note look like formulas, through the clue workflow.
    with frozen_at(at(7, 16)):
        accusing = file_complaint(db, tools, NewComplaint(
            Channel.WEB, LINK + "村干部收红包才给报危房", township_slug="mapu")).complaint
        perform_clue(db, tools, accusing.clues[0], ClueAction(EventKind.TRANSFER_CLUE, reason=SUM),
                     frozenset({ClueRelation.LEAD}), None)
    db.commit()
    report = quarterly_report(db, tools.table, Quarter.parse("2026Q3"), at(11, 28))
    data = quarterly_xlsx(report)
    book = load_workbook(io.BytesIO(data))
    clue_cells = [cell for row in book["问题线索清单"].iter_rows() for cell in row]
    assert any(str(cell.value).startswith(LINK) and cell.data_type == "s" for cell in clue_cells)
    assert any(SUM in str(cell.value) and cell.data_type == "s" for cell in clue_cells)
    assert any(isinstance(cell.value, datetime) for cell in clue_cells)  # dates stay dates
    assert any(cell.value == SUM and cell.data_type == "s" for cell in book["超期案件"]["E"])
    assert_no_formula(data)


def test_every_string_of_the_monthly_workbook_is_text(db, tools):
    period = Period.parse("2026-07")
    data = monthly_xlsx(period, monthly_report(db, tools.table, period), tools.table.lead_unit.name)
    assert all(cell.data_type == "s" for cell in cells(data) if isinstance(cell.value, str))
    assert_no_formula(data)
