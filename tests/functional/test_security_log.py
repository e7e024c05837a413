"""Security-relevant events are logged, and the log holds no personal data: no names, phones,
codes, texts or client addresses (a client is a keyed digest)."""

import logging

from complaints.core.vocabulary import Channel, Role
from complaints.intake.filing import NewComplaint, file_complaint
from tests.conftest import PASSWORD, csrf_token_from, log_in
from tests.functional.test_sms_webhook import PUBLIC, TOKEN, sms

PHONE, NAME = "13055441314", "林秀英"


def security_lines(caplog):
    return [record.getMessage() for record in caplog.records if record.name == "complaints.security"]


def test_a_forged_twilio_signature_is_logged_without_the_sender(make_app, caplog):
    site = make_app(TWILIO_AUTH_TOKEN=TOKEN, TWILIO_ACCOUNT_SID="AC" + "0" * 32,
                    TWILIO_PHONE_NUMBER="+865968525603", PUBLIC_BASE_URL=PUBLIC)
    caplog.set_level(logging.INFO, logger="complaints")
    response = sms(site.test_client(), "房子裂了", sender="+86" + PHONE, token="wrong" * 6)
    assert response.status_code == 403
    [line] = security_lines(caplog)
    assert line.startswith("twilio signature refused") and "path=/twilio/sms" in line
    assert PHONE not in line and "127.0.0.1" not in line and "source=" in line


def test_a_failed_login_is_logged_without_what_was_typed(client, make_user, caplog):
    make_user("lead", Role.LEAD, "housing")
    caplog.set_level(logging.INFO, logger="complaints")
    page = client.get("/staff/login").get_data(as_text=True)
    client.post("/staff/login", data={"csrf_token": csrf_token_from(page), "username": "lead",
                                      "password": "not " + PASSWORD})
    [line] = security_lines(caplog)
    assert line.startswith("login failed") and "account=" in line
    assert "lead " not in line and "not " + PASSWORD not in line and "127.0.0.1" not in line


def test_a_wrong_query_code_and_an_identity_view_are_logged(app, client, db, tools, make_user,
                                                            caplog):
    filed = file_complaint(db, tools, NewComplaint(
        Channel.WEB, "火田镇我家房子墙裂了", reporter_name=NAME, reporter_phone=PHONE))
    db.commit()
    number = filed.complaint.tracking_number
    caplog.set_level(logging.INFO, logger="complaints")
    page = client.get("/status").get_data(as_text=True)
    wrong = "000000" if filed.query_code != "000000" else "111111"
    client.post("/status", data={"csrf_token": csrf_token_from(page), "tracking_number": number,
                                 "query_code": wrong})
    make_user("lead", Role.LEAD, "housing")
    log_in(client, "lead")
    page = client.get(f"/staff/cases/{number}").get_data(as_text=True)
    shown = client.post(f"/staff/cases/{number}/identity",
                        data={"csrf_token": csrf_token_from(page)}).get_data(as_text=True)
    assert NAME in shown  # the lead unit sees the identity ...
    lines = security_lines(caplog)
    assert any(line.startswith("query code refused") for line in lines)
    assert any(f"user=lead case={number}" in line for line in lines)
    for line in lines:  # ... and the log does not
        assert NAME not in line and PHONE not in line and wrong not in line


def test_the_hourly_job_says_what_it_did(app, caplog):
    caplog.set_level(logging.INFO, logger="complaints")
    result = app.test_cli_runner().invoke(args=["deadlines", "run"])
    assert result.exit_code == 0, result.output
    assert any(record.name == "complaints.cases.jobs" and "deadline job: escalated=0" in
               record.getMessage() for record in caplog.records)
