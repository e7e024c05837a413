"""The campaign's pages (issue 17): a township visits its own households and turns a hazard into
a case; a helper reports from the phone page, once however often the form is sent; nobody
reaches another township's households."""

import io
from datetime import date

import pytest
from PIL import Image
from sqlalchemy import func, select

from complaints.core.vocabulary import CaseStatus, Channel, Role
from complaints.db.models import Complaint, Household, HouseholdVisit, Unit
from complaints.households.helpers import assign_helper
from complaints.households.visits import plan_visits
from tests.conftest import csrf_token_from, log_in
from tests.storage.test_roster import CHEN, LIN, imported, row, xlsx


@pytest.fixture
def roster(db, tools):
    provider = db.scalar(select(Unit).where(Unit.slug == "poverty-office"))
    imported(db, tools, xlsx([row("林秀英", LIN, phone="13055441314"),
                              row("陈阿土", CHEN, township="马铺乡", structure="砖木")]), provider,
             received_on=date(2026, 10, 8))
    plan_visits(db, tools, date.today())
    db.commit()
    return {h.id_number_masked[-4:]: h for h in db.scalars(select(Household))}


def jpeg():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 90, 60)).save(out, "JPEG")
    return out.getvalue()


def test_a_township_visits_its_own_households_only(db, client, make_user, roster):
    make_user("l-huotian", Role.LIAISON, "huotian")
    lin, chen = roster[LIN[-4:]], roster[CHEN[-4:]]
    log_in(client, "l-huotian")
    listed = client.get("/staff/households/").get_data(as_text=True)
    assert "林秀英" in listed and "陈阿土" not in listed and LIN not in listed
    assert client.get(f"/staff/households/{chen.id}").status_code == 404
    page = client.get(f"/staff/households/{lin.id}").get_data(as_text=True)
    assert "13055441314" in page and LIN[-4:] in page
    visit = db.scalar(select(HouseholdVisit).where(HouseholdVisit.household_id == lin.id))
    other = db.scalar(select(HouseholdVisit).where(HouseholdVisit.household_id == chen.id))
    token = csrf_token_from(page)
    stolen = client.post(f"/staff/households/visits/{other.id}", data={
        "csrf_token": token, "result": "safe", "note": "房屋安全"})
    assert stolen.status_code == 404
    no_csrf = client.post(f"/staff/households/visits/{visit.id}", data={"result": "safe", "note": "x"})
    assert no_csrf.status_code == 400
    empty = client.post(f"/staff/households/visits/{visit.id}",
                        data={"csrf_token": token, "result": "hazard"})
    assert empty.status_code == 400 and "请选择走访结果" in empty.get_data(as_text=True)
    done = client.post(f"/staff/households/visits/{visit.id}", data={
        "csrf_token": token, "result": "hazard", "note": "后墙开裂，屋顶漏雨",
        "photo": (io.BytesIO(jpeg()), "wall.jpg")}, content_type="multipart/form-data",
        follow_redirects=True).get_data(as_text=True)
    db.commit()
    case = db.scalar(select(Complaint).where(Complaint.channel == Channel.VISIT))
    assert case.tracking_number in done and case.household_id == lin.id
    assert case.status is CaseStatus.RECEIVED and len(case.attachments) == 1
    again = client.post(f"/staff/households/visits/{visit.id}", data={
        "csrf_token": token, "result": "safe", "note": "再记一次"})
    assert again.status_code == 409
    assert db.scalar(select(func.count()).select_from(Complaint)) == 1


def test_the_lead_units_board_shows_each_townships_visits(db, client, make_user, roster):
    make_user("lead1", Role.LEAD, "housing")
    log_in(client, "lead1")
    board = client.get("/staff/").get_data(as_text=True)
    section = board[board.index('id="visit-progress"'):]
    assert "火田镇" in section and "0 / 1" in section and "马铺乡" in section


def test_a_helper_reports_from_the_phone_page_once(db, client, make_user, roster):
    helper = make_user("helper-1", Role.HELPER, "huotian")
    lin, chen = roster[LIN[-4:]], roster[CHEN[-4:]]
    assign_helper(db, lin, helper)
    db.commit()
    log_in(client, "helper-1")
    assert client.get("/staff/").headers["Location"].endswith("/staff/helper/")
    mine = client.get("/staff/helper/").get_data(as_text=True)
    assert f"/staff/helper/households/{lin.id}" in mine and f"/staff/helper/households/{chen.id}" not in mine
    assert client.get(f"/staff/helper/households/{chen.id}").status_code == 404
    assert client.get("/staff/households/").status_code == 404
    form = client.get(f"/staff/helper/households/{lin.id}").get_data(as_text=True)
    token = csrf_token_from(form)
    submission = form.split('name="submission_token"')[1].split('value="')[1].split('"')[0]
    missing = client.post(f"/staff/helper/households/{lin.id}", data={"csrf_token": token,
                                                               "submission_token": submission})
    assert missing.status_code == 400 and "请选择发现的问题" in missing.get_data(as_text=True)
    data = {"csrf_token": token, "submission_token": submission, "problem": "leaks",
            "note": "昨晚下雨漏得厉害"}
    for _ in range(2):  # a slow line: the same form sent twice
        sent = client.post(f"/staff/helper/households/{lin.id}", data=data, follow_redirects=True)
        assert "已报给火田镇" in sent.get_data(as_text=True)
    db.commit()
    cases = db.scalars(select(Complaint).where(Complaint.channel == Channel.HELPER)).all()
    assert len(cases) == 1
    case = cases[0]
    assert case.status is CaseStatus.ASSIGNED and case.responsible_unit.slug == "huotian"
    assert "poverty-office" in {unit.slug for unit in case.co_units}


def test_the_appraisal_and_the_plate_are_photographed_and_only_their_township_sees_them(
        db, client, make_user, roster):
    from complaints.core.vocabulary import PhotoPurpose
    from complaints.db.models import AppraisalTask, HouseholdPhoto

    make_user("lead1", Role.LEAD, "housing")
    make_user("l-mapu", Role.LIAISON, "mapu")
    lin = roster[LIN[-4:]]
    task = db.scalar(select(AppraisalTask).where(AppraisalTask.household_id == lin.id))
    log_in(client, "lead1")
    token = csrf_token_from(client.get("/staff/roster/").get_data(as_text=True))
    refused = client.post(f"/staff/roster/appraisals/{task.id}", data={
        "csrf_token": token, "grade": "C", "appraised_on": "2026-11-26", "appraiser": "县房屋安全鉴定站",
        "photo": (io.BytesIO(b"not a picture"), "x.jpg")}, content_type="multipart/form-data")
    assert refused.status_code == 400  # nothing recorded with a photo that is not one
    client.post(f"/staff/roster/appraisals/{task.id}", data={
        "csrf_token": token, "grade": "C", "appraised_on": "2026-11-26", "appraiser": "县房屋安全鉴定站",
        "photo": (io.BytesIO(jpeg()), "wall.jpg")}, content_type="multipart/form-data")
    db.commit()
    work = db.get(Household, lin.id).rectification
    client.post(f"/staff/roster/rectifications/{work.id}", data={"csrf_token": token, "done": "y"})
    client.post(f"/staff/roster/rectifications/{work.id}", data={
        "csrf_token": token, "plate_posted_on": "2026-11-30",
        "photo": (io.BytesIO(jpeg()), "plate.jpg")}, content_type="multipart/form-data")
    db.commit()
    photos = db.scalars(select(HouseholdPhoto).where(HouseholdPhoto.household_id == lin.id)
                        .order_by(HouseholdPhoto.id)).all()
    assert [photo.purpose for photo in photos] == [PhotoPurpose.APPRAISAL, PhotoPurpose.PLATE]
    page = client.get(f"/staff/households/{lin.id}").get_data(as_text=True)
    assert f"/staff/households/{lin.id}/photos/{photos[1].id}" in page and "挂牌照片" in page
    shown = client.get(f"/staff/households/{lin.id}/photos/{photos[1].id}")
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
    client.post("/staff/logout", data={"csrf_token": token})
    log_in(client, "l-mapu")  # another township
    assert client.get(f"/staff/households/{lin.id}/photos/{photos[1].id}").status_code == 404


def test_strangers_to_a_household_cannot_reach_it(db, client, make_user, roster):
    """The way an attacker would try: another unit's liaison, a helper on the staff pages, a
    forged assignment of another township's helper, a form without its CSRF token."""
    make_user("l-market", Role.LIAISON, "market")
    make_user("l-huotian", Role.LIAISON, "huotian")
    outsider = make_user("helper-mapu", Role.HELPER, "mapu")
    lin = roster[LIN[-4:]]
    log_in(client, "l-market")  # a participating unit, not a township
    for path in ("/staff/households/", f"/staff/households/{lin.id}"):
        assert client.get(path).status_code == 404
    page = client.get("/staff/").get_data(as_text=True)
    client.post("/staff/logout", data={"csrf_token": csrf_token_from(page)})
    log_in(client, "l-huotian")
    page = client.get(f"/staff/households/{lin.id}").get_data(as_text=True)
    assert client.post(f"/staff/households/{lin.id}/helpers",
                       data={"helper_id": outsider.id}).status_code == 400  # no CSRF token
    forged = client.post(f"/staff/households/{lin.id}/helpers",
                         data={"csrf_token": csrf_token_from(page), "helper_id": outsider.id})
    assert forged.status_code == 409 and "本乡镇" in forged.get_data(as_text=True)
    client.post("/staff/logout", data={"csrf_token": csrf_token_from(page)})
    log_in(client, "helper-mapu")
    for path in ("/staff/households/", "/staff/campaign/ledger", "/staff/campaign/reports",
                 "/staff/roster/", f"/staff/helper/households/{lin.id}"):
        assert client.get(path).status_code == 404, path
    assert db.get(Household, lin.id).helpers == []


def test_a_helper_finds_no_console_page(db, client, make_user, roster):
    make_user("helper-1", Role.HELPER, "huotian")
    log_in(client, "helper-1")
    for path in ("/staff/cases", "/staff/ledger.xlsx", "/staff/board", "/staff/follow-ups"):
        assert client.get(path).status_code == 404, path
    assert client.get("/staff/helper/").status_code == 200


def test_a_late_appraisal_is_on_the_lead_units_board(db, tools, client, make_user):
    provider = db.scalar(select(Unit).where(Unit.slug == "poverty-office"))
    imported(db, tools, xlsx([row("林秀英", LIN)]), provider, received_on=date(2026, 9, 1))
    make_user("lead1", Role.LEAD, "housing")
    log_in(client, "lead1")
    board = client.get("/staff/").get_data(as_text=True)
    late = board[board.index('id="late-appraisals"'):].split("</ul>")[0]
    assert "火田镇菜埔村" in late and LIN[-4:] in late and LIN not in late
