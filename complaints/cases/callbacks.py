"""回访: operators call the reporters who gave a phone and did not answer the resolution SMS.

A resolved case comes on the list some working days after its answer (``callback_after``),
while a review can still be asked for, until the reporter answers or three calls did not reach
them. Never a misconduct report: its reporter's number stays with the lead unit and the
commission. What the reporter says is their feedback (and, when not solved, a review asked
for on their behalf); a call that reached nobody is an event too, so the list and the
回访率 are made of the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.selectable import ScalarSelect

from complaints.calendar.deadlines import working_days_after
from complaints.cases.identities import record_view, reporter_field
from complaints.cases.operations import (
    ActionRequest,
    Dispute,
    dispute_answer,
    perform,
)
from complaints.cases.rules import Relation, TransitionError
from complaints.cases.tools import CaseTools
from complaints.core.vocabulary import CaseStatus, EventKind
from complaints.db.models import CaseEvent, Complaint, ReporterIdentity, User

CALL_ATTEMPTS = 3
OPERATOR = frozenset({Relation.OPERATOR})


def _calls_made() -> ScalarSelect[int]:
    return (select(func.count(CaseEvent.id))
            .where(CaseEvent.complaint_id == Complaint.id,
                   CaseEvent.action == EventKind.CALLBACK_UNREACHED.value)
            .scalar_subquery())


def calls_due(session: Session, tools: CaseTools, now: datetime, limit: int = 200) -> list[Complaint]:
    """The cases to call about now, the oldest answer first."""
    rules = tools.table.deadlines
    # A working-day wait counted back roughly; each candidate is checked exactly below.
    newest = now - timedelta(days=rules.callback_after_working_days)
    oldest = now - timedelta(days=rules.review_request_days)
    candidates = session.scalars(
        select(Complaint).join(ReporterIdentity)
        .where(Complaint.status.in_([CaseStatus.RESOLVED, CaseStatus.CLOSED]),
               Complaint.reporter_says_fixed.is_(None), Complaint.review_pending_since.is_(None),
               Complaint.alleges_misconduct.is_(False), ReporterIdentity.phone_sealed.is_not(None),
               Complaint.resolved_at.between(oldest, newest),
               _calls_made() < CALL_ATTEMPTS)
        .options(selectinload(Complaint.responsible_unit))
        .order_by(Complaint.resolved_at).limit(limit)).all()
    return [complaint for complaint in candidates if complaint.resolved_at is not None and now >=
            working_days_after(tools.calendar, complaint.resolved_at,
                               rules.callback_after_working_days).at]


def may_call(complaint: Complaint) -> bool:
    return (not complaint.alleges_misconduct and complaint.reporter is not None
            and complaint.reporter.phone_sealed is not None
            and complaint.status in (CaseStatus.RESOLVED, CaseStatus.CLOSED))


def number_to_call(session: Session, tools: CaseTools, complaint: Complaint, caller: User) -> str:
    """The reporter's number, for the call; who was shown it is recorded."""
    if not may_call(complaint):
        raise TransitionError("forbidden")
    record_view(session, complaint, caller)
    return reporter_field(tools.vault, complaint.reporter, "phone") or ""


@dataclass(frozen=True)
class CallResult:
    reached: bool
    fixed: bool | None = None
    satisfaction: int | None = None
    note: str | None = None


def record_call(session: Session, tools: CaseTools, complaint: Complaint, caller: User,
                result: CallResult) -> Dispute | None:
    """What the call found: nobody reached, or the reporter's answer (and a review asked for
    on their behalf when it is not solved)."""
    if not may_call(complaint):
        raise TransitionError("forbidden")
    if not result.reached:
        perform(session, tools, complaint, ActionRequest(EventKind.CALLBACK_UNREACHED, reason=result.note),
                OPERATOR, caller)
        return None
    if result.fixed is None:
        raise TransitionError("feedback-required")
    perform(session, tools, complaint, ActionRequest(
        EventKind.REPORTER_FEEDBACK, fixed=result.fixed, satisfaction=result.satisfaction), OPERATOR, caller)
    if result.fixed:
        return None
    return dispute_answer(session, tools, complaint, result.note or "", relations=OPERATOR, actor=caller)

