"""Complaints by SMS through Twilio's signed webhook: the webhook keeps the message and
answers at once; the outbox worker acts on it and the reply goes by SMS."""

import itertools
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from complaints.cases.identities import reporter_field
from complaints.db.models import Complaint, InboundSms, OutboxMessage, SmsOptOut

TOKEN = "twilio-test-auth-token-0123456789"
PUBLIC = "https://ts.yunxiao.example.cn"
FROM = "+8613055441314"
SIDS = (f"SM{n:032d}" for n in itertools.count(1))


@pytest.fixture
def site(make_app):
    return make_app(TWILIO_AUTH_TOKEN=TOKEN, TWILIO_ACCOUNT_SID="AC" + "0" * 32,
                    TWILIO_PHONE_NUMBER="+865968525603", PUBLIC_BASE_URL=PUBLIC)


def sms(client, body, sender=FROM, sid=None, token=TOKEN, url=None, tamper=None, **extra):
    params = {"MessageSid": sid or next(SIDS), "From": sender, "To": "+865968525603",
              "Body": body, "NumMedia": "0", **extra}
    signature = RequestValidator(token).compute_signature(url or f"{PUBLIC}/twilio/sms", params)
    if tamper:
        params.update(tamper)
    return client.post("/twilio/sms", data=params, headers={"X-Twilio-Signature": signature})


def count(db, model):
    db.rollback()
    return db.scalar(select(func.count()).select_from(model))


def reply_of(site, response, sender=FROM):
    """What the resident gets back: the webhook answers with no message, and the outbox
    worker's round acts on the SMS and queues the reply to the sender."""
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert "<Message>" not in response.get_data(as_text=True)
    parts = site.extensions["complaints"]
    parts.act_on_inbound_sms()
    with parts.session_factory() as session:
        newest = session.scalar(
            select(OutboxMessage)
            .where(OutboxMessage.recipient_hash == parts.vault.phone_hash(sender))
            .order_by(OutboxMessage.id.desc()).limit(1))
        return parts.vault.open(newest.body_sealed, "outbox-body") if newest else None


def acted(site, response, sender=FROM):
    """The message sent, acted on by the worker."""
    reply_of(site, response, sender)
    return response


def test_new_complaint_by_sms(site, db, tools):
    response = sms(site.test_client(), "我是火田镇菜埔村的，家里土坯房墙裂了，怕倒")
    assert count(db, InboundSms) == 1 and count(db, Complaint) == 0  # kept, not yet acted on
    reply = reply_of(site, response)
    db.rollback()
    complaint = db.scalar(select(Complaint))
    assert complaint.tracking_number in reply and "查询码" in reply
    assert complaint.channel.value == "sms" and complaint.township.slug == "huotian"
    assert reporter_field(tools.vault, complaint.reporter, "phone") == FROM
    raw = db.scalar(select(InboundSms))
    assert raw.kind == "new" and raw.complaint_id == complaint.id and FROM.encode() not in raw.from_sealed
    code = re.search(r"查询码\D*(\d{6})", reply).group(1)
    assert code.encode() not in raw.reply_sealed  # the answer kept for retries is sealed


@pytest.mark.parametrize("change", [
    {"url": "https://evil.example/twilio/sms"},
    {"token": "not-the-token-at-all-0000000000"},
    {"tamper": {"Body": "changed on the way"}},
])
def test_unsigned_or_wrongly_signed_is_403_and_stores_nothing(site, db, change):
    assert sms(site.test_client(), "房子裂了", **change).status_code == 403
    assert count(db, InboundSms) == 0 and count(db, Complaint) == 0


def test_no_signature_at_all(site, db):
    response = site.test_client().post("/twilio/sms", data={"MessageSid": "SM1", "Body": "x"})
    assert response.status_code == 403 and count(db, InboundSms) == 0


def test_the_same_message_twice_makes_one_case_and_one_reply(site, db):
    client = site.test_client()
    first = sms(client, "马铺乡房子漏雨", sid="SM" + "9" * 32)
    reply_of(site, first)
    again = sms(client, "马铺乡房子漏雨", sid="SM" + "9" * 32)
    reply_of(site, again)
    assert first.get_data() == again.get_data()
    assert count(db, Complaint) == 1 and count(db, InboundSms) == 1
    assert count(db, OutboxMessage) == 1


def test_a_second_message_soon_after_adds_to_the_case(site, db):
    client = site.test_client()
    acted(site, sms(client, "马铺乡房子漏雨"))
    reply = reply_of(site, sms(client, "忘了说，是客寮村12号"))
    assert "补充" in reply and count(db, Complaint) == 1
    complaint = db.scalar(select(Complaint))
    assert complaint.events[-1].action == "reporter-message"
    assert complaint.events[-1].note == "忘了说，是客寮村12号"


def test_another_number_starts_its_own_case(site, db):
    client = site.test_client()
    sms(client, "马铺乡房子漏雨")
    acted(site, sms(client, "下河乡房子也漏雨", sender="+8613900001111"))
    assert count(db, Complaint) == 2


def test_messages_waiting_together_are_acted_on_in_the_order_they_came(site, db):
    """Sent in a burst, before the worker's round: the second is still the first's addition."""
    client = site.test_client()
    sms(client, "马铺乡房子漏雨")
    sms(client, "下河乡房子也漏雨", sender="+8613900001111")
    reply = reply_of(site, sms(client, "忘了说，是客寮村12号"))
    assert "补充" in reply and count(db, Complaint) == 2
    assert count(db, InboundSms) == 3 and count(db, OutboxMessage) == 3


def test_query_answers_only_the_reporters_number(site, db):
    client = site.test_client()
    acted(site, sms(client, "马铺乡房子漏雨"))
    number = db.scalar(select(Complaint.tracking_number))
    assert "已收到" in reply_of(site, sms(client, f"查询 {number}"))
    stranger = reply_of(site, sms(client, f"查询 {number}", sender="+8613900001111"),
                        "+8613900001111")
    assert "没有找到" in stranger and number not in stranger


def test_help_and_stop(site, db, tools):
    client = site.test_client()
    assert "退订" in reply_of(site, sms(client, "帮助"))
    # The opt-out would hold back a confirmation by SMS: the webhook's answer says it.
    stop = sms(client, "STOP")
    assert "已退订" in stop.get_data(as_text=True)
    site.extensions["complaints"].act_on_inbound_sms()
    assert count(db, SmsOptOut) == 1 and count(db, Complaint) == 0


def test_writing_again_after_stopping_gets_the_answer(site, db):
    client = site.test_client()
    sms(client, "退订")
    site.extensions["complaints"].act_on_inbound_sms()
    reply = reply_of(site, sms(client, "马铺乡房子漏雨"))
    assert "查询码" in reply and count(db, SmsOptOut) == 0
    receipt = db.scalar(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(1))
    assert receipt.status.value == "pending"


@pytest.mark.parametrize(("body", "expected"), [
    ("", "短信是空的"),
    ("   ", "短信是空的"),
    ("my house wall is cracked in huotian", "请用中文"),
])
def test_odd_messages_get_a_sensible_reply(site, db, body, expected):
    assert expected in reply_of(site, sms(site.test_client(), body))


def test_a_very_long_message_is_kept_whole(site, db):
    body = "房子裂了" * 400  # 1600 characters, the most Twilio delivers
    acted(site, sms(site.test_client(), body))
    assert db.scalar(select(Complaint.description)) == body
    assert db.scalar(select(InboundSms.body)) == body


def test_the_receipt_is_one_message(site, db):
    reply_of(site, sms(site.test_client(), "马铺乡房子漏雨"))
    assert count(db, OutboxMessage) == 1


def test_the_receipt_fits_two_sms_segments(site):
    reply = reply_of(site, sms(site.test_client(), "我是火田镇的，家里土坯房墙裂了"))
    assert len(reply) <= 134  # two UCS-2 segments of 67 characters


# "2": not solved, a review (复查) asked for; the case waits, resolved, for its decision.
@pytest.mark.parametrize(("answer", "status"), [("1", "closed"), ("2", "resolved")])
def test_answer_to_the_resolution_sms(site, db, tools, answer, status):
    from complaints.cases.operations import ActionRequest, perform
    from complaints.cases.rules import Relation
    from complaints.core.vocabulary import EventKind, Outcome

    client = site.test_client()
    acted(site, sms(client, "马铺乡房子漏雨"))
    db.rollback()
    complaint = db.scalar(select(Complaint))
    lead = frozenset({Relation.LEAD})
    for action, fields in ((EventKind.ACCEPT, {}), (EventKind.ASSIGN, {"unit": "mapu"}),
                           (EventKind.START, {}), (EventKind.RESOLVE, {"outcome": Outcome.RECTIFIED})):
        perform(db, tools, complaint, ActionRequest(action, **fields), lead)
    db.commit()
    reply = reply_of(site, sms(client, answer))
    assert complaint.tracking_number in reply
    db.rollback()
    assert db.scalar(select(Complaint.status)).value == status
    assert ("复查申请" in reply) == (answer == "2")
    assert (db.scalar(select(Complaint.review_pending_since)) is not None) == (answer == "2")
    assert count(db, Complaint) == 1  # the answer is not a new complaint


@pytest.mark.parametrize("sender", ["1069012345678", "abc"])
def test_an_odd_sender_still_files_the_complaint(site, db, sender):
    # A short code cannot be answered by SMS: the case is filed all the same.
    assert reply_of(site, sms(site.test_client(), "马铺乡房子漏雨", sender=sender), sender) is None
    assert count(db, Complaint) == 1 and count(db, InboundSms) == 1
    assert sms(site.test_client(), "退订", sender=sender).status_code == 200
    site.extensions["complaints"].act_on_inbound_sms()
    assert count(db, InboundSms) == 2 and count(db, SmsOptOut) == 0


def closed_by_sms(site, db, tools):
    """A complaint sent by SMS, handled by 马铺乡 and closed: (the sender's client, the case)."""
    from complaints.cases.operations import ActionRequest, perform
    from complaints.cases.rules import Relation
    from complaints.core.vocabulary import EventKind, Outcome

    client = site.test_client()
    acted(site, sms(client, "马铺乡房子漏雨"))
    db.rollback()
    complaint = db.scalar(select(Complaint))
    for action, fields in ((EventKind.ACCEPT, {}), (EventKind.ASSIGN, {"unit": "mapu"}),
                           (EventKind.START, {}), (EventKind.RESOLVE, {"outcome": Outcome.RECTIFIED}),
                           (EventKind.CLOSE, {})):
        perform(db, tools, complaint, ActionRequest(action, **fields), frozenset({Relation.LEAD}))
    db.commit()
    return client, complaint


def test_not_fixed_after_the_case_closed_itself_asks_for_a_review_within_the_window(
        site, db, tools):
    client, _complaint = closed_by_sms(site, db, tools)
    reply = reply_of(site, sms(client, "2"))
    assert "已登记复查申请" in reply and "县住建局" in reply  # a township's answer: the lead unit
    db.rollback()
    assert db.scalar(select(Complaint.review_pending_since)) is not None
    assert count(db, Complaint) == 1


def test_not_fixed_long_after_the_answer_opens_nothing_and_says_why(site, db, tools):
    from complaints.core.clock import frozen_at

    client, complaint = closed_by_sms(site, db, tools)
    with frozen_at(complaint.resolved_at + timedelta(days=31)):
        reply = reply_of(site, sms(client, "2"))
    assert "30 日内申请" in reply and "已经超过期限" in reply
    db.rollback()
    assert db.scalar(select(Complaint.status)).value == "closed"
    assert db.scalar(select(Complaint.review_pending_since)) is None


def test_not_fixed_sent_in_time_and_filed_after_the_window_still_asks_for_a_review(site, db, tools):
    from complaints.core.clock import frozen_at

    client, complaint = closed_by_sms(site, db, tools)
    with frozen_at(complaint.resolved_at + timedelta(days=29)):
        response = sms(client, "2")
    with frozen_at(complaint.resolved_at + timedelta(days=31)):  # the worker was down till now
        reply = reply_of(site, response)
    assert "已登记复查申请" in reply
    db.rollback()
    assert db.scalar(select(Complaint.review_pending_since)) is not None
