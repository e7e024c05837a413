"""The hotline: out-of-hours voicemail through Twilio, and the operators' console."""

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from twilio.request_validator import RequestValidator

from complaints.core.clock import now_utc
from complaints.core.vocabulary import Role
from complaints.db.models import CallLog, CaseEvent, Complaint, InboundSms, OutboxMessage
from complaints.intake.sms import SET_ASIDE, Inbound, accept_inbound
from tests.conftest import csrf_token_from, log_in

TOKEN = "twilio-test-auth-token-0123456789"
PUBLIC = "https://ts.yunxiao.example.cn"


@pytest.fixture
def site(make_app):
    return make_app(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=PUBLIC)


def signed_post(client, path, params, token=TOKEN):
    # Twilio signs the full URL it calls, query string included.
    signature = RequestValidator(token).compute_signature(f"{PUBLIC}{path}", params)
    return client.post(path, data=params, headers={"X-Twilio-Signature": signature})


def count(db, model):
    db.rollback()
    return db.scalar(select(func.count()).select_from(model))


def test_out_of_hours_call_is_greeted_in_mandarin_and_recorded(site):
    response = signed_post(site.test_client(), "/twilio/voice",
                           {"CallSid": "CA1", "From": "+8613055441314", "To": "+865968525603"})
    twiml = response.get_data(as_text=True)
    assert response.status_code == 200 and 'language="zh-CN"' in twiml
    assert "<Record" in twiml
    callback = re.search(r'recordingStatusCallback="([^"]+)"', twiml).group(1)
    # Who called travels in the URL (Twilio's callback does not say), sealed: URLs are logged.
    assert callback.startswith(f"{PUBLIC}/twilio/recording?caller=")
    assert "13055441314" not in callback and "%2B86" not in callback


def test_unsigned_voice_requests_are_refused(site, db):
    client = site.test_client()
    assert client.post("/twilio/voice", data={"CallSid": "CA1"}).status_code == 403
    assert signed_post(client, "/twilio/recording", {"RecordingSid": "RE1"},
                       token="wrong-token-000000000000000000").status_code == 403
    assert count(db, CallLog) == 0


def voicemail(client, sid="RE" + "1" * 32):
    # As Twilio calls it: the caller only in the callback URL the voice TwiML gave it.
    twiml = signed_post(client, "/twilio/voice", {"CallSid": "CA1", "From": "+8613055441314",
                                                  "To": "+865968525603"}).get_data(as_text=True)
    callback = re.search(r'recordingStatusCallback="[^"]*(/twilio/recording\?[^"]+)"', twiml).group(1)
    return signed_post(client, html.unescape(callback), {
        "RecordingSid": sid, "RecordingStatus": "completed", "RecordingDuration": "42",
        "RecordingUrl": "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/" + sid,
        "CallSid": "CA1"})


def test_recording_lands_in_the_operators_queue_once(site, db, make_user):
    client = site.test_client()
    assert voicemail(client).status_code == 204
    assert voicemail(client).status_code == 204  # Twilio retried
    assert count(db, CallLog) == 1
    make_user("op1", Role.OPERATOR)
    log_in(client, "op1")
    page = client.get("/staff/calls/").get_data(as_text=True)
    assert "+8613055441314" in page and "Recordings/RE" in page


@pytest.fixture
def operator(site, make_user):
    make_user("op1", Role.OPERATOR)
    client = site.test_client()
    log_in(client, "op1")
    return client


def call_form(client, **fields):
    page = client.get("/staff/calls/new").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), "caller": "13055441314", "duration": "5",
            "township": "huotian", "village": "菜埔村", "structure": "earth",
            "household": "registered-poor", "summary": "来电人称：家里土坯房后墙开裂，担心倒塌。",
            **fields}
    return client.post("/staff/calls/new", data=data)


def test_preview_shows_the_decision_and_keeps_the_text(operator, db):
    response = call_form(operator, preview="1")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="decision"' in page
    assert "县住建局" in page and "来电人称：家里土坯房后墙开裂" in page
    assert count(db, Complaint) == 0


def test_saving_gives_the_numbers_to_read_out_and_sends_them_if_asked(operator, db, tools):
    response = call_form(operator, save="1", send_sms="y")
    page = response.get_data(as_text=True)
    number = re.search(r'id="tracking-number">([^<]+)<', page).group(1)
    code = re.search(r'id="query-code">(\d{6})<', page).group(1)
    complaint = db.scalar(select(Complaint).where(Complaint.tracking_number == number))
    assert complaint.channel.value == "hotline" and complaint.township.slug == "huotian"
    sms = tools.vault.open(db.scalar(select(OutboxMessage.body_sealed)), "outbox-body")
    assert code in sms and number in sms
    # The one receipt every channel sends: number, code, unit and expected day.
    assert sms.startswith("【云霄住房安全】已收到您的举报") and "办理，预计" in sms
    log = db.scalar(select(CallLog))
    assert log.state == "logged" and log.complaint_id == complaint.id


def test_choosing_another_unit_needs_a_reason_and_is_recorded(operator, db):
    refused = call_form(operator, save="1", unit_override="huotian")
    assert refused.status_code == 400 and count(db, Complaint) == 0
    call_form(operator, save="1", unit_override="huotian", override_reason="来电人说镇里已在处理")
    db.rollback()
    complaint = db.scalar(select(Complaint))
    assert complaint.routing["lead_unit"] == "huotian"
    event = db.scalar(select(CaseEvent).where(CaseEvent.action == "routing-overridden"))
    assert event.note == "来电人说镇里已在处理" and event.actor.username == "op1"


def test_find_a_callers_earlier_cases_by_number(operator, db):
    call_form(operator, save="1")
    page = operator.get("/staff/calls/", query_string={"phone": "130 5544 1314"}).get_data(
        as_text=True)
    assert re.search(r"YX\d{8}-\d{4}", page[page.index('id="caller-search"'):])


def test_console_is_for_operators_and_the_lead_unit(site, make_user):
    make_user("l-mapu", Role.LIAISON, "mapu")
    client = site.test_client()
    log_in(client, "l-mapu")
    assert client.get("/staff/calls/").status_code == 404
    assert client.get("/staff/calls/new").status_code == 404


def test_a_voicemail_written_up_leaves_the_queue(site, db, make_user):
    client = site.test_client()
    voicemail(client)
    make_user("op1", Role.OPERATOR)
    log_in(client, "op1")
    db.rollback()
    call_id = db.scalar(select(CallLog.id))
    page = client.get(f"/staff/calls/new?voicemail={call_id}").get_data(as_text=True)
    assert 'value="+8613055441314"' in page  # the caller's number, filled in
    response = client.post("/staff/calls/new", data={
        "csrf_token": csrf_token_from(page), "voicemail_id": str(call_id),
        "caller": "+8613055441314", "township": "mapu", "structure": "unknown",
        "household": "unknown", "summary": "留言：马铺乡房子漏雨", "save": "1"})
    assert response.status_code == 200 and "来电已登记" in response.get_data(as_text=True)
    assert count(db, CallLog) == 1
    log = db.scalar(select(CallLog))
    assert log.state == "logged" and log.complaint_id is not None
    assert "+8613055441314" not in client.get("/staff/calls/").get_data(as_text=True).split(
        'id="voicemails"')[1].split("</section>")[0]


def test_after_the_message_the_call_ends_instead_of_starting_over(site):
    client = site.test_client()
    twiml = signed_post(client, "/twilio/voice", {"CallSid": "CA1", "From": "+8613055441314"}
                        ).get_data(as_text=True)
    assert f'action="{PUBLIC}/twilio/voice/done"' in twiml
    done = signed_post(client, "/twilio/voice/done", {"CallSid": "CA1"}).get_data(as_text=True)
    assert "<Hangup" in done and 'language="zh-CN"' in done


def test_a_caller_field_of_spaces_is_no_number(operator, db):
    response = call_form(operator, caller="   ", save="1")
    assert response.status_code == 200 and "来电已登记" in response.get_data(as_text=True)
    assert db.scalar(select(Complaint)).reporter is None


def test_saving_the_same_call_twice_files_it_once_and_says_when_it_is_due(operator, db):
    page = operator.get("/staff/calls/new").get_data(as_text=True)
    token = re.search(r'name="submission_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"csrf_token": csrf_token_from(page), "submission_token": token, "caller": "13055441314",
            "township": "huotian", "summary": "来电人称：家里土坯房后墙开裂，担心倒塌。", "save": "1"}
    first = operator.post("/staff/calls/new", data=data).get_data(as_text=True)
    again = operator.post("/staff/calls/new", data=data).get_data(as_text=True)  # a reload
    number = re.search(r'id="tracking-number">([^<]+)<', first).group(1)
    code = re.search(r'id="query-code">(\d{6})<', first).group(1)
    assert number in again and code in again
    assert count(db, Complaint) == 1
    assert re.search(r'id="expected">\d{4}-\d{2}-\d{2}', first)
    assert f'href="/staff/cases/{number}"' in first


def set_aside_sms(site, db, body="火田镇我家土坯房后墙裂了", when=None):
    """A text the SMS worker could not act on, as a failed filing leaves it."""
    parts = site.extensions["complaints"]
    with parts.session_factory() as session:
        accept_inbound(session, parts.vault, Inbound(
            message_sid="SM" + "c" * 32, from_number="+8613055441314", to_number="+865968525603",
            body=body), received_at=when)
        session.execute(update(InboundSms).values(kind=SET_ASIDE))
        session.commit()
    db.rollback()
    return db.scalar(select(InboundSms.id))


def test_a_set_aside_sms_is_written_up_by_an_operator_as_the_sms_it_was(site, db, operator):
    came = now_utc() - timedelta(hours=5)
    message_id = set_aside_sms(site, db, when=came)
    console = operator.get("/staff/calls/").get_data(as_text=True)
    listed = console[console.index('id="set-aside-sms"'):]
    assert "火田镇我家土坯房后墙裂了" in listed and "+8613055441314" in listed
    page = operator.get(f"/staff/calls/new?sms={message_id}").get_data(as_text=True)
    assert 'value="+8613055441314"' in page and "火田镇我家土坯房后墙裂了</textarea>" in page
    fields = {"csrf_token": csrf_token_from(page), "sms_id": str(message_id), "caller": "+8613055441314",
              "summary": "火田镇我家土坯房后墙裂了", "submission_token": "t" * 32, "save": "1"}
    assert operator.post("/staff/calls/new", data=fields).status_code == 200
    db.rollback()
    complaint = db.scalar(select(Complaint))
    assert complaint.channel.value == "sms" and complaint.township.slug == "huotian"
    assert abs(complaint.received_at - came) < timedelta(seconds=1)  # its deadlines run from then
    assert db.scalar(select(InboundSms.kind)) == "new" and count(db, CallLog) == 0
    assert count(db, OutboxMessage) == 1  # the receipt no worker sent
    # Written up once: the same message from a second form files nothing.
    again = operator.post("/staff/calls/new", data={**fields, "submission_token": "u" * 32})
    assert again.status_code == 400 and count(db, Complaint) == 1
    assert "火田镇我家土坯房后墙裂了" not in operator.get("/staff/calls/").get_data(as_text=True)


def test_a_set_aside_sms_goes_back_to_the_worker_and_only_operators_see_it(site, db, operator, make_user):
    message_id = set_aside_sms(site, db)
    make_user("l-huotian", Role.LIAISON, "huotian")
    liaison = site.test_client()
    log_in(liaison, "l-huotian")
    own_token = csrf_token_from(liaison.get("/staff/").get_data(as_text=True))
    assert liaison.post(f"/staff/calls/sms/{message_id}/retry",
                        data={"csrf_token": own_token}).status_code == 404
    token = csrf_token_from(operator.get("/staff/calls/").get_data(as_text=True))
    assert operator.post(f"/staff/calls/sms/{message_id}/retry").status_code == 400  # no CSRF
    db.rollback()
    assert db.scalar(select(InboundSms.kind)) == SET_ASIDE
    assert operator.post(f"/staff/calls/sms/{message_id}/retry",
                         data={"csrf_token": token}).status_code == 302
    db.rollback()
    assert db.scalar(select(InboundSms.kind)) is None  # waiting for the worker again
