"""Writing to the outbox, and the opt-out list it honours."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.core.clock import now_utc
from complaints.core.identity import IdentityVault, normalise_phone
from complaints.core.limits import MESSAGE_BODY_MAX
from complaints.core.vocabulary import DeliveryStatus, MessageChannel
from complaints.db.models import Complaint, OutboxMessage, SmsOptOut


def recipient_hash(vault: IdentityVault, channel: MessageChannel, recipient: str) -> str:
    if channel is MessageChannel.SMS:
        return vault.phone_hash(recipient)
    return vault.lookup_hash(recipient.lower(), "email")


def enqueue(
    session: Session,
    vault: IdentityVault,
    channel: MessageChannel,
    recipient: str,
    body: str,
    *,
    subject: str | None = None,
    complaint: Complaint | None = None,
) -> OutboxMessage:
    if channel is MessageChannel.SMS:
        recipient = normalise_phone(recipient)
    if len(body) > MESSAGE_BODY_MAX:
        raise ValueError(f"a message body holds at most {MESSAGE_BODY_MAX} characters")
    hashed = recipient_hash(vault, channel, recipient)
    message = OutboxMessage(
        channel=channel,
        recipient_sealed=vault.seal(recipient, "outbox-recipient"),
        recipient_hash=hashed,
        subject=subject,
        body_sealed=vault.seal(body, "outbox-body"),
        complaint=complaint,
        status=DeliveryStatus.PENDING,
        created_at=now_utc(),
        next_attempt_at=now_utc(),
    )
    if channel is MessageChannel.SMS and has_opted_out(session, hashed):
        message.status = DeliveryStatus.SUPPRESSED
        message.last_error = "recipient opted out"
    session.add(message)
    session.flush()
    return message


def has_opted_out(session: Session, phone_hash: str) -> bool:
    return session.get(SmsOptOut, phone_hash) is not None


def opt_out(session: Session, vault: IdentityVault, phone: str) -> None:
    """Stop all SMS to ``phone``, including messages already waiting."""
    hashed = vault.phone_hash(normalise_phone(phone))
    if session.get(SmsOptOut, hashed) is None:
        session.add(SmsOptOut(phone_hash=hashed))
    for message in session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.recipient_hash == hashed,
            OutboxMessage.channel == MessageChannel.SMS,
            OutboxMessage.status == DeliveryStatus.PENDING,
        )
    ):
        message.status = DeliveryStatus.SUPPRESSED
        message.last_error = "recipient opted out"
    session.flush()


def opt_in(session: Session, vault: IdentityVault, phone: str) -> None:
    """SMS to ``phone`` again, from now on (what ``opt_out`` suppressed stays unsent)."""
    opted_out = session.get(SmsOptOut, vault.phone_hash(normalise_phone(phone)))
    if opted_out is not None:
        session.delete(opted_out)
        session.flush()
