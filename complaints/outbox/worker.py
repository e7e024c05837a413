"""Sending what is due: claim, send, record. Each message is sent at most once.

A worker claims a batch of due rows in one short transaction (``FOR UPDATE SKIP
LOCKED`` on PostgreSQL; on SQLite the conditional UPDATE runs under the
database's single write lock), then sends each outside any transaction, then
records the outcome. A row left in ``sending`` by a worker that died is not
sent again, because the message may already have gone: it is marked failed
for a person to look at.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session, sessionmaker

from complaints.core.clock import now_utc
from complaints.core.identity import IdentityVault, mask_long_numbers
from complaints.core.vocabulary import DeliveryStatus, MessageChannel
from complaints.db.models import OutboxMessage
from complaints.outbox.queue import has_opted_out
from complaints.outbox.senders import (
    Delivered,
    NotSent,
    Outgoing,
    PermanentFailure,
    Sender,
    TemporaryFailure,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
# Longer than any provider call can take; a claim older than this belongs to a dead worker.
CLAIM_LEASE = timedelta(minutes=10)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def retry_delay(attempts: int) -> timedelta:
    return min(FIRST_RETRY * (2 ** (attempts - 1)), LONGEST_RETRY)


def claim_due(session: Session, worker: str, limit: int = 20) -> list[int]:
    """Mark up to ``limit`` due rows as ours and return their ids. Commits."""
    now = now_utc()
    candidates = session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == DeliveryStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    claimed: list[int] = []
    if candidates:
        # The status condition makes a second worker's claim of the same row a no-op.
        claimed = list(
            session.scalars(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id.in_(candidates),
                    OutboxMessage.status == DeliveryStatus.PENDING,
                )
                .values(status=DeliveryStatus.SENDING, claimed_by=worker, claimed_at=now)
                .returning(OutboxMessage.id)
            )
        )
    session.commit()
    return sorted(claimed)


def release_abandoned(session: Session) -> int:
    """Fail rows whose worker died mid-send, rather than risk sending them twice. Commits."""
    # An UPDATE without RETURNING gives a CursorResult, which Session.execute is not typed to say.
    result = cast("CursorResult[Any]", session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == DeliveryStatus.SENDING,
            OutboxMessage.claimed_at < now_utc() - CLAIM_LEASE,
        )
        .values(
            status=DeliveryStatus.FAILED,
            last_error="worker stopped while sending; not retried in case it was delivered",
        )
    ))
    session.commit()
    return result.rowcount or 0


def deliver(session: Session, vault: IdentityVault, sender: Sender, message_id: int) -> None:
    """Send one claimed row and record the outcome. Commits."""
    message = session.get(OutboxMessage, message_id)
    assert message is not None and message.status is DeliveryStatus.SENDING
    message.attempts += 1
    if message.channel is MessageChannel.SMS and has_opted_out(session, message.recipient_hash):
        message.status, message.last_error = DeliveryStatus.SUPPRESSED, "recipient opted out"
        session.commit()
        return
    outgoing = Outgoing(
        channel=message.channel,
        recipient=vault.open(message.recipient_sealed, "outbox-recipient"),
        subject=message.subject,
        body=vault.open(message.body_sealed, "outbox-body"),
    )
    # Record the attempt, and hold no transaction while talking to the provider.
    session.commit()
    try:
        outcome = sender.send(outgoing)
    except (TemporaryFailure, PermanentFailure) as raw:
        # A provider's error quotes the number it refused: never kept or logged as such.
        error = type(raw)(mask_long_numbers(str(raw)))
        _record_failure(message, error)
    else:
        if isinstance(outcome, NotSent):
            message.status, message.last_error = DeliveryStatus.NOT_SENT, outcome.reason[:500]
        else:
            assert isinstance(outcome, Delivered)
            message.status = DeliveryStatus.SENT
            message.provider_message_id = outcome.provider_message_id
            message.sent_at = now_utc()
            message.last_error = None
    message.claimed_by = None
    session.commit()


def run_once(
    session_factory: sessionmaker[Session], vault: IdentityVault, sender: Sender, worker: str
) -> int:
    """Send everything due now; return how many rows were handled."""
    handled = 0
    with session_factory() as session:
        release_abandoned(session)
        while ids := claim_due(session, worker):
            for message_id in ids:
                deliver(session, vault, sender, message_id)
            handled += len(ids)
    return handled


def _record_failure(message: OutboxMessage, error: TemporaryFailure | PermanentFailure) -> None:
    if isinstance(error, PermanentFailure):
        message.status = DeliveryStatus.FAILED
        message.last_error = f"permanent: {error}"[:500]
        log.error("outbox message %s: permanent failure: %s", message.id, error)
    elif message.attempts >= MAX_ATTEMPTS:
        message.status = DeliveryStatus.FAILED
        message.last_error = f"gave up after {message.attempts} attempts: {error}"[:500]
        log.warning("outbox message %s: temporary failure, gave up: %s", message.id, error)
    else:
        message.status = DeliveryStatus.PENDING
        message.next_attempt_at = now_utc() + retry_delay(message.attempts)
        message.last_error = f"temporary: {error}"[:500]
        log.warning("outbox message %s: temporary failure: %s", message.id, error)
