"""Who may see and do what: the one place for permissions.

Views never test roles themselves; they ask here. A case a user may not see is
reported to them as missing (404), so a liaison cannot even learn that another
unit's tracking number exists.
"""

from __future__ import annotations

import enum

from sqlalchemy import false, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from complaints.cases.rules import Relation, TransitionError, identity_granted_to
from complaints.core.vocabulary import Channel, Role, UnitKind
from complaints.db.models import Complaint, FollowUp, Unit, User, complaint_co_units


class IdentityAccess(enum.Enum):
    NONE = "none"
    MASKED = "masked"   # phone as 130****1314, no name
    FULL = "full"


def case_visibility(user: User) -> ColumnElement[bool]:
    """A WHERE clause selecting exactly the complaints ``user`` may see."""
    if not user.is_active:
        return false()
    match user.role:
        case Role.LEAD:
            return true()
        case Role.LIAISON | Role.COMMISSION if user.unit_id is not None:
            # The commission's account belongs to its unit; it sees what was transferred there.
            # A semi-join on the co-unit index rather than a correlated EXISTS per row.
            co_unit_cases = select(complaint_co_units.c.complaint_id).where(
                complaint_co_units.c.unit_id == user.unit_id
            )
            return or_(Complaint.responsible_unit_id == user.unit_id,
                       Complaint.id.in_(co_unit_cases))
        case Role.OPERATOR:
            # Operators look after what came in by phone; residents' status questions
            # on other cases go through the public lookup with the query code.
            return Complaint.channel.in_([Channel.HOTLINE, Channel.VOICE])
        case _:
            return false()


def can_see_case(user: User, complaint: Complaint) -> bool:
    if not user.is_active:
        return False
    match user.role:
        case Role.LEAD:
            return True
        case Role.LIAISON | Role.COMMISSION if user.unit_id is not None:
            return complaint.responsible_unit_id == user.unit_id or any(
                unit.id == user.unit_id for unit in complaint.co_units
            )
        case Role.OPERATOR:
            return complaint.channel in (Channel.HOTLINE, Channel.VOICE)
        case _:
            return False


def identity_access(user: User, complaint: Complaint) -> IdentityAccess:
    """How much of the reporter's identity ``user`` may see on ``complaint``."""
    if not can_see_case(user, complaint):
        return IdentityAccess.NONE
    match user.role:
        case Role.LEAD | Role.COMMISSION:
            return IdentityAccess.FULL
        case Role.LIAISON | Role.OPERATOR:
            # Whoever is accused may work in a unit: on a misconduct report the
            # identity stays with the lead unit and the commission, unless the lead
            # unit granted a liaison's request (an event on the case).
            if not complaint.alleges_misconduct:
                return IdentityAccess.MASKED
            return IdentityAccess.FULL if user.id in identity_granted_to(complaint) else (
                IdentityAccess.NONE)
        case _:
            return IdentityAccess.NONE


def relations(user: User, complaint: Complaint) -> frozenset[Relation]:
    """How ``user`` stands to ``complaint``: what the lifecycle's rules are written against."""
    if not can_see_case(user, complaint):
        return frozenset()
    found: set[Relation] = set()
    match user.role:
        case Role.LEAD:
            found.add(Relation.LEAD)
        case Role.LIAISON:
            if complaint.responsible_unit_id == user.unit_id:
                found.add(Relation.HANDLER)
            elif any(unit.id == user.unit_id for unit in complaint.co_units):
                found.add(Relation.CO_UNIT)
        case Role.OPERATOR:
            found.add(Relation.OPERATOR)
    return frozenset(found)


def ensure_may(actor: frozenset[Relation], allowed: frozenset[Relation]) -> None:
    """Raise unless one of the actor's relations to the case is allowed."""
    if not actor & allowed:
        raise TransitionError("forbidden")


def follow_up_visibility(user: User) -> ColumnElement[bool]:
    """Quarterly follow-ups: the lead unit sees all, a liaison those of their unit."""
    if not user.is_active:
        return false()
    if user.role is Role.LEAD:
        return true()
    if user.role is Role.LIAISON and user.unit_id is not None:
        return FollowUp.unit_id == user.unit_id
    return false()


def can_see_follow_ups(user: User) -> bool:
    return user.is_active and (user.role is Role.LEAD or
                               (user.role is Role.LIAISON and user.unit_id is not None))


def can_do_follow_up(user: User, follow_up: FollowUp) -> bool:
    return can_see_follow_ups(user) and (user.role is Role.LEAD or follow_up.unit_id == user.unit_id)


def can_end_follow_ups(user: User) -> bool:
    return user.is_active and user.role is Role.LEAD


def can_log_calls(user: User) -> bool:
    """The hotline console: operators, and the lead unit covering for them."""
    return user.is_active and user.role in (Role.OPERATOR, Role.LEAD)


def can_override_routing(user: User) -> bool:
    """Dispatching is the lead unit's job; it may correct the engine before dispatch."""
    return user.is_active and user.role is Role.LEAD


def can_see_board(user: User) -> bool:
    """The supervision board: every unit's figures and queues."""
    return user.is_active and user.role is Role.LEAD


def monthly_townships(user: User) -> list[str] | None:
    """Townships whose monthly report ``user`` may make: None for all (the lead unit)."""
    if not user.is_active:
        return []
    if user.role is Role.LEAD:
        return None
    if user.role is Role.LIAISON and user.unit is not None and user.unit.kind in (
            UnitKind.TOWNSHIP, UnitKind.ZONE):
        return [user.unit.slug]
    return []


def can_see_reports(user: User) -> bool:
    """The quarterly report: the lead unit makes it, the commission receives it."""
    return user.is_active and user.role in (Role.LEAD, Role.COMMISSION)


def can_manage_users(user: User) -> bool:
    return user.is_active and user.role is Role.ADMIN


def may_belong_to(role: Role, unit: Unit | None) -> bool:
    """Which unit an account of ``role`` must belong to."""
    match role:
        case Role.LIAISON:
            return unit is not None
        case Role.COMMISSION:
            return unit is not None and unit.kind is UnitKind.COMMISSION
        case Role.LEAD:
            return unit is not None and unit.kind is UnitKind.LEAD
        case _:
            return unit is None
