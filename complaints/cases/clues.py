"""Problem clues: the two-way transfer between the units and the discipline commission.

A clue is opened when a report carries an accusation (``open_from_report``, at filing) or
when a unit or an operator records one (``record_clue``). The lead unit transfers it to the
commission within its deadline, or proposes not to (declined, or not a clue at all, which
clears the case's misconduct flag); the commission sees every clue in every state, may take
any of them to itself, signs for what is transferred, records its disposition and result,
or hands a matter back to a department. A clue that accuses the lead unit goes straight to
the commission. Each step is one chained event on the clue (``record_clue_event``).

Who may see and do what is ``cases.policy`` (``clue_relations``); this module says what each
action needs and changes. Plain Python, no Flask; it flushes, the caller commits.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from complaints.calendar.deadlines import working_days_after
from complaints.cases.events import record_clue_event
from complaints.cases.identities import seal_accused_name
from complaints.cases.rules import TransitionError
from complaints.cases.tools import CaseTools
from complaints.core.clock import now_utc, to_local
from complaints.core.limits import DESCRIPTION_MAX, NOTE_MAX
from complaints.core.vocabulary import (
    CLUE_PROPOSED_NOT_TO_TRANSFER,
    ClueSource,
    ClueState,
    CommissionDisposition,
    EventKind,
    UnitKind,
)
from complaints.db.models import CaseEvent, Clue, Complaint, Unit, User
from complaints.db.models.cases import ACCUSED_POST_MAX
from complaints.routing.engine import Decision

NUMBER_PREFIX = "XS"


class ClueRelation(enum.StrEnum):
    """How an actor stands to a clue; ``policy.clue_relations`` works it out."""

    LEAD = "lead"              # the lead unit's dispatchers, when the lead unit is not accused
    COMMISSION = "commission"  # the discipline inspection commission
    RECORDER = "recorder"      # a liaison of the unit that recorded it (reads it, no actions)
    RETURNED_TO = "returned-to"  # a liaison of the department it was handed back to
    SYSTEM = "system"          # the hourly job


@dataclass(frozen=True)
class ClueRule:
    sources: frozenset[ClueState]
    target: ClueState | None
    who: frozenset[ClueRelation]
    needs_reason: bool = False


def _rule(sources: set[ClueState] | frozenset[ClueState], target: ClueState | None,
          *who: ClueRelation, reason: bool = False) -> ClueRule:
    return ClueRule(frozenset(sources), target, frozenset(who), reason)


LEAD, COMMISSION = ClueRelation.LEAD, ClueRelation.COMMISSION
# In the order the clue page offers them.
CLUE_RULES: dict[EventKind, ClueRule] = {
    EventKind.TRANSFER_CLUE: _rule({ClueState.PENDING, *CLUE_PROPOSED_NOT_TO_TRANSFER},
                                   ClueState.TRANSFERRED, LEAD),
    EventKind.DECLINE_CLUE: _rule({ClueState.PENDING}, ClueState.DECLINED, LEAD, reason=True),
    EventKind.CLUE_NOT_A_CLUE: _rule({ClueState.PENDING}, ClueState.NOT_A_CLUE, LEAD, reason=True),
    EventKind.CLUE_TAKEN: _rule({ClueState.PENDING, ClueState.RETURNED, *CLUE_PROPOSED_NOT_TO_TRANSFER},
                                ClueState.SIGNED, COMMISSION, reason=True),
    EventKind.CLUE_SIGNED: _rule({ClueState.TRANSFERRED}, ClueState.SIGNED, COMMISSION),
    # 暂存待查 is disposed of again when the matter is taken up.
    EventKind.CLUE_DISPOSED: _rule({ClueState.SIGNED, ClueState.DISPOSED}, ClueState.DISPOSED,
                                   COMMISSION, reason=True),
    EventKind.CLUE_RETURNED: _rule({ClueState.TRANSFERRED, ClueState.SIGNED}, ClueState.RETURNED,
                                   COMMISSION, reason=True),
    EventKind.CLUE_ESCALATED: _rule({ClueState.PENDING}, None, ClueRelation.SYSTEM),
}


@dataclass(frozen=True)
class NewClue:
    """A clue a unit found in its work, or an operator took from a letter, visit, fax..."""

    source: ClueSource
    allegation: str
    accused_unit: str | None = None   # slug
    accused_name: str | None = None
    accused_post: str | None = None
    real_name: bool = False


@dataclass(frozen=True)
class ClueAction:
    kind: EventKind
    reason: str | None = None
    disposition: CommissionDisposition | None = None
    result_on: date | None = None
    unit: str | None = None           # CLUE_RETURNED: the department's slug


class ClueError(ValueError):
    """A clue cannot be recorded as given; ``field`` says which part is wrong."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def open_from_report(session: Session, tools: CaseTools, complaint: Complaint,
                     decision: Decision) -> Clue | None:
    """The clue of a report that carries an accusation, and the part its units may read."""
    if not decision.discipline_clue:
        return None
    split = tools.router.split(complaint.description)
    complaint.hazard_description = split.hazard
    accused = _unit_by_slug(session, decision.accused_unit)
    clue = Clue(source=ClueSource.REPORT, complaint=complaint, accused_unit=accused,
                real_name=bool(complaint.reporter and complaint.reporter.name_sealed),
                allegation=complaint.description, received_at=complaint.received_at)
    _open(session, tools, clue, None, case=complaint.tracking_number)
    return clue


def record_clue(session: Session, tools: CaseTools, actor: User, new: NewClue) -> Clue:
    """A clue recorded by a unit's liaison (found in its work) or by an operator."""
    allegation = new.allegation.strip()
    if not allegation or len(allegation) > DESCRIPTION_MAX:
        raise ClueError("allegation")
    if new.accused_post and len(new.accused_post) > ACCUSED_POST_MAX:
        raise ClueError("accused_post")
    accused = _unit_by_slug(session, new.accused_unit)
    if new.accused_unit and (accused is None or accused.kind is UnitKind.COMMISSION):
        raise ClueError("accused_unit")
    clue = Clue(source=new.source, allegation=allegation, accused_unit=accused,
                accused_post=(new.accused_post or "").strip() or None, real_name=new.real_name,
                recorded_by_unit_id=actor.unit_id, received_at=now_utc())
    name = (new.accused_name or "").strip()
    if name:
        seal_accused_name(session, tools.vault, clue, name[:40])
    _open(session, tools, clue, actor)
    return clue


def _open(session: Session, tools: CaseTools, clue: Clue, actor: User | None,
          case: str | None = None) -> None:
    session.add(clue)
    session.flush()
    clue.number = f"{NUMBER_PREFIX}{clue.id:06d}"
    recorded_by = session.get(Unit, clue.recorded_by_unit_id) if clue.recorded_by_unit_id else None
    details: dict[str, object] = {
        "source": clue.source.value,
        "accused_unit": clue.accused_unit.slug if clue.accused_unit else None,
        "recorded_by": recorded_by.slug if recorded_by else None,
    }
    if case:
        details["case"] = case
    record_clue_event(session, clue, EventKind.CLUE_RECORDED, actor=actor,
                      to_state=ClueState.PENDING.value, details=details)
    lead = tools.table.lead_unit.slug
    if clue.accused_unit is not None and clue.accused_unit.slug == lead:
        # The lead unit may not decide on an accusation against itself.
        _apply(_Step(session, tools, clue, ClueAction(EventKind.TRANSFER_CLUE), None, None,
                     now_utc()))
    else:
        clue.due_at = working_days_after(tools.calendar, clue.received_at,
                                         tools.table.deadlines.clue_transfer_working_days).at


def allowed_clue_actions(clue: Clue, relations: frozenset[ClueRelation]) -> list[EventKind]:
    return [kind for kind, rule in CLUE_RULES.items()
            if clue.state in rule.sources and rule.who & relations]


def perform_clue(session: Session, tools: CaseTools, clue: Clue, action: ClueAction,
                 relations: frozenset[ClueRelation], actor: User | None) -> CaseEvent:
    rule = CLUE_RULES.get(action.kind)
    if rule is None:
        raise TransitionError("unknown-action")
    if not rule.who & relations:
        raise TransitionError("forbidden")
    if clue.state not in rule.sources:
        raise TransitionError("wrong-state")
    reason = (action.reason or "").strip() or None
    if rule.needs_reason and not reason:
        raise TransitionError("reason-required")
    if reason and len(reason) > NOTE_MAX:
        raise TransitionError("reason-too-long", limit=NOTE_MAX)
    return _apply(_Step(session, tools, clue, action, actor, reason, now_utc()))


@dataclass(frozen=True)
class _Step:
    session: Session
    tools: CaseTools
    clue: Clue
    action: ClueAction
    actor: User | None
    reason: str | None
    now: datetime


def _apply(step: _Step) -> CaseEvent:
    """Change the clue as its action says, move its state, record the event."""
    clue, kind = step.clue, step.action.kind
    was = clue.state
    details = _CHANGES[kind](step)
    target = CLUE_RULES[kind].target
    if target is not None:
        clue.state = target
    return record_clue_event(step.session, clue, kind, actor=step.actor, note=step.reason,
                             from_state=was.value, to_state=clue.state.value, details=details)


Details = dict[str, object]


def _transfer(step: _Step) -> Details:
    clue = step.clue
    if clue.state is ClueState.NOT_A_CLUE:
        _flag_restored(step.tools, clue)
    clue.transferred_at = step.now
    clue.decided_at = clue.decided_at or step.now
    # Straight from intake when the lead unit is accused: the system moved it, not the lead.
    by = step.tools.table.lead_unit.slug if step.actor is not None else None
    return {"unit": by, "to": step.tools.table.commission.slug}


def _decline(step: _Step) -> Details:
    step.clue.decided_at, step.clue.reason = step.now, step.reason
    return {"unit": step.tools.table.lead_unit.slug}


def _not_a_clue(step: _Step) -> Details:
    _flag_cleared(step.clue)
    return _decline(step)


def _take(step: _Step) -> Details:
    clue, was = step.clue, step.clue.state
    clue.signed_at, clue.reason = step.now, step.reason
    clue.transferred_at = clue.transferred_at or step.now
    _flag_restored(step.tools, clue)
    return {"was": was.value}


def _sign(step: _Step) -> Details:
    step.clue.signed_at = step.now
    return {}


def _dispose(step: _Step) -> Details:
    action, clue = step.action, step.clue
    if action.disposition is None:
        raise TransitionError("disposition-required")
    if action.result_on is None or action.result_on > to_local(step.now).date():  # the county's today
        raise TransitionError("result-date-required")
    clue.disposition, clue.result, clue.result_on = action.disposition, step.reason, action.result_on
    return {"disposition": action.disposition.value, "result_on": action.result_on.isoformat()}


def _return(step: _Step) -> Details:
    clue = step.clue
    unit = _unit_by_slug(step.session, step.action.unit)
    # Handed back to a department: never to the unit it accuses, never to the commission.
    if unit is None or unit.kind is UnitKind.COMMISSION or unit.id == clue.accused_unit_id:
        raise TransitionError("unit-required")
    clue.returned_to_unit, clue.reason = unit, step.reason
    return {"to": unit.slug}


def _escalate(step: _Step) -> Details:
    step.clue.escalated_at = step.now
    return {"deadline": step.clue.due_at.isoformat() if step.clue.due_at else None}


_CHANGES: dict[EventKind, Callable[[_Step], Details]] = {
    EventKind.TRANSFER_CLUE: _transfer,
    EventKind.DECLINE_CLUE: _decline,
    EventKind.CLUE_NOT_A_CLUE: _not_a_clue,
    EventKind.CLUE_TAKEN: _take,
    EventKind.CLUE_SIGNED: _sign,
    EventKind.CLUE_DISPOSED: _dispose,
    EventKind.CLUE_RETURNED: _return,
    EventKind.CLUE_ESCALATED: _escalate,
}


def _flag_cleared(clue: Clue) -> None:
    """Not a clue: the case is an ordinary report again, read in full by its units."""
    complaint = clue.complaint
    if complaint is None:
        return
    others = [c for c in complaint.clues if c is not clue and c.state is not ClueState.NOT_A_CLUE]
    if not others:
        complaint.alleges_misconduct = False
        complaint.hazard_description = None


def _flag_restored(tools: CaseTools, clue: Clue) -> None:
    complaint = clue.complaint
    if complaint is not None and not complaint.alleges_misconduct:
        complaint.alleges_misconduct = True
        complaint.hazard_description = tools.router.split(complaint.description).hazard


def escalate_overdue_clues(session: Session, tools: CaseTools, now: datetime) -> int:
    """Clues the lead unit left undecided past their deadline: once each, for the board
    and the commission (never an SMS to a unit: the units must not learn of a clue)."""
    late = session.scalars(select(Clue).where(
        Clue.state == ClueState.PENDING, Clue.due_at <= now,
        or_(Clue.escalated_at.is_(None), Clue.escalated_at < Clue.due_at))).all()
    for clue in late:
        perform_clue(session, tools, clue, ClueAction(EventKind.CLUE_ESCALATED),
                     frozenset({ClueRelation.SYSTEM}), None)
    return len(late)


def accused_unit_ids(complaint: Complaint) -> set[int]:
    """The units a case's clues accuse: they never see the case."""
    return {clue.accused_unit_id for clue in complaint.clues if clue.accused_unit_id is not None}


def _unit_by_slug(session: Session, slug: str | None) -> Unit | None:
    return session.scalar(select(Unit).where(Unit.slug == slug)) if slug else None
