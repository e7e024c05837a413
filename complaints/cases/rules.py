"""The rules of a case's life: from which statuses each action is possible, to which status
it leads, who may take it and whether it needs a reason.

``RULES`` is the table; ``applicable`` adds the conditions beyond status. Who the actor is
to a case (``Relation``) is worked out by ``cases.policy.relations``; whether a relation may
take an action is decided there too (``policy.ensure_may``). Plain data, no Flask.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
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
    # SYSTEM: what the roster's own people report (a helper) goes straight to the township.
    EventKind.ACCEPT: _rule({Status.RECEIVED}, Status.ACCEPTED, Relation.LEAD, Relation.SYSTEM),
    EventKind.REJECT: _rule({Status.RECEIVED}, Status.REJECTED, Relation.LEAD, reason=True),
    # At triage: the same problem as another open case; one handling, there.
    EventKind.MERGE: _rule({Status.RECEIVED, Status.ACCEPTED, Status.RETURNED}, Status.CLOSED,
                           Relation.LEAD, reason=True),
    EventKind.ASSIGN: _rule(
        {Status.ACCEPTED, Status.RETURNED, Status.REOPENED}, Status.ASSIGNED, Relation.LEAD, Relation.SYSTEM
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
    # 办结审核 (where the category asks for it): the unit proposes, the lead unit resolves (so
    # approving) or sends it back.
    EventKind.PROPOSE_RESOLUTION: _rule({Status.IN_PROGRESS}, None, Relation.HANDLER, reason=True),
    EventKind.SEND_BACK_RESOLUTION: _rule({Status.IN_PROGRESS}, None, Relation.LEAD, reason=True),
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
    # SYSTEM: a case filed from a roster visit or a helper's report is about that household.
    EventKind.HOUSEHOLD_LINKED: _rule(ANY, None, Relation.LEAD, Relation.SYSTEM),
}


class TransitionError(ValueError):
    """The action is impossible now; ``message`` is in Chinese for the web layer."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.message = t(f"lifecycle.{code}", **params)
        super().__init__(f"{code}: {self.message}")


Condition = Callable[[Complaint, frozenset[Relation]], bool]

# Conditions beyond status (and, for a resolution, who asks), by kind; the rest always apply.
CONDITIONS: dict[EventKind, Condition] = {
    EventKind.RESOLVE: lambda c, who: not c.closing_check or Relation.LEAD in who,
    EventKind.PROPOSE_RESOLUTION: lambda c, _: c.closing_check and c.resolution_proposed_at is None,
    EventKind.SEND_BACK_RESOLUTION: lambda c, _: c.resolution_proposed_at is not None,
    EventKind.REQUEST_EXTENSION: lambda c, _: c.pending_extension_days is None,
    EventKind.GRANT_EXTENSION: lambda c, _: c.pending_extension_days is not None,
    EventKind.REFUSE_EXTENSION: lambda c, _: c.pending_extension_days is not None,
    EventKind.REQUEST_REVIEW: lambda c, _: c.review_pending_since is None and (
        c.reviews_requested or 0) < len(REVIEW_STAGES),
    EventKind.DECIDE_REVIEW: lambda c, _: c.review_pending_since is not None,
    EventKind.OBJECT_TO_DISPATCH: lambda c, _: c.objection_pending_since is None,
    EventKind.RETURN: lambda c, _: c.objection_pending_since is not None,
    EventKind.REFUSE_OBJECTION: lambda c, _: c.objection_pending_since is not None,
    EventKind.REQUEST_IDENTITY: lambda c, _: c.alleges_misconduct and c.reporter is not None,
    EventKind.GRANT_IDENTITY: lambda c, _: bool(pending_identity_requests(c)),
    EventKind.REFUSE_IDENTITY: lambda c, _: bool(pending_identity_requests(c)),
    EventKind.ESCALATE: lambda c, _: c.deadline_at is not None,
    EventKind.HAZARD_TEXT_SET: lambda c, _: c.alleges_misconduct,
}


def applicable(complaint: Complaint, kind: EventKind,
               relations: frozenset[Relation] = frozenset()) -> bool:
    """Whether ``kind`` can apply beyond its statuses: an action that cannot is not offered."""
    condition = CONDITIONS.get(kind)
    return condition is None or bool(condition(complaint, relations))


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
