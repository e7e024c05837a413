"""The roster of poor households (issue 17, 信息共享): a real-looking list from a providing unit,
with bad rows, imported again, and a household already known; each new household's appraisal
due one calendar month after the list was received."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from complaints.core.vocabulary import Channel, HouseholdType, HouseStructure, Role
from complaints.db.models import AppraisalTask, Household, RosterList, Unit
from complaints.households import (
    HEADERS,
    id_check_character,
    import_roster,
    mask_id_number,
    template_xlsx,
    valid_id_number,
)
from complaints.intake.filing import NewComplaint, file_complaint
from tests.conftest import csrf_token_from, log_in

HEADER = [header for header, _ in HEADERS]
# ID numbers with the check characters GB 11643 gives them (worked out by hand for the first:
# 3*7+5*9+0*10+6*5+2*8+2*4+1*2+9*1+5*6+0*3+0*7+1*9+0*10+1*5+1*8+2*4+3*2 = 197, 197 % 11 = 10 -> "2").
LIN, CHEN, WU = (first17 + id_check_character(first17)
                 for first17 in ("35062219500101123", "35062219620315002", "35062219381108441"))


def xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(name, id_number, township="火田镇", household="建档立卡贫困户", structure="土坯", phone=""):
    return [name, id_number, phone, township, "菜埔村", f"{name}家", household, structure]


@pytest.fixture
def poverty_office(db):
    return db.scalar(select(Unit).where(Unit.slug == "poverty-office"))


def imported(db, tools, data, provider, received_on=date(2027, 1, 31), filename="list.xlsx"):
    result = import_roster(db, tools, data=data, filename=filename, provider=provider,
                           received_on=received_on, actor=None)
    db.commit()
    return result


def test_the_id_check_character_and_the_mask():
    assert LIN[-1] == "2"
    assert valid_id_number(LIN) and not valid_id_number(LIN[:17] + ("0" if LIN[17] != "0" else "1"))
    assert mask_id_number(LIN) == "350622********" + LIN[-4:]


def test_a_list_with_bad_rows_is_reported_by_line_and_nothing_is_kept(db, tools, poverty_office):
    data = xlsx([row("林秀英", LIN), row("", "12345", township="厦门市"),
                 row("陈阿土", CHEN, household="有钱户", structure="别墅"), row("吴大妈", LIN)])
    result = imported(db, tools, data, poverty_office)
    lines = {problem.line: problem.reason for problem in result.problems}
    assert set(lines) == {3, 4, 5}
    assert "户主姓名" in lines[3] and "身份证号不对" in lines[3] and "厦门市" in lines[3]
    assert "有钱户" in lines[4] and "别墅" in lines[4]
    assert "与第 2 行重复" in lines[5]
    assert db.scalar(select(func.count()).select_from(Household)) == 0
    assert db.scalar(select(func.count()).select_from(RosterList)) == 0


def test_a_good_list_seals_identities_and_makes_the_appraisal_tasks(db, tools, poverty_office, vault):
    data = xlsx([row("林秀英", LIN, phone="130 5544 1314"),
                 row("陈阿土", CHEN, township="马铺乡", household="低保户", structure="砖木")])
    result = imported(db, tools, data, poverty_office)
    assert (result.added, result.matched, result.problems) == (2, 0, [])
    lin = db.scalar(select(Household).where(Household.id_number_masked == mask_id_number(LIN)))
    assert LIN.encode() not in lin.id_number_sealed and "林秀英".encode() not in lin.head_name_sealed
    assert vault.open(lin.id_number_sealed, "household-id-number", f"household/{lin.id}") == LIN
    assert (lin.household_type, lin.house_structure) == (HouseholdType.REGISTERED_POOR, HouseStructure.EARTH)
    # Received 31 January: appraised by the end of 28 February (a calendar month), local time.
    assert lin.appraisal.due_at == datetime(2027, 2, 28, 16, 0, tzinfo=UTC)
    assert db.scalar(select(func.count()).select_from(AppraisalTask)) == 2


def test_the_same_list_again_changes_nothing_and_a_known_household_is_matched(
        db, tools, poverty_office):
    first = xlsx([row("林秀英", LIN), row("陈阿土", CHEN)])
    imported(db, tools, first, poverty_office)
    assert imported(db, tools, first, poverty_office).already_imported
    civil_affairs = db.scalar(select(Unit).where(Unit.slug == "civil-affairs"))
    result = imported(db, tools, xlsx([row("林秀英", LIN), row("吴大妈", WU)]), civil_affairs,
                      received_on=date(2027, 2, 10))
    assert (result.added, result.matched) == (1, 1)
    assert db.scalar(select(func.count()).select_from(Household)) == 3


def test_a_csv_list_and_the_template(db, tools, poverty_office):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerow(row("林秀英", LIN))
    result = imported(db, tools, out.getvalue().encode("utf-8-sig"), poverty_office, filename="名单.csv")
    assert result.added == 1
    sheet = load_workbook(io.BytesIO(template_xlsx())).active
    assert [cell.value for cell in sheet[1]] == HEADER


def test_the_lead_unit_imports_on_the_page_and_others_cannot(db, client, make_user):
    make_user("lead1", Role.LEAD, "housing")
    make_user("l-fupin", Role.LIAISON, "poverty-office")
    log_in(client, "l-fupin")
    assert client.get("/staff/roster/").status_code == 404
    token = csrf_token_from(client.get("/staff/").get_data(as_text=True))
    client.post("/staff/logout", data={"csrf_token": token})
    log_in(client, "lead1")
    page = client.get("/staff/roster/").get_data(as_text=True)
    bad = client.post("/staff/roster/import", data={
        "csrf_token": csrf_token_from(page), "provider": "poverty-office", "received_on": "2027-01-31",
        "file": (io.BytesIO(xlsx([row("林秀英", "123")])), "list.xlsx")}, content_type="multipart/form-data")
    assert bad.status_code == 400 and "第 2 行" in bad.get_data(as_text=True)
    good = client.post("/staff/roster/import", data={
        "csrf_token": csrf_token_from(page), "provider": "poverty-office", "received_on": "2027-01-31",
        "file": (io.BytesIO(xlsx([row("林秀英", LIN)])), "list.xlsx")}, content_type="multipart/form-data",
        follow_redirects=True).get_data(as_text=True)
    assert "新增 1 户" in good and mask_id_number(LIN) in good and LIN not in good and "林秀英" not in good
    assert client.get("/staff/roster/template.xlsx").status_code == 200


def test_an_appraisal_to_grade_d_opens_its_rectification_until_the_plate_is_posted(
        db, tools, poverty_office, client, make_user):
    imported(db, tools, xlsx([row("林秀英", LIN), row("陈阿土", CHEN)]), poverty_office,
             received_on=date(2026, 11, 20))
    lin, chen = db.scalars(select(AppraisalTask).order_by(AppraisalTask.id)).all()
    make_user("lead1", Role.LEAD, "housing")
    log_in(client, "lead1")
    page = client.get("/staff/roster/").get_data(as_text=True)
    token = csrf_token_from(page)
    assert client.post(f"/staff/roster/appraisals/{chen.id}", data={
        "csrf_token": token, "grade": "B", "appraised_on": "2026-11-25",
        "appraiser": "县房屋安全鉴定站"}).status_code == 302
    assert client.post(f"/staff/roster/appraisals/{lin.id}", data={
        "csrf_token": token, "grade": "D", "appraised_on": "2099-01-01",
        "appraiser": "县房屋安全鉴定站"}).status_code == 409  # not a future date
    client.post(f"/staff/roster/appraisals/{lin.id}", data={
        "csrf_token": token, "grade": "D", "appraised_on": "2026-11-26", "appraiser": "县房屋安全鉴定站"})
    db.expire_all()
    lin_house = db.get(AppraisalTask, lin.id).household
    assert db.get(AppraisalTask, chen.id).household.rectification is None  # B: safe
    work = lin_house.rectification
    assert work.rebuild and work.done_at is None
    db.commit()  # (SQLite: the test's read ends before the app writes)
    early = client.post(f"/staff/roster/rectifications/{work.id}", data={
        "csrf_token": token, "progress": "旧房已拆除", "plate_posted_on": "2026-12-01"})
    assert early.status_code == 409  # no plate before the work is done
    done = client.post(f"/staff/roster/rectifications/{work.id}", data={
        "csrf_token": token, "progress": "新房主体完工", "done": "y"})
    assert done.status_code == 302, done.get_data(as_text=True)[-600:]
    client.post(f"/staff/roster/rectifications/{work.id}", data={
        "csrf_token": token, "plate_posted_on": "2026-12-01"})
    db.commit()
    db.expire_all()
    work = db.get(type(work), work.id)
    assert work.done_at is not None and work.plate_posted_on == date(2026, 12, 1)
    assert work.progress == "新房主体完工"
    shown = client.get("/staff/roster/").get_data(as_text=True)
    assert "D 级（整体危险，拆除重建）" in shown and "拆除重建" in shown


def test_a_complaint_is_linked_to_its_household_and_shows_its_history(db, tools, poverty_office,
                                                                       client, make_user):
    imported(db, tools, xlsx([row("林秀英", LIN), row("陈阿土", CHEN)]), poverty_office)
    first = file_complaint(db, tools, NewComplaint(
        Channel.WEB, f"菜埔村林秀英（身份证尾号{LIN[-4:]}）家土坯房墙裂了", township_slug="huotian",
        village="菜埔村")).complaint
    later = file_complaint(db, tools, NewComplaint(
        Channel.WEB, "菜埔村那户的房子还是没人来看", township_slug="huotian", village="菜埔村")).complaint
    db.commit()
    make_user("lead1", Role.LEAD, "housing")
    log_in(client, "lead1")
    page = client.get(f"/staff/cases/{first.tracking_number}").get_data(as_text=True)
    suggestions = page[page.index('id="household-suggestions"'):]
    lin = db.scalar(select(Household).where(Household.id_number_masked == mask_id_number(LIN)))
    # The household whose ID the text ends with comes first.
    assert suggestions.index(mask_id_number(LIN)) < suggestions.index(mask_id_number(CHEN))
    for case in (first, later):
        page = client.get(f"/staff/cases/{case.tracking_number}").get_data(as_text=True)
        client.post(f"/staff/cases/{case.tracking_number}/act", data={
            "csrf_token": csrf_token_from(page), "action": "household-linked", "household_id": lin.id})
    page = client.get(f"/staff/cases/{later.tracking_number}").get_data(as_text=True)
    section = page[page.index('id="household"'):]
    assert first.tracking_number in section and later.tracking_number in section
    assert "建档立卡贫困户" in section and LIN not in page
