"""The case lifecycle: one function, ``perform``, changes a case.

It checks that the action is possible from the case's status, asks
``complaints.policy`` whether the actor may do it, checks what the action
needs (a reason, an outcome, a unit), changes the case, appends one chained
``CaseEvent``, recomputes the deadlines and queues the messages people
should get. It flushes; the caller commits. Plain Python, no Flask.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.clock import deadline_day, now_utc
from complaints.identity import IdentityVault
from complaints.messages import t
from complaints.models import NOTE_MAX, CaseEvent, Complaint, MessageChannel, Unit, User
from complaints.outbox import enqueue
from complaints.routing.engine import Router
from complaints.routing.table import RoutingTable
from complaints.tracking.calendar import WorkingCalendar
from complaints.tracking.deadlines import elapsed_working_days, refresh_deadlines
from complaints.tracking.events import record_event
from complaints.tracking.status import ClueDisposition, Outcome
from complaints.tracking.status import CaseStatus as S
from complaints.vocabulary import Role, UnitKind

COMMISSION = "discipline-commission"


class Action(enum.StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    ASSIGN = "assign"
    START = "start"
    RETURN = "return"
    REQUEST_TRANSFER = "request-transfer"
    APPROVE_TRANSFER = "approve-transfer"
    REFUSE_TRANSFER = "refuse-transfer"
    TRANSFER = "transfer"
    REQUEST_EXTENSION = "request-extension"
    GRANT_EXTENSION = "grant-extension"
    REFUSE_EXTENSION = "refuse-extension"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    TRANSFER_CLUE = "transfer-clue"
    DECLINE_CLUE = "decline-clue"
    REQUEST_IDENTITY = "request-identity"
    GRANT_IDENTITY = "grant-identity"
    REFUSE_IDENTITY = "refuse-identity"
    NOTE = "note"
    PUBLIC_REPLY = "public-reply"
    COMMENT = "comment"
    REPORTER_FEEDBACK = "reporter-feedback"
    REPORTER_MESSAGE = "reporter-message"  # more information, or an answer to staff
    ESCALATE = "escalate"


class Who(enum.StrEnum):
    """How an actor stands to a case; ``policy.relations`` works it out."""

    LEAD = "lead"              # the lead unit's dispatchers
    HANDLER = "handler"        # a liaison of the responsible unit
    CO_UNIT = "co-unit"        # a liaison of a co-unit
    OPERATOR = "operator"      # hotline operators (recording a reporter's answer)
    SYSTEM = "system"          # jobs: deadlines, follow-up windows
    REPORTER = "reporter"      # the reporter, through the status page or SMS


OPEN = frozenset(S) - {S.REJECTED, S.CLOSED}
# Actions after which the event records the resolve deadline then in force.
DUE_CHANGES = frozenset({"assign", "approve-transfer", "transfer", "grant-extension"})
WITH_UNIT = frozenset({S.ASSIGNED, S.IN_PROGRESS})


@dataclass(frozen=True)
class Rule:
    sources: frozenset[S]
    target: S | None  # None: the status stays
    who: frozenset[Who]
    needs_reason: bool = False


RULES: dict[Action, Rule] = {
    Action.ACCEPT: Rule(frozenset({S.RECEIVED}), S.ACCEPTED, frozenset({Who.LEAD})),
    Action.REJECT: Rule(frozenset({S.RECEIVED}), S.REJECTED, frozenset({Who.LEAD}), True),
    Action.ASSIGN: Rule(frozenset({S.ACCEPTED, S.RETURNED, S.REOPENED}), S.ASSIGNED,
                        frozenset({Who.LEAD})),
    Action.START: Rule(frozenset({S.ASSIGNED}), S.IN_PROGRESS, frozenset({Who.HANDLER, Who.LEAD})),
    Action.RETURN: Rule(WITH_UNIT, S.RETURNED, frozenset({Who.HANDLER}), True),
    Action.REQUEST_TRANSFER: Rule(WITH_UNIT, S.TRANSFERRED, frozenset({Who.HANDLER}), True),
    Action.APPROVE_TRANSFER: Rule(frozenset({S.TRANSFERRED}), S.ASSIGNED, frozenset({Who.LEAD})),
    Action.REFUSE_TRANSFER: Rule(frozenset({S.TRANSFERRED}), S.IN_PROGRESS,
                                 frozenset({Who.LEAD}), True),
    Action.TRANSFER: Rule(WITH_UNIT, S.ASSIGNED, frozenset({Who.LEAD}), True),
    Action.REQUEST_EXTENSION: Rule(WITH_UNIT, None, frozenset({Who.HANDLER}), True),
    Action.GRANT_EXTENSION: Rule(WITH_UNIT | {S.TRANSFERRED}, None, frozenset({Who.LEAD})),
    Action.REFUSE_EXTENSION: Rule(WITH_UNIT | {S.TRANSFERRED}, None, frozenset({Who.LEAD}), True),
    Action.RESOLVE: Rule(frozenset({S.IN_PROGRESS}), S.RESOLVED,
                         frozenset({Who.HANDLER, Who.LEAD})),
    Action.CLOSE: Rule(frozenset({S.RESOLVED}), S.CLOSED, frozenset({Who.LEAD, Who.SYSTEM})),
    Action.REOPEN: Rule(frozenset({S.RESOLVED, S.CLOSED}), S.REOPENED,
                        frozenset({Who.LEAD, Who.REPORTER}), True),
    Action.TRANSFER_CLUE: Rule(OPEN, None, frozenset({Who.LEAD})),
    Action.DECLINE_CLUE: Rule(OPEN, None, frozenset({Who.LEAD}), True),
    Action.REQUEST_IDENTITY: Rule(OPEN, None, frozenset({Who.HANDLER, Who.CO_UNIT}), True),
    Action.GRANT_IDENTITY: Rule(OPEN, None, frozenset({Who.LEAD})),
    Action.REFUSE_IDENTITY: Rule(OPEN, None, frozenset({Who.LEAD}), True),
    Action.NOTE: Rule(frozenset(S), None,
                      frozenset({Who.LEAD, Who.HANDLER, Who.CO_UNIT, Who.OPERATOR}), True),
    Action.PUBLIC_REPLY: Rule(OPEN, None, frozenset({Who.LEAD, Who.HANDLER}), True),
    Action.COMMENT: Rule(OPEN, None, frozenset({Who.LEAD, Who.HANDLER, Who.CO_UNIT}), True),
    # The reporter's own answer, or the lead unit / an operator writing down what they said:
    # never the unit whose work is being judged.
    Action.REPORTER_FEEDBACK: Rule(frozenset({S.RESOLVED}), None,
                                   frozenset({Who.REPORTER, Who.LEAD, Who.OPERATOR})),
    Action.REPORTER_MESSAGE: Rule(OPEN, None, frozenset({Who.REPORTER}), True),
    Action.ESCALATE: Rule(OPEN, None, frozenset({Who.SYSTEM})),
}


class TransitionError(ValueError):
    """The action is impossible now; ``message`` is in Chinese for the web layer."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.message = t(f"lifecycle.{code}", **params)
        super().__init__(f"{code}: {self.message}")


@dataclass(frozen=True)
class CaseDesk:
    """What changing cases needs besides the database."""

    vault: IdentityVault
    router: Router
    calendar: WorkingCalendar

    @property
    def table(self) -> RoutingTable:
        return self.router.table


@dataclass
class Request:
    action: Action
    reason: str | None = None
    unit: str | None = None                 # assign, transfer: the unit slug
    co_units: list[str] | None = None      # assign: None means as routed
    outcome: Outcome | None = None
    days: int | None = None                 # extensions
    user_id: int | None = None              # identity grant: whose request
    fixed: bool | None = None               # reporter feedback
    satisfaction: int | None = None         # 1-5


def allowed_actions(complaint: Complaint, relations: frozenset[Who]) -> list[Action]:
    """What these relations may do now, in the order the consoles show them."""
    return [action for action, rule in RULES.items()
            if complaint.status in rule.sources and rule.who & relations
            and _applicable(complaint, action)]


def _applicable(complaint: Complaint, action: Action) -> bool:
    """Conditions beyond status: an action that cannot apply is not offered."""
    match action:
        case Action.TRANSFER_CLUE | Action.DECLINE_CLUE:
            return complaint.alleges_misconduct and complaint.clue_disposition is None
        case Action.REQUEST_EXTENSION:
            return complaint.pending_extension_days is None
        case Action.GRANT_EXTENSION | Action.REFUSE_EXTENSION:
            return complaint.pending_extension_days is not None
        case Action.REQUEST_IDENTITY:
            return complaint.alleges_misconduct and complaint.reporter is not None
        case Action.GRANT_IDENTITY | Action.REFUSE_IDENTITY:
            return bool(pending_identity_requests(complaint))
        case Action.ESCALATE:
            return complaint.deadline_at is not None
        case _:
            return True


def check(complaint: Complaint, action: Action, relations: frozenset[Who]) -> None:
    """Raise ``TransitionError`` unless ``action`` is possible now for these relations."""
    from complaints.policy import ensure_may  # the one place that decides who may

    rule = RULES[action]
    if complaint.status not in rule.sources:
        raise TransitionError("impossible", action=t(f"action.{action.value}"),
                              status=t(f"status.{complaint.status.value}"))
    ensure_may(relations, rule.who)
    if not _applicable(complaint, action):
        raise TransitionError(f"not-applicable.{action.value}")


def perform(session: Session, desk: CaseDesk, complaint: Complaint, request: Request,
            relations: frozenset[Who], actor: User | None = None) -> CaseEvent:
    check(complaint, request.action, relations)
    rule = RULES[request.action]
    reason = (request.reason or "").strip() or None
    if rule.needs_reason and not reason:
        raise TransitionError("reason-required")
    if reason and len(reason) > NOTE_MAX:
        raise TransitionError("reason-too-long", limit=NOTE_MAX)

    before = complaint.status
    # Which unit held the case when this happened: reports count by it, from the events alone.
    holder = complaint.responsible_unit.slug if complaint.responsible_unit else None
    details = _apply(session, desk, complaint, request, actor)
    now = now_utc()
    if rule.target is not None and rule.target is not before:
        complaint.status = rule.target
        complaint.status_changed_at = now
    refresh_deadlines(complaint, desk.table.deadlines_for(complaint.category), desk.calendar)
    details.setdefault("unit", holder)
    if request.action in DUE_CHANGES and complaint.resolve_due_at is not None:
        details["due"] = complaint.resolve_due_at.isoformat()
    actor_kind = actor.role.value if actor else next(iter(sorted(relations)), "system")
    event = record_event(
        session, complaint, request.action.value, actor=actor, actor_kind=actor_kind,
        note=reason, from_status=before.value,
        to_status=complaint.status.value if complaint.status is not before else None,
        details=details,
    )
    _notify(session, desk, complaint, request.action)
    session.flush()
    return event


def _apply(session: Session, desk: CaseDesk, complaint: Complaint, request: Request,
           actor: User | None) -> dict[str, Any]:
    """The action's own changes to the case; returns what the event should record."""
    now = now_utc()
    rules = desk.table.deadlines_for(complaint.category)
    match request.action:
        case Action.ACCEPT:
            complaint.accepted_at = now
        case Action.ASSIGN:
            routing = complaint.routing or {}
            lead = request.unit or routing.get("lead_unit")
            co_units = (request.co_units if request.co_units is not None
                        else routing.get("co_units", []))
            unit = _handling_unit(session, lead)
            complaint.responsible_unit = unit
            complaint.co_units = _keep_commission(complaint) + [
                _handling_unit(session, slug) for slug in co_units if slug != unit.slug]
            complaint.assigned_at = now
            complaint.needs_triage = False
            return {"unit": unit.slug, "co_units": [u.slug for u in complaint.co_units]}
        case Action.RETURN:
            left = complaint.responsible_unit.slug if complaint.responsible_unit else None
            complaint.responsible_unit = None
            complaint.assigned_at = None
            return {"unit": left}
        case Action.REQUEST_TRANSFER:
            target = _handling_unit(session, request.unit)
            if complaint.responsible_unit is not None and target.id == complaint.responsible_unit_id:
                raise TransitionError("same-unit")
            complaint.pending_transfer_unit = target
            return {"to": target.slug}
        case Action.APPROVE_TRANSFER | Action.TRANSFER:
            target = (complaint.pending_transfer_unit if request.action is Action.APPROVE_TRANSFER
                      else _handling_unit(session, request.unit))
            if target is None:
                raise TransitionError("unit-required")
            if request.action is Action.TRANSFER and target.id == complaint.responsible_unit_id:
                raise TransitionError("same-unit")
            source = complaint.responsible_unit.slug if complaint.responsible_unit else None
            complaint.responsible_unit = target
            complaint.pending_transfer_unit = None
            complaint.assigned_at = now
            return {"from": source, "to": target.slug}
        case Action.REFUSE_TRANSFER:
            complaint.pending_transfer_unit = None
        case Action.REQUEST_EXTENSION:
            if request.days is None or not 1 <= request.days <= rules.extension_max_days:
                raise TransitionError("extension-days", most=rules.extension_max_days)
            complaint.pending_extension_days = request.days
            return {"days": request.days}
        case Action.GRANT_EXTENSION:
            days = complaint.pending_extension_days or 0
            complaint.extension_days_granted += days
            complaint.pending_extension_days = None
            return {"days": days}
        case Action.REFUSE_EXTENSION:
            days = complaint.pending_extension_days
            complaint.pending_extension_days = None
            return {"days": days}
        case Action.RESOLVE:
            if request.outcome is None:
                raise TransitionError("outcome-required")
            if complaint.alleges_misconduct and complaint.clue_disposition is None:
                raise TransitionError("clue-pending")
            complaint.outcome = request.outcome
            complaint.resolved_at = now
            complaint.working_days_to_resolve = elapsed_working_days(
                desk.calendar, complaint.assigned_at or complaint.received_at, now)
            due = complaint.resolve_due_at
            return {"outcome": request.outcome.value,
                    "on_time": due is None or now <= due,
                    "working_days": complaint.working_days_to_resolve}
        case Action.CLOSE:
            complaint.closed_at = now
        case Action.REOPEN:
            complaint.closed_at = None
            complaint.resolved_at = complaint.working_days_to_resolve = None
            complaint.outcome = None
            _back_to_the_lead_unit(complaint)
        case Action.TRANSFER_CLUE:
            commission = _unit(session, COMMISSION)
            if commission not in complaint.co_units:
                complaint.co_units.append(commission)
            complaint.clue_disposition = ClueDisposition.TRANSFERRED
            return {"to": COMMISSION}
        case Action.DECLINE_CLUE:
            complaint.clue_disposition = ClueDisposition.DECLINED
        case Action.REQUEST_IDENTITY:
            if actor is None:
                raise TransitionError("forbidden")
            return {"user_id": actor.id}
        case Action.GRANT_IDENTITY | Action.REFUSE_IDENTITY:
            if request.user_id not in pending_identity_requests(complaint):
                raise TransitionError("no-such-request")
            return {"user_id": request.user_id}
        case Action.REPORTER_FEEDBACK:
            if request.fixed is None:
                raise TransitionError("feedback-required")
            if request.satisfaction is not None and not 1 <= request.satisfaction <= 5:
                raise TransitionError("satisfaction-range")
            complaint.reporter_says_fixed = request.fixed
            complaint.reporter_satisfaction = request.satisfaction
            if request.fixed:
                complaint.status, complaint.closed_at = S.CLOSED, now
            else:
                # "Not fixed" sends the case back to the lead unit to dispatch again.
                complaint.status = S.REOPENED
                complaint.resolved_at = complaint.outcome = None
                complaint.working_days_to_resolve = None
                _back_to_the_lead_unit(complaint)
            complaint.status_changed_at = now
            return {"fixed": request.fixed, "satisfaction": request.satisfaction}
        case Action.ESCALATE:
            complaint.escalated_at = now
            return {"deadline": complaint.deadline_at.isoformat() if complaint.deadline_at else None}
    return {}


def _back_to_the_lead_unit(complaint: Complaint) -> None:
    """A reopened case waits for the lead unit to dispatch it again, with a fresh clock."""
    complaint.responsible_unit = None
    complaint.assigned_at = None
    complaint.pending_extension_days = None
    complaint.pending_transfer_unit = None
    complaint.extension_days_granted = 0


def pending_identity_requests(complaint: Complaint) -> set[int]:
    """Users who asked to see the reporter's identity and have no answer yet."""
    pending: set[int] = set()
    for event in complaint.events:
        user_id = (event.details or {}).get("user_id")
        if event.action == Action.REQUEST_IDENTITY.value:
            pending.add(user_id)
        elif event.action in (Action.GRANT_IDENTITY.value, Action.REFUSE_IDENTITY.value):
            pending.discard(user_id)
    return pending


def identity_granted_to(complaint: Complaint) -> set[int]:
    granted: set[int] = set()
    for event in complaint.events:
        if event.action == Action.GRANT_IDENTITY.value:
            granted.add((event.details or {}).get("user_id"))
    return granted


def _keep_commission(complaint: Complaint) -> list[Unit]:
    return [unit for unit in complaint.co_units if unit.slug == COMMISSION]


def _unit(session: Session, slug: str | None) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.slug == slug)) if slug else None
    if unit is None:
        raise TransitionError("unit-required")
    return unit


def _handling_unit(session: Session, slug: str | None) -> Unit:
    """A unit that handles cases: clues reach the commission by TRANSFER_CLUE only."""
    unit = _unit(session, slug)
    if unit.kind is UnitKind.COMMISSION:
        raise TransitionError("unit-required")
    return unit


def _notify(session: Session, desk: CaseDesk, complaint: Complaint, action: Action) -> None:
    """Queue the messages an action owes people (sent later by the outbox worker)."""
    if action in (Action.ASSIGN, Action.APPROVE_TRANSFER, Action.TRANSFER, Action.ESCALATE):
        key = "sms.escalated" if action is Action.ESCALATE else "sms.assigned"
        unit = complaint.responsible_unit
        recipients = _liaisons(session, unit) if unit else []
        if action is Action.ESCALATE and not recipients:
            # Nobody at a unit to chase (not dispatched yet, or no liaison): the lead unit is.
            recipients = _leads(session)
        deadline = f"{deadline_day(complaint.deadline_at):%m-%d}" if complaint.deadline_at else "-"
        for user in recipients:
            if user.phone:
                enqueue(session, desk.vault, MessageChannel.SMS, user.phone,
                        t(key, number=complaint.tracking_number, deadline=deadline),
                        complaint=complaint)
    elif action in (Action.RESOLVE, Action.PUBLIC_REPLY):
        phone = _reporter_phone(desk, complaint)
        if phone:
            if action is Action.RESOLVE:
                body = t("sms.resolved", number=complaint.tracking_number)
            else:
                reply = complaint.events[-1].note or ""
                body = t("sms.public_reply", number=complaint.tracking_number, reply=reply[:300])
            enqueue(session, desk.vault, MessageChannel.SMS, phone, body, complaint=complaint)


def remind_unit(session: Session, desk: CaseDesk, complaint: Complaint) -> None:
    """Tell the responsible unit's liaisons that a deadline is near."""
    if complaint.responsible_unit is None or complaint.deadline_at is None:
        return
    body = t("sms.due_soon", number=complaint.tracking_number,
             deadline=f"{deadline_day(complaint.deadline_at):%m-%d}")
    for user in _liaisons(session, complaint.responsible_unit):
        if user.phone:
            enqueue(session, desk.vault, MessageChannel.SMS, user.phone, body, complaint=complaint)


def _reporter_phone(desk: CaseDesk, complaint: Complaint) -> str | None:
    reporter = complaint.reporter
    if reporter is None or reporter.phone_sealed is None:
        return None
    return desk.vault.open(reporter.phone_sealed, "reporter-phone")


def _liaisons(session: Session, unit: Unit) -> list[User]:
    return list(session.scalars(select(User).where(
        User.unit_id == unit.id, User.role == Role.LIAISON, User.is_active.is_(True))))


def _leads(session: Session) -> list[User]:
    return list(session.scalars(select(User).where(
        User.role == Role.LEAD, User.is_active.is_(True))))
