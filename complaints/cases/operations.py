"""Changing a case: ``perform`` is the one function that does it.

It checks the action against ``cases.rules`` (status, applicability) and
``cases.policy`` (who may), checks what the action needs (a reason, an outcome, a
unit), applies the action's own change (one small function per kind, ``_CHANGES``),
moves the status, appends one chained ``CaseEvent``, recomputes the deadlines and
queues the messages people should get (``cases.notify``). It flushes; the caller
commits. Plain Python, no Flask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.calendar.deadlines import (
    calendar_days_after,
    elapsed_working_days,
    end_of_local_day,
    extension_days_left,
    refresh_deadlines,
    working_days_after,
)
from complaints.cases import notify
from complaints.cases.clues import accused_unit_ids
from complaints.cases.events import record_event
from complaints.cases.policy import ensure_may
from complaints.cases.rules import (
    RULES,
    Relation,
    TransitionError,
    applicable,
    pending_identity_requests,
)
from complaints.cases.tools import CaseTools
from complaints.core.clock import local_today, now_utc
from complaints.core.limits import NOTE_MAX
from complaints.core.messages import t
from complaints.core.vocabulary import (
    RECORDS_DUE,
    REVIEW_STAGES,
    CaseStatus,
    EventKind,
    Outcome,
    ReviewDecision,
)
from complaints.db.models import CaseEvent, Complaint, Household, Unit, User


@dataclass
class ActionRequest:
    """What someone asks to do to a case, with what the kind of action needs."""

    kind: EventKind
    reason: str | None = None
    unit: str | None = None                 # assign, transfer: the unit slug
    co_units: list[str] | None = None      # assign: None means as routed
    outcome: Outcome | None = None
    days: int | None = None                 # extensions
    user_id: int | None = None              # identity grant: whose request
    fixed: bool | None = None               # reporter feedback
    satisfaction: int | None = None         # 1-5
    decision: ReviewDecision | None = None  # a review's decision
    due_on: date | None = None              # supervision: the lead unit's own due date
    into: str | None = None                 # merge: the tracking number of the case kept
    household_id: int | None = None         # the roster household the case is about
    # A reporter's request as of when it was sent, if earlier than now (an SMS the worker
    # files later): its window is judged then.
    sent_at: datetime | None = None


def allowed_actions(complaint: Complaint, relations: frozenset[Relation]) -> list[EventKind]:
    """What these relations may do now, in the order the consoles show them."""
    return [kind for kind, rule in RULES.items()
            if complaint.status in rule.sources and rule.who & relations
            and applicable(complaint, kind, relations)]


def check(complaint: Complaint, kind: EventKind, relations: frozenset[Relation]) -> None:
    """Raise ``TransitionError`` unless ``kind`` is possible now for these relations."""
    rule = RULES.get(kind)
    if rule is None:
        raise TransitionError("forbidden")
    if complaint.status not in rule.sources:
        raise TransitionError("impossible", action=t(f"action.{kind.value}"),
                              status=t(f"status.{complaint.status.value}"))
    ensure_may(relations, rule.who)
    if not applicable(complaint, kind, relations):
        raise TransitionError(f"not-applicable.{kind.value}")


def perform(session: Session, tools: CaseTools, complaint: Complaint, request: ActionRequest,
            relations: frozenset[Relation], actor: User | None = None) -> CaseEvent:
    check(complaint, request.kind, relations)
    rule = RULES[request.kind]
    reason = (request.reason or "").strip() or None
    if rule.needs_reason and not reason:
        raise TransitionError("reason-required")
    if reason and len(reason) > NOTE_MAX:
        raise TransitionError("reason-too-long", limit=NOTE_MAX)

    before = complaint.status
    # Which unit held the case when this happened: reports count by it, from the events alone.
    holder = complaint.responsible_unit.slug if complaint.responsible_unit else None
    change = _CHANGES.get(request.kind)
    details = change(_Change(session, tools, complaint, request, actor)) if change else {}
    if rule.target is not None and rule.target is not before:
        complaint.status = rule.target
        complaint.status_changed_at = now_utc()
    refresh_deadlines(complaint, tools.table.deadlines_for(complaint.category), tools.calendar)
    details.setdefault("unit", holder)
    if request.kind in RECORDS_DUE and complaint.resolve_due_at is not None:
        details["due"] = complaint.resolve_due_at.isoformat()
    actor_kind = actor.role.value if actor else next(iter(sorted(relations)), "system")
    event = record_event(
        session, complaint, request.kind, actor=actor, actor_kind=actor_kind,
        note=reason, from_status=before.value,
        to_status=complaint.status.value if complaint.status is not before else None,
        details=details,
    )
    notify.after_event(session, tools, complaint, request.kind, reason, details)
    session.flush()
    return event


@dataclass(frozen=True)
class _Change:
    """What an action's own change works with."""

    session: Session
    tools: CaseTools
    complaint: Complaint
    request: ActionRequest
    actor: User | None


Details = dict[str, object]


def _accept(c: _Change) -> Details:
    c.complaint.accepted_at = c.complaint.handling_started_at = now_utc()
    return {}


def _assign(c: _Change) -> Details:
    complaint, request = c.complaint, c.request
    routing = complaint.routing or {}
    lead = request.unit or routing.get("lead_unit")
    co_units = request.co_units if request.co_units is not None else routing.get("co_units", [])
    unit = _handling_unit(c, lead)
    complaint.responsible_unit = unit
    commission = c.tools.table.commission.slug
    kept = [u for u in complaint.co_units if u.slug == commission]  # a transferred clue stays
    complaint.co_units = kept + [_handling_unit(c, slug) for slug in co_units if slug != unit.slug]
    complaint.assigned_at = now_utc()
    complaint.needs_triage = False
    complaint.closing_check = c.tools.table.category(complaint.category).closing_check \
        if complaint.category in c.tools.table.category_slugs else False
    return {"unit": unit.slug, "co_units": [u.slug for u in complaint.co_units]}


def _object_to_dispatch(c: _Change) -> Details:
    rules = c.tools.table.deadlines_for(c.complaint.category)
    window = working_days_after(c.tools.calendar, c.complaint.assigned_at or c.complaint.status_changed_at,
                                rules.objection_working_days)
    if now_utc() > window.at:
        raise TransitionError("objection-late", days=rules.objection_working_days)
    c.complaint.objection_pending_since = now_utc()
    return {}


def _return(c: _Change) -> Details:
    """The lead unit agrees with the unit's objection: the case comes back to dispatch."""
    left = c.complaint.responsible_unit.slug if c.complaint.responsible_unit else None
    c.complaint.responsible_unit = None
    c.complaint.assigned_at = None
    c.complaint.objection_pending_since = None
    return {"unit": left}


def _refuse_objection(c: _Change) -> Details:
    c.complaint.objection_pending_since = None
    return {}


def _request_transfer(c: _Change) -> Details:
    target = _handling_unit(c, c.request.unit)
    if target.id == c.complaint.responsible_unit_id:
        raise TransitionError("same-unit")
    c.complaint.pending_transfer_unit = target
    return {"to": target.slug}


def _approve_transfer(c: _Change) -> Details:
    target = c.complaint.pending_transfer_unit
    if target is None:
        raise TransitionError("unit-required")
    if target.id in accused_unit_ids(c.complaint):
        raise TransitionError("accused-unit")
    return _move_to(c.complaint, target)


def _transfer(c: _Change) -> Details:
    target = _handling_unit(c, c.request.unit)
    if target.id == c.complaint.responsible_unit_id:
        raise TransitionError("same-unit")
    return _move_to(c.complaint, target)


def _move_to(complaint: Complaint, target: Unit) -> Details:
    source = complaint.responsible_unit.slug if complaint.responsible_unit else None
    complaint.responsible_unit = target
    complaint.pending_transfer_unit = None
    complaint.objection_pending_since = None  # moved on: the objection is answered
    complaint.assigned_at = now_utc()
    return {"from": source, "to": target.slug}


def _refuse_transfer(c: _Change) -> Details:
    c.complaint.pending_transfer_unit = None
    return {}


def _request_extension(c: _Change) -> Details:
    rules = c.tools.table.deadlines_for(c.complaint.category)
    left = extension_days_left(c.complaint, rules)
    if left == 0:
        raise TransitionError("extension-used-up", most=rules.extension_max_days)
    if c.request.days is None or not 1 <= c.request.days <= left:
        raise TransitionError("extension-days", most=left)
    c.complaint.pending_extension_days = c.request.days
    return {"days": c.request.days}


def _grant_extension(c: _Change) -> Details:
    days = c.complaint.pending_extension_days or 0
    c.complaint.extension_days_granted += days
    c.complaint.pending_extension_days = None
    # The reporter is told why (the unit's reason, which its form says the reporter reads).
    asked = next((event for event in reversed(c.complaint.events)
                  if event.action == EventKind.REQUEST_EXTENSION), None)
    return {"days": days, "reason": (asked.note if asked else None) or ""}


def _refuse_extension(c: _Change) -> Details:
    days = c.complaint.pending_extension_days
    c.complaint.pending_extension_days = None
    return {"days": days}


def _resolve(c: _Change) -> Details:
    """The answer. Where the lead unit checks resolutions, its resolving is the approval of the
    unit's proposal: the proposal's outcome unless it chose another, and the unit's time is
    the proposal's (the check is not the unit's delay)."""
    complaint = c.complaint
    proposal = _pending_proposal(complaint)
    outcome = c.request.outcome or (
        Outcome((proposal.details or {})["outcome"]) if proposal is not None else None)
    if outcome is None:
        raise TransitionError("outcome-required")
    now = now_utc()
    done = proposal.occurred_at if proposal is not None else now
    complaint.outcome = outcome
    complaint.resolved_at = now
    complaint.supervision_due_at = complaint.resolution_proposed_at = None
    complaint.working_days_to_resolve = elapsed_working_days(
        c.tools.calendar, complaint.assigned_at or complaint.received_at, done)
    due = complaint.resolve_due_at
    return {"outcome": outcome.value, "on_time": due is None or done <= due,
            "working_days": complaint.working_days_to_resolve}


def _link_household(c: _Change) -> Details:
    household = c.session.get(Household, c.request.household_id) if c.request.household_id else None
    if household is None:
        raise TransitionError("household-required")
    c.complaint.household_id = household.id
    return {"household": household.id}


def _merge(c: _Change) -> Details:
    """One handling for the same problem reported twice: this case closes into ``into``,
    which records that it joined; its reporter keeps the receipt and follows it there."""
    target = c.session.scalar(select(Complaint).where(Complaint.tracking_number == (c.request.into or "")))
    if target is None or target.id == c.complaint.id or target.merged_into_id is not None \
            or target.status in (CaseStatus.REJECTED, CaseStatus.CLOSED):
        raise TransitionError("merge-target")
    now = now_utc()
    c.complaint.merged_into = target
    c.complaint.closed_at = now
    record_event(c.session, target, EventKind.MERGED_IN, actor=c.actor,
                 details={"unit": target.responsible_unit.slug if target.responsible_unit else None,
                          "case": c.complaint.tracking_number})
    return {"into": target.tracking_number}


def _propose_resolution(c: _Change) -> Details:
    if c.request.outcome is None:
        raise TransitionError("outcome-required")
    c.complaint.resolution_proposed_at = now_utc()
    return {"outcome": c.request.outcome.value}


def _send_back_resolution(c: _Change) -> Details:
    c.complaint.resolution_proposed_at = None
    return {}


def _pending_proposal(complaint: Complaint) -> CaseEvent | None:
    if complaint.resolution_proposed_at is None:
        return None
    return next((event for event in reversed(complaint.events)
                 if event.action == EventKind.PROPOSE_RESOLUTION), None)


def _close(c: _Change) -> Details:
    c.complaint.closed_at = now_utc()
    return {}


def _reopen(c: _Change) -> Details:
    c.complaint.closed_at = None
    _undo_resolution(c.complaint)
    return {}


def _request_identity(c: _Change) -> Details:
    if c.actor is None:
        raise TransitionError("forbidden")
    return {"user_id": c.actor.id}


def _answer_identity(c: _Change) -> Details:
    if c.request.user_id not in pending_identity_requests(c.complaint):
        raise TransitionError("no-such-request")
    return {"user_id": c.request.user_id}


def _reporter_feedback(c: _Change) -> Details:
    complaint, request = c.complaint, c.request
    if request.fixed is None:
        raise TransitionError("feedback-required")
    if request.satisfaction is not None and not 1 <= request.satisfaction <= 5:
        raise TransitionError("satisfaction-range")
    now = now_utc()
    complaint.reporter_says_fixed = request.fixed
    complaint.reporter_satisfaction = request.satisfaction
    if request.fixed:
        complaint.status, complaint.closed_at = CaseStatus.CLOSED, now
        complaint.status_changed_at = now
    # "Not fixed" is the reporter's answer, recorded; disputing the answer is a review, asked
    # for next (``dispute_answer``), which the level above decides.
    return {"fixed": request.fixed, "satisfaction": request.satisfaction}


def _request_review(c: _Change) -> Details:
    complaint, now = c.complaint, now_utc()
    rules = c.tools.table.deadlines_for(complaint.category)
    stage = REVIEW_STAGES[complaint.reviews_requested or 0]
    # The answer disputed: the resolution, or the decision of the review before.
    answers = [moment for moment in (complaint.resolved_at, complaint.review_decided_at) if moment]
    if not answers:
        raise TransitionError("review-no-answer")
    window = calendar_days_after(c.tools.calendar, max(answers), rules.review_request_days)
    if (c.request.sent_at or now) > window.at:
        raise TransitionError("review-late", days=rules.review_request_days,
                              stage=t(f"review.stage.{stage}"))
    due = calendar_days_after(c.tools.calendar, now, rules.review_decide_days)
    complaint.reviews_requested = (complaint.reviews_requested or 0) + 1
    complaint.review_pending_since, complaint.review_due_at = now, due.at
    return {"stage": stage, "level": _review_level(c, stage), "review_due": due.at.isoformat()}


def _review_level(c: _Change, stage: str) -> str:
    """Who decides: the level above the one that answered. A unit's answer is reviewed by the
    lead unit, the lead unit's own by the county (recorded here, decided there); a re-review
    goes one level further up."""
    answered_by_lead = (c.complaint.responsible_unit is not None
                        and c.complaint.responsible_unit.slug == c.tools.table.lead_unit.slug)
    levels = ("county", "city") if answered_by_lead else ("lead-unit", "county")
    return levels[REVIEW_STAGES.index(stage)]


def _decide_review(c: _Change) -> Details:
    complaint, decision, now = c.complaint, c.request.decision, now_utc()
    if decision is None:
        raise TransitionError("decision-required")
    asked = next(event for event in reversed(complaint.events)
                 if event.action == EventKind.REQUEST_REVIEW)
    complaint.review_pending_since = complaint.review_due_at = None
    complaint.review_decided_at = now
    if decision is ReviewDecision.UPHELD:
        complaint.status = CaseStatus.CLOSED
        complaint.closed_at = complaint.closed_at or now
    else:
        complaint.status, complaint.closed_at = CaseStatus.REOPENED, None
        _undo_resolution(complaint)
    complaint.status_changed_at = now
    details = asked.details or {}
    return {"stage": details.get("stage"), "level": details.get("level"), "decision": decision.value}


def _escalate(c: _Change) -> Details:
    c.complaint.escalated_at = now_utc()
    deadline = c.complaint.deadline_at
    return {"deadline": deadline.isoformat() if deadline else None}


def _supervise(c: _Change) -> Details:
    if c.request.due_on is None or c.request.due_on < local_today():
        raise TransitionError("supervision-due")
    c.complaint.supervision_due_at = end_of_local_day(c.request.due_on)
    c.complaint.escalated_at = now_utc()
    return {"due": c.complaint.supervision_due_at.isoformat()}


def _set_hazard_text(c: _Change) -> Details:
    # The lead unit's correction of the automatic split; the note keeps the text as set.
    c.complaint.hazard_description = (c.request.reason or "").strip()
    return {}


_CHANGES: dict[EventKind, Callable[[_Change], Details]] = {
    EventKind.ACCEPT: _accept,
    EventKind.ASSIGN: _assign,
    EventKind.OBJECT_TO_DISPATCH: _object_to_dispatch,
    EventKind.RETURN: _return,
    EventKind.REFUSE_OBJECTION: _refuse_objection,
    EventKind.REQUEST_TRANSFER: _request_transfer,
    EventKind.APPROVE_TRANSFER: _approve_transfer,
    EventKind.TRANSFER: _transfer,
    EventKind.REFUSE_TRANSFER: _refuse_transfer,
    EventKind.REQUEST_EXTENSION: _request_extension,
    EventKind.GRANT_EXTENSION: _grant_extension,
    EventKind.REFUSE_EXTENSION: _refuse_extension,
    EventKind.RESOLVE: _resolve,
    EventKind.MERGE: _merge,
    EventKind.HOUSEHOLD_LINKED: _link_household,
    EventKind.PROPOSE_RESOLUTION: _propose_resolution,
    EventKind.SEND_BACK_RESOLUTION: _send_back_resolution,
    EventKind.CLOSE: _close,
    EventKind.REOPEN: _reopen,
    EventKind.REQUEST_IDENTITY: _request_identity,
    EventKind.GRANT_IDENTITY: _answer_identity,
    EventKind.REFUSE_IDENTITY: _answer_identity,
    EventKind.REPORTER_FEEDBACK: _reporter_feedback,
    EventKind.REQUEST_REVIEW: _request_review,
    EventKind.DECIDE_REVIEW: _decide_review,
    EventKind.ESCALATE: _escalate,
    EventKind.SUPERVISE: _supervise,
    EventKind.HAZARD_TEXT_SET: _set_hazard_text,
}


def _undo_resolution(complaint: Complaint) -> None:
    """A reopened case waits for the lead unit to dispatch it again, with a fresh clock: a new
    round of handling, its cap counted from now, its own extensions."""
    complaint.resolved_at = complaint.working_days_to_resolve = None
    complaint.handling_started_at = now_utc()
    complaint.outcome = None
    complaint.responsible_unit = None
    complaint.assigned_at = None
    complaint.pending_extension_days = None
    complaint.pending_transfer_unit = None
    complaint.extension_days_granted = 0


def _unit(c: _Change, slug: str | None) -> Unit:
    unit = c.session.scalar(select(Unit).where(Unit.slug == slug)) if slug else None
    if unit is None:
        raise TransitionError("unit-required")
    return unit


def _handling_unit(c: _Change, slug: str | None) -> Unit:
    """A unit that handles cases: never the commission (clues reach it as clues), never a
    unit that a clue of the case accuses (it would read the report about itself)."""
    if slug == c.tools.table.commission.slug:
        raise TransitionError("unit-required")
    unit = _unit(c, slug)
    if unit.id in accused_unit_ids(c.complaint):
        raise TransitionError("accused-unit")
    return unit


@dataclass(frozen=True)
class Dispute:
    """What became of a reporter's "not solved": a review asked for, or why it could not be."""

    complaint: Complaint
    review: CaseEvent | None
    refused: TransitionError | None


def dispute_answer(session: Session, tools: CaseTools, complaint: Complaint, note: str, *,
                   relations: frozenset[Relation] | None = None, actor: User | None = None,
                   sent_at: datetime | None = None) -> Dispute:
    """The reporter says the problem is not solved (by SMS, on the status page, or to an
    operator calling back): a review (复查, then 复核) if one may still be asked for, within its
    window; else the reason why not."""
    try:
        # (A refusal comes before anything is changed: the feedback recorded stays.)
        event = perform(session, tools, complaint,
                        ActionRequest(EventKind.REQUEST_REVIEW, reason=note, sent_at=sent_at),
                        relations or REPORTER, actor)
    except TransitionError as refused:
        return Dispute(complaint, None, refused)
    return Dispute(complaint, event, None)


def reporter_answers(session: Session, tools: CaseTools, complaint: Complaint, *, fixed: bool,
                     satisfaction: int | None, note: str,
                     sent_at: datetime | None = None) -> Dispute | None:
    """A resolved case's reporter answers "was it solved?": recorded, and when not, a review
    asked for (or why it cannot be)."""
    perform(session, tools, complaint, ActionRequest(
        EventKind.REPORTER_FEEDBACK, fixed=fixed, satisfaction=satisfaction), REPORTER)
    return None if fixed else dispute_answer(session, tools, complaint, note, sent_at=sent_at)


REPORTER = frozenset({Relation.REPORTER})
