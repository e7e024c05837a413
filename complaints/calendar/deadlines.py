"""Deadlines: when each step of a case is due, and whether it is on time.

A deadline is the end of a local (Asia/Shanghai) day: "within 1 working day
of receipt" means by the end of the next working day. Working days come from
the calendar; a deadline counted through a year without official data is
provisional until that year is added.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from complaints.calendar.working_days import Counted, WorkingCalendar
from complaints.core.clock import start_of_local_day, to_local
from complaints.core.vocabulary import HELD_BY_UNIT, CaseStatus, SlaState
from complaints.db.models import Complaint
from complaints.routing.table import DeadlineRules


@dataclass(frozen=True)
class Due:
    at: datetime  # UTC
    provisional: bool


def end_of_local_day(day: date) -> datetime:
    try:
        midnight = start_of_local_day(day + timedelta(days=1))
    except OverflowError:
        return datetime.max.replace(tzinfo=UTC)
    return midnight.astimezone(UTC)


def _due(counted: Counted) -> Due:
    return Due(end_of_local_day(counted.day), counted.provisional)


def working_days_after(calendar: WorkingCalendar, start: datetime, days: int) -> Due:
    return _due(calendar.add_working_days(to_local(start).date(), days))


def calendar_days_after(calendar: WorkingCalendar, start: datetime, days: int) -> Due:
    return _due(calendar.add_calendar_days(to_local(start).date(), days))


def resolve_due(complaint: Complaint, rules: DeadlineRules, calendar: WorkingCalendar) -> Due:
    """The unit's deadline: its own days from dispatch (a transfer starts them again), never
    beyond the cap counted from acceptance (or from the reopening that started this round of
    handling), and the days of the granted extensions added to whichever comes first."""
    base = complaint.assigned_at or complaint.status_changed_at
    if rules.resolve_calendar_days is not None:
        due = calendar_days_after(calendar, base, rules.resolve_calendar_days)
    else:
        due = working_days_after(calendar, base, rules.resolve_working_days)
    cap = calendar_days_after(calendar, complaint.handling_started_at or complaint.accepted_at
                              or base, rules.max_days_accept_to_resolve)
    first = due if due.at <= cap.at else cap
    return Due(first.at + timedelta(days=complaint.extension_days_granted or 0), first.provisional)


def extension_days_left(complaint: Complaint, rules: DeadlineRules) -> int:
    """All the extensions of one round of handling add at most ``extension_max_days``."""
    return max(rules.extension_max_days - (complaint.extension_days_granted or 0), 0)


def current_due(complaint: Complaint, rules: DeadlineRules,
                calendar: WorkingCalendar) -> Due | None:
    """The deadline of the step the case is in now; ``None`` when nothing is due."""
    match complaint.status:
        case CaseStatus.RECEIVED:
            return working_days_after(calendar, complaint.received_at, rules.accept_working_days)
        case CaseStatus.ACCEPTED | CaseStatus.RETURNED | CaseStatus.REOPENED:
            return working_days_after(calendar, complaint.status_changed_at,
                                      rules.assign_working_days)
        case CaseStatus.ASSIGNED | CaseStatus.IN_PROGRESS | CaseStatus.TRANSFERRED:
            return resolve_due(complaint, rules, calendar)
        case CaseStatus.RESOLVED:
            return working_days_after(calendar, complaint.resolved_at or complaint.status_changed_at,
                                      rules.notify_reporter_working_days)
        case _:
            return None


def refresh_deadlines(complaint: Complaint, rules: DeadlineRules,
                      calendar: WorkingCalendar) -> None:
    due = current_due(complaint, rules, calendar)
    if complaint.status in HELD_BY_UNIT:
        complaint.resolve_due_at = due.at if due else None
        supervised = complaint.supervision_due_at
        if due and supervised and supervised < due.at:  # the lead unit's 督办 comes first
            due = Due(supervised, False)
    complaint.deadline_at = due.at if due else None
    complaint.deadline_provisional = bool(due and due.provisional)


def sla_state(complaint: Complaint, rules: DeadlineRules, calendar: WorkingCalendar,
              now: datetime) -> SlaState:
    # A clue's deadline is the clue's own (``Clue.due_at``): a case never shows it.
    if complaint.deadline_at is None:
        return SlaState.NONE
    nearest = complaint.deadline_at
    if now >= nearest:
        return SlaState.OVERDUE
    soon = working_days_after(calendar, now, rules.due_soon_working_days)
    return SlaState.DUE_SOON if nearest <= soon.at else SlaState.ON_TIME


def elapsed_working_days(calendar: WorkingCalendar, start: datetime, end: datetime) -> int:
    return calendar.working_days_between(to_local(start).date(), to_local(end).date())


def expected_resolution(complaint: Complaint, rules: DeadlineRules,
                        calendar: WorkingCalendar) -> Due:
    """What a reporter is told at receipt: every step on time, from now."""
    dispatched = working_days_after(calendar, complaint.received_at,
                                    rules.accept_working_days + rules.assign_working_days)
    if rules.resolve_calendar_days is not None:
        done = calendar_days_after(calendar, dispatched.at - timedelta(microseconds=1),
                                   rules.resolve_calendar_days)
    else:
        done = working_days_after(calendar, dispatched.at - timedelta(microseconds=1),
                                  rules.resolve_working_days)
    return Due(done.at, dispatched.provisional or done.provisional)
