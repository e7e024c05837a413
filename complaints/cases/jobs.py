"""The hourly job (``flask --app complaints.app deadlines run``): escalate, close, follow up.

Idempotent: a case is escalated once per missed deadline, closed once, and a
follow-up exists once per case and quarter, however often the job runs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from complaints.calendar.deadlines import refresh_deadlines, working_days_after
from complaints.cases.clues import accused_unit_ids, escalate_overdue_clues
from complaints.cases.events import record_event
from complaints.cases.notify import remind_unit
from complaints.cases.operations import ActionRequest, perform
from complaints.cases.rules import Relation, TransitionError
from complaints.cases.tools import CaseTools
from complaints.core.clock import now_utc, start_of_local_day, to_local
from complaints.core.limits import NOTE_MAX
from complaints.core.vocabulary import (
    HELD_BY_UNIT,
    OPEN_STATUSES,
    CaseStatus,
    EventKind,
    HouseholdType,
    HouseStructure,
)
from complaints.db.models import Complaint, FollowUp, User

SYSTEM = frozenset({Relation.SYSTEM})
# The seed's quarterly follow-up: poor households in earth, earth-wood and brick-wood houses.
FOLLOW_UP_STRUCTURES = (HouseStructure.EARTH, HouseStructure.EARTH_WOOD, HouseStructure.BRICK_WOOD)


_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobReport:
    escalated: int
    closed: int
    follow_ups: int
    recomputed: int
    reminded: int = 0
    clues_escalated: int = 0


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def run_deadlines(session: Session, tools: CaseTools) -> JobReport:
    now = now_utc()
    recomputed = recompute_provisional(session, tools)
    closed = _close_finished(session, tools, now)
    escalated = _escalate_overdue(session, tools, now)
    reminded = _remind_due_soon(session, tools, now)
    follow_ups = _create_follow_ups(session, tools, now)
    clues_escalated = escalate_overdue_clues(session, tools, now)
    session.flush()
    report = JobReport(escalated, closed, follow_ups, recomputed, reminded, clues_escalated)
    _log.info("deadline job: escalated=%d closed=%d follow_ups=%d recounted=%d reminded=%d "
              "clues_escalated=%d", escalated, closed, follow_ups, recomputed, reminded,
              clues_escalated)
    return report


def recompute_provisional(session: Session, tools: CaseTools) -> int:
    """Deadlines counted through a year without holiday data, counted again."""
    cases = session.scalars(select(Complaint).where(Complaint.deadline_provisional.is_(True))).all()
    for complaint in cases:
        before = complaint.resolve_due_at
        refresh_deadlines(complaint, tools.table.deadlines_for(complaint.category), tools.calendar)
        if complaint.status in HELD_BY_UNIT and complaint.resolve_due_at not in (None, before):
            # An event, so that reports (and the case's history) follow the new day.
            record_event(session, complaint, EventKind.RECOUNT_DEADLINE, actor_kind="system", details={
                "due": complaint.resolve_due_at.isoformat(),
                "was": before.isoformat() if before else None})
    return len(cases)


def _close_finished(session: Session, tools: CaseTools, now: datetime) -> int:
    """Resolved cases whose time to hear from the reporter has run out are closed."""
    finished = session.scalars(select(Complaint).where(
        Complaint.status == CaseStatus.RESOLVED, Complaint.deadline_at <= now)).all()
    for complaint in finished:
        perform(session, tools, complaint, ActionRequest(EventKind.CLOSE), SYSTEM)
    return len(finished)


def _escalate_overdue(session: Session, tools: CaseTools, now: datetime) -> int:
    # Once per missed deadline. (A clue's deadline is escalated on the clue, never on its case:
    # the escalation reaches the unit, which must not learn of the clue.)
    step_missed = and_(Complaint.deadline_at <= now,
                       or_(Complaint.escalated_at.is_(None),
                           Complaint.escalated_at < Complaint.deadline_at))
    cases = session.scalars(select(Complaint).where(
        Complaint.status.in_(OPEN_STATUSES - {CaseStatus.RESOLVED}), step_missed,
    ).order_by(Complaint.deadline_at)).all()
    for complaint in cases:
        perform(session, tools, complaint, ActionRequest(EventKind.ESCALATE), SYSTEM)
    return len(cases)


def _remind_due_soon(session: Session, tools: CaseTools, now: datetime) -> int:
    """An SMS to the unit's liaisons when a case's deadline is near; once per deadline."""
    soon = working_days_after(tools.calendar, now, tools.table.deadlines.due_soon_working_days).at
    cases = session.scalars(select(Complaint).where(
        Complaint.status.in_(HELD_BY_UNIT), Complaint.deadline_at > now,
        Complaint.deadline_at <= soon,
        or_(Complaint.reminded_at.is_(None), Complaint.reminded_at < Complaint.assigned_at),
    )).all()
    for complaint in cases:
        remind_unit(session, tools, complaint)
        complaint.reminded_at = now
    return len(cases)


def _create_follow_ups(session: Session, tools: CaseTools, now: datetime) -> int:
    today = to_local(now).date()
    quarter, start = quarter_of(today), quarter_start(today)
    rules = tools.table.deadlines
    candidates = session.scalars(select(Complaint).where(
        Complaint.status.in_([CaseStatus.RESOLVED, CaseStatus.CLOSED]),
        Complaint.house_structure.in_(FOLLOW_UP_STRUCTURES),
        Complaint.household_type != HouseholdType.UNKNOWN,
        Complaint.follow_up_ended_at.is_(None),
        # A household on the roster is visited each quarter as such (``households.visits``).
        Complaint.household_id.is_(None),
    )).all()
    made = 0
    for complaint in candidates:
        # From the quarter after the one it was resolved in.
        if complaint.resolved_at is None or to_local(complaint.resolved_at).date() >= start:
            continue
        exists = session.scalar(select(FollowUp.id).where(
            FollowUp.complaint_id == complaint.id, FollowUp.quarter == quarter))
        # Never the unit a clue of the case accuses: then the responsible unit visits.
        accused = accused_unit_ids(complaint)
        unit = next((u for u in (complaint.township, complaint.responsible_unit)
                     if u is not None and u.id not in accused), None)
        if exists or unit is None:
            continue
        due = working_days_after(tools.calendar, start_of_local_day(start),
                                 rules.follow_up_working_days)
        session.add(FollowUp(complaint=complaint, quarter=quarter, unit=unit, due_at=due.at,
                             due_provisional=due.provisional, created_at=now))
        made += 1
    return made


def complete_follow_up(session: Session, follow_up: FollowUp, actor: User, note: str) -> None:
    note = note.strip()
    if not note or len(note) > NOTE_MAX:
        raise TransitionError("reason-required")
    follow_up.done_at = now_utc()
    follow_up.note = note
    record_event(session, follow_up.complaint, EventKind.FOLLOW_UP_DONE, actor=actor, note=note,
                 details={"quarter": follow_up.quarter})
    session.flush()


def end_follow_ups(session: Session, complaint: Complaint, actor: User, reason: str) -> None:
    """The lead unit decides the household needs no more quarterly visits."""
    reason = reason.strip()
    if not reason or len(reason) > NOTE_MAX:
        raise TransitionError("reason-required")
    complaint.follow_up_ended_at = now_utc()
    record_event(session, complaint, EventKind.FOLLOW_UPS_ENDED, actor=actor, note=reason)
    session.flush()
