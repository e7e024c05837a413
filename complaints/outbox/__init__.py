"""One place for outgoing messages.

Code that wants to tell a person something calls ``enqueue`` inside the
transaction that caused it; if that transaction rolls back, no message exists.
The worker (``flask --app complaints.app outbox run``) sends what is due through the
configured ``Sender``.
"""

from complaints.outbox.queue import enqueue, opt_in, opt_out

__all__ = ["enqueue", "opt_in", "opt_out"]
