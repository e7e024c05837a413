"""Complaints by SMS: what an inbound message becomes, and the reply. Plain Python.

The webhook only keeps the message (one row, one commit) and answers Twilio at
once, so nothing Twilio handed over is lost and a burst of texts costs the
webhook no more than an insert each; the outbox worker then acts on it
(``file_waiting``) and the reply goes by SMS within seconds. The same
MessageSid twice is kept once and makes nothing new. Keywords: 查询 <number>, 帮助/HELP,
退订/STOP. A message that names one of the sender's cases, or follows the
sender's last case within a few minutes, is added to that case.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, aliased, sessionmaker

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
from complaints.core.identity import IdentityVault, InvalidPhoneError, normalise_phone
from complaints.core.limits import DESCRIPTION_MAX, MESSAGE_BODY_MAX
from complaints.core.messages import t
from complaints.core.vocabulary import OPEN_STATUSES, CaseStatus, Channel, EventKind, MessageChannel
from complaints.db.base import conflict_insert
from complaints.db.models import Complaint, InboundSms, ReporterIdentity
from complaints.intake.filing import FilingError, NewComplaint, file_complaint
from complaints.outbox import enqueue, opt_in, opt_out

TRACKING = re.compile(r"YX\d{8}-\d{4,}", re.IGNORECASE)
STOP_WORDS = {"退订", "STOP", "TD", "UNSUBSCRIBE"}
HELP_WORDS = {"帮助", "HELP", "?", "？"}
FEEDBACK = {"1": True, "已解决": True, "解决了": True, "2": False, "未解决": False, "没解决": False}
SMS_REPLY = "sms-reply"  # the vault's purpose for a stored reply
SMS_FROM = "sms-from"  # the vault's purpose for the sender's number
# A kept message's kind until it is acted on: None waiting, CLAIMED while a worker acts on
# it (in that worker's transaction only), SET_ASIDE if it could not be.
CLAIMED, SET_ASIDE = "claimed", "set-aside"
FILED_NEW = "new"  # what a message that became a new complaint is
_log = logging.getLogger(__name__)
QUERY = re.compile(r"^\s*(查询|查|CX)\s*(YX\d{8}-\d{4,})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class SmsRules:
    """How the worker treats what a number sends: what counts as adding to its last case, and
    how many answers one number gets in an hour (a flood from one phone is filed, not answered
    text for text: every answer is an SMS the county pays for)."""

    follow_up_window: timedelta
    replies_per_hour: int


@dataclass(frozen=True)
class Inbound:
    message_sid: str
    from_number: str
    to_number: str
    body: str
    media_urls: tuple[str, ...] = ()


def accept_inbound(session: Session, vault: IdentityVault, message: Inbound,
                   received_at: datetime | None = None) -> str | None:
    """Keep the message as Twilio handed it over, waiting to be acted on (the same MessageSid
    is kept once), and return the webhook's own answer, if any: only 退订 is confirmed there,
    since the opt-out would hold back a confirmation by SMS afterwards. The webhook commits
    this one row and answers at once; ``received_at``: when it came, if earlier than now
    (kept in the spool during an outage)."""
    try:
        sender = normalise_phone(message.from_number)
    except InvalidPhoneError:  # a short code or an odd sender: the message still counts
        sender = message.from_number.strip()[:32] or "unknown"
    # One statement, which a message kept before leaves alone (both databases say it alike).
    insert = conflict_insert(session.get_bind().dialect)
    session.execute(insert(InboundSms).values(
        message_sid=message.message_sid[:64], from_sealed=vault.seal(sender, SMS_FROM),
        from_hash=vault.phone_hash(sender), to_number=message.to_number[:32],
        body=message.body[:MESSAGE_BODY_MAX], media_urls=list(message.media_urls) or None,
        received_at=received_at or now_utc(), kind=None,
    ).on_conflict_do_nothing(index_elements=[InboundSms.message_sid]))
    return t("sms_in.stopped") if _stops(message.body) else None


def _stops(body: str) -> bool:
    return body.strip().upper() in STOP_WORDS


def file_waiting(session_factory: sessionmaker[Session], tools: CaseTools, rules: SmsRules,
                 limit: int = 20) -> int:
    """Act on the messages the webhook kept, each sender's in the order they came, each in a
    transaction of its own that also queues the reply by SMS. Returns how many were done: at
    most ``limit``, so that the worker sends the replies of a burst as it goes. A sender with
    several messages waiting yields to those with one, so a flood from one number does not
    hold back everyone's receipts.

    Several workers may run this at once: a message is claimed by the statement that marks
    it (on PostgreSQL skipping those another worker holds, and any sender's later message
    while an earlier one is held), so it is acted on once; a worker killed midway rolls its
    claim back with the rest, and the message waits for the next round. A message that
    cannot be acted on is set aside for a person (logged), not retried for ever."""
    done = 0
    while done < limit:
        started = time.perf_counter()
        with session_factory() as session:
            one_writer = session.get_bind().dialect.name == "sqlite"
            message_id = _claim_next(session)
            if message_id is None:
                break
            try:
                _act_on_kept(session, tools, message_id, rules)
                session.commit()
            except (OperationalError, InterfaceError):
                raise  # the database went away: the claim rolled back, the next round retries
            except Exception:
                session.rollback()
                _log.exception("inbound SMS %s could not be acted on; set aside", message_id)
                # Unless another worker took it meanwhile (the claim rolled back with the rest).
                session.execute(update(InboundSms)
                                .where(InboundSms.id == message_id, InboundSms.kind.is_(None))
                                .values(kind=SET_ASIDE))
                session.commit()
        done += 1
        if one_writer:
            # SQLite's lock goes to whoever asks first after it is free, and a waiting web
            # request asks only every few milliseconds: working through a backlog without a
            # pause would keep it from every webhook. Leave the lock free as long as it was held.
            time.sleep(time.perf_counter() - started)
    return done


def set_aside(session: Session) -> list[InboundSms]:
    """The messages the worker could not act on, oldest first: for a person to look at."""
    return list(session.scalars(select(InboundSms).where(InboundSms.kind == SET_ASIDE)
                                .order_by(InboundSms.id)))


def take_set_aside(session: Session, message_id: int) -> InboundSms:
    """A set-aside message an operator files by hand, locked: two operators writing up the
    same message make one case, not two."""
    message = session.scalar(select(InboundSms).where(InboundSms.id == message_id)
                             .with_for_update())
    if message is None or message.kind != SET_ASIDE:
        raise FilingError("sms", "this message is no longer set aside")
    return message


def wait_again(session: Session, message_ids: list[int]) -> int:
    """Put set-aside messages back in the worker's queue (once what stopped them is fixed);
    returns how many. A message acted on already is left as it is."""
    result = session.execute(update(InboundSms)
                             .where(InboundSms.id.in_(message_ids), InboundSms.kind == SET_ASIDE)
                             .values(kind=None))
    return int(getattr(result, "rowcount", 0) or 0)


def _claim_next(session: Session) -> int | None:
    # First a sender's only waiting message, then any sender's oldest: a number with several
    # waiting yields to the others. Two statements, each stopping at the first row it finds in
    # arrival order (ordering every waiting row by the second test would read them all).
    return _claim(session, only_one_waiting=True) or _claim(session, only_one_waiting=False)


def _claim(session: Session, only_one_waiting: bool) -> int | None:
    other = aliased(InboundSms)
    same_sender_waiting = (other.from_hash == InboundSms.from_hash) & other.kind.is_(None)
    held_back = exists().where(same_sender_waiting, other.id < InboundSms.id)
    waiting = [InboundSms.kind.is_(None), ~held_back]
    if only_one_waiting:
        waiting.append(~exists().where(same_sender_waiting, other.id > InboundSms.id))
    next_waiting = (select(InboundSms.id).where(*waiting)
                    .order_by(InboundSms.id).limit(1)
                    .with_for_update(skip_locked=True, of=InboundSms)
                    .scalar_subquery())
    # One statement finds and marks it: on SQLite it takes the write lock, so two workers
    # never pick the same message.
    return session.scalar(update(InboundSms).where(InboundSms.id == next_waiting)
                          .values(kind=CLAIMED).returning(InboundSms.id))


def _act_on_kept(session: Session, tools: CaseTools, message_id: int, rules: SmsRules) -> None:
    row = session.get_one(InboundSms, message_id)
    sender = tools.vault.open(row.from_sealed, SMS_FROM)
    try:
        phone: str | None = normalise_phone(sender)
    except InvalidPhoneError:
        phone = None
    message = Inbound(message_sid=row.message_sid, from_number=sender, to_number=row.to_number,
                      body=row.body, media_urls=tuple(row.media_urls or ()))
    if phone is not None and not _stops(message.body):
        # Whoever writes again after 退订 wants the answer (a TwiML reply always reached them).
        opt_in(session, tools.vault, phone)
    row.kind, complaint, reply = _act(session, tools, message, phone, row.from_hash,
                                      rules.follow_up_window, row.received_at)
    row.complaint_id = complaint.id if complaint else None
    if phone is None:  # a short code: nowhere to answer
        return
    if _answered_within_hour(session, row) >= rules.replies_per_hour:
        # Filed all the same (the case holds it); the answer is what a flood does not get.
        _log.warning("inbound SMS %s filed (%s) without an answer: its number had %d this hour",
                     row.id, row.kind, rules.replies_per_hour)
        return
    row.reply_sealed = tools.vault.seal(reply, SMS_REPLY)
    enqueue(session, tools.vault, MessageChannel.SMS, phone, reply, complaint=complaint)
    session.flush()


def _answered_within_hour(session: Session, row: InboundSms) -> int:
    """How many of this number's messages of the hour before this one were answered."""
    return session.scalar(
        select(func.count()).select_from(InboundSms)
        .where(InboundSms.from_hash == row.from_hash, InboundSms.id != row.id,
               InboundSms.reply_sealed.is_not(None),
               InboundSms.received_at > row.received_at - timedelta(hours=1))) or 0


Reply = tuple[str, Complaint | None, str]
"""(kind of message, the case it concerns if any, reply text)"""


def _act(session: Session, tools: CaseTools, message: Inbound, phone: str | None,
         phone_hash: str, window: timedelta, received_at: datetime) -> Reply:
    text = message.body.strip()
    word = text.upper()
    if _stops(text):
        if phone is not None:
            opt_out(session, tools.vault, phone)
        return "stop", None, t("sms_in.stopped")
    if word in HELP_WORDS:
        return "help", None, t("sms_in.help")
    if not text and not message.media_urls:
        return "empty", None, t("sms_in.empty")
    answer = FEEDBACK.get(word)
    if answer is not None:
        return _feedback(session, tools, phone_hash, answer, received_at)
    query = QUERY.match(text)
    if query:
        return _query(session, phone_hash, query.group(2).upper())
    earlier = _follow_up_target(session, phone_hash, text, window, received_at)
    if earlier is not None:
        note = (text or t("sms_in.photos_only"))[:DESCRIPTION_MAX]
        perform(session, tools, earlier, ActionRequest(EventKind.REPORTER_MESSAGE, reason=note[:2000]),
                frozenset({Relation.REPORTER}))
        return "follow-up", earlier, t("sms_in.added", number=earlier.tracking_number)
    return _new_complaint(session, tools, text, phone, received_at)


def _feedback(session: Session, tools: CaseTools, phone_hash: str, answer: bool,
              received_at: datetime) -> Reply:
    """The reply to "问题解决了吗？回复 1 已解决，2 未解决" — never a new complaint."""
    resolved = _latest_case(session, phone_hash, CaseStatus.RESOLVED)
    if resolved is not None:
        dispute = reporter_answers(session, tools, resolved, fixed=answer, satisfaction=None,
                                   note=t("sms_in.not_fixed"), sent_at=received_at)
        if dispute is None:
            return "feedback", resolved, t("sms_in.thanks_fixed", number=resolved.tracking_number)
        return _disputed(dispute, tools)
    closed = _latest_case(session, phone_hash, CaseStatus.CLOSED)
    if closed is not None and not answer:  # closed before the answer came: within the window
        return _disputed(dispute_answer(session, tools, closed, t("sms_in.not_fixed"),
                                        sent_at=received_at), tools)
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


def _new_complaint(session: Session, tools: CaseTools, text: str, phone: str | None,
                   received_at: datetime) -> Reply:
    description = text[:DESCRIPTION_MAX] or t("sms_in.photos_only")
    filed = file_complaint(session, tools, NewComplaint(
        channel=Channel.SMS, description=description, reporter_phone=phone,
        received_at=received_at))
    number, code = filed.complaint.tracking_number, filed.query_code
    reply = t("sms_in.new", number=number, code=code)
    if not re.search(r"[\u4e00-\u9fff]", text):
        reply += t("sms_in.in_chinese")
    return FILED_NEW, filed.complaint, reply


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


def _follow_up_target(session: Session, phone_hash: str, text: str, window: timedelta,
                      received_at: datetime) -> Complaint | None:
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
            received_at - latest.received_at) <= window:
        return latest
    return None
