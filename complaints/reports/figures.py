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

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from complaints.core.clock import LOCAL_TZ, start_of_local_day
from complaints.core.vocabulary import OPEN_STATUSES, CaseStatus
from complaints.db.models import Complaint, Unit

ACTED_ON = (CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED, CaseStatus.CLOSED,
            CaseStatus.RETURNED, CaseStatus.TRANSFERRED)


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


def percentile(values: list[int], share: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least ``share`` of values at or below."""
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[max(0, math.ceil(share * len(ordered)) - 1)])


def unit_figures(session: Session) -> list[UnitFigures]:
    c = Complaint
    counts = session.execute(
        select(
            c.responsible_unit_id,
            func.count(),
            func.sum(case((c.status.in_(ACTED_ON), 1), else_=0)),
            func.sum(case((c.resolved_at.is_not(None), 1), else_=0)),
            func.sum(case((c.resolved_at <= c.resolve_due_at, 1), else_=0)),
            func.sum(case((c.reporter_says_fixed.is_not(None), 1), else_=0)),
            func.sum(case((c.reporter_says_fixed.is_(True), 1), else_=0)),
        ).where(c.responsible_unit_id.is_not(None)).group_by(c.responsible_unit_id)
    ).all()
    days: dict[int, list[int]] = defaultdict(list)
    for unit_id, value in session.execute(
        select(c.responsible_unit_id, c.working_days_to_resolve)
        .where(c.working_days_to_resolve.is_not(None))
    ):
        # Both are known: the WHERE leaves out cases without working days, and cases no unit
        # is responsible for are not among the counts.
        if unit_id is not None and value is not None:
            days[unit_id].append(value)
    units = {unit.id: unit for unit in session.scalars(select(Unit))}
    figures = [
        UnitFigures(
            unit=units[unit_id].slug, unit_name=units[unit_id].name, received=received,
            acted_on=acted or 0, resolved=resolved or 0, on_time=on_time or 0,
            answered=answered or 0, satisfied=satisfied or 0,
            median_days=percentile(days[unit_id], 0.5), p90_days=percentile(days[unit_id], 0.9),
        )
        for unit_id, received, acted, resolved, on_time, answered, satisfied in counts
    ]
    order = {unit.id: unit.sort_order for unit in units.values()}
    slug_to_id = {unit.slug: unit.id for unit in units.values()}
    return sorted(figures, key=lambda f: order[slug_to_id[f.unit]])


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
    rows = session.execute(
        select(Unit.name, func.count(Complaint.id))
        .join(Complaint, Complaint.township_id == Unit.id)
        .where(Complaint.status.in_(OPEN_STATUSES))
        .group_by(Unit.name, Unit.sort_order).order_by(Unit.sort_order)
    ).all()
    return [(name, count) for name, count in rows]
