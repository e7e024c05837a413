"""The quarterly report's clues, two-way transfers, copies and submissions, against a quarter
worked out by hand: 2026Q4 (1 October - 31 December, Asia/Shanghai), the report made on
20 January 2027. "Owner" is the unit a clue counts for: the unit that recorded it, or the
lead unit (县住建局) for a resident's report or what an operator took in.

clue                                  received  in Q4                                  at the end
K0 resident's report                  3 Aug     (declined 5 Aug) taken by the          signed
                                                commission 15 Oct
K8 resident's report                  10 Aug    (not a clue 11 Aug)                    not listed
K1 resident's report (web)            30 Sep    transferred 9 Oct, signed 12 Oct,      disposed
                                                disposed 15 Dec (初步核实)
K3 resident's report (hotline, named) 20 Oct    declined 22 Oct                        declined
K4 found by 马铺乡 (owner 马铺乡)       2 Nov     transferred 4 Nov, handed back to      returned
                                                火田镇 20 Nov
K5 a visit, accuses the lead unit     10 Nov    transferred at intake                  transferred
K6 resident's report (web)            1 Dec     -                                      pending, late
K2 a letter, accuses 火田镇 村支书     28 Dec    -                                      pending

case  received  what happened
C4    10 Sep    to 马铺乡 11 Sep; 马铺乡 asks to move it to 火田镇, approved 13 Oct;
                火田镇 resolves it 15 Oct (appraised safe: not "fixed")
C1    19 Oct    to 火田镇 19 Oct; the lead unit moves it to 马铺乡 20 Oct; resolved 22 Oct
                (rectified: 马铺乡 fixed it itself)
C2    5 Nov     rejected
C3    29 Dec    to 火田镇 29 Dec, still there at the end
and the cases K3 and K6 came with (received in Q4, never dispatched), and those of K0, K8
and K1 (received in Q3).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from complaints.cases.audit import verify
from complaints.cases.clues import ClueAction, ClueRelation, NewClue, perform_clue, record_clue
from complaints.cases.operations import ActionRequest, perform
from complaints.cases.rules import Relation
from complaints.core.clock import frozen_at
from complaints.core.vocabulary import (
    Channel,
    ClueSource,
    ClueState,
    CommissionDisposition,
    EventKind,
    Outcome,
    Role,
)
from complaints.db.models import CaseEvent
from complaints.intake.filing import NewComplaint, file_complaint
from complaints.reports.files.pdf import quarterly_pdf
from complaints.reports.files.xlsx import quarterly_xlsx
from complaints.reports.quarterly import (
    ClueFigures,
    Intake,
    Quarter,
    SubmitError,
    quarterly_report,
    submissions,
    submit_report,
)
from tests.conftest import csrf_token_from, log_in

LEAD, HANDLER = frozenset({Relation.LEAD}), frozenset({Relation.HANDLER})
Q3, Q4, Q1 = Quarter.parse("2026Q3"), Quarter.parse("2026Q4"), Quarter.parse("2027Q1")

LINK = '=HYPERLINK("http://x","点我")'
K4_TEXT = LINK + "检查中发现某村干部虚报冒领危房改造补助"
K5_TEXT = "县住建局某股长收钱才给评危房，不给钱就说房子安全"
K6_TEXT = "村干部优亲厚友，危房改造名额给了自己亲戚。" + "具体情况如下，" * 40
K3_TEXT = "村干部吃拿卡要，我的联系电话13912345678"


def at(month, day, year=2026, hour=10):
    return datetime(year, month, day, hour - 8, 0, tzinfo=UTC)  # local hour in Yunxiao


@pytest.fixture
def people(make_user):
    return {"lead": make_user("lead1", Role.LEAD, "housing"),
            "mapu": make_user("l-mapu", Role.LIAISON, "mapu"),
            "operator": make_user("op1", Role.OPERATOR),
            "commission": make_user("jw", Role.COMMISSION, "discipline-commission")}


@pytest.fixture
def quarter(db, tools, people):
    lead, commission = people["lead"], people["commission"]

    def report(when, text, channel=Channel.WEB, **fields):
        with frozen_at(when):
            complaint = file_complaint(db, tools, NewComplaint(
                channel=channel, description=text, alleges_misconduct=True, **fields)).complaint
        [clue] = complaint.clues
        return clue

    def recorded(when, user, source, text, **fields):
        with frozen_at(when):
            return record_clue(db, tools, user, NewClue(source=source, allegation=text, **fields))

    def clue_act(when, clue, kind, user, relation, **fields):
        with frozen_at(when):
            perform_clue(db, tools, clue, ClueAction(kind, **fields), frozenset({relation}), user)

    def case(when, text="屋顶漏雨，墙也有点裂"):
        with frozen_at(when):
            return file_complaint(db, tools, NewComplaint(channel=Channel.WEB,
                                                         description=text)).complaint

    def do(when, complaint, kind, who=LEAD, **fields):
        with frozen_at(when):
            perform(db, tools, complaint, ActionRequest(kind, **fields), who)

    def dispatch(when, complaint, unit):
        do(when, complaint, EventKind.ACCEPT)
        do(when, complaint, EventKind.ASSIGN, unit=unit)

    lead_decides = ClueRelation.LEAD
    by_commission = ClueRelation.COMMISSION
    k0 = report(at(8, 3), "村干部收了好处费才给评危房")
    clue_act(at(8, 5), k0, EventKind.DECLINE_CLUE, lead, lead_decides, reason="反映不具体")
    k8 = report(at(8, 10), "村干部不管我家的危房")
    clue_act(at(8, 11), k8, EventKind.CLUE_NOT_A_CLUE, lead, lead_decides, reason="只是催办")
    c4 = case(at(9, 10))
    dispatch(at(9, 11), c4, "mapu")
    k1 = report(at(9, 30, hour=16), "村干部虚报冒领危房改造补助")          # the last day of Q3

    clue_act(at(10, 9), k1, EventKind.TRANSFER_CLUE, lead, lead_decides, reason="涉嫌虚报冒领")
    clue_act(at(10, 12), k1, EventKind.CLUE_SIGNED, commission, by_commission)
    do(at(10, 13), c4, EventKind.REQUEST_TRANSFER, HANDLER, unit="huotian", reason="房子在火田镇")
    do(at(10, 13, hour=15), c4, EventKind.APPROVE_TRANSFER)
    clue_act(at(10, 15), k0, EventKind.CLUE_TAKEN, commission, by_commission, reason="调取核查")
    do(at(10, 15), c4, EventKind.START, HANDLER)
    do(at(10, 15, hour=11), c4, EventKind.RESOLVE, HANDLER, outcome=Outcome.APPRAISED_SAFE)
    c1 = case(at(10, 19), "火田镇的房子墙裂了")
    dispatch(at(10, 19), c1, "huotian")
    do(at(10, 20), c1, EventKind.TRANSFER, unit="mapu", reason="在马铺乡")
    k3 = report(at(10, 20), K3_TEXT, Channel.HOTLINE, reporter_name="王大明",
                reporter_phone="13912345678")
    clue_act(at(10, 22), k3, EventKind.DECLINE_CLUE, lead, lead_decides,
             reason="=SUM(A1:A9) 不涉及干部")
    do(at(10, 22), c1, EventKind.START, HANDLER)
    do(at(10, 22, hour=11), c1, EventKind.RESOLVE, HANDLER, outcome=Outcome.RECTIFIED)
    k4 = recorded(at(11, 2), people["mapu"], ClueSource.FOUND_BY_UNIT, K4_TEXT,
                  accused_post="村会计")
    clue_act(at(11, 4), k4, EventKind.TRANSFER_CLUE, lead, lead_decides)
    c2 = case(at(11, 5), "随便写写")
    do(at(11, 5), c2, EventKind.REJECT, reason="不属于受理范围")
    k5 = recorded(at(11, 10), people["operator"], ClueSource.VISIT, K5_TEXT,
                  accused_unit="housing", accused_post="股长", real_name=True)
    clue_act(at(11, 20), k4, EventKind.CLUE_RETURNED, commission, by_commission,
             unit="huotian", reason="属于乡镇职责，退回处理")
    k6 = report(at(12, 1), K6_TEXT)
    clue_act(at(12, 15), k1, EventKind.CLUE_DISPOSED, commission, by_commission,
             disposition=CommissionDisposition.PRELIMINARY_CHECK, reason="正在初步核实",
             result_on=date(2026, 12, 15))
    k2 = recorded(at(12, 28), people["operator"], ClueSource.LETTER, "反映村支书违规收费",
                  accused_unit="huotian", accused_post="=1+1")
    c3 = case(at(12, 29))
    dispatch(at(12, 29), c3, "huotian")
    db.commit()
    assert k5.state is ClueState.TRANSFERRED and k4.state is ClueState.RETURNED
    assert k1.due_at and k6.due_at and k2.due_at and k5.due_at is None
    assert k6.due_at < Q4.end < k2.due_at and Q3.end < k1.due_at
    return {name: clue.number for name, clue in
            (("K0", k0), ("K1", k1), ("K2", k2), ("K3", k3), ("K4", k4), ("K5", k5),
             ("K6", k6), ("K8", k8))}


MADE = at(1, 20, year=2027)


@pytest.fixture
def lead_copy(db, tools, quarter):
    return quarterly_report(db, tools.table, Q4, MADE)


@pytest.fixture
def commission_copy(db, tools, quarter):
    return quarterly_report(db, tools.table, Q4, MADE, for_commission=True)


def row(report, slug):
    return next(r for r in report.rows if r.unit == slug)


def test_every_complaint_received_counts_and_where_each_went(lead_copy):
    # C1, C2, C3 and the cases of K3 and K6: at the end C2 rejected, K3's and K6's at the
    # lead unit, C3 with 火田镇, C1 resolved. Dispatched in Q4: C1 and C3 (received in Q4)
    # and C4 (received in Q3); C1 passed through two units.
    assert lead_copy.intake == Intake(
        received=5, rejected=1, at_lead_unit=2, with_units=1, answered=1, dispatched=3,
        dispatched_of_received=2, dispatched_earlier=1, unit_sum=4)
    intake = lead_copy.intake
    assert intake.rejected + intake.at_lead_unit + intake.with_units + intake.answered == 5
    assert intake.dispatched_of_received + intake.dispatched_earlier == intake.dispatched
    assert intake.counted_again == 1


def test_each_units_cases_and_transfers(lead_copy):
    huotian, mapu, housing = (row(lead_copy, s) for s in ("huotian", "mapu", "housing"))
    # 火田镇: C4 (from 马铺乡), C1 (then moved on), C3.
    assert (huotian.received, huotian.carried_over, huotian.resolved, huotian.resolved_on_time,
            huotian.in_progress, huotian.fixed, huotian.overdue) == (3, 0, 1, 1, 1, 0, 0)
    assert huotian.transferred_out == {"马铺乡": 1} and huotian.received_from == {"马铺乡": 1}
    # 马铺乡: C4 carried over and moved on, C1 received and fixed.
    assert (mapu.received, mapu.carried_over, mapu.resolved, mapu.resolved_on_time,
            mapu.in_progress, mapu.fixed) == (1, 1, 1, 1, 0, 1)
    assert mapu.transferred_out == {"火田镇": 1} and mapu.received_from == {"火田镇": 1}
    assert (housing.received, housing.resolved, housing.transferred_total) == (0, 0, 0)
    total = lead_copy.total
    assert (total.received, total.carried_over, total.resolved, total.in_progress,
            total.fixed) == (3, 1, 2, 1, 1)
    assert total.transferred_total == total.received_from_total == 2
    others = [r for r in lead_copy.rows if r.unit not in ("huotian", "mapu")]
    assert not any(r.received or r.carried_over or r.resolved or r.in_progress for r in others)


def test_each_units_clues(lead_copy):
    housing, mapu = row(lead_copy, "housing"), row(lead_copy, "mapu")
    # The lead unit's: K1 and K5 transferred, K3 declined, K6 (late) and K2 pending.
    assert (housing.found_clues, housing.to_commission, housing.declined, housing.not_a_clue,
            housing.clues_pending, housing.clues_overdue) == (0, 2, 1, 0, 2, 1)
    assert (mapu.found_clues, mapu.to_commission, mapu.declined, mapu.clues_pending) == (1, 1, 0, 0)
    # K2 accuses 火田镇 but came in by letter: it is the lead unit's, not 火田镇's.
    assert all(getattr(row(lead_copy, "huotian"), name) == 0 for name in (
        "found_clues", "to_commission", "declined", "clues_pending"))
    total = lead_copy.total
    assert (total.found_clues, total.to_commission, total.declined, total.not_a_clue,
            total.clues_pending, total.clues_overdue) == (1, 3, 1, 0, 2, 1)
    for name in ("found_clues", "to_commission", "declined", "clues_pending", "clues_overdue"):
        assert getattr(total, name) == sum(getattr(r, name) for r in lead_copy.rows)


def test_the_countys_clue_figures(lead_copy):
    assert lead_copy.clue_figures == ClueFigures(
        open_at_start=1,                      # K1, pending on 1 October
        received=5, received_by_source={ClueSource.REPORT: 2, ClueSource.LETTER: 1,
                                        ClueSource.FOUND_BY_UNIT: 1, ClueSource.VISIT: 1},
        acted_on_earlier=1,                   # K0, declined in Q3, taken in Q4
        transferred=3, taken=1, declined=1, not_a_clue=0, signed=1,
        disposed={CommissionDisposition.PRELIMINARY_CHECK: 1}, returned=1,
        at_end={ClueState.SIGNED: 1, ClueState.DISPOSED: 1, ClueState.DECLINED: 1,
                ClueState.RETURNED: 1, ClueState.TRANSFERRED: 1, ClueState.PENDING: 2},
        overdue_at_end=1)
    figures = lead_copy.clue_figures
    assert figures.listed == 7 == sum(figures.at_end.values())
    # Every transfer to the commission shows in the units' rows, each clue under one unit.
    assert figures.transferred == lead_copy.total.to_commission


def test_the_commissions_copy_lists_every_clue(commission_copy, quarter):
    lines = {line.number: line for line in commission_copy.clues}
    assert list(lines) == [quarter[k] for k in ("K0", "K1", "K3", "K4", "K5", "K6", "K2")]
    assert commission_copy.hidden_clues == 0
    k0, k1, k3, k4, k5, k6, k2 = lines.values()
    assert (k0.decision, k0.decided_on, k0.transferred_on, k0.state) == (
        EventKind.CLUE_TAKEN, date(2026, 10, 15), date(2026, 10, 15), ClueState.SIGNED)
    assert k0.decision_note == "调取核查"
    # Received on the last day of Q3, transferred in Q4, disposed of with a result.
    assert (k1.source, k1.channel, k1.received_on, k1.decision, k1.decided_on,
            k1.transferred_on) == (ClueSource.REPORT, Channel.WEB, date(2026, 9, 30),
                                   EventKind.TRANSFER_CLUE, date(2026, 10, 9), date(2026, 10, 9))
    assert (k1.state, k1.disposition, k1.result, k1.result_on) == (
        ClueState.DISPOSED, CommissionDisposition.PRELIMINARY_CHECK, "正在初步核实",
        date(2026, 12, 15))
    assert (k3.channel, k3.real_name, k3.state, k3.decision, k3.decided_on, k3.transferred_on) == (
        Channel.HOTLINE, True, ClueState.DECLINED, EventKind.DECLINE_CLUE, date(2026, 10, 22), None)
    assert "13912345678" not in k3.summary and "联系电话" in k3.summary
    assert (k4.source, k4.channel, k4.accused_post, k4.state, k4.returned_to) == (
        ClueSource.FOUND_BY_UNIT, None, "村会计", ClueState.RETURNED, "火田镇")
    assert (k5.accused_unit, k5.accused_post, k5.real_name, k5.direct, k5.transferred_on) == (
        "县住建局", "股长", True, True, date(2026, 11, 10))
    assert k5.summary == K5_TEXT
    assert (k6.state, k6.decision, k6.accused_unit) == (ClueState.PENDING, None, None)
    assert len(k6.summary) == 200 and k6.summary.endswith("…") and K6_TEXT.startswith(
        k6.summary[:-1])
    assert (k2.source, k2.accused_unit, k2.accused_post, k2.state) == (
        ClueSource.LETTER, "火田镇", "=1+1", ClueState.PENDING)


def test_the_lead_units_copy_counts_the_clue_accusing_it_but_hides_it(
        lead_copy, commission_copy, quarter):
    assert [line.number for line in lead_copy.clues] == [
        quarter[k] for k in ("K0", "K1", "K3", "K4", "K6", "K2")]
    assert lead_copy.hidden_clues == 1
    # The same figures in both copies: the clue is counted in the lead unit's.
    assert lead_copy.clue_figures == commission_copy.clue_figures
    assert [r.__dict__ for r in lead_copy.rows] == [r.__dict__ for r in commission_copy.rows]
    assert lead_copy.intake == commission_copy.intake

    lead_book, commission_book = (workbook(quarterly_xlsx(r)) for r in (lead_copy, commission_copy))
    lead_text, commission_text = texts(lead_book), texts(commission_book)
    assert not any(K5_TEXT in text or quarter["K5"] in text for text in lead_text)
    assert "反映牵头单位（县住建局）的线索 1 件，由纪委监委直接掌握" in lead_text
    assert K5_TEXT in commission_text and quarter["K5"] in commission_text
    assert not any("直接掌握" in text for text in commission_text)
    assert any("登记时直接移送纪委监委" in text for text in commission_text)
    # Which copy it is, printed among the facts.
    assert any(text.startswith("文本：县住建局文本") for text in lead_text)
    assert any(text.startswith("文本：纪委监委文本") for text in commission_text)
    if shutil.which("pdftotext"):
        assert "由纪委监委直接掌握" in pdf_text(quarterly_pdf(lead_copy))
        assert "县住建局某股长" not in pdf_text(quarterly_pdf(lead_copy))
        assert "县住建局某股长" in pdf_text(quarterly_pdf(commission_copy))


def test_the_quarters_edges(db, tools, quarter):
    # At the end of Q3, K1 (received on its last day) is pending at the lead unit, not late.
    q3 = quarterly_report(db, tools.table, Q3, MADE, for_commission=True)
    assert [line.number for line in q3.clues] == [quarter[k] for k in ("K0", "K8", "K1")]
    k1 = q3.clues[2]
    assert (k1.state, k1.decision, k1.transferred_on) == (ClueState.PENDING, None, None)
    housing = row(q3, "housing")
    assert (housing.declined, housing.not_a_clue, housing.clues_pending, housing.clues_overdue,
            housing.to_commission) == (1, 1, 1, 0, 0)
    assert (q3.clue_figures.received, q3.clue_figures.open_at_start) == (3, 0)
    # The quarter still running on 20 January: its "end" is now. Open at its start: K0
    # (signed), K5 (transferred), K6 and K2 (pending; both late by now). K1 is disposed of.
    q1 = quarterly_report(db, tools.table, Q1, MADE, for_commission=True)
    assert q1.clue_figures.open_at_start == 4 and q1.clue_figures.received == 0
    assert q1.clue_figures.overdue_at_end == 2 == row(q1, "housing").clues_overdue
    assert {line.number for line in q1.clues} == {quarter[k] for k in ("K0", "K5", "K6", "K2")}


def test_a_clue_kept_pending_is_still_open_when_the_next_quarter_starts(db, tools, people):
    def disposed(month, day, disposition):
        with frozen_at(at(month, day)):
            clue = record_clue(db, tools, people["operator"], NewClue(
                ClueSource.LETTER, "反映村干部优亲厚友"))
        for hour, kind, user, relation, fields in (
                (11, EventKind.TRANSFER_CLUE, people["lead"], ClueRelation.LEAD, {}),
                (12, EventKind.CLUE_SIGNED, people["commission"], ClueRelation.COMMISSION, {}),
                (13, EventKind.CLUE_DISPOSED, people["commission"], ClueRelation.COMMISSION,
                 {"disposition": disposition, "reason": "已处置",
                  "result_on": date(2026, month, day)})):
            with frozen_at(at(month, day, hour=hour)):
                perform_clue(db, tools, clue, ClueAction(kind, **fields),
                             frozenset({relation}), user)
        return clue

    kept = disposed(8, 3, CommissionDisposition.KEPT_PENDING)   # 暂存待查: still open
    disposed(8, 4, CommissionDisposition.CLOSED)                # 予以了结: done
    db.commit()
    q4 = quarterly_report(db, tools.table, Q4, MADE, for_commission=True)
    assert q4.clue_figures.open_at_start == 1 and q4.clue_figures.listed == 1
    [line] = q4.clues
    assert (line.number, line.state, line.disposition, line.result, line.result_on) == (
        kept.number, ClueState.DISPOSED, CommissionDisposition.KEPT_PENDING, "已处置",
        date(2026, 8, 3))


def test_the_commission_may_date_a_result_today_early_in_the_county_morning(db, tools, people):
    """At 07:00 in Yunxiao it is still yesterday in UTC: today's date is not "in the future"."""
    with frozen_at(at(8, 3)):
        clue = record_clue(db, tools, people["operator"], NewClue(ClueSource.LETTER, "反映村干部优亲厚友"))
        perform_clue(db, tools, clue, ClueAction(EventKind.TRANSFER_CLUE), frozenset({ClueRelation.LEAD}),
                     people["lead"])
        perform_clue(db, tools, clue, ClueAction(EventKind.CLUE_SIGNED),
                     frozenset({ClueRelation.COMMISSION}), people["commission"])
    with frozen_at(datetime(2026, 8, 3, 23, 0, tzinfo=UTC)):  # 07:00 on 4 August in Yunxiao
        perform_clue(db, tools, clue, ClueAction(
            EventKind.CLUE_DISPOSED, disposition=CommissionDisposition.CLOSED, reason="已处置",
            result_on=date(2026, 8, 4)), frozenset({ClueRelation.COMMISSION}), people["commission"])
    assert clue.result_on == date(2026, 8, 4)


def test_a_database_made_before_clues_were_records_counts_their_old_decisions(tmp_path):
    # Its cases' TRANSFER_CLUE and DECLINE_CLUE events belong to the clues the migration made.
    from tests.storage.test_database_made_before_eventkind import old_app

    components = old_app(tmp_path).extensions["complaints"]
    with components.session_factory() as session:
        report = quarterly_report(session, components.table, Q4, MADE, for_commission=True)
    lines = {line.state: line for line in report.clues}
    transferred, declined = lines[ClueState.TRANSFERRED], lines[ClueState.DECLINED]
    assert (transferred.decision, transferred.direct, transferred.transferred_on) == (
        EventKind.TRANSFER_CLUE, False, date(2026, 11, 21))
    assert (declined.decision, declined.decision_note) == (EventKind.DECLINE_CLUE, "经核实无违纪")
    housing = row(report, "housing")
    assert (housing.to_commission, housing.declined, housing.clues_pending) == (1, 1, 3)
    assert report.clue_figures.listed == len(report.clues) == 5


def test_formula_looking_text_stays_text(commission_copy, quarter):
    data = quarterly_xlsx(commission_copy)
    book = workbook(data)
    sheet = book["问题线索清单"]
    cells = {cell.value: cell for r in sheet.iter_rows() for cell in r if cell.value is not None}
    summary = next(value for value in cells if isinstance(value, str) and value.startswith(LINK))
    assert summary == K4_TEXT and cells[summary].data_type == "s"
    assert cells["=1+1"].data_type == "s"
    assert cells["拟不移送：=SUM(A1:A9) 不涉及干部"].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<(\w+:)?f[ >/]", package.read(name)), name
    # Dates stay dates.
    assert isinstance(sheet["G2"].value, datetime)


def test_no_reporter_identity_in_either_copy(lead_copy, commission_copy):
    for report in (lead_copy, commission_copy):
        for text in texts(workbook(quarterly_xlsx(report))):
            assert "王大明" not in text and "13912345678" not in text


def test_the_workbook_has_the_clue_sheets_and_the_definitions(lead_copy):
    book = workbook(quarterly_xlsx(lead_copy))
    assert book.sheetnames == ["汇总", "各单位办理情况", "办结率与满意率", "各单位线索移送", "问题线索清单",
                              "超期案件"]
    transfers = book["各单位线索移送"]
    assert [c.value for c in transfers[1]][:3] == ["单位", "自行发现线索（件）", "自行整改（件）"]
    rows = {transfers.cell(r, 1).value: [c.value for c in transfers[r]]
            for r in range(2, transfers.max_row + 1)}
    assert rows["马铺乡"][1:8] == [1, 1, 1, "火田镇 1", 1, "火田镇 1", 1]
    assert rows["合计"][7:12] == [3, 1, 0, 2, 1]
    notes = texts(book)
    assert any(n.startswith("自行整改：") for n in notes)
    assert any("各单位“派至本单位”之和 4 件，合计 3 件" in n and "多计 1 件次" in n for n in notes)
    assert any("相等（2 次）" in n for n in notes)
    assert any("收到后 5 个工作日" in n for n in notes)
    summary = book["汇总"]
    figures = {summary.cell(r, 1).value: summary.cell(r, 2).value
               for r in range(1, summary.max_row + 1)}
    assert figures["本季度收到的举报投诉"] == 5 and figures["本季度派出（派单或移送给单位）的案件"] == 3
    assert figures["本季度列出的线索合计（见“问题线索清单”）"] == 7
    assert figures["　其中：单位自行发现"] == 1
    assert any(str(v).startswith("报送期限：2027-01-10") for v in figures)


def test_the_pdf_has_every_table(lead_copy, tmp_path):
    data = quarterly_pdf(lead_copy)
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = pdf_text(data)
        for title in ("一、本季度收到的举报投诉及去向", "四、各单位问题线索双向移送情况",
                      "六、问题线索清单", "自行整改："):
            assert title in text


def test_submissions_are_recorded_and_listed(db, tools, quarter, people):
    lead, commission = people["lead"], people["commission"]
    with frozen_at(at(12, 30)), pytest.raises(SubmitError) as early:
        submit_report(db, Q4, lead)
    assert early.value.code == "not-ended"
    with frozen_at(at(1, 8, year=2027)), pytest.raises(SubmitError) as wrong:
        submit_report(db, Q4, commission)
    assert wrong.value.code == "not-lead"
    with frozen_at(at(1, 8, year=2027)):
        head = verify(db).head_seq
        first = submit_report(db, Q4, lead)
    with frozen_at(at(1, 15, year=2027)):  # a corrected report, after the 10th
        second = submit_report(db, Q4, lead)
    db.commit()
    assert (first.chain_seq, second.chain_seq) == (head, head + 1)
    assert (first.late, second.late) == (False, True)
    assert submissions(db, Q4) == [first, second] and submissions(db, Q3) == []
    events = db.scalars(select(CaseEvent).where(
        CaseEvent.action == EventKind.REPORT_SUBMITTED)).all()
    assert [(e.complaint_id, e.clue_id, e.actor_user_id, e.details["quarter"]) for e in events] == [
        (None, None, lead.id, "2026Q4")] * 2
    assert verify(db).ok
    report = quarterly_report(db, tools.table, Q4, MADE)
    assert report.submissions == [first, second] and first.by == lead.display_name
    assert any("已报送 2 次" in fact for fact in texts(workbook(quarterly_xlsx(report))))


def test_the_reports_page_submits_and_shows_the_history(app, client, db, quarter, people):
    with frozen_at(at(1, 8, year=2027)):
        log_in(client, "lead1")
        page = client.get("/staff/reports").get_data(as_text=True)
        assert 'name="quarter" value="2026Q4"' in page
        assert 'name="quarter" value="2027Q1"' not in page  # not ended
        assert client.post("/staff/reports/quarterly/submit",
                           data={"quarter": "2026Q4"}).status_code == 400  # no CSRF token
        response = client.post("/staff/reports/quarterly/submit", data={
            "quarter": "2026Q4", "csrf_token": csrf_token_from(page)})
        assert response.status_code == 302
        page = client.get("/staff/reports").get_data(as_text=True)
    [submission] = submissions(db, Q4)
    history = page[page.index('id="submissions"'):]
    assert "2026Q4" in history and submission.chain_hash in history
    assert people["lead"].display_name in history
    assert "已报送 1 次" in page and "报送更正后的报告" in page
    lead_file = client.get("/staff/reports/quarterly.xlsx?quarter=2026Q4")
    lead_texts = texts(workbook(lead_file.data))
    assert any("由纪委监委直接掌握" in text for text in lead_texts) and K5_TEXT not in lead_texts
    client.post("/staff/logout", data={"csrf_token": csrf_token_from(page)})

    with frozen_at(at(1, 9, year=2027)):
        log_in(client, "jw")
        page = client.get("/staff/reports").get_data(as_text=True)
        assert submission.chain_hash in page and "submit_quarterly" not in page
        assert 'name="quarter"' not in page  # the commission receives, it does not submit
        token = csrf_token_from(page)
        assert client.post("/staff/reports/quarterly/submit", data={
            "quarter": "2026Q4", "csrf_token": token}).status_code == 404
        full = client.get("/staff/reports/quarterly.xlsx?quarter=2026Q4")
    assert K5_TEXT in texts(workbook(full.data))
    assert len(submissions(db, Q4)) == 1


def workbook(data):
    return load_workbook(io.BytesIO(data))


def texts(book):
    return [cell.value for sheet in book.worksheets for r in sheet.iter_rows() for cell in r
            if isinstance(cell.value, str)]


def pdf_text(data):
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()
