"""The hotline: voicemails waiting for an operator, and calls an operator logs. Plain Python."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.cases.routing_override import override_routing
from complaints.cases.tools import CaseTools
from complaints.core.clock import now_utc
from complaints.core.identity import IdentityVault, InvalidPhoneError, normalise_phone
from complaints.core.vocabulary import Channel
from complaints.db.models import CallLog, Complaint, ReporterIdentity, User
from complaints.intake.filing import FiledComplaint, FilingError, NewComplaint, file_complaint
from complaints.intake.sms import FILED_NEW, take_set_aside
from complaints.routing.engine import Decision, Draft

VOICEMAIL, LOGGED = "voicemail", "logged"


def record_voicemail(session: Session, vault: IdentityVault, *, recording_sid: str, caller: str,
                     recording_url: str, duration: int | None) -> CallLog:
    """A message left on the hotline; Twilio may report it twice, it is kept once."""
    existing = session.scalar(select(CallLog).where(CallLog.recording_sid == recording_sid))
    if existing is not None:
        return existing
    sealed = hashed = None
    try:
        phone = normalise_phone(caller)
        sealed, hashed = vault.seal(phone, "caller"), vault.phone_hash(phone)
    except InvalidPhoneError:
        pass  # a withheld number: the voicemail still counts
    call = CallLog(recording_sid=recording_sid[:64], caller_sealed=sealed, caller_hash=hashed,
                   recording_url=recording_url[:500], duration_seconds=duration,
                   called_at=now_utc(), state=VOICEMAIL)
    session.add(call)
    session.flush()
    return call


@dataclass(frozen=True)
class LoggedCall:
    complaint: NewComplaint
    called_at: datetime | None = None
    duration_seconds: int | None = None
    unit_override: str | None = None      # the operator chose another unit than the engine
    override_reason: str | None = None
    voicemail_id: int | None = None
    # A text the SMS worker set aside, written up by the operator: filed as the SMS it was.
    sms_id: int | None = None


def preview(tools: CaseTools, call: LoggedCall) -> Decision:
    new = call.complaint
    return tools.router.route(Draft(text=new.description, township=new.township_slug,
                                   category=new.category, household=new.household_type,
                                   alleges_misconduct=new.alleges_misconduct))


def log_call(session: Session, tools: CaseTools, operator: User, call: LoggedCall) -> FiledComplaint:
    new = replace(call.complaint, channel=Channel.HOTLINE)
    if call.unit_override and not (call.override_reason or "").strip():
        raise FilingError("override_reason", "a reason is required to change the unit")
    log = None
    sms = take_set_aside(session, call.sms_id) if call.sms_id else None
    if sms is not None:  # its deadlines count from its arrival; no automatic reply went out
        new = replace(new, channel=Channel.SMS, received_at=sms.received_at, receipt_by_sms=True)
    if call.voicemail_id:
        # Locked: two operators writing up the same voicemail make one case, not two.
        log = session.scalar(select(CallLog).where(CallLog.id == call.voicemail_id)
                             .with_for_update())
        if log is None or log.state != VOICEMAIL:
            raise FilingError("voicemail", "this voicemail has already been written up")
    filed = file_complaint(session, tools, new)
    # A category the operator chose is a structured field the engine already honoured;
    # another unit than the engine's is an override, recorded with its reason.
    routing = filed.complaint.routing or {}
    if call.unit_override and call.unit_override != routing.get("lead_unit"):
        override_routing(
            session, tools.router, filed.complaint, operator,
            category=filed.complaint.category or "other", lead_unit=call.unit_override,
            co_units=list(routing.get("co_units", [])), reason=call.override_reason or "",
        )
    if sms is not None:  # no call was made: what the worker would have recorded
        sms.kind, sms.complaint_id = FILED_NEW, filed.complaint.id
        session.flush()
        return filed
    if log is None:
        log = CallLog(called_at=call.called_at or now_utc(), state=LOGGED)
        session.add(log)
    if (new.reporter_phone or "").strip():
        phone = normalise_phone(new.reporter_phone or "")
        log.caller_sealed, log.caller_hash = tools.vault.seal(phone, "caller"), tools.vault.phone_hash(phone)
    log.state, log.operator, log.complaint = LOGGED, operator, filed.complaint
    log.duration_seconds = call.duration_seconds or log.duration_seconds
    session.flush()
    return filed


def cases_of_caller(session: Session, vault: IdentityVault, phone: str,
                    limit: int = 20) -> list[Complaint]:
    """A caller's earlier cases, found through the keyed hash of their number."""
    hashed = vault.phone_hash(normalise_phone(phone))
    return list(session.scalars(
        select(Complaint).join(ReporterIdentity).where(ReporterIdentity.phone_hash == hashed)
        .order_by(Complaint.received_at.desc()).limit(limit)))
