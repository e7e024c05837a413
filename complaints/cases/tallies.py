"""The board's per-unit figures, kept current by the writes rather than counted over every case
on each view (issue 18).

A case counts towards a few figures of its responsible unit (received, acted on, resolved, on
time, answered, said fixed) and, while open, of its township. Every flush that writes cases notes
the difference between what each counted for before and after; the transaction adds them up, in
one statement, as it commits, to rows split over ``SHARDS`` by case id. A row a filing adds to is
then locked only while the transaction commits, not for the rest of the request, and filings
about different cases update different rows: the figures never serialise the county's writes.
A figure is the sum of its shards. (Inside a savepoint, which may be rolled back on its own, a
flush adds its difference at once.)

``recount`` counts the same figures from the cases themselves: ``rebuild`` (after cases were
loaded other than through the app) sets the tallies to it, and the tests hold the two equal.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import case, delete, func, insert, inspect, select
from sqlalchemy import event as orm_event
from sqlalchemy.orm import Session, SessionTransaction

from complaints.core.vocabulary import OPEN_STATUSES, CaseStatus
from complaints.db.base import conflict_insert
from complaints.db.models import CaseTally, Complaint

SHARDS = 8
# The unit has acted on the case: started, returned, resolved it, or asked to move it.
ACTED_ON = frozenset({CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED, CaseStatus.CLOSED,
                      CaseStatus.RETURNED, CaseStatus.TRANSFERRED})
# What a case's figures are read from; a change to any other column changes no figure.
COUNTED = ("responsible_unit_id", "township_id", "status", "resolved_at", "resolve_due_at",
           "reporter_says_fixed")


class Figure(enum.StrEnum):
    RECEIVED = "received"      # dispatched to the unit as the responsible unit
    ACTED_ON = "acted_on"
    RESOLVED = "resolved"
    ON_TIME = "on_time"        # resolved by the resolve deadline
    ANSWERED = "answered"      # the reporter said whether it was fixed
    SATISFIED = "satisfied"    # ... and said it was
    OPEN_HERE = "open_here"    # open, in the unit's township


Key = tuple[int, Figure]


def counts_towards(values: dict[str, Any]) -> list[Key]:
    """The figures a case with these column values counts towards."""
    keys: list[Key] = []
    unit = values["responsible_unit_id"]
    if unit is not None:
        resolved, due, fixed = values["resolved_at"], values["resolve_due_at"], values["reporter_says_fixed"]
        keys.append((unit, Figure.RECEIVED))
        if values["status"] in ACTED_ON:
            keys.append((unit, Figure.ACTED_ON))
        if resolved is not None:
            keys.append((unit, Figure.RESOLVED))
            if due is not None and resolved <= due:
                keys.append((unit, Figure.ON_TIME))
        if fixed is not None:
            keys.append((unit, Figure.ANSWERED))
            if fixed:
                keys.append((unit, Figure.SATISFIED))
    if values["township_id"] is not None and values["status"] in OPEN_STATUSES:
        keys.append((values["township_id"], Figure.OPEN_HERE))
    return keys


def unit_tallies(session: Session) -> Counter[Key]:
    """Every unit's figures, summed over the shards: a few dozen rows whatever the cases; with
    what this transaction has written so far."""
    session.flush()
    rows = session.execute(select(CaseTally.unit_id, CaseTally.figure, func.sum(CaseTally.count))
                           .group_by(CaseTally.unit_id, CaseTally.figure))
    found: Counter[Key] = Counter({(unit, Figure(figure)): int(total) for unit, figure, total in rows})
    # Not written here: inside a savepoint the write could be rolled back with it.
    for _shard, unit, figure, difference in session.info.get(_PENDING, []):
        found[(unit, figure)] += difference
    return +found


def recount(session: Session) -> Counter[Key]:
    """The same figures counted from every case: what the tallies must equal."""
    c = Complaint
    unit = c.responsible_unit_id.is_not(None)
    conditions = {
        Figure.RECEIVED: unit,
        Figure.ACTED_ON: unit & c.status.in_(ACTED_ON),
        Figure.RESOLVED: unit & c.resolved_at.is_not(None),
        Figure.ON_TIME: unit & (c.resolved_at <= c.resolve_due_at),
        Figure.ANSWERED: unit & c.reporter_says_fixed.is_not(None),
        Figure.SATISFIED: unit & c.reporter_says_fixed.is_(True),
    }
    per_unit = session.execute(select(c.responsible_unit_id, *(
        func.sum(case((condition, 1), else_=0)) for condition in conditions.values()
    )).where(unit).group_by(c.responsible_unit_id))
    found: Counter[Key] = Counter()
    for unit_id, *counts in per_unit:
        for figure, count in zip(conditions, counts, strict=True):
            found[(unit_id, figure)] = int(count or 0)
    for township, count in session.execute(
            select(c.township_id, func.count()).where(c.township_id.is_not(None),
                                                      c.status.in_(OPEN_STATUSES))
            .group_by(c.township_id)):
        if township is not None:  # (as the WHERE says; for the types)
            found[(township, Figure.OPEN_HERE)] = count
    return +found  # (without the zeros, as ``unit_tallies`` reads them)


def rebuild(session: Session) -> None:
    """Set the tallies to the recount, in one shard (after a bulk load or a restore)."""
    session.flush()
    session.info.pop(_PENDING, None)  # the recount holds what they would add
    session.execute(delete(CaseTally))
    rows = [{"unit_id": unit, "figure": str(figure), "shard": 0, "count": count}
            for (unit, figure), count in sorted(recount(session).items())]
    if rows:
        session.execute(insert(CaseTally), rows)


def _add(session: Session, changes: Iterable[tuple[int, int, Figure, int]]) -> None:
    """Add each (shard, unit, figure, difference) in one statement, in key order: two
    transactions touching the same rows take them in the same order, never deadlocking."""
    totals: Counter[tuple[int, str, int]] = Counter()
    for shard, unit, figure, difference in changes:
        totals[(unit, str(figure), shard)] += difference
    rows = [{"unit_id": unit, "figure": figure, "shard": shard, "count": difference}
            for (unit, figure, shard), difference in sorted(totals.items()) if difference]
    if not rows:
        return
    connection = session.connection()
    upsert = conflict_insert(connection.dialect)
    statement = upsert(CaseTally).values(rows)
    connection.execute(statement.on_conflict_do_update(
        index_elements=[CaseTally.unit_id, CaseTally.figure, CaseTally.shard],
        set_={"count": CaseTally.count + statement.excluded["count"]}))


_BEFORE = "tallies.before"
_PENDING = "tallies.pending"  # the differences this transaction will add as it commits


@orm_event.listens_for(Session, "before_flush")
def _note_what_cases_counted_for(session: Session, _context: object, _instances: object) -> None:
    """Before the flush: what each changed case counted towards as last written."""
    before: dict[int, list[Key]] = {}
    for record in (*session.dirty, *session.deleted):
        if isinstance(record, Complaint) and record.id is not None:
            before[id(record)] = counts_towards(_as_written(record))
    session.info[_BEFORE] = before


@orm_event.listens_for(Session, "after_flush")
def _add_the_differences(session: Session, _context: object) -> None:
    """After it (ids and foreign keys known): the difference, added to the tallies."""
    before: dict[int, list[Key]] = session.info.pop(_BEFORE, {})
    changes: list[tuple[int, int, Figure, int]] = []
    for record in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(record, Complaint):
            continue
        was = before.get(id(record), [])
        now = [] if record in session.deleted else counts_towards(
            {name: getattr(record, name) for name in COUNTED})
        if was == now:
            continue
        shard = record.id % SHARDS
        changes += [(shard, unit, figure, -1) for unit, figure in was]
        changes += [(shard, unit, figure, 1) for unit, figure in now]
    if session.in_nested_transaction():
        _add(session, changes)
    else:
        session.info.setdefault(_PENDING, []).extend(changes)


@orm_event.listens_for(Session, "before_commit")
def _add_as_it_commits(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released (the event fires for those too): the outer commit adds
    session.flush()  # (the commit's own flush comes after this event: its changes count too)
    _add(session, session.info.pop(_PENDING, []))


@orm_event.listens_for(Session, "after_transaction_end")
def _forget_on_rollback(session: Session, transaction: SessionTransaction) -> None:
    """What a transaction rolled back never happened: its differences go with it."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def _as_written(record: Complaint) -> dict[str, Any]:
    """The counted columns as the database holds them, before this flush: the value a change
    replaced (the columns keep it, ``active_history``), else the value as loaded."""
    state = inspect(record)
    values = {}
    for name in COUNTED:
        history = state.attrs[name].history
        kept = history.non_added()
        values[name] = kept[0] if kept else (None if history.added else getattr(record, name))
    return values

