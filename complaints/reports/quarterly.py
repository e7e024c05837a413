"""The quarterly clue report (季度问题线索情况报告) the lead unit sends the commission. Plain Python.

Every figure comes from the event log (what happened, when) and from the stretches derived
from it (which unit held a case, under which deadline, ``case_holdings``), so a report for a
past quarter made today gives the numbers it gave at that quarter's end. The case figures are
aggregated in SQL; the clues, a few dozen a quarter, are replayed from their own events in
Python (a clue's state at a moment is the state its last event before then left it in).

What is counted (each figure's definition is printed under its table, ``files.common``):
- ``intake``: every complaint received in the quarter, dispatched or not, by where it stood at
  the quarter's end; and the cases dispatched in the quarter, whenever received;
- per unit, cases (``UnitRow``, table 1): what was dispatched to it, carried over, resolved,
  still held, returned, late, extended, how long it took, how reporters answered;
- per unit, the two-way transfer (table 2): clues it found itself, problems it fixed itself,
  cases it moved to other departments and received from them, and the clues it sent to the
  lead unit, by what became of them. A clue counts for the unit that recorded it, a resident's
  report (or a letter, visit... taken in by an operator) for the lead unit;
- the clues (``ClueFigures``, ``ClueLine``): every clue received in the quarter, still open at
  its start, or acted on in it.

Whose copy: the lead unit's (``for_commission=False``, the default) counts the clues that
accuse the lead unit but shows none of their content, only how many there are (the lead unit
may not learn what it is accused of); the commission's shows them in full. No copy shows a
reporter's identity: texts have long digit runs (phone, ID numbers) masked.

The report is due on ``REPORT_DUE_DAY`` of the month after the quarter; the lead unit submits
it with ``submit_report`` (one ``REPORT_SUBMITTED`` event naming the quarter and the chain head
then), as often as it corrects it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from complaints.cases import policy
from complaints.cases.audit import checkpoint, current_head
from complaints.cases.clues import CLUE_RULES
from complaints.cases.events import record_report_event
from complaints.cases.holdings import held_at
from complaints.core.clock import LOCAL_TZ, deadline_day, now_utc, start_of_local_day
from complaints.core.identity import mask_long_numbers
from complaints.core.messages import t
from complaints.core.vocabulary import (
    AWAITING_DISPATCH,
    DISPATCHES,
    HELD_BY_UNIT,
    UNIT_TRANSFERS,
    CaseStatus,
    Channel,
    ClueSource,
    ClueState,
    CommissionDisposition,
    EventKind,
    Outcome,
)
from complaints.db.models import CaseEvent, Clue, Complaint, Unit, User
from complaints.reports.figures import percentile
from complaints.routing.table import RoutingTable

QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
# The report is due on the 10th day of the month after the quarter (calendar days). The seed
# says only "each quarter" and the table (routing/table.toml) sets no deadline for it.
REPORT_DUE_DAY = 10
# How much of a clue's text the list shows: enough to read what is alleged.
CLUE_SUMMARY_CHARS = 200
# Overdue cases read from the database at a time while the list is written out.
STREAMED_ROWS = 2000


class ReportError(ValueError):
    pass


# Years a report may be asked for: beyond them a date has no day before or after it.
FIRST_YEAR, LAST_YEAR = 1900, 2999


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = QUARTER.match(text.strip().upper())
        if not match or not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
            raise ReportError(f"a quarter looks like 2026Q3, not {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

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
    def last_day(self) -> date:
        return date.fromordinal(self.next_first_day.toordinal() - 1)

    @property
    def due_on(self) -> date:
        """The last day to submit the quarter's report: ``REPORT_DUE_DAY`` of the next month."""
        return self.next_first_day.replace(day=REPORT_DUE_DAY)

    @property
    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

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
    # Table 1, cases. "received": cases dispatched or transferred to the unit in the quarter,
    # each (unit, case) once; the total row counts each case once.
    received: int = 0
    carried_over: int = 0
    resolved: int = 0
    resolved_on_time: int = 0
    in_progress: int = 0
    returned: int = 0
    objections_refused: int = 0  # 派单异议 the lead unit did not accept: the case stayed
    overdue: int = 0
    extensions: int = 0
    median_days: float | None = None
    p90_days: float | None = None
    asked: int = 0      # reporters' answers recorded (SMS, status page, or an operator's call)
    satisfied: int = 0  # of them, "solved"
    scored: int = 0     # answers with a 1-5 score
    content: int = 0    # of them, 满意 (5) or 基本满意 (4)
    # Table 2, the two-way transfer: department names -> cases moved to / from them.
    found_clues: int = 0
    fixed: int = 0
    transferred_out: dict[str, int] = field(default_factory=dict)
    received_from: dict[str, int] = field(default_factory=dict)
    to_commission: int = 0
    declined: int = 0
    not_a_clue: int = 0
    clues_pending: int = 0
    clues_overdue: int = 0

    # The 12345 figures (国办 12345 热线考核口径), each None where its base is zero.
    @property
    def resolution_rate(self) -> float | None:
        """办结率: resolved in the quarter over carried over and dispatched to the unit."""
        return _rate(self.resolved, self.carried_over + self.received)

    @property
    def on_time_rate(self) -> float | None:
        """按时办结率: resolved on time over resolved."""
        return _rate(self.resolved_on_time, self.resolved)

    @property
    def follow_up_rate(self) -> float | None:
        """回访率: reporters' answers recorded over cases resolved."""
        return _rate(self.asked, self.resolved)

    @property
    def satisfaction_rate(self) -> float | None:
        """满意率: 满意 and 基本满意 over the answers that gave a score."""
        return _rate(self.content, self.scored)

    @property
    def transferred_total(self) -> int:
        return sum(self.transferred_out.values())

    @property
    def received_from_total(self) -> int:
        return sum(self.received_from.values())


@dataclass(frozen=True)
class Intake:
    """The complaints of the quarter and the cases dispatched in it (件)."""

    received: int                  # received in the quarter, every channel
    rejected: int                  # ... and where they stood at the quarter's end:
    at_lead_unit: int              # to accept or to dispatch (again)
    with_units: int                # held by a unit
    answered: int                  # resolved or closed
    dispatched: int                # distinct cases dispatched or moved to a unit in the quarter
    dispatched_of_received: int    # ... of them received in the quarter
    dispatched_earlier: int        # ... received before it
    unit_sum: int                  # the units' "received" added up (a moved case counts twice)
    merged: int = 0                # merged into another case of the same problem (not answered)

    @property
    def counted_again(self) -> int:
        """How many more the units' sum holds than the distinct cases dispatched."""
        return self.unit_sum - self.dispatched


@dataclass(frozen=True)
class ClueFigures:
    """The county's clues in the quarter (件)."""

    open_at_start: int             # received before it, still open at its start
    received: int
    received_by_source: dict[ClueSource, int]
    acted_on_earlier: int          # received before it, not open at its start, acted on in it
    transferred: int               # the lead unit's (or intake's) transfers to the commission
    taken: int                     # taken by the commission itself
    declined: int
    not_a_clue: int
    signed: int
    disposed: dict[CommissionDisposition, int]
    returned: int
    at_end: dict[ClueState, int]   # the listed clues by their state at the quarter's end
    overdue_at_end: int            # pending at the end, past the lead unit's deadline

    @property
    def listed(self) -> int:
        return self.open_at_start + self.received + self.acted_on_earlier


@dataclass(frozen=True)
class ClueLine:
    """One clue of the quarter, as at its end. Never the reporter, nor the accused's name."""

    number: str
    source: ClueSource
    channel: Channel | None        # the report's channel, for a resident's report
    accused_unit: str | None       # the unit's name; None: not known
    accused_post: str
    real_name: bool
    summary: str
    received_on: date
    decision: EventKind | None     # the latest of transfer, decline, not-a-clue, taken
    direct: bool                   # transferred at intake: it accuses the lead unit
    decision_note: str
    decided_on: date | None
    transferred_on: date | None
    state: ClueState
    returned_to: str | None
    disposition: CommissionDisposition | None
    result: str
    result_on: date | None


@dataclass(frozen=True)
class OverdueLine:
    tracking_number: str
    township_id: int | None
    unit_slug: str
    unit: str
    due_on: date
    days_overdue: int
    summary: str


@dataclass(frozen=True)
class Submission:
    quarter: str
    submitted_at: datetime
    by: str                        # the account's display name
    chain_seq: int
    chain_hash: str

    @property
    def late(self) -> bool:
        return self.submitted_at.astimezone(LOCAL_TZ).date() > Quarter.parse(self.quarter).due_on


@dataclass
class QuarterlyReport:
    quarter: Quarter
    author: str                 # the lead unit, which reports to the commission
    generated_at: datetime
    chain_seq: int
    chain_hash: str
    checkpoint: str             # the head, signed (``audit.checkpoint``), for the commission to file
    for_commission: bool        # the commission's copy: every clue in full
    lead_unit: str              # its name, for the line that stands for the hidden clues
    clue_days: int              # the lead unit's deadline on a clue, in working days
    rows: list[UnitRow]
    total: UnitRow
    intake: Intake
    clue_figures: ClueFigures
    clues: list[ClueLine]
    hidden_clues: int           # clues accusing the lead unit, counted, not shown (lead's copy)
    overdue: OverdueCases        # counted per unit; listed by streaming from the database
    submissions: list[Submission]


def _json(key: str) -> ColumnElement[str]:
    return CaseEvent.details[key].as_string()


# The two parts of one answer: counts by unit, and the overall count.
BY_UNIT, OVERALL = 0, 1


def _unit_after() -> ColumnElement[str]:
    """Which unit holds the case after a dispatch."""
    return case((CaseEvent.action == EventKind.ASSIGN, _json("unit")),
                (CaseEvent.action.in_(UNIT_TRANSFERS), _json("to")),
                else_=None)


def _between(start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(CaseEvent.occurred_at >= start, CaseEvent.occurred_at < end)


@dataclass
class _Tally:
    """The report's rows by unit slug while the passes add to them."""

    rows: dict[str, UnitRow]
    lead: str  # a case no unit held, a clue no unit recorded, counts for the lead unit

    def row(self, slug: str | None) -> UnitRow | None:
        return self.rows.get(slug or self.lead)

    def add(self, slug: str | None, attribute: str, count: int) -> None:
        row = self.row(slug)
        if row is not None:
            setattr(row, attribute, getattr(row, attribute) + count)


def quarterly_report(session: Session, table: RoutingTable, quarter: Quarter, now: datetime, *,
                     for_commission: bool = False) -> QuarterlyReport:
    """The report on ``quarter`` as made at ``now``: the lead unit's copy, unless
    ``for_commission``."""
    units = list(table.handling_units)
    tally = _Tally({u.slug: UnitRow(u.slug, u.name) for u in units}, table.lead_unit.slug)
    # For the quarter still running, "at the end" means now.
    end = min(quarter.end, now)
    in_q = _between(quarter.start, end)
    received = select(CaseEvent.complaint_id).where(CaseEvent.action == EventKind.RECEIVED, in_q)
    dispatched = _count_dispatched(session, tally, in_q, received)
    _count_held(session, tally, quarter.start, end)
    days = _count_resolutions(session, tally, in_q)
    _count_unit_events(session, tally, in_q)
    _count_transfers(session, tally, table, in_q)
    _count_feedback(session, tally, in_q)
    overdue = OverdueCases(session, table, end)
    for slug, count in overdue.per_unit().items():
        tally.add(slug, "overdue", count)
    for slug, values in days.items():
        if slug in tally.rows:
            tally.rows[slug].median_days = percentile(values, 0.5)
            tally.rows[slug].p90_days = percentile(values, 0.9)
    # The lead unit's copy leaves out what accuses the lead unit, and says how many.
    hide = None if for_commission else table.lead_unit.slug
    clue_figures, lines, hidden = _clues(session, table, tally, quarter.start, end, hide)

    ordered = [tally.rows[u.slug] for u in units]
    intake = _intake(session, quarter.start, end, received, dispatched, ordered)
    signed = checkpoint(session)
    return QuarterlyReport(
        quarter=quarter, author=table.lead_unit.name, generated_at=now,
        chain_seq=signed.seq, chain_hash=signed.hash, checkpoint=signed.line(),
        for_commission=for_commission, lead_unit=table.lead_unit.name,
        clue_days=table.deadlines.clue_transfer_working_days, rows=ordered,
        total=_total(ordered, intake.dispatched, days), intake=intake,
        clue_figures=clue_figures, clues=lines, hidden_clues=hidden, overdue=overdue,
        submissions=submissions(session, quarter, until=now),
    )


def _count_dispatched(session: Session, tally: _Tally, in_q: ColumnElement[bool],
                      received: Select[Any]) -> tuple[int, int]:
    """Add each unit's cases dispatched to it in the quarter; return how many cases were
    dispatched in it (each once), and how many of those were ``received`` in it."""
    # JSON lookups are grouped through a subquery's named column: PostgreSQL does not see
    # two copies of a parameterised expression as the same GROUP BY expression. The quarter's
    # dispatches are read once (a common table expression used twice is materialised).
    moves = (select(_unit_after().label("unit"), CaseEvent.complaint_id)
             .where(CaseEvent.action.in_(DISPATCHES), in_q).cte("moves"))
    # A unit counts a case it was sent twice once; the total counts a case moved between
    # units once.
    by_unit = (select(literal(BY_UNIT).label("part"), moves.c.unit,
                      func.count(func.distinct(moves.c.complaint_id)), literal(0))
               .group_by(moves.c.unit))
    cases = select(moves.c.complaint_id).distinct().subquery()
    overall = select(literal(OVERALL), cast(null(), String), func.count(), func.coalesce(func.sum(
        case((cases.c.complaint_id.in_(received), 1), else_=0)), 0)).select_from(cases)
    total = here = 0
    for part, slug, count, of_received in session.execute(union_all(by_unit, overall)):
        if part == BY_UNIT:
            tally.add(slug, "received", count)
        else:
            total, here = count, of_received
    return total, here


def _intake(session: Session, start: datetime, end: datetime, received: Select[Any],
            dispatched: tuple[int, int], rows: list[UnitRow]) -> Intake:
    # Where each stood at the end: the status its last status-changing event then left it in,
    # found in one pass over those events (not joined back to the whole log).
    latest = (select(CaseEvent.to_status, func.row_number().over(
                  partition_by=CaseEvent.complaint_id, order_by=CaseEvent.seq.desc()).label("rank"))
              .where(CaseEvent.complaint_id.in_(received),
                     CaseEvent.to_status.is_not(None), CaseEvent.occurred_at < end).subquery())
    status: Counter[str | None] = Counter()
    for value, count in session.execute(
            select(latest.c.to_status, func.count()).where(latest.c.rank == 1)
            .group_by(latest.c.to_status)):
        status[value] += count

    def among(statuses: frozenset[CaseStatus]) -> int:
        return sum(status[s.value] for s in statuses)

    all_dispatched, here = dispatched
    # Merged into another case (the same problem): handled, and counted, there; said apart.
    merged = session.scalar(select(func.count(func.distinct(CaseEvent.complaint_id))).where(
        CaseEvent.action == EventKind.MERGE, CaseEvent.occurred_at < end,
        CaseEvent.complaint_id.in_(received))) or 0
    received_cases = session.scalar(select(func.count(func.distinct(CaseEvent.complaint_id)))
                                    .where(CaseEvent.action == EventKind.RECEIVED,
                                           _between(start, end))) or 0
    return Intake(
        received=received_cases, rejected=status[CaseStatus.REJECTED.value],
        at_lead_unit=among(AWAITING_DISPATCH), with_units=among(HELD_BY_UNIT),
        answered=among(frozenset({CaseStatus.RESOLVED, CaseStatus.CLOSED})) - merged,
        merged=merged,
        dispatched=all_dispatched, dispatched_of_received=here,
        dispatched_earlier=all_dispatched - here, unit_sum=sum(row.received for row in rows))


def _count_held(session: Session, tally: _Tally, start: datetime, end: datetime) -> None:
    for attribute, moment in (("carried_over", start), ("in_progress", end)):
        held = held_at(moment).subquery()
        for slug, count in session.execute(
                select(held.c.unit, func.count()).group_by(held.c.unit)):
            tally.add(slug, attribute, count)


def _count_resolutions(session: Session, tally: _Tally,
                       in_q: ColumnElement[bool]) -> dict[str, Counter[int]]:
    """Add the quarter's resolutions, and the cases each unit fixed itself; the working days
    the resolutions took, by unit, as {days: how many} (SQLite computes no median)."""
    # The quarter's resolutions are read once (a common table expression used twice is
    # materialised): one part of the answer counts them by unit, the other by unit and days.
    resolutions = select(
        func.coalesce(_json("unit"), tally.lead).label("unit"), CaseEvent.complaint_id,
        _json("outcome").label("outcome"),
        CaseEvent.details["on_time"].as_boolean().label("on_time"),
        CaseEvent.details["working_days"].as_integer().label("days"),
    ).where(CaseEvent.action == EventKind.RESOLVE, in_q).cte("resolutions")
    r = resolutions.c
    by_unit = (select(r.unit, cast(null(), Integer).label("days"), func.count().label("count"),
                      func.sum(case((r.on_time == true(), 1), else_=0)).label("on_time"),
                      func.count(func.distinct(case((r.outcome == Outcome.RECTIFIED.value,
                                                     r.complaint_id)))).label("fixed"))
               .group_by(r.unit))
    by_days = (select(r.unit, r.days, func.count(), literal(0), literal(0))
               .where(r.days.is_not(None)).group_by(r.unit, r.days))
    days: dict[str, Counter[int]] = defaultdict(Counter)
    for slug, value, count, on_time, fixed in session.execute(union_all(by_unit, by_days)):
        if value is None:  # a row of by_unit: by_days has none without days
            tally.add(slug, "resolved", count)
            tally.add(slug, "resolved_on_time", on_time or 0)
            tally.add(slug, "fixed", fixed)
        else:
            days[slug][value] = count
    return days


# Case events counted for the unit their details name, and the figure each adds to.
UNIT_EVENT_FIGURES = ((EventKind.RETURN, "returned"), (EventKind.GRANT_EXTENSION, "extensions"),
                      (EventKind.REFUSE_OBJECTION, "objections_refused"))


def _count_unit_events(session: Session, tally: _Tally, in_q: ColumnElement[bool]) -> None:
    for action, attribute in UNIT_EVENT_FIGURES:
        events = (select(_json("unit").label("unit"))
                  .where(CaseEvent.action == action, CaseEvent.complaint_id.is_not(None), in_q)
                  .subquery())
        for slug, count in session.execute(
                select(events.c.unit, func.count()).group_by(events.c.unit)):
            tally.add(slug, attribute, count)


def _count_transfers(session: Session, tally: _Tally, table: RoutingTable,
                     in_q: ColumnElement[bool]) -> None:
    """Cases moved between departments: for the unit that held them, to whom; for the unit
    that received them, from whom."""
    names = {unit.slug: unit.name for unit in table.units}
    transfers = (select(_json("unit").label("unit"), _json("to").label("target"))
                 .where(CaseEvent.action.in_(UNIT_TRANSFERS), in_q).subquery())
    for source, target, count in session.execute(
            select(transfers.c.unit, transfers.c.target, func.count())
            .group_by(transfers.c.unit, transfers.c.target)):
        if not target:
            continue
        source = source or tally.lead
        sender, receiver = tally.row(source), tally.row(target)
        if sender is not None:
            name = names.get(target, target)
            sender.transferred_out[name] = sender.transferred_out.get(name, 0) + count
        if receiver is not None:
            name = names.get(source, source)
            receiver.received_from[name] = receiver.received_from.get(name, 0) + count


def _count_feedback(session: Session, tally: _Tally, in_q: ColumnElement[bool]) -> None:
    score = CaseEvent.details["satisfaction"].as_integer()
    answers = (select(_json("unit").label("unit"),
                      case((CaseEvent.details["fixed"].as_boolean(), 1), else_=0).label("fixed"),
                      case((score.is_not(None), 1), else_=0).label("scored"),
                      case((score >= CONTENT_SCORE, 1), else_=0).label("content"))
               .where(CaseEvent.action == EventKind.REPORTER_FEEDBACK, in_q).subquery())
    for slug, count, fixed, scored, content in session.execute(
            select(answers.c.unit, func.count(), func.sum(answers.c.fixed),
                   func.sum(answers.c.scored), func.sum(answers.c.content))
            .group_by(answers.c.unit)):
        tally.add(slug, "asked", count)
        tally.add(slug, "satisfied", fixed or 0)
        tally.add(slug, "scored", scored or 0)
        tally.add(slug, "content", content or 0)


CONTENT_SCORE = 4  # 基本满意 and above, as 12345 counts 满意率


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# The figures whose total is the sum over the units. Not "received": a case moved between
# units counts once in the total.
SUMMED = ("carried_over", "resolved", "resolved_on_time", "in_progress", "returned",
          "objections_refused", "overdue",
          "extensions", "asked", "satisfied", "scored", "content", "found_clues", "fixed", "to_commission",
          "declined", "not_a_clue", "clues_pending", "clues_overdue")


def _total(rows: list[UnitRow], dispatched_cases: int, days: dict[str, Counter[int]]) -> UnitRow:
    total = UnitRow("total", t("quarterly.total"))
    total.received = dispatched_cases
    for row in rows:
        for name in SUMMED:
            setattr(total, name, getattr(total, name) + getattr(row, name))
        for moved, into in ((row.transferred_out, total.transferred_out),
                            (row.received_from, total.received_from)):
            for unit, count in moved.items():
                into[unit] = into.get(unit, 0) + count
    all_days = sum(days.values(), Counter[int]())
    total.median_days, total.p90_days = percentile(all_days, 0.5), percentile(all_days, 0.9)
    return total


def _summary(text: str, limit: int = 60) -> str:
    text = mask_long_numbers(" ".join(text.split()))
    return text if len(text) <= limit else text[:limit - 1] + "…"


# ------------------------------------------------------------------------------- clues

# The state a clue's event leaves it in (escalation leaves it as it was).
_STATE_AFTER: dict[str, ClueState] = {
    EventKind.CLUE_RECORDED.value: ClueState.PENDING,
    **{kind.value: rule.target for kind, rule in CLUE_RULES.items() if rule.target is not None},
}
# The lead unit's decisions on a clue, and the commission taking one to itself.
_DECISIONS = frozenset({EventKind.TRANSFER_CLUE, EventKind.DECLINE_CLUE,
                        EventKind.CLUE_NOT_A_CLUE, EventKind.CLUE_TAKEN})
# A clue that reached the commission, by the lead unit's transfer or by being taken.
_TO_COMMISSION = frozenset({EventKind.TRANSFER_CLUE, EventKind.CLUE_TAKEN})
# Still open: undecided at the lead unit, or at the commission without a disposition, or kept
# pending (暂存待查) there. Declined, not a clue, returned and disposed of otherwise are done.
OPEN_CLUE_STATES = frozenset({ClueState.PENDING, ClueState.TRANSFERRED, ClueState.SIGNED})
# Events that a database made before clues were records of their own holds on the case.
_LEGACY_CASE_EVENTS = (EventKind.TRANSFER_CLUE, EventKind.DECLINE_CLUE)


@dataclass(frozen=True)
class _ClueEvent:
    kind: EventKind
    at: datetime
    by_someone: bool             # False: the service itself (at intake, the hourly job)
    note: str | None
    details: dict[str, Any]


@dataclass
class _ClueRecord:
    number: str
    source: ClueSource
    channel: Channel | None
    owner: str | None            # the recording unit's slug; None: the lead unit's
    accused: str | None          # slug
    accused_post: str
    real_name: bool
    allegation: str
    received_at: datetime
    due_at: datetime | None
    events: list[_ClueEvent] = field(default_factory=list)

    def before(self, moment: datetime) -> list[_ClueEvent]:
        return [event for event in self.events if event.at < moment]

    def between(self, start: datetime, end: datetime) -> list[_ClueEvent]:
        return [event for event in self.events if start <= event.at < end]

    def state_at(self, moment: datetime) -> ClueState:
        state = ClueState.PENDING
        for event in self.before(moment):
            state = _STATE_AFTER.get(event.kind.value, state)
        return state

    def disposed_at(self, moment: datetime) -> _ClueEvent | None:
        disposals = [e for e in self.before(moment) if e.kind is EventKind.CLUE_DISPOSED]
        return disposals[-1] if disposals else None

    def open_at(self, moment: datetime) -> bool:
        if self.received_at >= moment:
            return False
        state = self.state_at(moment)
        if state is ClueState.DISPOSED:
            disposed = self.disposed_at(moment)
            return disposed is not None and (
                disposed.details.get("disposition") == CommissionDisposition.KEPT_PENDING.value)
        return state in OPEN_CLUE_STATES


def _clue_records(session: Session, end: datetime) -> list[_ClueRecord]:
    """Every clue received before ``end``, with its events before ``end`` in chain order."""
    recorder, accused = aliased(Unit), aliased(Unit)
    rows = session.execute(
        select(Clue.id, Clue.complaint_id, Clue.number, Clue.source, Complaint.channel,
               recorder.slug, accused.slug, Clue.accused_post, Clue.real_name, Clue.allegation,
               Clue.received_at, Clue.due_at)
        .outerjoin(Complaint, Complaint.id == Clue.complaint_id)
        .outerjoin(recorder, recorder.id == Clue.recorded_by_unit_id)
        .outerjoin(accused, accused.id == Clue.accused_unit_id)
        .where(Clue.received_at < end).order_by(Clue.received_at, Clue.id)).all()
    records: dict[int, _ClueRecord] = {}
    first_of_case: dict[int, int] = {}
    for (clue_id, case_id, number, source, channel, owner, accused_slug, post, real_name,
         allegation, received_at, due_at) in rows:
        records[clue_id] = _ClueRecord(number or f"#{clue_id}", source, channel, owner,
                                       accused_slug, post or "", real_name, allegation,
                                       received_at, due_at)
        if case_id is not None and clue_id < first_of_case.get(case_id, clue_id + 1):
            first_of_case[case_id] = clue_id
    events = session.execute(
        select(CaseEvent.clue_id, CaseEvent.complaint_id, CaseEvent.action,
               CaseEvent.occurred_at, CaseEvent.actor_user_id, CaseEvent.note, CaseEvent.details)
        .where(CaseEvent.occurred_at < end,
               or_(CaseEvent.clue_id.is_not(None), and_(
                   CaseEvent.clue_id.is_(None), CaseEvent.complaint_id.is_not(None),
                   CaseEvent.action.in_(_LEGACY_CASE_EVENTS))))
        .order_by(CaseEvent.seq))
    for clue_id, case_id, action, occurred_at, actor_id, note, details in events:
        # Before clues were records of their own, the lead unit's decision was an event on the
        # case; the migration made that case's clue, which the event belongs to.
        record = records.get(clue_id if clue_id is not None else first_of_case.get(case_id, -1))
        if record is not None:
            record.events.append(_ClueEvent(EventKind(action), occurred_at, actor_id is not None,
                                            note, details or {}))
    return list(records.values())


def _clues(session: Session, table: RoutingTable, tally: _Tally, start: datetime,
           end: datetime, hide: str | None) -> tuple[ClueFigures, list[ClueLine], int]:
    """Add the clue figures to the units' rows; the county's figures, the quarter's list
    without the clues that accuse the unit ``hide``, and how many those are."""
    names = {unit.slug: unit.name for unit in table.units}
    lines: list[ClueLine] = []
    in_quarter: Counter[EventKind] = Counter()
    disposed: Counter[CommissionDisposition] = Counter()
    by_source: Counter[ClueSource] = Counter()
    at_end: Counter[ClueState] = Counter()
    open_at_start = received = acted_on_earlier = overdue_at_end = hidden = 0
    for record in _clue_records(session, end):
        new = record.received_at >= start
        happened = record.between(start, end)
        was_open = record.open_at(start)
        if not (new or was_open or happened):
            continue
        if new:
            received += 1
            by_source[record.source] += 1
            if record.source is ClueSource.FOUND_BY_UNIT:
                tally.add(record.owner, "found_clues", 1)
        elif was_open:
            open_at_start += 1
        else:
            acted_on_earlier += 1
        for event in happened:
            in_quarter[event.kind] += 1
            if event.kind is EventKind.CLUE_DISPOSED:
                disposed[CommissionDisposition(event.details["disposition"])] += 1
        for kind, attribute in ((EventKind.TRANSFER_CLUE, "to_commission"),
                                (EventKind.DECLINE_CLUE, "declined"),
                                (EventKind.CLUE_NOT_A_CLUE, "not_a_clue")):
            tally.add(record.owner, attribute, sum(1 for e in happened if e.kind is kind))
        state = record.state_at(end)
        at_end[state] += 1
        if state is ClueState.PENDING:
            tally.add(record.owner, "clues_pending", 1)
            if record.due_at is not None and record.due_at < end:
                tally.add(record.owner, "clues_overdue", 1)
                overdue_at_end += 1
        if hide is not None and record.accused == hide:
            hidden += 1
        else:
            lines.append(_line(record, state, end, names))
    figures = ClueFigures(
        open_at_start=open_at_start, received=received, received_by_source=dict(by_source),
        acted_on_earlier=acted_on_earlier, transferred=in_quarter[EventKind.TRANSFER_CLUE],
        taken=in_quarter[EventKind.CLUE_TAKEN], declined=in_quarter[EventKind.DECLINE_CLUE],
        not_a_clue=in_quarter[EventKind.CLUE_NOT_A_CLUE], signed=in_quarter[EventKind.CLUE_SIGNED],
        disposed=dict(disposed), returned=in_quarter[EventKind.CLUE_RETURNED],
        at_end=dict(at_end), overdue_at_end=overdue_at_end)
    return figures, lines, hidden


def _line(record: _ClueRecord, state: ClueState, end: datetime,
          names: dict[str, str]) -> ClueLine:
    before = record.before(end)
    decisions = [e for e in before if e.kind in _DECISIONS]
    decision = decisions[-1] if decisions else None
    transfers = [e for e in before if e.kind in _TO_COMMISSION]
    returns = [e for e in before if e.kind is EventKind.CLUE_RETURNED]
    disposal = record.disposed_at(end)
    result_on = disposal.details.get("result_on") if disposal else None
    return ClueLine(
        number=record.number, source=record.source,
        channel=record.channel if record.source is ClueSource.REPORT else None,
        accused_unit=names.get(record.accused, record.accused) if record.accused else None,
        accused_post=_summary(record.accused_post), real_name=record.real_name,
        summary=_summary(record.allegation, CLUE_SUMMARY_CHARS),
        received_on=_day(record.received_at),
        decision=decision.kind if decision else None,
        # Transferred at intake, by no one: the clue accuses the lead unit.
        direct=bool(decision and decision.kind is EventKind.TRANSFER_CLUE
                    and not decision.by_someone),
        decision_note=_summary(decision.note or "", CLUE_SUMMARY_CHARS) if decision else "",
        decided_on=_day(decision.at) if decision else None,
        transferred_on=_day(transfers[-1].at) if transfers else None,
        state=state,
        returned_to=(names.get(returns[-1].details.get("to", ""), returns[-1].details.get("to"))
                     if state is ClueState.RETURNED and returns else None),
        disposition=(CommissionDisposition(disposal.details["disposition"])
                     if disposal and state is ClueState.DISPOSED else None),
        result=_summary(disposal.note or "", CLUE_SUMMARY_CHARS) if disposal else "",
        result_on=date.fromisoformat(result_on) if result_on else None,
    )


def _day(moment: datetime) -> date:
    return moment.astimezone(LOCAL_TZ).date()


# ------------------------------------------------------------------------ overdue cases

@dataclass(frozen=True)
class OverdueCases:
    """Cases a unit held unresolved at ``end`` whose resolve deadline had passed by then. There
    may be hundreds of thousands: counted in the database, and listed only by streaming, unit
    by unit in the table's order, oldest deadline first. A case that also carried an
    accusation shows only the part about the house (the clue list has the rest)."""

    session: Session
    table: RoutingTable
    end: datetime

    def _late(self) -> Any:
        held = held_at(self.end).subquery()
        return select(held).where(held.c.due_at < self.end).subquery()

    def per_unit(self) -> Counter[str]:
        late = self._late()
        return Counter({unit: count for unit, count in self.session.execute(
            select(late.c.unit, func.count()).group_by(late.c.unit))})

    def per_township(self) -> Counter[int | None]:
        late = self._late()
        return Counter({township: count for township, count in self.session.execute(
            select(Complaint.township_id, func.count()).select_from(late)
            .join(Complaint, Complaint.id == late.c.complaint_id).group_by(Complaint.township_id))})

    def __iter__(self) -> Iterator[OverdueLine]:
        late = self._late()
        text = case((Complaint.alleges_misconduct.is_(True),
                     func.coalesce(Complaint.hazard_description, "")), else_=Complaint.description)
        slugs = [unit.slug for unit in self.table.units]
        names = {unit.slug: unit.name for unit in self.table.units}
        # A unit since removed from the table still shows, under its slug, at the end.
        place = case({slug: at for at, slug in enumerate(slugs)}, value=late.c.unit,
                     else_=len(slugs))
        rows = self.session.execute(
            select(Complaint.tracking_number, Complaint.township_id, late.c.unit, late.c.due_at,
                   text)
            .select_from(late).join(Complaint, Complaint.id == late.c.complaint_id)
            .order_by(place, late.c.unit, late.c.due_at, Complaint.id)
            .execution_options(yield_per=STREAMED_ROWS))
        for number, township_id, slug, due, description in rows:
            yield OverdueLine(number, township_id, slug, names.get(slug, slug), deadline_day(due),
                              (self.end - due).days, _summary(description))


# ---------------------------------------------------------------------------- submission

def submissions(session: Session, quarter: Quarter | None = None,
                until: datetime | None = None) -> list[Submission]:
    """The report's submissions, oldest first: of one quarter, or of all; up to ``until``."""
    query = (select(CaseEvent.occurred_at, CaseEvent.details, User.display_name)
             .outerjoin(User, User.id == CaseEvent.actor_user_id)
             .where(CaseEvent.action == EventKind.REPORT_SUBMITTED).order_by(CaseEvent.seq))
    if quarter is not None:
        query = query.where(_json("quarter") == quarter.label)
    if until is not None:
        query = query.where(CaseEvent.occurred_at <= until)
    return [Submission(details["quarter"], occurred_at, name or "", details["chain_seq"],
                       details["chain_hash"])
            for occurred_at, details, name in session.execute(query)]


class SubmitError(ReportError):
    """A submission refused; ``code`` says why (``not-lead``, ``not-ended``)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def submit_report(session: Session, quarter: Quarter, actor: User) -> Submission:
    """The lead unit submits its report on an ended quarter to the commission: one event in
    the chain, naming the quarter and the chain's head just before it (the head the report
    made then prints). A corrected report is submitted again, and listed again."""
    if not policy.can_submit_quarterly(actor):
        raise SubmitError("not-lead", "only the lead unit submits the quarterly report")
    now = now_utc()
    if now < quarter.end:
        raise SubmitError("not-ended", f"{quarter.label} has not ended yet")
    seq, digest = current_head(session)
    record_report_event(session, EventKind.REPORT_SUBMITTED, actor=actor,
                        details={"quarter": quarter.label, "chain_seq": seq, "chain_hash": digest})
    session.flush()
    return Submission(quarter.label, now, actor.display_name, seq, digest)
