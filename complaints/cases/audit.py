"""The audit chain: every case event is linked to the one before it by a hash.

An event's hash is SHA-256 over the previous event's hash and the event's
canonical content (including its place ``seq`` in the chain). Changing an
event, deleting one or swapping two breaks the chain at that point, and
``verify`` names the first broken link. The newest link, the head, is shown
on the lead unit's board and printed on every quarterly report, so anyone
can later check that nothing changed behind it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.db.models import AuditHead, CaseEvent

GENESIS = "0" * 64
FORMAT = 1  # the canonical form below; changing it would break every existing chain


def canonical(
    *, seq: int, complaint_id: int | None, occurred_at: datetime, actor_user_id: int | None,
    actor_kind: str, action: str, from_status: str | None, to_status: str | None,
    note: str | None, details: dict[str, Any] | None, clue_id: int | None = None,
) -> bytes:
    content: dict[str, Any] = {
        "format": FORMAT,
        "seq": seq,
        "complaint_id": complaint_id,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_user_id": actor_user_id,
        "actor_kind": actor_kind,
        "action": action,
        "from_status": from_status,
        "to_status": to_status,
        "note": note,
        "details": details,
    }
    # Only a clue's events carry it: every event hashed before clues existed keeps its hash.
    if clue_id is not None:
        content["clue_id"] = clue_id
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def link_hash(prev_hash: str, content: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + content).hexdigest()


CONTENT_FIELDS = ("complaint_id", "clue_id", "occurred_at", "actor_user_id", "actor_kind",
                  "action", "from_status", "to_status", "note", "details")


def event_content(event: CaseEvent) -> bytes:
    return canonical(seq=event.seq, **{name: getattr(event, name) for name in CONTENT_FIELDS})


def next_link(session: Session, fields: dict[str, Any]) -> tuple[int, str, str]:
    """Take the next place in the chain for an event with these fields: (seq, prev_hash, hash).

    The head row is locked until the transaction ends, so two requests can
    never take the same place (SQLite's IMMEDIATE transactions do the same).
    """
    head = session.scalar(select(AuditHead).where(AuditHead.id == 1).with_for_update())
    if head is None:  # the migration creates it; a database made otherwise starts here
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        session.add(head)
    seq = head.seq + 1
    digest = link_hash(head.hash, canonical(seq=seq, **fields))
    prev_hash = head.hash
    head.seq, head.hash = seq, digest
    return seq, prev_hash, digest


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    problem: str | None = None
    broken_seq: int | None = None


def verify(session: Session, batch: int = 2000) -> Verdict:
    """Walk the whole chain in order; stop at the first link that does not hold."""
    head = session.get(AuditHead, 1)
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    last_seq = 0
    while True:
        events = session.scalars(
            select(CaseEvent).where(CaseEvent.seq > last_seq).order_by(CaseEvent.seq).limit(batch)
        ).all()
        if not events:
            break
        for event in events:
            if event.seq != expected_seq:
                return Verdict(False, checked, head_seq, head_hash,
                               f"event {expected_seq} is missing", expected_seq)
            if event.prev_hash != expected_prev:
                return Verdict(False, checked, head_seq, head_hash,
                               f"event {event.seq} does not follow event {event.seq - 1}",
                               event.seq)
            if link_hash(event.prev_hash, event_content(event)) != event.hash:
                return Verdict(False, checked, head_seq, head_hash,
                               f"event {event.seq} (case event id {event.id}) was altered",
                               event.seq)
            expected_prev, expected_seq, checked = event.hash, event.seq + 1, checked + 1
        last_seq = events[-1].seq
        session.expunge_all()
    if checked != head_seq or expected_prev != head_hash:
        return Verdict(False, checked, head_seq, head_hash,
                       f"the chain ends at event {checked} but its head says {head_seq}",
                       checked + 1)
    return Verdict(True, checked, head_seq, head_hash)
