"""The case log: ``record_event`` is the only way anything is written there, each event of a
known kind, with details of that kind's shape, linked into the audit chain.

The kinds are ``EventKind`` (``core.vocabulary``); each kind's details have one shape below,
a ``TypedDict`` that readers (the reports, the public timeline, the holdings rule) can rely
on. ``record_event`` refuses a kind it does not know and details that do not fit the shape,
so a misspelt kind or key fails where it is written instead of counting zero in a report.
"""

# No `from __future__ import annotations` here: TypedDict reads NotRequired only from
# evaluated annotations.

from collections.abc import Mapping
from typing import Any, NotRequired, TypedDict

from sqlalchemy.orm import Session

from complaints.cases import tallies  # noqa: F401  (its flush listeners keep the board's figures)
from complaints.cases.audit import chain_of, next_link
from complaints.cases.holdings import follow
from complaints.core.clock import now_utc
from complaints.core.limits import NOTE_MAX
from complaints.core.vocabulary import CLUE_EVENTS, EventKind
from complaints.db.models import CaseEvent, Clue, Complaint, User


class Filed(TypedDict):
    channel: str
    routing: dict[str, Any]  # the routing decision, as ``Decision.as_record``
    source: NotRequired[str]  # an API client's name
    media_url: NotRequired[str]  # what an API filing pointed at, never fetched


class Held(TypedDict):
    """Every action performed through ``perform`` records who held the case then."""

    unit: str | None


class Assigned(Held):
    co_units: list[str]
    due: NotRequired[str]  # ISO time of the resolve deadline then in force


# "from" is a keyword: the functional form.
Transferred = TypedDict(
    "Transferred", {"unit": str | None, "from": str | None, "to": str, "due": NotRequired[str]}
)


class TransferAsked(Held):
    to: str


class Extension(Held):
    days: int | None
    due: NotRequired[str]
    reason: NotRequired[str]  # on a grant: the unit's reason, which the reporter is told


class Resolved(Held):
    outcome: str
    on_time: bool
    working_days: int | None


class ResolutionProposed(Held):
    outcome: str  # what the unit proposes to answer (Outcome)


class HouseholdLinked(Held):
    household: int  # the roster household's id


class Merged(Held):
    into: str  # the tracking number of the case that handles it


class MergedIn(Held):
    case: str  # the tracking number of the report that joined


class ClueTransferred(Held):
    to: str  # the commission's slug


class IdentityAsked(Held):
    user_id: int | None


class Feedback(Held):
    fixed: bool
    satisfaction: int | None


class IdentityViewed(Held):
    viewer: str  # the username of whoever was shown the reporter's name and number


class ReviewAsked(Held):
    stage: str        # review (复查) or re-review (复核)
    level: str        # who decides: lead-unit, county, city
    review_due: str   # ISO time


class ReviewDecided(Held):
    stage: str | None
    level: str | None
    decision: str     # ReviewDecision


class Supervised(Held):
    due: str  # ISO time: the end of the lead unit's due day


class Escalated(Held):
    deadline: str | None


class DeadlineRecounted(TypedDict):
    due: str
    was: str | None


class FollowUpDone(TypedDict):
    quarter: str


class RoutingOverridden(TypedDict):
    before: dict[str, Any] | None
    after: dict[str, Any]


class NoDetails(TypedDict):
    pass


class ClueRecorded(TypedDict):
    source: str
    accused_unit: str | None
    recorded_by: str | None  # the unit's slug; None for a resident's report
    case: NotRequired[str]  # the tracking number of the case it came from


class ClueTaken(TypedDict):
    was: str  # the state the lead unit had left it in


class ClueDisposed(TypedDict):
    disposition: str
    result_on: str | None  # ISO date


class ClueEscalated(TypedDict):
    deadline: str | None


class ClueReturned(TypedDict):
    to: str


class AccountChanged(TypedDict):
    user: str  # the username of the account concerned


class ReportSubmitted(TypedDict):
    quarter: str  # 2026Q4
    chain_seq: int
    chain_hash: str


SHAPES: dict[EventKind, type] = {
    EventKind.RECEIVED: Filed,
    EventKind.ACCEPT: Held,
    EventKind.REJECT: Held,
    EventKind.START: Held,
    EventKind.CLOSE: Held,
    EventKind.REOPEN: Held,
    EventKind.RETURN: Held,
    EventKind.OBJECT_TO_DISPATCH: Held,
    EventKind.REFUSE_OBJECTION: Held,
    EventKind.REFUSE_TRANSFER: Held,
    EventKind.DECLINE_CLUE: Held,
    EventKind.NOTE: Held,
    EventKind.PUBLIC_REPLY: Held,
    EventKind.COMMENT: Held,
    EventKind.REPORTER_MESSAGE: Held,
    EventKind.ASSIGN: Assigned,
    EventKind.APPROVE_TRANSFER: Transferred,
    EventKind.TRANSFER: Transferred,
    EventKind.REQUEST_TRANSFER: TransferAsked,
    EventKind.REQUEST_EXTENSION: Extension,
    EventKind.GRANT_EXTENSION: Extension,
    EventKind.REFUSE_EXTENSION: Extension,
    EventKind.RESOLVE: Resolved,
    EventKind.MERGE: Merged,
    EventKind.HOUSEHOLD_LINKED: HouseholdLinked,
    EventKind.MERGED_IN: MergedIn,
    EventKind.PROPOSE_RESOLUTION: ResolutionProposed,
    EventKind.SEND_BACK_RESOLUTION: Held,
    EventKind.TRANSFER_CLUE: ClueTransferred,
    EventKind.REQUEST_IDENTITY: IdentityAsked,
    EventKind.GRANT_IDENTITY: IdentityAsked,
    EventKind.REFUSE_IDENTITY: IdentityAsked,
    EventKind.REPORTER_FEEDBACK: Feedback,
    EventKind.REQUEST_REVIEW: ReviewAsked,
    EventKind.CALLBACK_UNREACHED: Held,
    EventKind.DECIDE_REVIEW: ReviewDecided,
    EventKind.ESCALATE: Escalated,
    EventKind.SUPERVISE: Supervised,
    EventKind.RECOUNT_DEADLINE: DeadlineRecounted,
    EventKind.FOLLOW_UP_DONE: FollowUpDone,
    EventKind.FOLLOW_UPS_ENDED: NoDetails,
    EventKind.ROUTING_OVERRIDDEN: RoutingOverridden,
    EventKind.HAZARD_TEXT_SET: Held,
    EventKind.IDENTITY_VIEWED: IdentityViewed,
    EventKind.CLUE_RECORDED: ClueRecorded,
    EventKind.CLUE_NOT_A_CLUE: Held,
    EventKind.CLUE_TAKEN: ClueTaken,
    EventKind.CLUE_SIGNED: NoDetails,
    EventKind.CLUE_DISPOSED: ClueDisposed,
    EventKind.CLUE_RETURNED: ClueReturned,
    EventKind.CLUE_ESCALATED: ClueEscalated,
    EventKind.REPORT_SUBMITTED: ReportSubmitted,
    EventKind.SECOND_FACTOR_ENROLLED: AccountChanged,
    EventKind.SECOND_FACTOR_RESET: AccountChanged,
}


class EventShapeError(ValueError):
    """An event of an unknown kind, or details that do not fit its kind's shape."""


def check_shape(kind: object, details: Mapping[str, object] | None) -> EventKind:
    """The kind, if it is one and ``details`` fit its shape; else ``EventShapeError``."""
    if not isinstance(kind, EventKind):
        raise EventShapeError(f"not an event kind: {kind!r} (use EventKind)")
    shape = SHAPES[kind]
    given = set(details or {})
    required: frozenset[str] = shape.__required_keys__  # type: ignore[attr-defined]
    optional: frozenset[str] = shape.__optional_keys__  # type: ignore[attr-defined]
    missing, unknown = required - given, given - required - optional
    if missing or unknown:
        raise EventShapeError(f"{kind.value} details: missing {sorted(missing)}, unknown {sorted(unknown)}")
    return kind


def record_event(
    session: Session,
    complaint: Complaint,
    kind: EventKind,
    *,
    actor: User | None = None,
    actor_kind: str | None = None,
    note: str | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    details: Mapping[str, object] | None = None,
) -> CaseEvent:
    """Append an event to a case's log (and to the chain). A database made before clues were
    records of their own holds TRANSFER_CLUE and DECLINE_CLUE on cases; nothing writes them
    there now."""
    if kind in CLUE_EVENTS:
        raise EventShapeError(f"{kind.value} belongs to a clue: use record_clue_event")
    if complaint.id is None:
        # The case's id is part of the event's hashed content.
        session.add(complaint)
        session.flush()
    event = _append(session, kind, actor=actor, actor_kind=actor_kind, note=note,
                    from_status=from_status, to_status=to_status, details=details,
                    complaint_id=complaint.id)
    event.complaint = complaint
    complaint.last_event_seq = event.seq  # (the case's seal covers it)
    follow(session, event)
    return event


def record_clue_event(
    session: Session,
    clue: Clue,
    kind: EventKind,
    *,
    actor: User | None = None,
    note: str | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    details: Mapping[str, object] | None = None,
) -> CaseEvent:
    """Append an event to a clue's record. It names the clue, never its case: a case's
    history is read by units and by the reporter's status page."""
    if kind not in CLUE_EVENTS:
        raise EventShapeError(f"{kind.value} is not a clue's event")
    if clue.id is None:
        session.add(clue)
        session.flush()
    event = _append(session, kind, actor=actor, actor_kind=None, note=note,
                    from_status=from_state, to_status=to_state, details=details, clue_id=clue.id,
                    chain=chain_of(clue.complaint_id, clue.id))
    event.clue = clue
    clue.last_event_seq = event.seq
    return event


def record_report_event(session: Session, kind: EventKind, *, actor: User,
                        details: Mapping[str, object]) -> CaseEvent:
    """An event about a report as a whole (its submission), of no case and no clue."""
    if kind is not EventKind.REPORT_SUBMITTED:
        raise EventShapeError(f"{kind.value} is not a report's event")
    return _append(session, kind, actor=actor, actor_kind=None, note=None, from_status=None,
                   to_status=None, details=details)


ACCOUNT_EVENTS = frozenset({EventKind.SECOND_FACTOR_ENROLLED, EventKind.SECOND_FACTOR_RESET})


def record_account_event(session: Session, kind: EventKind, *, actor: User,
                         details: Mapping[str, object]) -> CaseEvent:
    """An event about a staff account, in the chain so it cannot quietly disappear."""
    if kind not in ACCOUNT_EVENTS:
        raise EventShapeError(f"{kind.value} is not an account's event")
    return _append(session, kind, actor=actor, actor_kind=None, note=None, from_status=None,
                   to_status=None, details=details)


def _append(
    session: Session, kind: EventKind, *, actor: User | None, actor_kind: str | None,
    note: str | None, from_status: str | None, to_status: str | None,
    details: Mapping[str, object] | None, complaint_id: int | None = None,
    clue_id: int | None = None, chain: int | None = None,
) -> CaseEvent:
    check_shape(kind, details)
    if note is not None and len(note) > NOTE_MAX:
        raise ValueError(f"an event note holds at most {NOTE_MAX} characters")
    fields: dict[str, Any] = {
        "complaint_id": complaint_id,
        "clue_id": clue_id,
        "occurred_at": now_utc(),
        "actor_user_id": actor.id if actor else None,
        "actor_kind": actor_kind or (actor.role.value if actor else "system"),
        # Stored as the plain string it has always been: the chain hashes it.
        "action": kind.value,
        "from_status": from_status,
        "to_status": to_status,
        "note": note,
        "details": dict(details) if details is not None else None,
    }
    chain, seq, prev_hash, digest = next_link(session, fields, chain)
    event = CaseEvent(**fields, chain=chain, seq=seq, prev_hash=prev_hash, hash=digest)
    session.add(event)
    return event
