"""The request boundary: a view that returns is committed whatever its status; one that raises
is rolled back; a view that shows a form again says explicitly when it keeps nothing."""

import datetime as dt

from sqlalchemy import func, select

from complaints.db.models import Complaint, DailyCounter, SpentCaptcha
from tests.conftest import captcha_digits
from tests.functional.test_public_intake import form_fields


def count(db, model):
    db.rollback()
    return db.scalar(select(func.count()).select_from(model))


def session_cookie(client):
    return client.get_cookie("session").value


def test_a_wrong_captcha_uses_up_its_challenge_and_a_replayed_cookie_is_refused(make_app, db):
    """An attacker keeps the cookie that holds the challenge, guesses wrong once, then replays
    the cookie with the right digits: the picture can be answered only once, right or wrong."""
    client = make_app().test_client()  # the real captcha, no test answer
    page = client.get("/report").get_data(as_text=True)
    kept_cookie = session_cookie(client)
    digits = captcha_digits(client)
    wrong = "0000" if digits != "0000" else "1111"
    fields = {**form_fields(page), "township": "mapu", "description": "屋顶漏雨"}

    first = client.post("/report", data={**fields, "captcha": wrong})
    assert first.status_code == 400 and "数字不对" in first.get_data(as_text=True)
    assert count(db, SpentCaptcha) == 1  # the first picture is spent, committed with the 400

    client.set_cookie("session", kept_cookie)  # the old challenge id, replayed
    replay = client.post("/report", data={**fields, "captcha": digits})
    assert replay.status_code == 400 and "数字不对" in replay.get_data(as_text=True)
    assert count(db, Complaint) == 0


def test_a_refused_filing_writes_nothing(make_app, db):
    """A phone number that is not one: the form comes back, no case, no tracking number."""
    browser = make_app(CAPTCHA_TEST_ANSWER="2468").test_client()
    page = browser.get("/report").get_data(as_text=True)
    response = browser.post("/report", data={
        **form_fields(page), "township": "mapu", "description": "屋顶漏雨", "captcha": "2468",
        "phone": "12"})
    assert response.status_code == 400
    assert count(db, Complaint) == 0 and count(db, DailyCounter) == 0


def test_a_refused_staff_action_keeps_nothing_of_it(app, client, db, make_user, tools):
    """An action the lifecycle refuses half-way changes nothing on the case."""
    from complaints.cases.operations import ActionRequest, perform
    from complaints.cases.rules import Relation
    from complaints.core.vocabulary import CaseStatus, Channel, EventKind, Role
    from complaints.intake.filing import NewComplaint, file_complaint
    from tests.conftest import csrf_token_from, log_in

    filed = file_complaint(db, tools, NewComplaint(Channel.WEB, "火田镇我家土坯房墙裂了"))
    perform(db, tools, filed.complaint, ActionRequest(EventKind.ACCEPT), frozenset({Relation.LEAD}))
    db.commit()
    number, events = filed.complaint.tracking_number, len(filed.complaint.events)
    make_user("lead", Role.LEAD, "housing")
    log_in(client, "lead")
    page = client.get(f"/staff/cases/{number}").get_data(as_text=True)
    # Assigning to the commission is refused after the unit lookup has started.
    response = client.post(f"/staff/cases/{number}/act", data={
        "csrf_token": csrf_token_from(page), "action": "assign", "unit": "discipline-commission"})
    assert response.status_code == 409
    db.expire_all()
    complaint = db.scalar(select(Complaint).where(Complaint.tracking_number == number))
    assert complaint.status is CaseStatus.ACCEPTED and complaint.responsible_unit is None
    assert len(complaint.events) == events


def test_a_view_that_raises_is_rolled_back(app, db):
    """Whatever a view wrote before it failed is gone (a 500 keeps nothing)."""
    from flask import Blueprint

    from complaints.web.boundary import db_session, in_one_transaction

    probe = Blueprint("probe", __name__)

    @probe.route("/probe-fails")
    def fails():
        db_session().add(DailyCounter(day=dt.date(2026, 1, 1), last_number=7))
        db_session().flush()
        raise RuntimeError("after the write")

    app.register_blueprint(probe)
    app.view_functions["probe.fails"] = in_one_transaction(fails)
    app.testing = False  # render the 500 page instead of re-raising into the test
    assert app.test_client().get("/probe-fails").status_code == 500
    assert count(db, DailyCounter) == 0
