"""The outbox's Twilio sender against a local server that speaks Twilio's Messages API."""

import threading

import pytest

from complaints.core.vocabulary import DeliveryStatus, MessageChannel
from complaints.db.models import OutboxMessage
from complaints.outbox import enqueue
from complaints.outbox.senders.twilio import TwilioSender
from complaints.outbox.worker import run_once
from tests.fake_twilio import FakeTwilio

SID, TOKEN, FROM = "AC" + "1" * 32, "fake-twilio-token-abcdefghijklmn", "+865968525603"


@pytest.fixture
def twilio():
    with FakeTwilio(SID, TOKEN) as fake:
        yield fake


@pytest.fixture
def sender(twilio):
    return TwilioSender(SID, TOKEN, FROM, api_base_url=twilio.url, timeout=1.0)


@pytest.fixture
def factory(app):
    return app.extensions["complaints"].session_factory


def queue(db, vault, body="【云霄住房安全】测试", number="13055441314"):
    message = enqueue(db, vault, MessageChannel.SMS, number, body)
    db.commit()
    return message.id


def state(db, message_id):
    db.rollback()
    return db.get(OutboxMessage, message_id)


def test_delivered_with_twilios_message_id(db, vault, factory, sender, twilio):
    message_id = queue(db, vault)
    run_once(factory, vault, sender, "w1")
    row = state(db, message_id)
    assert row.status is DeliveryStatus.SENT and row.provider_message_id.startswith("SM")
    assert twilio.received == [{"To": "+8613055441314", "From": FROM, "Body": "【云霄住房安全】测试"}]


@pytest.mark.parametrize("failure", ["500", "timeout"])
def test_server_errors_and_timeouts_are_retried(db, vault, factory, sender, twilio, failure):
    message_id = queue(db, vault)
    twilio.plan = [failure]
    run_once(factory, vault, sender, "w1")
    row = state(db, message_id)
    assert row.status is DeliveryStatus.PENDING and row.attempts == 1
    assert twilio.received == []


def test_a_bad_number_is_not_retried_and_the_code_is_kept(db, vault, factory, sender, twilio):
    message_id = queue(db, vault)
    twilio.plan = ["400"]
    run_once(factory, vault, sender, "w1")
    row = state(db, message_id)
    assert row.status is DeliveryStatus.FAILED and "21211" in row.last_error


def test_two_workers_send_each_message_once(db, vault, factory, sender, twilio):
    ids = [queue(db, vault, f"消息 {n}", f"139{n:08d}") for n in range(40)]
    workers = [threading.Thread(target=run_once, args=(factory, vault, sender, f"w{n}"))
               for n in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    bodies = sorted(message["Body"] for message in twilio.received)
    assert bodies == sorted(f"消息 {n}" for n in range(40))
    db.rollback()
    assert {db.get(OutboxMessage, i).status for i in ids} == {DeliveryStatus.SENT}


def test_config_chooses_twilio_only_with_its_settings(make_app, twilio):
    from complaints.core.config import ConfigError

    with pytest.raises(ConfigError, match="TWILIO_AUTH_TOKEN"):
        make_app(OUTBOX_SENDER="twilio", TWILIO_ACCOUNT_SID=SID, TWILIO_PHONE_NUMBER=FROM)
    app = make_app(OUTBOX_SENDER="twilio", TWILIO_ACCOUNT_SID=SID, TWILIO_AUTH_TOKEN=TOKEN,
                   TWILIO_PHONE_NUMBER=FROM, TWILIO_API_BASE_URL=twilio.url)
    assert isinstance(app.extensions["complaints"].sender, TwilioSender)
