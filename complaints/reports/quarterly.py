"""The quarterly clue-transfer report (季度问题线索情况报告) for the commission. Plain Python.

Every figure comes from the case events (what happened, when, while which
unit held the case), aggregated in SQL, so a report for a past quarter made
today gives the numbers it gave at that quarter's end. No reporter identity
appears: summaries have long digit runs (phone numbers) masked.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from complaints.clock import LOCAL_TZ, deadline_day
from complaints.models import AuditHead, CaseEvent, Complaint
from complaints.routing.table import RoutingTable
from complaints.tracking.figures import percentile
from complaints.vocabulary import UnitKind

QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
DISPATCH = ("assign", "approve-transfer", "transfer")
CHANGERS = (*DISPATCH, "return")  # events after which a different unit (or none) holds the case
LEAD = "housing"
IDS_PER_QUERY = 30000  # under PostgreSQL's 65,535 bound parameters a statement
# Seven or more digits, allowing one separator between them: 13055441314, 130 5544 1314,
# 138-5960-1234, 0596-6123456. Dates and areas (2026-07-01, 120.5平方) stay.
DIGITS = re.compile(r"\d(?:[\s\-－—–.·]?\d){6,}")
DATE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}")


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
        return datetime.combine(self.first_day, time(0), tzinfo=LOCAL_TZ)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.next_first_day, time(0), tzinfo=LOCAL_TZ)


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
    """Which unit holds the case after a CHANGERS event (NULL after a return)."""
    return case((CaseEvent.action == "assign", _json("unit")),
                (CaseEvent.action.in_(("approve-transfer", "transfer")), _json("to")),
                else_=None)


def _in_quarter(q: Quarter) -> ColumnElement[bool]:
    return and_(CaseEvent.occurred_at >= q.start, CaseEvent.occurred_at < q.end)


def _latest(actions: tuple[str, ...], moment: datetime):  # type: ignore[no-untyped-def]
    return (select(CaseEvent.complaint_id, func.max(CaseEvent.seq).label("seq"))
            .where(CaseEvent.action.in_(actions), CaseEvent.occurred_at < moment)
            .group_by(CaseEvent.complaint_id).subquery())


def _holders_at(moment: datetime):  # type: ignore[no-untyped-def]
    """(complaint_id, unit, seq) for every case a unit still held, unresolved, at ``moment``:
    its newest dispatch or return by then left it with a unit, and no resolution came after.
    Two grouped passes and joins, not a lookup per case: this runs over every event."""
    changed = _latest(CHANGERS, moment)
    closed = _latest(("resolve", "reject"), moment)
    return (select(CaseEvent.complaint_id, _unit_after().label("unit"), CaseEvent.seq)
            .join(changed, CaseEvent.seq == changed.c.seq)
            .outerjoin(closed, closed.c.complaint_id == changed.c.complaint_id)
            .where(_unit_after().is_not(None),
                   or_(closed.c.seq.is_(None), closed.c.seq < changed.c.seq)))


Held = dict[int, tuple[str, str | None]]  # case id -> (unit, deadline in force, ISO)


def _due_in_force(held, moment: datetime):  # type: ignore[no-untyped-def]
    """The deadline in force at ``moment`` for each held case: the newest "due" an event
    recorded by then. A per-case lookup on the complaint_id index; a grouped join here
    misleads PostgreSQL's planner into a nested loop over every event."""
    due_event = aliased(CaseEvent)
    return (select(due_event.details["due"].as_string())
            .where(due_event.complaint_id == held.c.complaint_id,
                   due_event.occurred_at < moment,
                   due_event.details["due"].as_string().is_not(None))
            .order_by(due_event.seq.desc()).limit(1).scalar_subquery())


def _holders(session: Session, quarter: Quarter) -> tuple[Held, Held]:
    """Which unit held each unresolved case, and its deadline, at the quarter's start and end.

    One pass over all history for the start; the end follows by replaying only the
    quarter's own dispatches, returns, extensions and resolutions, in order.
    """
    held = _holders_at(quarter.start).subquery()
    at_start: Held = {case_id: (unit, due) for case_id, unit, due in session.execute(
        select(held.c.complaint_id, held.c.unit, _due_in_force(held, quarter.start)))}
    at_end = dict(at_start)
    for case_id, action, unit, due in session.execute(
            select(CaseEvent.complaint_id, CaseEvent.action, _unit_after(), _json("due"))
            .where(CaseEvent.action.in_((*CHANGERS, "resolve", "reject", "grant-extension")),
                   _in_quarter(quarter))
            .order_by(CaseEvent.seq)):
        if action == "grant-extension":
            if case_id in at_end and due is not None:
                at_end[case_id] = (at_end[case_id][0], due)
        elif unit is not None and action in DISPATCH:
            at_end[case_id] = (unit, due)
        else:  # returned to the lead unit, resolved or rejected: no unit holds it
            at_end.pop(case_id, None)
    return at_start, at_end


def _overdue_among(session: Session, table: RoutingTable, held: Held,
                   end: datetime) -> list[OverdueLine]:
    late = {case_id: (unit, datetime.fromisoformat(due)) for case_id, (unit, due) in held.items()
            if due is not None and datetime.fromisoformat(due) < end}
    lines = []
    ids = sorted(late)
    for first in range(0, len(ids), IDS_PER_QUERY):
        for case_id, number, township_id, description in session.execute(
                select(Complaint.id, Complaint.tracking_number, Complaint.township_id,
                       Complaint.description).where(Complaint.id.in_(ids[first:first + IDS_PER_QUERY]))):
            unit, due = late[case_id]
            lines.append(OverdueLine(number, township_id, unit, table.unit(unit).name,
                                     deadline_day(due), (end - due).days, _summary(description)))
    return sorted(lines, key=lambda line: (line.unit, line.due_on))


def quarterly_report(session: Session, table: RoutingTable, quarter: Quarter,
                     now: datetime) -> QuarterlyReport:
    units = [u for u in table.units if u.kind is not UnitKind.COMMISSION]
    rows = {u.slug: UnitRow(u.slug, u.name) for u in units}

    def add(slug: str | None, attribute: str, count: int) -> None:
        row = rows.get(slug or LEAD)
        if row is not None:
            setattr(row, attribute, getattr(row, attribute) + count)

    in_q = _in_quarter(quarter)
    # JSON lookups are grouped through a subquery's named column: PostgreSQL does not see
    # two copies of a parameterised expression as the same GROUP BY expression.
    dispatched = (select(_unit_after().label("unit"), CaseEvent.complaint_id)
                  .where(CaseEvent.action.in_(DISPATCH), in_q).subquery())
    for slug, count in session.execute(
            select(dispatched.c.unit, func.count(func.distinct(dispatched.c.complaint_id)))
            .group_by(dispatched.c.unit)):
        add(slug, "received", count)

    at_start, at_end = _holders(session, quarter)
    for attribute, holders in (("carried_over", at_start), ("in_progress", at_end)):
        for slug, _due in holders.values():
            add(slug, attribute, 1)

    resolutions = (select(_json("unit").label("unit"),
                          case((CaseEvent.details["on_time"].as_boolean(), 1), else_=0)
                          .label("on_time"))
                   .where(CaseEvent.action == "resolve", in_q).subquery())
    for slug, count, on_time in session.execute(
            select(resolutions.c.unit, func.count(), func.sum(resolutions.c.on_time))
            .group_by(resolutions.c.unit)):
        add(slug, "resolved", count)
        add(slug, "resolved_on_time", on_time or 0)

    days: dict[str, list[int]] = defaultdict(list)
    for slug, value in session.execute(select(_json("unit"), CaseEvent.details["working_days"]
                                              .as_integer())
                                       .where(CaseEvent.action == "resolve", in_q)):
        if value is not None:
            days[slug or LEAD].append(value)

    for action, attribute in (("return", "returned"), ("transfer-clue", "to_commission"),
                              ("grant-extension", "extensions")):
        events = (select(_json("unit").label("unit"))
                  .where(CaseEvent.action == action, in_q).subquery())
        for slug, count in session.execute(
                select(events.c.unit, func.count()).group_by(events.c.unit)):
            add(slug, attribute, count)

    transfers = (select(_json("unit").label("unit"), _json("to").label("target"))
                 .where(CaseEvent.action.in_(("approve-transfer", "transfer")), in_q).subquery())
    for source, target, count in session.execute(
            select(transfers.c.unit, transfers.c.target, func.count())
            .group_by(transfers.c.unit, transfers.c.target)):
        row = rows.get(source or LEAD)
        if row is not None and target:
            name = table.unit(target).name
            row.transferred_out[name] = row.transferred_out.get(name, 0) + count

    answers = (select(_json("unit").label("unit"),
                      case((CaseEvent.details["fixed"].as_boolean(), 1), else_=0).label("fixed"))
               .where(CaseEvent.action == "reporter-feedback", in_q).subquery())
    for slug, count, fixed in session.execute(
            select(answers.c.unit, func.count(), func.sum(answers.c.fixed))
            .group_by(answers.c.unit)):
        add(slug, "asked", count)
        add(slug, "satisfied", fixed or 0)

    # For the quarter still running, "overdue at the end" means overdue now.
    overdue = (_overdue_among(session, table, at_end, quarter.end) if quarter.end <= now
               else overdue_at(session, table, now))
    for line in overdue:
        add(line.unit_slug, "overdue", 1)
    for slug, values in days.items():
        if slug in rows:
            rows[slug].median_days = percentile(values, 0.5)
            rows[slug].p90_days = percentile(values, 0.9)

    ordered = [rows[u.slug] for u in units]
    total = UnitRow("total", "合计")
    # A case dispatched to one unit and moved to another counts once in the total.
    total.received = session.scalar(
        select(func.count(func.distinct(CaseEvent.complaint_id)))
        .where(CaseEvent.action.in_(DISPATCH), in_q)) or 0
    for row in ordered:
        for name in ("carried_over", "resolved", "resolved_on_time", "in_progress",
                     "to_commission", "returned", "overdue", "extensions", "asked", "satisfied"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        for target, count in row.transferred_out.items():
            total.transferred_out[target] = total.transferred_out.get(target, 0) + count
    all_days = [value for values in days.values() for value in values]
    total.median_days, total.p90_days = percentile(all_days, 0.5), percentile(all_days, 0.9)

    head = session.get(AuditHead, 1)
    return QuarterlyReport(
        quarter=quarter, generated_at=now, chain_seq=head.seq if head else 0,
        chain_hash=head.hash if head else "0" * 64, rows=ordered, total=total,
        clues=_clues(session, table, quarter), overdue=overdue,
    )


def _summary(text: str) -> str:
    text = DIGITS.sub(lambda m: m.group() if DATE.fullmatch(m.group()) else "*" * len(m.group()),
                      " ".join(text.split()))
    return text if len(text) <= 60 else text[:59] + "…"


def _clues(session: Session, table: RoutingTable, quarter: Quarter) -> list[ClueLine]:
    rows = session.execute(
        select(Complaint.tracking_number, Complaint.received_at, CaseEvent.occurred_at,
               _json("unit"), Complaint.description, CaseEvent.note)
        .join(Complaint, Complaint.id == CaseEvent.complaint_id)
        .where(CaseEvent.action == "transfer-clue", _in_quarter(quarter))
        .order_by(CaseEvent.occurred_at)
    ).all()
    return [ClueLine(number, received.astimezone(LOCAL_TZ).date(),
                     transferred.astimezone(LOCAL_TZ).date(),
                     table.unit(slug or LEAD).name, _summary(description), note or "")
            for number, received, transferred, slug, description, note in rows]


def overdue_at(session: Session, table: RoutingTable, end: datetime) -> list[OverdueLine]:
    """Cases a unit held unresolved at ``end`` whose resolve deadline had passed by then."""
    held = _holders_at(end).subquery()
    rows = session.execute(
        select(Complaint.tracking_number, Complaint.township_id, held.c.unit,
               _due_in_force(held, end),
               Complaint.description)
        .select_from(held).join(Complaint, Complaint.id == held.c.complaint_id)
    ).all()
    lines = []
    for number, township_id, slug, due_text, description in rows:
        due = datetime.fromisoformat(due_text) if due_text else None
        if due is not None and due < end:
            lines.append(OverdueLine(number, township_id, slug, table.unit(slug).name,
                                     deadline_day(due), (end - due).days, _summary(description)))
    return sorted(lines, key=lambda line: (line.unit, line.due_on))

