"""The messages a case owes people, queued in the outbox inside the transaction that caused
them (sent later by the outbox worker; a rolled-back change sends nothing).

Every SMS about a case is worded and addressed here, so each text exists once.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.cases.identities import reporter_field
from complaints.cases.public import receipt
from complaints.cases.tools import CaseTools
from complaints.core.clock import deadline_day
from complaints.core.identity import is_mobile
from complaints.core.messages import t
from complaints.core.vocabulary import (
    TELLS_THE_REPORTER,
    TELLS_THE_UNIT,
    EventKind,
    MessageChannel,
    Role,
)
from complaints.db.models import Complaint, Unit, User
from complaints.outbox import enqueue


def after_event(session: Session, tools: CaseTools, complaint: Complaint, kind: EventKind,
                note: str | None, details: Mapping[str, object] | None = None) -> None:
    """Queue what an event performed on ``complaint`` owes people."""
    if kind in TELLS_THE_UNIT:
        _tell_the_unit(session, tools, complaint, kind)
    elif kind in TELLS_THE_REPORTER:
        if kind is EventKind.RESOLVE:  # every reporter of the problem hears of the answer
            for joined in session.scalars(select(Complaint).where(Complaint.merged_into_id == complaint.id)):
                joined_phone = _reporter_phone(tools, joined)
                if joined_phone is not None:
                    _sms(session, tools, joined_phone,
                         t("sms.resolved_merged", number=joined.tracking_number), joined)
        phone = _reporter_phone(tools, complaint)
        if phone is None:
            return
        if kind is EventKind.MERGE:
            body = t("sms.merged", number=complaint.tracking_number)
        elif kind is EventKind.RESOLVE:
            body = t("sms.resolved", number=complaint.tracking_number)
        elif kind is EventKind.GRANT_EXTENSION:
            extended = details or {}
            body = t("sms.extended", number=complaint.tracking_number,
                     due=f"{deadline_day(complaint.resolve_due_at):%Y-%m-%d}"
                     if complaint.resolve_due_at else "", reason=str(extended.get("reason", ""))[:200])
        else:
            body = t("sms.public_reply", number=complaint.tracking_number,
                     reply=(note or "")[:300])
        _sms(session, tools, phone, body, complaint)


def send_receipt(session: Session, tools: CaseTools, complaint: Complaint, phone: str,
                 query_code: str) -> None:
    """The receipt of a new complaint: its number, query code, unit and expected day; not to
    a landline, which no SMS reaches."""
    if not is_mobile(phone):
        return
    facts = receipt(complaint, query_code, tools.table, tools.calendar)
    _sms(session, tools, phone, t("sms.receipt", **facts), complaint)


def remind_unit(session: Session, tools: CaseTools, complaint: Complaint) -> None:
    """Tell the responsible unit's liaisons that a deadline is near."""
    if complaint.responsible_unit is None or complaint.deadline_at is None:
        return
    body = t("sms.due_soon", number=complaint.tracking_number,
             deadline=f"{deadline_day(complaint.deadline_at):%m-%d}")
    for user in _liaisons(session, complaint.responsible_unit):
        if user.phone:
            _sms(session, tools, user.phone, body, complaint)


def _tell_the_unit(session: Session, tools: CaseTools, complaint: Complaint,
                   kind: EventKind) -> None:
    unit = complaint.responsible_unit
    recipients = _liaisons(session, unit) if unit else []
    if kind is EventKind.ESCALATE and not recipients:
        # Nobody at a unit to chase (not dispatched yet, or no liaison): the lead unit is.
        recipients = _leads(session)
    key = {EventKind.ESCALATE: "sms.escalated", EventKind.SUPERVISE: "sms.supervised"}.get(
        kind, "sms.assigned")
    deadline = f"{deadline_day(complaint.deadline_at):%m-%d}" if complaint.deadline_at else "-"
    for user in recipients:
        if user.phone:
            _sms(session, tools, user.phone,
                 t(key, number=complaint.tracking_number, deadline=deadline), complaint)


def _sms(session: Session, tools: CaseTools, phone: str, body: str, complaint: Complaint) -> None:
    enqueue(session, tools.vault, MessageChannel.SMS, phone, body, complaint=complaint)


def _reporter_phone(tools: CaseTools, complaint: Complaint) -> str | None:
    """The reporter's mobile, if any: a landline given for calling back gets no SMS."""
    phone = reporter_field(tools.vault, complaint.reporter, "phone")
    return phone if phone is not None and is_mobile(phone) else None


def _liaisons(session: Session, unit: Unit) -> list[User]:
    return list(session.scalars(select(User).where(
        User.unit_id == unit.id, User.role == Role.LIAISON, User.is_active.is_(True))))


def _leads(session: Session) -> list[User]:
    return list(session.scalars(select(User).where(
        User.role == Role.LEAD, User.is_active.is_(True))))
