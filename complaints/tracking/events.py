"""Appending to a case's event log: the only way anything is written there, each event
linked into the audit chain."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from complaints.clock import now_utc
from complaints.tracking.audit import next_link
from complaints.tracking.holdings import follow
from complaints.models import NOTE_MAX, CaseEvent, Complaint, User


def record_event(
    session: Session,
    complaint: Complaint,
    action: str,
    *,
    actor: User | None = None,
    actor_kind: str | None = None,
    note: str | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    details: dict[str, Any] | None = None,
) -> CaseEvent:
    if note is not None and len(note) > NOTE_MAX:
        raise ValueError(f"an event note holds at most {NOTE_MAX} characters")
    if complaint.id is None:
        # The case's id is part of the event's hashed content.
        session.add(complaint)
        session.flush()
    fields: dict[str, Any] = {
        "complaint_id": complaint.id,
        "occurred_at": now_utc(),
        "actor_user_id": actor.id if actor else None,
        "actor_kind": actor_kind or (actor.role.value if actor else "system"),
        "action": action,
        "from_status": from_status,
        "to_status": to_status,
        "note": note,
        "details": details,
    }
    seq, prev_hash, digest = next_link(session, fields)
    event = CaseEvent(**fields, seq=seq, prev_hash=prev_hash, hash=digest)
    event.complaint = complaint
    session.add(event)
    follow(session, event)
    return event
