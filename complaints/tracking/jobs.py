"""The hourly job (``flask --app complaints deadlines run``): escalate, close, follow up.

Idempotent: a case is escalated once per missed deadline, closed once, and a
follow-up exists once per case and quarter, however often the job runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from complaints.clock import now_utc, start_of_local_day, to_local
from complaints.models import NOTE_MAX, Complaint, FollowUp, User
from complaints.tracking.deadlines import refresh_deadlines, working_days_after
from complaints.tracking.events import record_event
from complaints.tracking.lifecycle import (
    Action,
    CaseDesk,
    Request,
    TransitionError,
    Who,
    perform,
    remind_unit,
)
from complaints.tracking.status import OPEN_STATUSES, WITH_A_UNIT, CaseStatus
from complaints.vocabulary import HouseholdType, HouseStructure

SYSTEM = frozenset({Who.SYSTEM})
# The seed's quarterly follow-up: poor households in earth, earth-wood and brick-wood houses.
FOLLOW_UP_STRUCTURES = (HouseStructure.EARTH, HouseStructure.EARTH_WOOD, HouseStructure.BRICK_WOOD)


@dataclass(frozen=True)
class JobReport:
    escalated: int
    closed: int
    follow_ups: int
    recomputed: int
    reminded: int = 0


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def run_deadlines(session: Session, desk: CaseDesk) -> JobReport:
    now = now_utc()
    recomputed = recompute_provisional(session, desk)
    closed = _close_finished(session, desk, now)
    escalated = _escalate_overdue(session, desk, now)
    reminded = _remind_due_soon(session, desk, now)
    follow_ups = _create_follow_ups(session, desk, now)
    session.flush()
    return JobReport(escalated, closed, follow_ups, recomputed, reminded)


def recompute_provisional(session: Session, desk: CaseDesk) -> int:
    """Deadlines counted through a year without holiday data, counted again."""
    cases = session.scalars(select(Complaint).where(Complaint.deadline_provisional.is_(True))).all()
    for complaint in cases:
        before = complaint.resolve_due_at
        refresh_deadlines(complaint, desk.table.deadlines_for(complaint.category), desk.calendar)
        if complaint.status in WITH_A_UNIT and complaint.resolve_due_at not in (None, before):
            # An event, so that reports (and the case's history) follow the new day.
            record_event(session, complaint, "recount-deadline", actor_kind="system", details={
                "due": complaint.resolve_due_at.isoformat(),
                "was": before.isoformat() if before else None})
    return len(cases)


def _close_finished(session: Session, desk: CaseDesk, now: datetime) -> int:
    """Resolved cases whose time to hear from the reporter has run out are closed."""
    finished = session.scalars(select(Complaint).where(
        Complaint.status == CaseStatus.RESOLVED, Complaint.deadline_at <= now)).all()
    for complaint in finished:
        perform(session, desk, complaint, Request(Action.CLOSE), SYSTEM)
    return len(finished)


def _escalate_overdue(session: Session, desk: CaseDesk, now: datetime) -> int:
    # Once per missed deadline: the step's, or the clue decision's.
    never = Complaint.escalated_at.is_(None)
    step_missed = and_(Complaint.deadline_at <= now,
                       or_(never, Complaint.escalated_at < Complaint.deadline_at))
    clue_missed = and_(Complaint.clue_due_at <= now, Complaint.clue_disposition.is_(None),
                       or_(never, Complaint.escalated_at < Complaint.clue_due_at))
    cases = session.scalars(select(Complaint).where(
        Complaint.status.in_(OPEN_STATUSES - {CaseStatus.RESOLVED}), or_(step_missed, clue_missed),
    ).order_by(Complaint.deadline_at)).all()
    for complaint in cases:
        perform(session, desk, complaint, Request(Action.ESCALATE), SYSTEM)
    return len(cases)


def _remind_due_soon(session: Session, desk: CaseDesk, now: datetime) -> int:
    """An SMS to the unit's liaisons when a case's deadline is near; once per deadline."""
    soon = working_days_after(desk.calendar, now, desk.table.deadlines.due_soon_working_days).at
    cases = session.scalars(select(Complaint).where(
        Complaint.status.in_(WITH_A_UNIT), Complaint.deadline_at > now,
        Complaint.deadline_at <= soon,
        or_(Complaint.reminded_at.is_(None), Complaint.reminded_at < Complaint.assigned_at),
    )).all()
    for complaint in cases:
        remind_unit(session, desk, complaint)
        complaint.reminded_at = now
    return len(cases)


def _create_follow_ups(session: Session, desk: CaseDesk, now: datetime) -> int:
    today = to_local(now).date()
    quarter, start = quarter_of(today), quarter_start(today)
    rules = desk.table.deadlines
    candidates = session.scalars(select(Complaint).where(
        Complaint.status.in_([CaseStatus.RESOLVED, CaseStatus.CLOSED]),
        Complaint.house_structure.in_(FOLLOW_UP_STRUCTURES),
        Complaint.household_type != HouseholdType.UNKNOWN,
        Complaint.follow_up_ended_at.is_(None),
    )).all()
    made = 0
    for complaint in candidates:
        # From the quarter after the one it was resolved in.
        if complaint.resolved_at is None or to_local(complaint.resolved_at).date() >= start:
            continue
        exists = session.scalar(select(FollowUp.id).where(
            FollowUp.complaint_id == complaint.id, FollowUp.quarter == quarter))
        unit = complaint.township or complaint.responsible_unit
        if exists or unit is None:
            continue
        due = working_days_after(desk.calendar, start_of_local_day(start),
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
    record_event(session, follow_up.complaint, "follow-up-done", actor=actor, note=note,
                 details={"quarter": follow_up.quarter})
    session.flush()


def end_follow_ups(session: Session, complaint: Complaint, actor: User, reason: str) -> None:
    """The lead unit decides the household needs no more quarterly visits."""
    reason = reason.strip()
    if not reason or len(reason) > NOTE_MAX:
        raise TransitionError("reason-required")
    complaint.follow_up_ended_at = now_utc()
    record_event(session, complaint, "follow-ups-ended", actor=actor, note=reason)
    session.flush()
