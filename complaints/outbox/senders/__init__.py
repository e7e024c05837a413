"""Senders deliver one message. Each provider is one small class chosen by config:
``log.LogOnlySender`` (no provider) and ``twilio.TwilioSender``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from complaints.core.vocabulary import MessageChannel


@dataclass(frozen=True)
class Outgoing:
    channel: MessageChannel
    recipient: str
    subject: str | None
    body: str


@dataclass(frozen=True)
class Delivered:
    provider_message_id: str | None


@dataclass(frozen=True)
class NotSent:
    """Recorded but deliberately not sent (no provider); never retried."""

    reason: str


class TemporaryFailure(Exception):
    """Try again later: the provider is down, slow or throttling."""


class PermanentFailure(Exception):
    """Retrying will not help: a bad number, a refused message."""


class Sender(Protocol):
    def send(self, message: Outgoing) -> Delivered | NotSent: ...
