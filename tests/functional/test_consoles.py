"""The consoles people work in all day: the list, the case page's actions, the lead's board."""

import re
from datetime import UTC

import pytest
from sqlalchemy import select

from complaints.core.vocabulary import Channel, Role
from complaints.db.models import Complaint
from complaints.intake.filing import NewComplaint, file_complaint
from tests.conftest import csrf_token_from, log_in


@pytest.fixture
def staff(make_user):
    return {
        "lead": make_user("lead1", Role.LEAD, "housing"),
        "huotian": make_user("l-huotian", Role.LIAISON, "huotian"),
        "mapu": make_user("l-mapu", Role.LIAISON, "mapu"),
        "commission": make_user("jw", Role.COMMISSION, "discipline-commission"),
    }


@pytest.fixture
def filed(db, tools):
    def make(description, **fields):
        complaint = file_complaint(db, tools, NewComplaint(
            channel=fields.pop("channel", Channel.WEB), description=description, **fields)).complaint
        db.commit()
        return complaint.tracking_number
    return make


def act(client, number, action, **fields):
    page = client.get(f"/staff/cases/{number}").get_data(as_text=True)
    return client.post(f"/staff/cases/{number}/act",
                       data={"csrf_token": csrf_token_from(page), "action": action, **fields})


def status_of(db, number):
    db.rollback()  # a fresh transaction sees what the requests committed
    return db.scalar(select(Complaint.status).where(Complaint.tracking_number == number)).value


def test_lead_and_liaison_take_a_case_through_the_web(client, db, staff, filed):
    number = filed("火田镇土坯房墙裂了，怕倒", township_slug="huotian")
    log_in(client, "lead1")
    page = client.get(f"/staff/cases/{number}").get_data(as_text=True)
    assert 'value="accept"' in page and 'value="resolve"' not in page
    assert act(client, number, "accept").status_code == 302
    assert act(client, number, "assign", unit="huotian").status_code == 302
    assert status_of(db, number) == "assigned"

    client.post("/staff/logout", data={"csrf_token": csrf_token_from(page)})
    log_in(client, "l-huotian")
    listing = client.get("/staff/").get_data(as_text=True)
    assert number in listing
    assert act(client, number, "start").status_code == 302
    response = act(client, number, "resolve", outcome="rectified", reason="已加固后墙")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "已完成：办结" in page and "已加固后墙" in page
    assert status_of(db, number) == "resolved"
    timeline = page[page.index('id="timeline"'):]
    assert [t for t in ("受理", "派单", "开始办理", "办结") if t in timeline] == [
        "受理", "派单", "开始办理", "办结"]


def test_impossible_action_is_refused_in_chinese(client, db, staff, filed):
    number = filed("马铺乡房子裂了")
    log_in(client, "lead1")
    response = act(client, number, "resolve", outcome="rectified")
    assert response.status_code == 409
    assert "不能“办结”" in response.get_data(as_text=True)
    assert status_of(db, number) == "received"


def test_reason_is_required_where_the_rules_say(client, db, staff, filed):
    number = filed("马铺乡房子裂了")
    log_in(client, "lead1")
    response = act(client, number, "reject", reason="")
    assert response.status_code == 409 and "请填写理由" in response.get_data(as_text=True)


def test_liaison_cannot_act_on_another_units_case(client, db, staff, filed):
    number = filed("马铺乡房子裂了", township_slug="mapu")
    log_in(client, "lead1")
    act(client, number, "accept")
    act(client, number, "assign", unit="mapu")
    client.post("/staff/logout", data={"csrf_token": csrf_token_from(
        client.get("/staff/").get_data(as_text=True))})
    log_in(client, "l-huotian")
    token = csrf_token_from(client.get("/staff/").get_data(as_text=True))
    response = client.post(f"/staff/cases/{number}/act",
                           data={"csrf_token": token, "action": "start"})
    assert response.status_code == 404
    assert status_of(db, number) == "assigned"


def test_list_filters_search_and_pages(client, db, staff, filed, tools):
    for n in range(55):
        filed(f"火田镇第{n}户房子裂了", township_slug="huotian")
    special = filed("马铺乡客寮村漏雨严重", township_slug="mapu")
    log_in(client, "lead1")
    first = client.get("/staff/cases").get_data(as_text=True)
    assert "共 56 件" in first and "1 / 2" in first
    second = client.get("/staff/cases?page=2").get_data(as_text=True)
    assert len(re.findall(r"/staff/cases/YX", second)) == 6
    found = client.get("/staff/cases", query_string={"q": "客寮村"}).get_data(as_text=True)
    assert "共 1 件" in found and special in found
    by_number = client.get("/staff/cases", query_string={"q": special.lower()}).get_data(as_text=True)
    assert "共 1 件" in by_number
    by_township = client.get("/staff/cases", query_string={"township": "mapu"}).get_data(as_text=True)
    assert "共 1 件" in by_township
    bad = client.get("/staff/cases", query_string={"status": "lost", "page": "-3"})
    assert bad.status_code == 200 and "共 56 件" in bad.get_data(as_text=True)


def test_overdue_filter(client, db, staff, filed):
    from datetime import datetime

    from complaints.core.clock import frozen_at

    with frozen_at(datetime(2026, 1, 5, 2, 0, tzinfo=UTC)):
        old = filed("火田镇房子裂了")
    fresh = filed("马铺乡房子裂了")
    log_in(client, "lead1")
    page = client.get("/staff/cases", query_string={"sla": "overdue"}).get_data(as_text=True)
    assert old in page and fresh not in page
    assert "已超期" in page


def test_board_shows_queues_figures_charts_and_the_chain_head(client, db, staff, filed):
    number = filed("火田镇房子裂了", township_slug="huotian")
    unclear = filed("在吗")
    log_in(client, "lead1")
    act(client, number, "accept")
    act(client, number, "assign", unit="huotian")
    page = client.get("/staff/").get_data(as_text=True)
    assert "牵头单位督办" in page
    assert unclear in page[page.index('id="board-triage"'):]
    assert re.search(r"审计链：最新第 \d+ 条记录，各链头汇总哈希 [0-9a-f]{64}", page)
    assert page.count("<svg") == 3 and "火田镇" in page[page.index('id="board-units"'):]
    assert "https://" not in page and "<script" not in page


def test_board_is_for_the_lead_unit_only(client, staff):
    log_in(client, "l-huotian")
    assert client.get("/staff/board").status_code == 404


def test_reports_for_the_lead_unit_and_the_commission_only(client, staff):
    log_in(client, "jw")
    page = client.get("/staff/reports").get_data(as_text=True)
    assert "季度问题线索情况报告" in page
    xlsx = client.get("/staff/reports/quarterly.xlsx?quarter=2026Q3")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    pdf = client.get("/staff/reports/quarterly.pdf?quarter=2026Q3")
    assert pdf.status_code == 200 and pdf.data[:4] == b"%PDF"
    assert client.get("/staff/reports/quarterly.pdf?quarter=nonsense").status_code == 404
    client.post("/staff/logout", data={"csrf_token": csrf_token_from(page)})
    log_in(client, "l-huotian")
    assert 'id="quarters"' not in client.get("/staff/reports").get_data(as_text=True)
    assert client.get("/staff/reports/quarterly.xlsx?quarter=2026Q3").status_code == 404


def test_problem_ledger_exports_what_the_list_shows(client, db, staff, filed):
    import io

    from openpyxl import load_workbook

    mine = filed("马铺乡客寮村漏雨严重", township_slug="mapu")
    filed("火田镇房子裂了", township_slug="huotian")
    log_in(client, "lead1")
    response = client.get("/staff/ledger.xlsx", query_string={"township": "mapu"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data))["问题台账"]
    assert sheet["A1"].value == "编号" and sheet.freeze_panes == "A2"
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == [mine]


def test_township_liaison_makes_only_their_own_monthly_report(client, db, staff):
    import io

    from openpyxl import load_workbook

    log_in(client, "l-huotian")
    assert "月度整治工作进展" in client.get("/staff/reports").get_data(as_text=True)
    own = client.get("/staff/reports/monthly.xlsx?month=2026-11")
    book = load_workbook(io.BytesIO(own.data))
    assert book.active["A5"].value == "火田镇" and len(book.sheetnames) == 1
    assert client.get("/staff/reports/monthly.xlsx?month=2026-11&township=mapu").status_code == 404
    assert client.get("/staff/reports/quarterly.xlsx?quarter=2026Q3").status_code == 404
