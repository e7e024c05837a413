"""Messages to and from people: the outbox, inbound SMS, hotline calls, opt-outs."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaints.core.clock import now_utc
from complaints.core.limits import MESSAGE_BODY_MAX, PHONE_MAX
from complaints.core.vocabulary import (
    DeliveryStatus,
    MessageChannel,
)
from complaints.db.base import Base, UTCDateTime, enum_column

if TYPE_CHECKING:
    from complaints.db.models.accounts import User
    from complaints.db.models.cases import Complaint


class OutboxMessage(Base):
    """A message to a person, written in the same transaction as its cause."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[MessageChannel] = mapped_column(enum_column(MessageChannel, "channel"))
    # Recipients may be reporters: sealed like any reporter identity.
    recipient_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    recipient_hash: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str | None] = mapped_column(String(200))
    # Sealed too: a receipt carries the reporter's query code, a reply their case.
    body_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_column(DeliveryStatus, "status"), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    provider_message_id: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)

    complaint: Mapped[Complaint | None] = relationship()


class InboundSms(Base):
    """An SMS exactly as Twilio handed it over, kept before anything is done with it."""

    __tablename__ = "inbound_sms"
    # The worker's queue: the few messages not yet acted on, oldest first.
    __table_args__ = (Index("ix_inbound_sms_waiting", "id", sqlite_where=text("kind IS NULL"),
                            postgresql_where=text("kind IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_sid: Mapped[str] = mapped_column(String(64), unique=True)
    from_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    from_hash: Mapped[str] = mapped_column(String(64), index=True)
    to_number: Mapped[str] = mapped_column(String(PHONE_MAX))
    body: Mapped[str] = mapped_column(String(MESSAGE_BODY_MAX))
    media_urls: Mapped[list[str] | None] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    # What it became: new, follow-up, query, help, stop, empty, feedback; None while it waits
    # for the worker (intake.sms.file_waiting), set-aside if it could not be acted on.
    kind: Mapped[str | None] = mapped_column(String(20))
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    # What was answered (by SMS); sealed, as a receipt holds the query code. None where nothing
    # was: a short code, or a number past its answers for the hour (SMS_REPLIES_PER_HOUR).
    reply_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)


class CallLog(Base):
    """A call to the hotline: a voicemail waiting for an operator, or a call an operator logged."""

    __tablename__ = "call_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    caller_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    caller_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    recording_url: Mapped[str | None] = mapped_column(String(500))
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    called_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    # voicemail: waiting in the operators' queue; logged: an operator has written it up.
    state: Mapped[str] = mapped_column(String(20), index=True)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))

    operator: Mapped[User | None] = relationship()
    complaint: Mapped[Complaint | None] = relationship()


class SmsOptOut(Base):
    """A phone number that sent STOP: it is never messaged again."""

    __tablename__ = "sms_opt_outs"

    phone_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    opted_out_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
