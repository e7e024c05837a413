"""Complaints by SMS: what an inbound message becomes, and the reply. Plain Python.

The message is stored first, in the same transaction as whatever it causes,
so nothing Twilio handed over is lost; the same MessageSid twice gets the
same reply and makes nothing new. Keywords: 查询 <number>, 帮助/HELP,
退订/STOP. A message that names one of the sender's cases, or follows the
sender's last case within a few minutes, is added to that case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.cases.operations import (
    ActionRequest,
    Dispute,
    dispute_answer,
    perform,
    reporter_answers,
)
from complaints.cases.public import review_facts
from complaints.cases.rules import Relation
from complaints.cases.tools import CaseTools
from complaints.core.clock import now_utc
from complaints.core.identity import InvalidPhoneError, normalise_phone
from complaints.core.limits import DESCRIPTION_MAX, MESSAGE_BODY_MAX
from complaints.core.messages import t
from complaints.core.vocabulary import OPEN_STATUSES, CaseStatus, Channel, EventKind
from complaints.db.models import Complaint, InboundSms, ReporterIdentity
from complaints.intake.filing import NewComplaint, file_complaint
from complaints.outbox import opt_out

TRACKING = re.compile(r"YX\d{8}-\d{4,}", re.IGNORECASE)
STOP_WORDS = {"退订", "STOP", "TD", "UNSUBSCRIBE"}
HELP_WORDS = {"帮助", "HELP", "?", "？"}
FEEDBACK = {"1": True, "已解决": True, "解决了": True, "2": False, "未解决": False, "没解决": False}
SMS_REPLY = "sms-reply"  # the vault's purpose for a stored reply
QUERY = re.compile(r"^\s*(查询|查|CX)\s*(YX\d{8}-\d{4,})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Inbound:
    message_sid: str
    from_number: str
    to_number: str
    body: str
    media_urls: tuple[str, ...] = ()


def handle_inbound(session: Session, tools: CaseTools, message: Inbound,
                   follow_up_window: timedelta) -> str:
    """Store the message, act on it, and return the reply text."""
    seen = session.scalar(select(InboundSms).where(InboundSms.message_sid == message.message_sid))
    if seen is not None:  # Twilio retried: same answer, nothing new
        if seen.reply_sealed is None:
            return t("sms_in.received_again")
        return tools.vault.open(seen.reply_sealed, SMS_REPLY)
    try:
        phone: str | None = normalise_phone(message.from_number)
    except InvalidPhoneError:
        phone = None  # a short code or an odd sender: the message still counts
    sender = phone or message.from_number.strip()[:32] or "unknown"
    vault = tools.vault
    row = InboundSms(
        message_sid=message.message_sid[:64], from_sealed=vault.seal(sender, "sms-from"),
        from_hash=vault.phone_hash(sender), to_number=message.to_number[:32],
        body=message.body[:MESSAGE_BODY_MAX], media_urls=list(message.media_urls) or None,
        received_at=now_utc(),
    )
    session.add(row)
    session.flush()
    row.kind, complaint, reply = _act(session, tools, message, phone, row.from_hash,
                                      follow_up_window)
    row.complaint_id = complaint.id if complaint else None
    row.reply_sealed = vault.seal(reply, SMS_REPLY)
    session.flush()
    return reply


Reply = tuple[str, Complaint | None, str]
"""(kind of message, the case it concerns if any, reply text)"""


def _act(session: Session, tools: CaseTools, message: Inbound, phone: str | None,
         phone_hash: str, window: timedelta) -> Reply:
    text = message.body.strip()
    word = text.upper()
    if word in STOP_WORDS:
        if phone is not None:
            opt_out(session, tools.vault, phone)
        return "stop", None, t("sms_in.stopped")
    if word in HELP_WORDS:
        return "help", None, t("sms_in.help")
    if not text and not message.media_urls:
        return "empty", None, t("sms_in.empty")
    answer = FEEDBACK.get(word)
    if answer is not None:
        return _feedback(session, tools, phone_hash, answer)
    query = QUERY.match(text)
    if query:
        return _query(session, phone_hash, query.group(2).upper())
    earlier = _follow_up_target(session, phone_hash, text, window)
    if earlier is not None:
        note = (text or t("sms_in.photos_only"))[:DESCRIPTION_MAX]
        perform(session, tools, earlier, ActionRequest(EventKind.REPORTER_MESSAGE, reason=note[:2000]),
                frozenset({Relation.REPORTER}))
        return "follow-up", earlier, t("sms_in.added", number=earlier.tracking_number)
    return _new_complaint(session, tools, text, phone)


def _feedback(session: Session, tools: CaseTools, phone_hash: str, answer: bool) -> Reply:
    """The reply to "问题解决了吗？回复 1 已解决，2 未解决" — never a new complaint."""
    resolved = _latest_case(session, phone_hash, CaseStatus.RESOLVED)
    if resolved is not None:
        dispute = reporter_answers(session, tools, resolved, fixed=answer, satisfaction=None,
                                   note=t("sms_in.not_fixed"))
        if dispute is None:
            return "feedback", resolved, t("sms_in.thanks_fixed", number=resolved.tracking_number)
        return _disputed(dispute, tools)
    closed = _latest_case(session, phone_hash, CaseStatus.CLOSED)
    if closed is not None and not answer:  # closed before the answer came: within the window
        return _disputed(dispute_answer(session, tools, closed, t("sms_in.not_fixed")), tools)
    if closed is not None:
        return "feedback", closed, t("sms_in.thanks", number=closed.tracking_number)
    return "help", None, t("sms_in.help")


def _disputed(dispute: Dispute, tools: CaseTools) -> Reply:
    number = dispute.complaint.tracking_number
    if dispute.review is None:
        why = dispute.refused.message if dispute.refused else ""
        return "feedback", dispute.complaint, t("sms_in.review_refused", number=number, why=why)
    return "feedback", dispute.complaint, t("sms_in.review_asked", number=number,
                                            **review_facts(dispute.review, tools.table))


def _query(session: Session, phone_hash: str, tracking_number: str) -> Reply:
    case = _own_case(session, phone_hash, tracking_number)
    if case is None:
        return "query", None, t("sms_in.not_found")
    return "query", case, t("sms_in.status", number=case.tracking_number,
                            status=t(f"status.{case.status.value}"))


def _new_complaint(session: Session, tools: CaseTools, text: str, phone: str | None) -> Reply:
    description = text[:DESCRIPTION_MAX] or t("sms_in.photos_only")
    filed = file_complaint(session, tools, NewComplaint(
        channel=Channel.SMS, description=description, reporter_phone=phone))
    number, code = filed.complaint.tracking_number, filed.query_code
    reply = t("sms_in.new", number=number, code=code)
    if not re.search(r"[\u4e00-\u9fff]", text):
        reply += t("sms_in.in_chinese")
    return "new", filed.complaint, reply


def _latest_case(session: Session, phone_hash: str, status: CaseStatus) -> Complaint | None:
    return session.scalar(
        select(Complaint).join(ReporterIdentity)
        .where(ReporterIdentity.phone_hash == phone_hash, Complaint.status == status)
        .order_by(Complaint.updated_at.desc()).limit(1))


def _own_case(session: Session, phone_hash: str, tracking_number: str) -> Complaint | None:
    """Only the number that reported a case may ask about it by SMS."""
    return session.scalar(
        select(Complaint).join(ReporterIdentity)
        .where(Complaint.tracking_number == tracking_number,
               ReporterIdentity.phone_hash == phone_hash))


def _follow_up_target(session: Session, phone_hash: str, text: str,
                      window: timedelta) -> Complaint | None:
    named = TRACKING.search(text)
    if named:
        case = _own_case(session, phone_hash, named.group().upper())
        if case is not None and case.status in OPEN_STATUSES:
            return case
    latest = session.scalar(
        select(Complaint).join(ReporterIdentity)
        .where(ReporterIdentity.phone_hash == phone_hash, Complaint.channel == Channel.SMS)
        .order_by(Complaint.received_at.desc()).limit(1))
    if latest is not None and latest.status in OPEN_STATUSES and (
            now_utc() - latest.received_at) <= window:
        return latest
    return None
