"""The quarterly clue-transfer report (季度问题线索情况报告) for the commission. Plain Python.

Every figure comes from the case events (what happened, when), and from the
stretches derived from them (which unit held a case, under which deadline,
``tracking.holdings``), aggregated in SQL, so a report for a past quarter made
today gives the numbers it gave at that quarter's end. No reporter identity
appears: summaries have long digit runs (phone numbers) masked.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from complaints.cases.holdings import held_at
from complaints.core.clock import LOCAL_TZ, deadline_day, start_of_local_day
from complaints.core.identity import mask_long_numbers
from complaints.core.vocabulary import DISPATCHES, UNIT_TRANSFERS, EventKind
from complaints.db.models import AuditHead, CaseEvent, Complaint
from complaints.reports.figures import percentile
from complaints.routing.table import RoutingTable

QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


class ReportError(ValueError):
    pass


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = QUARTER.match(text.strip().upper())
        if not match:
            raise ReportError(f"a quarter looks like 2026Q3, not {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def next_first_day(self) -> date:
        return date(self.year + 1, 1, 1) if self.number == 4 else date(self.year, 3 * self.number + 1, 1)

    @property
    def start(self) -> datetime:
        return start_of_local_day(self.first_day)

    @property
    def end(self) -> datetime:
        return start_of_local_day(self.next_first_day)


@dataclass
class UnitRow:
    unit: str
    name: str
    received: int = 0
    carried_over: int = 0
    resolved: int = 0
    resolved_on_time: int = 0
    in_progress: int = 0
    transferred_out: dict[str, int] = field(default_factory=dict)
    to_commission: int = 0
    returned: int = 0
    overdue: int = 0
    extensions: int = 0
    median_days: float | None = None
    p90_days: float | None = None
    asked: int = 0
    satisfied: int = 0

    @property
    def transferred_total(self) -> int:
        return sum(self.transferred_out.values())


@dataclass(frozen=True)
class ClueLine:
    tracking_number: str
    received_on: date
    transferred_on: date
    unit: str
    summary: str
    action: str


@dataclass(frozen=True)
class OverdueLine:
    tracking_number: str
    township_id: int | None
    unit_slug: str
    unit: str
    due_on: date
    days_overdue: int
    summary: str


@dataclass
class QuarterlyReport:
    quarter: Quarter
    author: str                 # the lead unit, which reports to the commission
    generated_at: datetime
    chain_seq: int
    chain_hash: str
    rows: list[UnitRow]
    total: UnitRow
    clues: list[ClueLine]
    overdue: list[OverdueLine]


def _json(key: str) -> ColumnElement[str]:
    return CaseEvent.details[key].as_string()


def _unit_after() -> ColumnElement[str]:
    """Which unit holds the case after a dispatch."""
    return case((CaseEvent.action == EventKind.ASSIGN, _json("unit")),
                (CaseEvent.action.in_(UNIT_TRANSFERS), _json("to")),
                else_=None)


def _in_quarter(q: Quarter) -> ColumnElement[bool]:
    return and_(CaseEvent.occurred_at >= q.start, CaseEvent.occurred_at < q.end)


@dataclass
class _Tally:
    """The report's rows by unit slug while the passes add to them."""

    rows: dict[str, UnitRow]
    lead: str  # a case no unit held counts for the lead unit

    def row(self, slug: str | None) -> UnitRow | None:
        return self.rows.get(slug or self.lead)

    def add(self, slug: str | None, attribute: str, count: int) -> None:
        row = self.row(slug)
        if row is not None:
            setattr(row, attribute, getattr(row, attribute) + count)


def quarterly_report(session: Session, table: RoutingTable, quarter: Quarter,
                     now: datetime) -> QuarterlyReport:
    units = list(table.handling_units)
    tally = _Tally({u.slug: UnitRow(u.slug, u.name) for u in units}, table.lead_unit.slug)
    in_q = _in_quarter(quarter)
    received_cases = _count_received(session, tally, in_q)
    # For the quarter still running, "at the end" means now.
    end = min(quarter.end, now)
    _count_held(session, tally, quarter.start, end)
    days = _count_resolutions(session, tally, in_q)
    _count_unit_events(session, tally, in_q)
    _count_transfers(session, tally, table, in_q)
    _count_feedback(session, tally, in_q)
    overdue = overdue_at(session, table, end)
    for slug, count in Counter(line.unit_slug for line in overdue).items():
        tally.add(slug, "overdue", count)
    for slug, values in days.items():
        if slug in tally.rows:
            tally.rows[slug].median_days = percentile(values, 0.5)
            tally.rows[slug].p90_days = percentile(values, 0.9)

    ordered = [tally.rows[u.slug] for u in units]
    head = session.get(AuditHead, 1)
    return QuarterlyReport(
        quarter=quarter, author=table.lead_unit.name, generated_at=now, chain_seq=head.seq if head else 0,
        chain_hash=head.hash if head else "0" * 64, rows=ordered,
        total=_total(ordered, received_cases, days),
        clues=_clues(session, table, quarter), overdue=overdue,
    )


def _count_received(session: Session, tally: _Tally, in_q: ColumnElement[bool]) -> int:
    """Add each unit's cases received in the quarter; the number of distinct cases."""
    # JSON lookups are grouped through a subquery's named column: PostgreSQL does not see
    # two copies of a parameterised expression as the same GROUP BY expression.
    dispatched = (select(_unit_after().label("unit"), CaseEvent.complaint_id)
                  .where(CaseEvent.action.in_(DISPATCHES), in_q).subquery())
    # Each (unit, case) once: a unit counts a case it was sent twice once, and the total
    # counts a case moved between units once. One pass, shared by both.
    received: Counter[str | None] = Counter()
    received_cases: set[int] = set()
    for slug, case_id in session.execute(
            select(dispatched.c.unit, dispatched.c.complaint_id)
            .group_by(dispatched.c.unit, dispatched.c.complaint_id)):
        received[slug] += 1
        received_cases.add(case_id)
    for slug, count in received.items():
        tally.add(slug, "received", count)
    return len(received_cases)


def _count_held(session: Session, tally: _Tally, start: datetime, end: datetime) -> None:
    for attribute, moment in (("carried_over", start), ("in_progress", end)):
        held = held_at(moment).subquery()
        for slug, count in session.execute(
                select(held.c.unit, func.count()).group_by(held.c.unit)):
            tally.add(slug, attribute, count)


def _count_resolutions(session: Session, tally: _Tally,
                       in_q: ColumnElement[bool]) -> dict[str, list[int]]:
    """Add the quarter's resolutions; the working days each took, by unit."""
    # One pass: each resolution is counted and its working days kept for the median,
    # which SQLite cannot compute.
    days: dict[str, list[int]] = defaultdict(list)
    resolved: Counter[str] = Counter()
    on_time: Counter[str] = Counter()
    for slug, was_on_time, value in session.execute(
            select(_json("unit"), CaseEvent.details["on_time"].as_boolean(),
                   CaseEvent.details["working_days"].as_integer())
            .where(CaseEvent.action == EventKind.RESOLVE, in_q)):
        slug = slug or tally.lead
        resolved[slug] += 1
        on_time[slug] += bool(was_on_time)
        if value is not None:
            days[slug].append(value)
    for slug, count in resolved.items():
        tally.add(slug, "resolved", count)
        tally.add(slug, "resolved_on_time", on_time[slug])
    return days


# Events counted for the unit their details name, and the figure each adds to.
UNIT_EVENT_FIGURES = ((EventKind.RETURN, "returned"), (EventKind.TRANSFER_CLUE, "to_commission"),
                      (EventKind.GRANT_EXTENSION, "extensions"))


def _count_unit_events(session: Session, tally: _Tally, in_q: ColumnElement[bool]) -> None:
    for action, attribute in UNIT_EVENT_FIGURES:
        events = (select(_json("unit").label("unit"))
                  .where(CaseEvent.action == action, in_q).subquery())
        for slug, count in session.execute(
                select(events.c.unit, func.count()).group_by(events.c.unit)):
            tally.add(slug, attribute, count)


def _count_transfers(session: Session, tally: _Tally, table: RoutingTable,
                     in_q: ColumnElement[bool]) -> None:
    transfers = (select(_json("unit").label("unit"), _json("to").label("target"))
                 .where(CaseEvent.action.in_(UNIT_TRANSFERS), in_q).subquery())
    for source, target, count in session.execute(
            select(transfers.c.unit, transfers.c.target, func.count())
            .group_by(transfers.c.unit, transfers.c.target)):
        row = tally.row(source)
        if row is not None and target:
            name = table.unit(target).name
            row.transferred_out[name] = row.transferred_out.get(name, 0) + count


def _count_feedback(session: Session, tally: _Tally, in_q: ColumnElement[bool]) -> None:
    answers = (select(_json("unit").label("unit"),
                      case((CaseEvent.details["fixed"].as_boolean(), 1), else_=0).label("fixed"))
               .where(CaseEvent.action == EventKind.REPORTER_FEEDBACK, in_q).subquery())
    for slug, count, fixed in session.execute(
            select(answers.c.unit, func.count(), func.sum(answers.c.fixed))
            .group_by(answers.c.unit)):
        tally.add(slug, "asked", count)
        tally.add(slug, "satisfied", fixed or 0)


# The figures whose total is the sum over the units. Not "received": a case moved between
# units counts once in the total.
SUMMED = ("carried_over", "resolved", "resolved_on_time", "in_progress", "to_commission",
          "returned", "overdue", "extensions", "asked", "satisfied")


def _total(rows: list[UnitRow], received_cases: int, days: dict[str, list[int]]) -> UnitRow:
    total = UnitRow("total", "合计")
    total.received = received_cases
    for row in rows:
        for name in SUMMED:
            setattr(total, name, getattr(total, name) + getattr(row, name))
        for target, count in row.transferred_out.items():
            total.transferred_out[target] = total.transferred_out.get(target, 0) + count
    all_days = [value for values in days.values() for value in values]
    total.median_days, total.p90_days = percentile(all_days, 0.5), percentile(all_days, 0.9)
    return total


def _summary(text: str) -> str:
    text = mask_long_numbers(" ".join(text.split()))
    return text if len(text) <= 60 else text[:59] + "…"


def _clues(session: Session, table: RoutingTable, quarter: Quarter) -> list[ClueLine]:
    rows = session.execute(
        select(Complaint.tracking_number, Complaint.received_at, CaseEvent.occurred_at,
               _json("unit"), Complaint.description, CaseEvent.note)
        .join(Complaint, Complaint.id == CaseEvent.complaint_id)
        .where(CaseEvent.action == EventKind.TRANSFER_CLUE, _in_quarter(quarter))
        .order_by(CaseEvent.occurred_at)
    ).all()
    return [ClueLine(number, received.astimezone(LOCAL_TZ).date(),
                     transferred.astimezone(LOCAL_TZ).date(),
                     table.unit(slug or table.lead_unit.slug).name, _summary(description), note or "")
            for number, received, transferred, slug, description, note in rows]


def overdue_at(session: Session, table: RoutingTable, end: datetime) -> list[OverdueLine]:
    """Cases a unit held unresolved at ``end`` whose resolve deadline had passed by then,
    unit by unit in the table's order, oldest deadline first."""
    held = held_at(end).subquery()
    rows = session.execute(
        select(Complaint.tracking_number, Complaint.township_id, held.c.unit, held.c.due_at,
               Complaint.description)
        .select_from(held).join(Complaint, Complaint.id == held.c.complaint_id)
        .where(held.c.due_at < end).order_by(held.c.due_at, Complaint.id))
    by_unit: dict[str, list[OverdueLine]] = {unit.slug: [] for unit in table.units}
    names = {unit.slug: unit.name for unit in table.units}
    for number, township_id, slug, due, description in rows:
        # A unit since removed from the table still shows, under its slug, at the end.
        by_unit.setdefault(slug, []).append(OverdueLine(
            number, township_id, slug, names.get(slug, slug), deadline_day(due),
            (end - due).days, _summary(description)))
    return [line for lines in by_unit.values() for line in lines]
