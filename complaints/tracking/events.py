"""Appending to a case's event log: the only way anything is written there."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from complaints.clock import now_utc
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
    event = CaseEvent(
        complaint=complaint,
        occurred_at=now_utc(),
        action=action,
        actor=actor,
        actor_kind=actor_kind or (actor.role.value if actor else "system"),
        note=note,
        from_status=from_status,
        to_status=to_status,
        details=details,
    )
    session.add(event)
    return event
