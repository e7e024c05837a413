"""Figures the lead unit supervises with: per unit, per week, per township. Plain Python.

Definitions (shown on the board):
- received: cases dispatched to the unit as the responsible unit;
- response rate: of those, the share the unit has acted on (started, returned, or asked to move);
- resolution rate: the share resolved; on-time rate: resolved by the resolve deadline;
- time to resolve: working days from dispatch to resolution, median and 90th percentile;
- solved rate (the column "解决率"): of reporters who answered, the share who said it was fixed
  (the 12345 satisfaction rate, 满意 and 基本满意 over scored answers, is the quarterly report's).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from complaints.cases.tallies import Figure, unit_tallies
from complaints.core.clock import LOCAL_TZ, start_of_local_day
from complaints.db.models import Complaint, Unit


@dataclass(frozen=True)
class UnitFigures:
    unit: str
    unit_name: str
    received: int
    acted_on: int
    resolved: int
    on_time: int
    answered: int
    satisfied: int
    median_days: float | None
    p90_days: float | None

    @property
    def response_rate(self) -> float | None:
        return self.acted_on / self.received if self.received else None

    @property
    def resolution_rate(self) -> float | None:
        return self.resolved / self.received if self.received else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.resolved if self.resolved else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.answered if self.answered else None


def percentile(counts: dict[int, int], share: float) -> float | None:
    """Nearest-rank percentile of values given as {value: how many}: the smallest value with at
    least ``share`` of values at or below."""
    total = sum(counts.values())
    if not total:
        return None
    rank, seen = max(1, math.ceil(share * total)), 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return float(value)
    raise AssertionError("unreachable: the ranks add up to the total")


def unit_figures(session: Session) -> list[UnitFigures]:
    """The figures of each unit that was ever responsible for a case, in the table's order:
    the counts from the tallies the writes keep (``cases.tallies``), the working days from
    their index."""
    tallies = unit_tallies(session)
    # Working days to resolve, counted per unit and value in the database: a few hundred rows
    # whatever the number of cases.
    days: dict[int, dict[int, int]] = defaultdict(dict)
    c = Complaint
    for unit_id, value, count in session.execute(
        select(c.responsible_unit_id, c.working_days_to_resolve, func.count())
        .where(c.working_days_to_resolve.is_not(None), c.responsible_unit_id.is_not(None))
        .group_by(c.responsible_unit_id, c.working_days_to_resolve)
    ):
        if unit_id is not None and value is not None:  # (as the WHERE says; for the types)
            days[unit_id][value] = count
    units = session.scalars(select(Unit).order_by(Unit.sort_order, Unit.id))
    return [
        UnitFigures(
            unit=unit.slug, unit_name=unit.name, received=tallies[(unit.id, Figure.RECEIVED)],
            acted_on=tallies[(unit.id, Figure.ACTED_ON)], resolved=tallies[(unit.id, Figure.RESOLVED)],
            on_time=tallies[(unit.id, Figure.ON_TIME)], answered=tallies[(unit.id, Figure.ANSWERED)],
            satisfied=tallies[(unit.id, Figure.SATISFIED)],
            median_days=percentile(days[unit.id], 0.5), p90_days=percentile(days[unit.id], 0.9),
        )
        for unit in units if tallies[(unit.id, Figure.RECEIVED)]
    ]


def weekly_flow(session: Session, today: date, weeks: int = 12) -> list[tuple[date, int, int]]:
    """(Monday, received, resolved) for the last ``weeks`` weeks, local dates; counted by day in
    the database, so the board reads a few dozen rows, not every case of the weeks."""
    first_monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    since = start_of_local_day(first_monday)
    dialect = session.get_bind().dialect.name
    received: dict[date, int] = defaultdict(int)
    resolved: dict[date, int] = defaultdict(int)
    for column, tally in ((Complaint.received_at, received), (Complaint.resolved_at, resolved)):
        day = _local_day(column, dialect)
        for local, count in session.execute(select(day, func.count()).where(column >= since)
                                            .group_by(day)):
            local = local if isinstance(local, date) else date.fromisoformat(str(local))
            tally[local - timedelta(days=local.weekday())] += count
    mondays = [first_monday + timedelta(weeks=i) for i in range(weeks)]
    return [(monday, received[monday], resolved[monday]) for monday in mondays]


def _local_day(column: InstrumentedAttribute[datetime] | InstrumentedAttribute[datetime | None],
               dialect: str) -> ColumnElement[object]:
    """The local date of a stored UTC moment, in SQL (China keeps +8 all year)."""
    if dialect == "postgresql":
        return func.date(func.timezone(LOCAL_TZ.key, column))
    return func.date(column, "+8 hours")


def open_by_township(session: Session) -> list[tuple[str, int]]:
    """Open cases per township, in the table's order, from the tallies."""
    tallies = unit_tallies(session)
    units = session.scalars(select(Unit).order_by(Unit.sort_order, Unit.id))
    return [(unit.name, tallies[(unit.id, Figure.OPEN_HERE)]) for unit in units
            if tallies[(unit.id, Figure.OPEN_HERE)]]
