"""The sender used when no provider is configured."""

from __future__ import annotations

from complaints.outbox.senders import NotSent, Outgoing


class LogOnlySender:
    """Nothing leaves the machine, nothing is dropped: the row records why it was not sent."""

    def send(self, message: Outgoing) -> NotSent:
        return NotSent("not sent: no provider configured")
