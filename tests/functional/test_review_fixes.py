"""Defects a review found, each pinned by the behaviour a user would check."""

import re

import pytest
from sqlalchemy import func, select

from complaints.cases.operations import ActionRequest, perform
from complaints.cases.rules import Relation, TransitionError
from complaints.core.vocabulary import Channel, EventKind, Outcome, ReviewDecision, Role
from complaints.db.models import CaseEvent, Complaint
from complaints.intake.filing import NewComplaint, file_complaint
from tests.conftest import csrf_token_from, log_in
from tests.functional.test_public_intake import ANSWER, form_fields, look_up, post_form

LEAD = frozenset({Relation.LEAD})


def test_operator_search_does_not_reveal_a_web_misconduct_report(client, db, tools, make_user):
    file_complaint(db, tools, NewComplaint(
        channel=Channel.WEB, description="村干部收红包才给评危改", alleges_misconduct=True,
        reporter_phone="13055441314"))
    db.commit()
    make_user("op1", Role.OPERATOR)
    log_in(client, "op1")
    page = client.get("/staff/calls/", query_string={"phone": "13055441314"}).get_data(as_text=True)
    assert not re.search(r"YX\d{8}-\d{4}", page.split('id="caller-search"')[1])


def test_a_case_routed_to_the_unit_its_clue_accuses_cannot_be_assigned_as_routed(db, tools):
    complaint = file_complaint(db, tools, NewComplaint(
        channel=Channel.WEB, description="火田镇村建所的干部收了钱才给办危房改造，我家屋顶一直漏雨",
        township_slug="huotian")).complaint
    assert complaint.routing["lead_unit"] == "huotian" and complaint.needs_triage
    perform(db, tools, complaint, ActionRequest(EventKind.ACCEPT), LEAD)
    with pytest.raises(TransitionError) as raised:
        perform(db, tools, complaint, ActionRequest(EventKind.ASSIGN), LEAD)
    assert raised.value.code == "accused-unit"


def test_reopened_case_goes_back_to_the_lead_unit_without_its_old_unit(db, tools):
    complaint = file_complaint(db, tools, NewComplaint(
        channel=Channel.WEB, description="马铺乡屋顶漏雨", township_slug="mapu")).complaint
    for action, fields in ((EventKind.ACCEPT, {}), (EventKind.ASSIGN, {"unit": "mapu"}),
                           (EventKind.START, {}), (EventKind.RESOLVE, {"outcome": Outcome.RECTIFIED})):
        perform(db, tools, complaint, ActionRequest(action, **fields), LEAD)
    perform(db, tools, complaint, ActionRequest(EventKind.REPORTER_FEEDBACK, fixed=False),
            frozenset({Relation.REPORTER}))
    perform(db, tools, complaint, ActionRequest(EventKind.REQUEST_REVIEW, reason="没修好"),
            frozenset({Relation.REPORTER}))
    perform(db, tools, complaint, ActionRequest(EventKind.DECIDE_REVIEW, decision=ReviewDecision.REDO,
                                                reason="责令重新办理"), LEAD)
    assert complaint.responsible_unit is None and complaint.status.value == "reopened"


def test_assign_with_every_co_unit_unticked_attaches_none(client, db, tools, make_user):
    number = file_complaint(db, tools, NewComplaint(
        channel=Channel.WEB, description="火田镇房子裂了", township_slug="huotian")).complaint
    number = number.tracking_number
    db.commit()
    make_user("lead1", Role.LEAD, "housing")
    log_in(client, "lead1")
    for action, extra in (("accept", {}), ("assign", {"co_units_shown": "1"})):
        page = client.get(f"/staff/cases/{number}").get_data(as_text=True)
        client.post(f"/staff/cases/{number}/act",
                    data={"csrf_token": csrf_token_from(page), "action": action, **extra})
    db.rollback()
    assert db.scalar(select(Complaint).where(Complaint.tracking_number == number)).co_units == []


@pytest.fixture
def site(make_app):
    return make_app(CAPTCHA_TEST_ANSWER=ANSWER, REPORT_LIMIT_PER_ADDRESS="3 per hour")


def test_a_resent_form_shows_the_same_code(site, db):
    client = site.test_client()
    page = client.get("/report").get_data(as_text=True)
    data = {**form_fields(page), "township": "mapu", "description": "屋顶漏雨", "captcha": ANSWER}
    cookie_of_the_form = client.get_cookie("session").value
    post_form(client, "/report", data)
    first = client.get("/receipt").get_data(as_text=True)
    # The first answer never reached the phone, nor its cookie; the browser sends the form again.
    other = site.test_client()
    other.set_cookie("session", cookie_of_the_form)
    post_form(other, "/report", data)
    second = other.get("/receipt").get_data(as_text=True)
    code = re.search(r'id="query-code">(\d{6})<', first).group(1)
    assert re.search(r'id="query-code">(\d{6})<', second).group(1) == code
    assert db.scalar(select(func.count()).select_from(Complaint)) == 1


def test_wrong_captchas_do_not_use_up_the_report_limit(site, db):
    client = site.test_client()
    for _ in range(6):
        page = client.get("/report").get_data(as_text=True)
        assert post_form(client, "/report", {**form_fields(page), "township": "mapu",
                                             "description": "屋顶漏雨", "captcha": "0"}
                         ).status_code == 400
    page = client.get("/report").get_data(as_text=True)
    response = post_form(client, "/report", {**form_fields(page), "township": "mapu",
                                             "description": "屋顶漏雨", "captcha": ANSWER})
    assert response.status_code == 302


def test_a_long_follow_up_is_answered_not_crashed(site, db):
    client = site.test_client()
    page = client.get("/report").get_data(as_text=True)
    post_form(client, "/report", {**form_fields(page), "township": "mapu",
                                  "description": "屋顶漏雨", "captcha": ANSWER})
    receipt = client.get("/receipt").get_data(as_text=True)
    number = re.search(r'id="tracking-number">([^<]+)<', receipt).group(1)
    code = re.search(r'id="query-code">(\d{6})<', receipt).group(1)
    status = look_up(client, number, code).get_data(as_text=True)
    response = client.post("/status/message", data={
        "csrf_token": csrf_token_from(status), "tracking_number": number, "query_code": code,
        "text": "补" * 2500})
    assert response.status_code == 400 and "内容太长了" in response.get_data(as_text=True)
    db.rollback()
    assert db.scalar(select(func.count()).select_from(CaseEvent).where(
        CaseEvent.action == "reporter-message")) == 0
