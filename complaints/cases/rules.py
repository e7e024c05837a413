"""The rules of a case's life: from which statuses each action is possible, to which status
it leads, who may take it and whether it needs a reason.

``RULES`` is the table; ``applicable`` adds the conditions beyond status. Who the actor is
to a case (``Relation``) is worked out by ``cases.policy.relations``; whether a relation may
take an action is decided there too (``policy.ensure_may``). Plain data, no Flask.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from complaints.core.messages import t
from complaints.core.vocabulary import HELD_BY_UNIT, OPEN_STATUSES, REVIEW_STAGES, WORKED_BY_UNIT, EventKind
from complaints.core.vocabulary import CaseStatus as Status
from complaints.db.models import Complaint


class Relation(enum.StrEnum):
    """How an actor stands to a case; ``policy.relations`` works it out."""

    LEAD = "lead"  # the lead unit's dispatchers
    HANDLER = "handler"  # a liaison of the responsible unit
    CO_UNIT = "co-unit"  # a liaison of a co-unit
    OPERATOR = "operator"  # hotline operators (recording a reporter's answer)
    SYSTEM = "system"  # jobs: deadlines, follow-up windows
    REPORTER = "reporter"  # the reporter, through the status page or SMS


@dataclass(frozen=True)
class Rule:
    sources: frozenset[Status]
    target: Status | None  # None: the status stays
    who: frozenset[Relation]
    needs_reason: bool = False


def _rule(
    sources: frozenset[Status] | set[Status], target: Status | None, *who: Relation, reason: bool = False
) -> Rule:
    return Rule(frozenset(sources), target, frozenset(who), reason)


ANY = frozenset(Status)

# The kinds of event people (and the hourly job) perform, in the order the consoles show them.
RULES: dict[EventKind, Rule] = {
    EventKind.ACCEPT: _rule({Status.RECEIVED}, Status.ACCEPTED, Relation.LEAD),
    EventKind.REJECT: _rule({Status.RECEIVED}, Status.REJECTED, Relation.LEAD, reason=True),
    EventKind.ASSIGN: _rule(
        {Status.ACCEPTED, Status.RETURNED, Status.REOPENED}, Status.ASSIGNED, Relation.LEAD
    ),
    EventKind.START: _rule({Status.ASSIGNED}, Status.IN_PROGRESS, Relation.HANDLER, Relation.LEAD),
    # 派单异议审核: a unit objects (within days of dispatch, with its reasons); the lead unit
    # checks and agrees (the case comes back) or refuses (it stays with the unit).
    EventKind.OBJECT_TO_DISPATCH: _rule(WORKED_BY_UNIT, None, Relation.HANDLER, reason=True),
    EventKind.RETURN: _rule(WORKED_BY_UNIT, Status.RETURNED, Relation.LEAD),
    EventKind.REFUSE_OBJECTION: _rule(WORKED_BY_UNIT, None, Relation.LEAD, reason=True),
    EventKind.REQUEST_TRANSFER: _rule(WORKED_BY_UNIT, Status.TRANSFERRED, Relation.HANDLER, reason=True),
    EventKind.APPROVE_TRANSFER: _rule({Status.TRANSFERRED}, Status.ASSIGNED, Relation.LEAD),
    EventKind.REFUSE_TRANSFER: _rule({Status.TRANSFERRED}, Status.IN_PROGRESS, Relation.LEAD, reason=True),
    EventKind.TRANSFER: _rule(WORKED_BY_UNIT, Status.ASSIGNED, Relation.LEAD, reason=True),
    EventKind.REQUEST_EXTENSION: _rule(WORKED_BY_UNIT, None, Relation.HANDLER, reason=True),
    EventKind.GRANT_EXTENSION: _rule(WORKED_BY_UNIT | {Status.TRANSFERRED}, None, Relation.LEAD),
    EventKind.REFUSE_EXTENSION: _rule(
        WORKED_BY_UNIT | {Status.TRANSFERRED}, None, Relation.LEAD, reason=True
    ),
    EventKind.RESOLVE: _rule({Status.IN_PROGRESS}, Status.RESOLVED, Relation.HANDLER, Relation.LEAD),
    EventKind.CLOSE: _rule({Status.RESOLVED}, Status.CLOSED, Relation.LEAD, Relation.SYSTEM),
    # The lead unit's own correction; a reporter who disputes the answer asks for a review.
    EventKind.REOPEN: _rule({Status.RESOLVED, Status.CLOSED}, Status.REOPENED, Relation.LEAD, reason=True),
    EventKind.REQUEST_REVIEW: _rule({Status.RESOLVED, Status.CLOSED}, None, Relation.REPORTER,
                                    Relation.LEAD, Relation.OPERATOR, reason=True),
    # The decision moves the case (closed, or reopened for a new round): see operations.
    EventKind.DECIDE_REVIEW: _rule({Status.RESOLVED, Status.CLOSED}, None, Relation.LEAD, reason=True),
    EventKind.REQUEST_IDENTITY: _rule(OPEN_STATUSES, None, Relation.HANDLER, Relation.CO_UNIT, reason=True),
    EventKind.GRANT_IDENTITY: _rule(OPEN_STATUSES, None, Relation.LEAD),
    EventKind.REFUSE_IDENTITY: _rule(OPEN_STATUSES, None, Relation.LEAD, reason=True),
    EventKind.NOTE: _rule(
        ANY, None, Relation.LEAD, Relation.HANDLER, Relation.CO_UNIT, Relation.OPERATOR, reason=True
    ),
    EventKind.PUBLIC_REPLY: _rule(OPEN_STATUSES, None, Relation.LEAD, Relation.HANDLER, reason=True),
    EventKind.COMMENT: _rule(
        OPEN_STATUSES, None, Relation.LEAD, Relation.HANDLER, Relation.CO_UNIT, reason=True
    ),
    # The reporter's own answer, or the lead unit / an operator writing down what they said:
    # never the unit whose work is being judged. (The status it leads to depends on the answer.)
    EventKind.REPORTER_FEEDBACK: _rule(
        {Status.RESOLVED, Status.CLOSED}, None, Relation.REPORTER, Relation.LEAD, Relation.OPERATOR
    ),
    # 回访: an operator's call that reached nobody (three of them end the calling).
    EventKind.CALLBACK_UNREACHED: _rule({Status.RESOLVED, Status.CLOSED}, None, Relation.OPERATOR,
                                        Relation.LEAD),
    EventKind.REPORTER_MESSAGE: _rule(OPEN_STATUSES, None, Relation.REPORTER, reason=True),
    EventKind.ESCALATE: _rule(OPEN_STATUSES, None, Relation.SYSTEM),
    EventKind.SUPERVISE: _rule(HELD_BY_UNIT, None, Relation.LEAD, reason=True),
    # The part of a report that carried an accusation that units read (the reason is the text).
    EventKind.HAZARD_TEXT_SET: _rule(OPEN_STATUSES, None, Relation.LEAD, reason=True),
}


class TransitionError(ValueError):
    """The action is impossible now; ``message`` is in Chinese for the web layer."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.message = t(f"lifecycle.{code}", **params)
        super().__init__(f"{code}: {self.message}")


def applicable(complaint: Complaint, kind: EventKind) -> bool:
    """Conditions beyond status: an action that cannot apply is not offered."""
    match kind:
        case EventKind.REQUEST_EXTENSION:
            return complaint.pending_extension_days is None
        case EventKind.REQUEST_REVIEW:
            return complaint.review_pending_since is None and (
                complaint.reviews_requested or 0) < len(REVIEW_STAGES)
        case EventKind.DECIDE_REVIEW:
            return complaint.review_pending_since is not None
        case EventKind.OBJECT_TO_DISPATCH:
            return complaint.objection_pending_since is None
        case EventKind.RETURN | EventKind.REFUSE_OBJECTION:
            return complaint.objection_pending_since is not None
        case EventKind.GRANT_EXTENSION | EventKind.REFUSE_EXTENSION:
            return complaint.pending_extension_days is not None
        case EventKind.REQUEST_IDENTITY:
            return complaint.alleges_misconduct and complaint.reporter is not None
        case EventKind.GRANT_IDENTITY | EventKind.REFUSE_IDENTITY:
            return bool(pending_identity_requests(complaint))
        case EventKind.ESCALATE:
            return complaint.deadline_at is not None
        case EventKind.HAZARD_TEXT_SET:
            return complaint.alleges_misconduct
        case _:
            return True


def pending_identity_requests(complaint: Complaint) -> set[int]:
    """Users who asked to see the reporter's identity and have no answer yet."""
    pending: set[int] = set()
    for event in complaint.events:
        user_id = (event.details or {}).get("user_id")
        if not isinstance(user_id, int):
            continue
        if event.action == EventKind.REQUEST_IDENTITY:
            pending.add(user_id)
        elif event.action in (EventKind.GRANT_IDENTITY, EventKind.REFUSE_IDENTITY):
            pending.discard(user_id)
    return pending


def identity_granted_to(complaint: Complaint) -> set[int]:
    granted = ((event.details or {}).get("user_id") for event in complaint.events
               if event.action == EventKind.GRANT_IDENTITY)
    return {user_id for user_id in granted if isinstance(user_id, int)}
