"""The outbox: written with its cause, sent at most once, retried with backoff, opt-outs honoured."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from complaints.core.clock import frozen_at, now_utc
from complaints.core.vocabulary import DeliveryStatus, MessageChannel
from complaints.db.models import OutboxMessage
from complaints.outbox import enqueue, opt_out
from complaints.outbox.senders import Delivered, PermanentFailure, TemporaryFailure
from complaints.outbox.senders.log import LogOnlySender
from complaints.outbox.worker import (
    CLAIM_LEASE,
    FIRST_RETRY,
    MAX_ATTEMPTS,
    claim_due,
    run_once,
    worker_name,
)

NOON = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)


class RecordingSender:
    """A sender that keeps what it was asked to send, and can fail on demand."""

    def __init__(self, failure=None):
        self.sent = []
        self.failure = failure
        self.lock = threading.Lock()

    def send(self, message):
        if self.failure:
            raise self.failure
        with self.lock:
            self.sent.append(message)
            return Delivered(provider_message_id=f"SM{len(self.sent):04d}")


@pytest.fixture
def factory(app):
    return app.extensions["complaints"].session_factory


def statuses(db):
    db.rollback()  # a fresh transaction sees what the workers committed
    return [m.status for m in db.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_log_only_sender_records_without_sending(db, vault, factory):
    enqueue(db, vault, MessageChannel.SMS, "13055441314", "您的举报已收到。")
    db.commit()
    assert run_once(factory, vault, LogOnlySender(), worker_name()) == 1
    message = db.scalar(select(OutboxMessage))
    db.rollback()
    db.refresh(message)
    assert message.status is DeliveryStatus.NOT_SENT
    assert message.last_error == "not sent: no provider configured"
    assert message.attempts == 1


def test_message_goes_out_once_with_the_recipient_decrypted(db, vault, factory):
    enqueue(db, vault, MessageChannel.SMS, "130 5544 1314", "您的举报已收到。")
    db.commit()
    sender = RecordingSender()
    run_once(factory, vault, sender, worker_name())
    run_once(factory, vault, sender, worker_name())
    assert [(m.recipient, m.body) for m in sender.sent] == [("+8613055441314", "您的举报已收到。")]
    assert statuses(db) == [DeliveryStatus.SENT]
    assert db.scalar(select(OutboxMessage.provider_message_id)) == "SM0001"


def test_recipient_is_not_stored_in_clear(db, vault):
    enqueue(db, vault, MessageChannel.SMS, "13055441314", "您的举报已收到。")
    db.commit()
    assert b"5544" not in db.scalar(select(OutboxMessage.recipient_sealed))


def test_rolled_back_change_leaves_no_message(db, vault):
    enqueue(db, vault, MessageChannel.SMS, "13055441314", "您的举报已收到。")
    db.rollback()
    assert statuses(db) == []


def test_temporary_failure_is_retried_later_with_growing_delay(db, vault, factory):
    with frozen_at(NOON):
        enqueue(db, vault, MessageChannel.SMS, "13055441314", "办理进度通知")
    db.commit()
    failing = RecordingSender(failure=TemporaryFailure("provider timed out"))
    with frozen_at(NOON):
        run_once(factory, vault, failing, worker_name())
    message = db.scalar(select(OutboxMessage))
    db.rollback()
    db.refresh(message)
    assert message.status is DeliveryStatus.PENDING
    assert message.next_attempt_at == NOON + FIRST_RETRY
    # Not due yet: nothing happens.
    with frozen_at(NOON + FIRST_RETRY - timedelta(seconds=1)):
        assert run_once(factory, vault, failing, worker_name()) == 0
    with frozen_at(NOON + FIRST_RETRY):
        run_once(factory, vault, failing, worker_name())
    db.rollback()
    db.refresh(message)
    assert message.attempts == 2
    assert message.next_attempt_at == NOON + FIRST_RETRY + 2 * FIRST_RETRY
    # The provider recovers.
    working = RecordingSender()
    with frozen_at(NOON + timedelta(hours=1)):
        run_once(factory, vault, working, worker_name())
    assert len(working.sent) == 1 and statuses(db) == [DeliveryStatus.SENT]


def test_gives_up_after_the_last_attempt(db, vault, factory):
    with frozen_at(NOON):
        enqueue(db, vault, MessageChannel.SMS, "13055441314", "办理进度通知")
    db.commit()
    failing = RecordingSender(failure=TemporaryFailure("provider down"))
    moment = NOON
    for _ in range(MAX_ATTEMPTS):
        with frozen_at(moment):
            run_once(factory, vault, failing, worker_name())
        moment += timedelta(days=1)
    message = db.scalar(select(OutboxMessage))
    db.rollback()
    db.refresh(message)
    assert message.status is DeliveryStatus.FAILED
    assert message.attempts == MAX_ATTEMPTS
    assert "gave up" in message.last_error


def test_permanent_failure_is_recorded_and_not_retried(db, vault, factory):
    enqueue(db, vault, MessageChannel.SMS, "13055441314", "办理进度通知")
    db.commit()
    run_once(factory, vault, RecordingSender(failure=PermanentFailure("unreachable number")),
             worker_name())
    message = db.scalar(select(OutboxMessage))
    db.rollback()
    db.refresh(message)
    assert message.status is DeliveryStatus.FAILED
    assert message.attempts == 1
    assert message.last_error == "permanent: unreachable number"


def test_a_refused_number_is_neither_kept_nor_logged(db, vault, factory, caplog):
    enqueue(db, vault, MessageChannel.SMS, "13055441314", "办理进度通知")
    db.commit()
    refusal = PermanentFailure("The 'To' number +8613055441314 is not a valid mobile number")
    with caplog.at_level("INFO"):
        run_once(factory, vault, RecordingSender(failure=refusal), worker_name())
    message = db.scalar(select(OutboxMessage))
    db.rollback()
    db.refresh(message)
    assert message.status is DeliveryStatus.FAILED and "not a valid mobile" in message.last_error
    assert "13055441314" not in message.last_error and "13055441314" not in caplog.text


def test_opted_out_number_is_never_messaged(db, vault, factory):
    enqueue(db, vault, MessageChannel.SMS, "13055441314", "queued before STOP")
    db.commit()
    opt_out(db, vault, "+86 130 5544 1314")
    enqueue(db, vault, MessageChannel.SMS, "13055441314", "queued after STOP")
    enqueue(db, vault, MessageChannel.SMS, "13900000000", "someone else")
    db.commit()
    sender = RecordingSender()
    run_once(factory, vault, sender, worker_name())
    assert [m.body for m in sender.sent] == ["someone else"]
    assert statuses(db) == [DeliveryStatus.SUPPRESSED, DeliveryStatus.SUPPRESSED,
                            DeliveryStatus.SENT]


def test_opt_out_between_claim_and_send_still_stops_the_message(db, vault, factory):
    enqueue(db, vault, MessageChannel.SMS, "13055441314", "通知")
    db.commit()
    with factory() as session:
        claimed = claim_due(session, "worker-a")
    opt_out(db, vault, "13055441314")
    db.commit()
    from complaints.outbox.worker import deliver

    sender = RecordingSender()
    with factory() as session:
        deliver(session, vault, sender, claimed[0])
    assert sender.sent == [] and statuses(db) == [DeliveryStatus.SUPPRESSED]


def test_two_workers_never_send_a_message_twice(db, vault, factory):
    for number in range(60):
        enqueue(db, vault, MessageChannel.SMS, f"139{number:08d}", f"message {number}")
    db.commit()
    sender = RecordingSender()
    errors = []

    def work(name):
        try:
            run_once(factory, vault, sender, name)
        except Exception as error:  # surfaced below; a thread cannot fail the test itself
            errors.append(error)

    threads = [threading.Thread(target=work, args=(f"worker-{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    bodies = sorted(m.body for m in sender.sent)
    assert bodies == sorted(f"message {n}" for n in range(60))
    assert set(statuses(db)) == {DeliveryStatus.SENT}


def test_claim_left_by_a_dead_worker_is_failed_not_resent(db, vault, factory):
    with frozen_at(NOON):
        enqueue(db, vault, MessageChannel.SMS, "13055441314", "通知")
    db.commit()
    with frozen_at(NOON), factory() as session:
        claim_due(session, "worker-that-dies")
    sender = RecordingSender()
    with frozen_at(NOON + CLAIM_LEASE + timedelta(seconds=1)):
        run_once(factory, vault, sender, worker_name())
    assert sender.sent == []
    message = db.scalar(select(OutboxMessage))
    db.rollback()
    db.refresh(message)
    assert message.status is DeliveryStatus.FAILED
    assert "worker stopped" in message.last_error


def test_body_over_the_limit_is_refused(db, vault):
    with pytest.raises(ValueError):
        enqueue(db, vault, MessageChannel.SMS, "13055441314", "字" * 1601)


def test_now_is_aware():
    assert now_utc().tzinfo is not None
