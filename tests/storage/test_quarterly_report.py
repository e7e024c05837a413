"""The quarterly report against a small history worked out by hand.

Seven cases in and around 2026Q3 (1 July - 30 September, Asia/Shanghai), with a
return, a unit-to-unit transfer, an extension, a clue transferred to the
commission (by the lead unit, on the clue), a reopen, and events on both sides of
the quarter's edges. The clues' own figures, copies and submissions are
``test_quarterly_clues.py``.
"""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from complaints.accounts import create_user
from complaints.cases.clues import ClueAction, ClueRelation, perform_clue
from complaints.cases.operations import ActionRequest, perform
from complaints.cases.rules import Relation
from complaints.core.clock import frozen_at
from complaints.core.vocabulary import Channel, ClueState, EventKind, Outcome, ReviewDecision, Role
from complaints.intake.filing import NewComplaint, file_complaint
from complaints.reports.quarterly import Quarter, ReportError, quarterly_report
from tests.conftest import PASSWORD

LEAD, UNIT = frozenset({Relation.LEAD}), frozenset({Relation.HANDLER})
REPORTER = frozenset({Relation.REPORTER})
CLUE_LEAD = frozenset({ClueRelation.LEAD})


def at(month, day, year=2026):
    return datetime(year, month, day, 2, 0, tzinfo=UTC)  # 10:00 in Yunxiao


@pytest.fixture
def lead_user(db):
    user = create_user(db, "lead1", Role.LEAD, PASSWORD, unit_slug="housing")
    db.commit()
    return user


def transfer_clue(db, tools, when, complaint, user, reason="移送县纪委监委"):
    """The lead unit transfers the case's clue to the commission."""
    [clue] = complaint.clues
    with frozen_at(when):
        perform_clue(db, tools, clue, ClueAction(EventKind.TRANSFER_CLUE, reason=reason),
                     CLUE_LEAD, user)
    return clue


@pytest.fixture
def history(db, tools, lead_user):
    def case(when, text="屋顶漏雨，墙也有点裂", **fields):
        with frozen_at(when):
            complaint = file_complaint(db, tools, NewComplaint(
                channel=Channel.WEB, description=text, **fields)).complaint
        return complaint

    def do(when, complaint, action, who=LEAD, **fields):
        with frozen_at(when):
            perform(db, tools, complaint, ActionRequest(action, **fields), who)

    def dispatch(when, complaint, unit):
        do(when, complaint, EventKind.ACCEPT)
        do(when, complaint, EventKind.ASSIGN, unit=unit)

    def resolve(when, complaint):
        do(when, complaint, EventKind.START, UNIT)
        do(when, complaint, EventKind.RESOLVE, UNIT, outcome=Outcome.RECTIFIED)

    a = case(at(6, 15))                                  # carried over into Q3, resolved in Q3
    dispatch(at(6, 15), a, "huotian")
    resolve(at(7, 3), a)

    b = case(at(7, 6), "马铺乡的房子联系电话13812345678")   # returned, re-dispatched, resolved
    dispatch(at(7, 6), b, "huotian")
    do(at(7, 7), b, EventKind.OBJECT_TO_DISPATCH, UNIT, reason="不属于本镇")
    do(at(7, 7), b, EventKind.RETURN)
    do(at(7, 8), b, EventKind.ASSIGN, unit="mapu")
    resolve(at(7, 20), b)

    c = case(at(9, 28))                                  # in progress at the end, not late
    dispatch(at(9, 28), c, "mapu")

    d = case(at(8, 3))                                   # extended, still late at the end
    dispatch(at(8, 3), d, "huotian")
    do(at(8, 10), d, EventKind.REQUEST_EXTENSION, UNIT, days=10, reason="等鉴定报告")
    do(at(8, 10), d, EventKind.GRANT_EXTENSION)

    e = case(at(7, 15), "村干部收红包才给报危房，房子裂了", alleges_misconduct=True)
    dispatch(at(7, 15), e, "housing")
    clue = transfer_clue(db, tools, at(7, 16), e, lead_user)
    resolve(at(7, 30), e)

    f = case(at(7, 1))                                   # moved huotian -> mapu; resolved in Q4
    dispatch(at(7, 1), f, "huotian")
    do(at(7, 2), f, EventKind.TRANSFER, unit="mapu", reason="在马铺乡")
    resolve(at(10, 5), f)

    g = case(at(7, 20))                                  # resolved, "not fixed", resolved again
    dispatch(at(7, 20), g, "mapu")
    resolve(at(7, 25), g)
    do(at(7, 26), g, EventKind.REPORTER_FEEDBACK, REPORTER, fixed=False, satisfaction=1)
    do(at(7, 26), g, EventKind.REQUEST_REVIEW, REPORTER, reason="没有修好")
    do(at(7, 26), g, EventKind.DECIDE_REVIEW, decision=ReviewDecision.REDO, reason="确未修好")
    do(at(7, 27), g, EventKind.ASSIGN, unit="mapu")
    resolve(at(8, 5), g)
    db.commit()
    assert clue.state is ClueState.TRANSFERRED
    return {"b": b.tracking_number, "d": d.tracking_number, "e": e.tracking_number,
            "f": f.tracking_number, "e_clue": clue.number}


@pytest.fixture
def report(db, tools, history):
    return quarterly_report(db, tools.table, Quarter.parse("2026Q3"), at(11, 28))


def row(report, slug):
    return next(r for r in report.rows if r.unit == slug)


def test_figures_per_unit(report):
    huotian, mapu, housing = row(report, "huotian"), row(report, "mapu"), row(report, "housing")
    assert (huotian.received, huotian.carried_over, huotian.resolved, huotian.resolved_on_time,
            huotian.in_progress, huotian.returned, huotian.extensions, huotian.overdue) == (
            3, 1, 1, 1, 1, 1, 1, 1)
    assert huotian.transferred_out == {"马铺乡": 1}
    assert (mapu.received, mapu.carried_over, mapu.resolved, mapu.resolved_on_time,
            mapu.in_progress, mapu.overdue, mapu.asked, mapu.satisfied) == (4, 0, 3, 3, 2, 1, 1, 0)
    assert (housing.received, housing.resolved, housing.to_commission) == (1, 1, 1)
    assert row(report, "yunling").received == 0


def test_total_row_adds_up(report):
    total = report.total
    # B and F each passed through two units: six cases, counted once each.
    assert (total.received, total.resolved, total.to_commission, total.returned,
            total.overdue, total.extensions) == (6, 5, 1, 1, 2, 1)


def test_lists_and_chain_head(report, history):
    # E's clue, transferred by the lead unit, counts for the lead unit (a resident's report).
    assert [line.number for line in report.clues] == [history["e_clue"]]
    [line] = report.clues
    assert line.state is ClueState.TRANSFERRED and line.decision is EventKind.TRANSFER_CLUE
    assert line.received_on.isoformat() == "2026-07-15"
    assert line.transferred_on.isoformat() == "2026-07-16" == line.decided_on.isoformat()
    assert {line.tracking_number for line in report.overdue} == {history["d"], history["f"]}
    assert report.chain_seq > 0 and len(report.chain_hash) == 64


def test_no_identity_in_summaries(db, tools, history):
    report = quarterly_report(db, tools.table, Quarter.parse("2026Q3"), at(11, 28))
    texts = [line.summary for line in [*report.clues, *report.overdue]]
    assert not any("13812345678" in text for text in texts)


def test_a_later_report_on_the_same_quarter_gives_the_same_figures(db, tools, history, report):
    # Q4 happens: the case late at the end of Q3 is finally resolved.
    from sqlalchemy import select

    from complaints.db.models import Complaint

    d = db.scalar(select(Complaint).where(Complaint.tracking_number == history["d"]))
    with frozen_at(at(11, 2)):
        perform(db, tools, d, ActionRequest(EventKind.START), UNIT)
        perform(db, tools, d, ActionRequest(EventKind.RESOLVE, outcome=Outcome.RECTIFIED), UNIT)
    db.commit()
    later = quarterly_report(db, tools.table, Quarter.parse("2026Q3"), at(11, 28))
    assert row(later, "huotian").__dict__ == row(report, "huotian").__dict__


@pytest.mark.parametrize("text", ["2026Q5", "Q3 2026", "2026-3", ""])
def test_bad_quarter(text):
    with pytest.raises(ReportError):
        Quarter.parse(text)


def test_workbook_reads_back_with_the_same_figures(report, history):
    import io
    from datetime import datetime as dt

    from openpyxl import load_workbook

    from complaints.reports.files.xlsx import quarterly_xlsx

    book = load_workbook(io.BytesIO(quarterly_xlsx(report)))
    assert book.sheetnames == ["汇总", "各单位办理情况", "办结率与满意率", "各单位线索移送", "问题线索清单",
                              "超期案件"]
    cases = book["各单位办理情况"]
    assert cases["A1"].value == "单位" and cases.freeze_panes == "B2"
    rows = {cases.cell(r, 1).value: [c.value for c in cases[r]] for r in range(2, cases.max_row + 1)}
    assert rows["火田镇"][1:6] == [3, 1, 1, 1, 1]
    assert rows["马铺乡"][1:6] == [4, 0, 3, 3, 2]
    assert rows["合计"][1] == 6
    # The definitions are under the table, the per-unit sum against the total among them.
    notes = [cases.cell(r, 1).value for r in range(2, cases.max_row + 1)]
    assert any("各单位“派至本单位”之和 8 件，合计 6 件" in (n or "") for n in notes)
    clues = book["问题线索清单"]
    assert clues["A2"].value == history["e_clue"] and isinstance(clues["G2"].value, dt)
    assert clues["H2"].value == "移送纪委监委：移送县纪委监委"
    assert clues.freeze_panes == "A2"
    assert {c.value for c in book["超期案件"]["A"][1:] if c.value and c.value.startswith("YX")} == {
        history["d"], history["f"]}
    assert "13812345678" not in str([[c.value for c in r] for r in book["超期案件"].iter_rows()])


def test_pdf_renders_chinese(report, tmp_path):
    import shutil
    import subprocess

    from complaints.reports.files.pdf import quarterly_pdf

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(quarterly_pdf(report))
    assert pdf.read_bytes().startswith(b"%PDF") and b"STSong-Light" in pdf.read_bytes()
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)
    output = Path(os.environ.get("TEST_OUTPUT_DIR", Path(__file__).parents[2] / ".test-output"))
    output.mkdir(parents=True, exist_ok=True)
    shutil.copy(next(tmp_path.glob("page*.png")), output / "quarterly-report-page1.png")
    from PIL import Image

    page = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    dark = sum(page.histogram()[:128])
    assert dark > 2000  # text was drawn, not empty boxes or a blank page


def test_cli_writes_both_files(app, history, tmp_path):
    result = app.test_cli_runner().invoke(args=[
        "reports", "quarterly", "--quarter", "2026Q3", "--out", str(tmp_path / "q.xlsx"),
        "--pdf", str(tmp_path / "q.pdf")])
    assert result.exit_code == 0, result.output
    assert "received 6, dispatched 6" in result.output and "lead's copy" in result.output
    assert (tmp_path / "q.xlsx").stat().st_size > 3000 and (tmp_path / "q.pdf").exists()
    bad = app.test_cli_runner().invoke(args=["reports", "quarterly", "--quarter", "2026Q9",
                                             "--out", str(tmp_path / "x.xlsx")])
    assert bad.exit_code != 0 and "2026Q3" in bad.output


def test_monthly_report_per_township(db, tools, history):
    from complaints.reports.monthly import MonthError, Period, monthly_report

    # 2026-07: from 22 June to 21 July, sent before the 22nd.
    period = Period.parse("2026-07")
    assert (period.first_day.isoformat(), period.last_day.isoformat()) == ("2026-06-22", "2026-07-21")
    rows = {row.township: row for row in monthly_report(db, tools.table, period)}
    assert len(rows) == 10
    # Only case B names a township (马铺乡) in its text, and came in on 6 July.
    assert rows["mapu"].received == 1
    assert sum(row.received for row in rows.values()) == 1
    with pytest.raises(MonthError):
        Period.parse("2026-13")


def test_monthly_report_counts_a_townships_cases(db, tools):
    from complaints.reports.monthly import Period, monthly_report

    def case(when, text):
        with frozen_at(when):
            return file_complaint(db, tools, NewComplaint(channel=Channel.WEB, description=text,
                                                         township_slug="huotian")).complaint

    a = case(at(7, 1), "火田镇屋顶漏雨")
    b = case(at(7, 10), "火田镇墙裂了")
    case(at(7, 25), "火田镇又裂了")  # after the cut-off
    with frozen_at(at(7, 2)):
        for action, fields in ((EventKind.ACCEPT, {}), (EventKind.ASSIGN, {"unit": "huotian"}),
                               (EventKind.START, {}), (EventKind.RESOLVE, {"outcome": Outcome.RECTIFIED})):
            perform(db, tools, a, ActionRequest(action, **fields), LEAD if action in (
                EventKind.ACCEPT, EventKind.ASSIGN) else UNIT)
    db.commit()
    row = monthly_report(db, tools.table, Period.parse("2026-07"), "huotian")[0]
    assert (row.received, row.resolved, row.in_progress) == (2, 1, 1)
    assert b.status.value == "received"


@pytest.mark.parametrize("written", ["13055441314", "130 5544 1314", "138-5960-1234",
                                     "0596-6123456"])
def test_phone_numbers_are_masked_however_written(written):
    from complaints.reports.quarterly import _summary

    masked = _summary(f"联系电话{written}，2026-07-01 发现")
    assert not any(chunk in masked for chunk in ("5544", "5960", "6123456"))
    assert "2026-07-01" in masked


def test_pdf_survives_text_that_looks_like_markup(db, tools, lead_user):
    from complaints.reports.files.pdf import quarterly_pdf

    with frozen_at(at(7, 6)):
        complaint = file_complaint(db, tools, NewComplaint(
            channel=Channel.WEB, description="A<B栋 <img src='/etc/passwd'/> 2<b<5 房子裂了",
            alleges_misconduct=True)).complaint
        for action, fields in ((EventKind.ACCEPT, {}), (EventKind.ASSIGN, {"unit": "mapu"})):
            perform(db, tools, complaint, ActionRequest(action, **fields), LEAD)
    transfer_clue(db, tools, at(7, 7), complaint, lead_user, reason="<br>移送")
    db.commit()
    for copy in (False, True):
        report = quarterly_report(db, tools.table, Quarter.parse("2026Q3"), at(11, 28),
                                  for_commission=copy)
        assert [line.decision_note for line in report.clues] == ["<br>移送"]
        assert quarterly_pdf(report).startswith(b"%PDF")


def test_a_case_moved_between_units_counts_once_in_the_total(report):
    # F went to 火田镇 and then to 马铺乡 within Q3: both rows count it, the total once.
    assert row(report, "huotian").received + row(report, "mapu").received + row(
        report, "housing").received == 8
    assert report.total.received == 6 == report.intake.dispatched
    assert (report.intake.unit_sum, report.intake.counted_again) == (8, 2)
    # Every case of Q3 came in during Q3 and was dispatched in it; A came in and was
    # dispatched in Q2.
    assert (report.intake.received, report.intake.dispatched_of_received,
            report.intake.dispatched_earlier) == (6, 6, 0)
