"""Who held each case, under which deadline, over time: stretches derived from the events.

``holder_after`` is the one rule. ``record_event`` applies it to each new event
(``follow``), the migration and the benchmark apply it to existing histories
(``replay``), and ``mismatch`` replays all events to check the stored stretches,
so the derived rows can never quietly part from the event log they come from.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import zip_longest
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from complaints.core.vocabulary import (
    DISPATCHES,
    HOLDING_CHANGES,
    NEW_DEADLINES,
    RELEASES,
    EventKind,
)
from complaints.db.models import CaseEvent, CaseHolding


@dataclass(frozen=True)
class Holder:
    unit: str
    due_at: datetime | None
    since: datetime


def holder_after(current: Holder | None, action: str, details: dict[str, Any] | None,
                 when: datetime) -> Holder | None:
    """Who holds the case after an event: ``current`` itself when the event changes nothing,
    ``None`` when no unit holds it (returned to the lead unit, resolved, rejected)."""
    details = details or {}
    due = datetime.fromisoformat(details["due"]) if details.get("due") else None
    if action in DISPATCHES:
        unit = details.get("unit") if action == EventKind.ASSIGN else details.get("to")
        return Holder(unit, due, when) if unit else None
    if action in NEW_DEADLINES:
        return Holder(current.unit, due, when) if current and due else current
    if action in RELEASES:
        return None
    return current


def follow(session: Session, event: CaseEvent) -> None:
    """Keep the case's stretches in step with a newly recorded event."""
    if event.action not in HOLDING_CHANGES:
        return
    open_row = session.scalar(select(CaseHolding).where(
        CaseHolding.complaint_id == event.complaint_id, CaseHolding.held_until.is_(None)))
    current = Holder(open_row.unit, open_row.due_at, open_row.held_from) if open_row else None
    after = holder_after(current, event.action, event.details, event.occurred_at)
    if after is current:
        return
    if open_row is not None:
        open_row.held_until = event.occurred_at
    if after is not None:
        session.add(CaseHolding(complaint_id=event.complaint_id, unit=after.unit,
                                held_from=after.since, due_at=after.due_at))


Stretch = tuple[int, str, datetime, datetime | None, datetime | None]
"""(complaint id, unit, held from, held until, due at)"""


def replay(events: Iterable[tuple[int, str, dict[str, Any] | None, datetime]]) -> Iterator[Stretch]:
    """The stretches that events (complaint id, action, details, occurred at), ordered by
    case and then by their place in the chain, add up to."""
    case_id: int | None = None
    current: Holder | None = None
    for complaint_id, action, details, when in events:
        if complaint_id != case_id:
            if current is not None and case_id is not None:
                yield case_id, current.unit, current.since, None, current.due_at
            case_id, current = complaint_id, None
        after = holder_after(current, action, details, when)
        if after is not current:
            if current is not None:
                yield complaint_id, current.unit, current.since, when, current.due_at
            current = after
    if current is not None and case_id is not None:
        yield case_id, current.unit, current.since, None, current.due_at


def mismatch(session: Session, batch: int = 5000) -> int | None:
    """The first case whose stored stretches differ from a replay of its events, if any."""
    events = session.execute(
        select(CaseEvent.complaint_id, CaseEvent.action, CaseEvent.details, CaseEvent.occurred_at)
        .where(CaseEvent.action.in_(HOLDING_CHANGES))
        .order_by(CaseEvent.complaint_id, CaseEvent.seq).execution_options(yield_per=batch))
    stored = session.execute(
        select(CaseHolding.complaint_id, CaseHolding.unit, CaseHolding.held_from,
               CaseHolding.held_until, CaseHolding.due_at)
        # Rows are written in the order of the events that made them, as replay yields them.
        .order_by(CaseHolding.complaint_id, CaseHolding.id)
        .execution_options(yield_per=batch))
    try:
        # Rows unpacked into plain tuples, as replay yields them; ``tuple(row)`` would lose
        # the column types.
        expected_rows = replay((*row,) for row in events)
        for expected, row in zip_longest(expected_rows, ((*row,) for row in stored)):
            if expected != row:
                return min(r[0] for r in (expected, row) if r is not None)
        return None
    finally:
        events.close()
        stored.close()


def held_at(moment: datetime) -> Select[int, str, datetime | None]:
    """(complaint id, unit, deadline in force) for every case a unit held at ``moment``."""
    return (select(CaseHolding.complaint_id, CaseHolding.unit, CaseHolding.due_at)
            .where(CaseHolding.held_from < moment,
                   or_(CaseHolding.held_until.is_(None), CaseHolding.held_until >= moment)))
