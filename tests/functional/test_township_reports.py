"""Townships' monthly reports and the problem ledger (issue 17): a township sends its report
late and the lead unit sees it marked; the ledger holds every problem, closed ones too, with a
named person, worked out by hand."""

import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook
from sqlalchemy import select

from complaints.core.clock import frozen_at
from complaints.core.vocabulary import (
    AppraisalGrade,
    Channel,
    EventKind,
    Outcome,
    Role,
    TownshipReportKind,
    VisitResult,
)
from complaints.db.models import AppraisalTask, HouseholdVisit, InspectionProblem, TownshipReport, Unit
from complaints.households import record_appraisal
from complaints.households.visits import plan_visits
from complaints.intake.field_reports import record_visit_result
from complaints.intake.filing import NewComplaint, file_complaint
from complaints.reports.township_reports import due_of, reports_due
from tests.conftest import csrf_token_from, log_in
from tests.storage.test_roster import LIN, imported, row, xlsx


def test_what_a_township_owes_by_the_22nd_and_the_november_summary(tools):
    owed = reports_due(tools.table, date(2026, 11, 5))
    assert [(d.kind.value, d.period, d.due_on) for d in owed] == [
        ("summary", "2026-11", date(2026, 11, 12)), ("monthly", "2026-11", date(2026, 11, 22)),
        ("monthly", "2026-10", date(2026, 10, 22)), ("monthly", "2026-09", date(2026, 9, 22))]
    # After the 22nd, next month's is the one to come; the two before it may still be sent.
    assert [(d.period, d.due_on) for d in reports_due(tools.table, date(2026, 12, 23))] == [
        ("2026-11", date(2026, 11, 12)), ("2027-01", date(2027, 1, 22)),
        ("2026-12", date(2026, 12, 22)), ("2026-11", date(2026, 11, 22))]
    # The summary is the year's, whichever month a form names.
    assert due_of(tools.table, TownshipReportKind.SUMMARY, "2026-03") == owed[0]


def test_a_report_for_a_month_to_come_or_long_past_is_refused(db, client, make_user):
    make_user("l-mapu", Role.LIAISON, "mapu")
    with frozen_at(datetime(2026, 11, 24, 2, tzinfo=UTC)):
        log_in(client, "l-mapu")
        token = csrf_token_from(client.get("/staff/campaign/reports").get_data(as_text=True))
        for period in ("2027-06", "2020-01"):
            refused = client.post(f"/staff/campaign/reports/monthly/{period}",
                                  data={"csrf_token": token, "text": "提前报一下"})
            assert refused.status_code == 409, period
        assert db.scalar(select(TownshipReport)) is None


def test_a_township_sends_its_report_late_and_the_lead_unit_sees_it(db, client, make_user, tools):
    make_user("l-mapu", Role.LIAISON, "mapu")
    make_user("lead1", Role.LEAD, "housing")
    with frozen_at(datetime(2026, 11, 10, 2, tzinfo=UTC)):
        file_complaint(db, tools, NewComplaint(Channel.WEB, "马铺乡客寮村房子墙裂了", township_slug="mapu"))
        # One that accuses the township: never counted in its own figures, which would tell it.
        accusing = file_complaint(db, tools, NewComplaint(
            Channel.WEB, "马铺乡的干部收了红包才给评危房", township_slug="mapu")).complaint
    db.commit()
    assert accusing.clues and accusing.clues[0].accused_unit.slug == "mapu"
    with frozen_at(datetime(2026, 11, 24, 2, tzinfo=UTC)):  # two days after the 22nd
        log_in(client, "l-mapu")
        page = client.get("/staff/campaign/reports?kind=monthly&period=2026-11").get_data(as_text=True)
        assert "逾期未报" in page
        preview = page[page.index('id="report-monthly-2026-11"'):]
        assert "收到举报</dt><dd>1</dd>" in preview.replace("\n", "")
        token = csrf_token_from(page)
        assert client.post("/staff/campaign/reports/monthly/2026-11", data={
            "csrf_token": token, "text": ""}).status_code == 400
        assert client.post("/staff/campaign/reports/monthly/2026-11", data={
            "csrf_token": token, "text": "本月排查 12 户，客寮村一户墙体开裂已转住建局。"}).status_code == 302
        again = client.post("/staff/campaign/reports/monthly/2026-11", data={
            "csrf_token": token, "text": "改一下"})
        assert again.status_code == 409
        # Another township's report is not theirs to send: one township per liaison.
        db.commit()
        report = db.scalar(select(TownshipReport))
        assert report.figures["complaints_received"] == 1 and report.township.slug == "mapu"
        client.post("/staff/logout", data={"csrf_token": token})
        log_in(client, "lead1")
        board = client.get("/staff/campaign/reports?kind=monthly&period=2026-11").get_data(as_text=True)
        rows = board[board.index('id="standing-monthly-2026-11"'):]
        mapu = rows[rows.index("马铺乡"):].split("</tr>")[0]
        huotian = rows[rows.index("火田镇"):].split("</tr>")[0]
        assert "逾期报送" in mapu and "逾期未报" in huotian
        book = load_workbook(io.BytesIO(client.get(
            "/staff/campaign/reports.xlsx?kind=monthly&period=2026-11").data))
        sheet = book.worksheets[0]
        by_township = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
        assert by_township["马铺乡"][1].value == "逾期报送"
        assert by_township["马铺乡"][-1].value.startswith("本月排查 12 户")


def test_the_ledger_holds_every_problem_with_a_named_person(db, client, make_user, tools, act):
    handler = make_user("l-mapu", Role.LIAISON, "mapu")
    lead = make_user("lead1", Role.LEAD, "housing")
    township_liaison = make_user("l-huotian", Role.LIAISON, "huotian")
    make_user("admin1", Role.ADMIN)
    fixed, waiting = (file_complaint(db, tools, NewComplaint(Channel.WEB, text, township_slug=slug)).complaint
                      for text, slug in (("客寮村房子漏雨", "mapu"), ("火田镇墙裂了", "huotian")))
    db.commit()
    for case in (fixed, waiting):
        act(case, EventKind.ACCEPT, lead)
    act(fixed, EventKind.ASSIGN, lead, unit="mapu")
    act(waiting, EventKind.ASSIGN, lead, unit="huotian")
    act(fixed, EventKind.START, handler)
    act(fixed, EventKind.RESOLVE, handler, outcome=Outcome.RECTIFIED, reason="已更换屋面瓦片")
    act(fixed, EventKind.CLOSE, lead)
    # A house appraised C: its rectification is on the ledger too.
    provider = db.scalar(select(Unit).where(Unit.slug == "poverty-office"))
    imported(db, tools, xlsx([row("林秀英", LIN)]), provider, received_on=date(2026, 11, 2))
    task = db.scalar(select(AppraisalTask))
    work = record_appraisal(db, task, grade=AppraisalGrade.C, appraised_on=date(2026, 11, 20),
                            appraiser="县房屋安全鉴定站")
    # A visit that found a problem and dealt with it on the spot is on it, closed that day.
    plan_visits(db, tools, date.today())
    visit = db.scalar(select(HouseholdVisit))
    record_visit_result(db, tools, visit, result=VisitResult.DEALT_WITH, actor=township_liaison,
                        note="灶台旁电线老化，当场请电工更换")
    db.commit()
    log_in(client, "l-mapu")
    page = client.get("/staff/campaign/ledger").get_data(as_text=True)
    token = csrf_token_from(page)
    bad = client.post("/staff/campaign/ledger", data={
        "csrf_token": token, "found_on": "2026-11-20", "description": "挡墙开裂",
        "person": "", "deadline_on": "2026-12-20"})
    assert bad.status_code == 400
    client.post("/staff/campaign/ledger", data={
        "csrf_token": token, "found_on": "2026-11-20", "description": "客寮村后山挡墙开裂",
        "measure": "设置警示牌，组织加固", "person": "林建国", "deadline_on": "2026-12-20"})
    db.commit()
    problem = db.scalar(select(InspectionProblem))
    assert problem.unit.slug == "mapu" and problem.responsible_person == "林建国"
    client.post(f"/staff/campaign/ledger/{problem.id}", data={
        "csrf_token": token, "progress": "加固完成", "closed_on": date.today().isoformat()})
    client.post("/staff/logout", data={"csrf_token": token})
    log_in(client, "l-huotian")
    other = client.get("/staff/campaign/ledger").get_data(as_text=True)
    assert "挡墙" not in other
    assert client.post(f"/staff/campaign/ledger/{problem.id}", data={
        "csrf_token": csrf_token_from(other), "progress": "x"}).status_code == 404
    client.post("/staff/logout", data={"csrf_token": csrf_token_from(other)})
    log_in(client, "lead1")

    def ledger():
        sheet = load_workbook(io.BytesIO(client.get("/staff/ledger.xlsx").data))["问题台账"]
        header = [cell.value for cell in sheet[1]]
        return {row[0].value: dict(zip(header, (cell.value for cell in row), strict=True))
                for row in sheet.iter_rows(min_row=2)}

    rows = ledger()
    # Two cases (one closed), a rectification, a visit, a unit's own inspection.
    assert len(rows) == 5
    dealt = rows[f"走访-{visit.id}"]
    assert (dealt["来源"], dealt["责任人"]) == ("乡镇走访", township_liaison.display_name)
    assert dealt["问题"].startswith("灶台旁电线老化") and dealt["销号日期"] is not None
    assert rows[fixed.tracking_number]["责任人"] == handler.display_name  # who took it in hand
    assert rows[fixed.tracking_number]["整改措施"] == "已更换屋面瓦片"
    assert rows[fixed.tracking_number]["销号日期"] is not None  # closed, still listed
    house = rows[f"整治-{work.id}"]
    assert (house["来源"], house["乡镇"], house["整改措施"]) == ("房屋鉴定", "火田镇", "修缮加固")
    assert house["问题"].startswith("房屋鉴定为 C 级") and LIN not in house["问题"]
    # Not yet taken in hand, and the table names nobody for a township: the gap shows.
    assert db.scalar(select(Unit).where(Unit.slug == "huotian")).contact_person is None
    assert rows[waiting.tracking_number]["责任人"] == "未明确联络员"
    # The administrator names the township's liaison (具体联络员); the ledger names them.
    admin = client.application.test_client()
    log_in(admin, "admin1")
    page = admin.get("/staff/").get_data(as_text=True)
    admin.post(f"/staff/users/{township_liaison.id}/unit-contact", data={"csrf_token": csrf_token_from(page)})
    rows = ledger()
    assert rows[waiting.tracking_number]["责任人"] == township_liaison.display_name
    assert rows[f"整治-{work.id}"]["责任人"] == township_liaison.display_name
    inspection = rows[f"自查-{problem.id}"]
    assert (inspection["来源"], inspection["责任人"]) == ("单位自查", "林建国")
    assert inspection["整改进展"] == "加固完成"
    assert inspection["销号日期"] is not None  # closed, and still on the ledger
