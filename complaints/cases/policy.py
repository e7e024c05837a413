"""Who may see and do what: the one place for permissions.

Views never test roles themselves; they ask here. A case a user may not see is
reported to them as missing (404), so a liaison cannot even learn that another
unit's tracking number exists.
"""

from __future__ import annotations

import enum

from sqlalchemy import and_, case, false, func, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from complaints.cases.clues import ClueRelation, accused_unit_ids
from complaints.cases.rules import Relation, TransitionError, identity_granted_to
from complaints.core.vocabulary import DISPATCHES, Channel, ClueSource, EventKind, Role, UnitKind
from complaints.db.models import (
    CaseEvent,
    CaseHolding,
    Clue,
    Complaint,
    FollowUp,
    Household,
    InspectionProblem,
    Unit,
    User,
    complaint_co_units,
)


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
        case Role.COMMISSION:
            # Every case a clue came from, and what was transferred to its unit before clues
            # were records of their own.
            return or_(Complaint.id.in_(select(Clue.complaint_id)), _with_unit(user))
        case Role.LIAISON if user.unit_id is not None:
            # Never a case whose clue accuses the liaison's unit, in any role on it.
            accusing = select(Clue.complaint_id).where(Clue.accused_unit_id == user.unit_id,
                                                       Clue.complaint_id.is_not(None))
            # And, read-only, what the unit held before and handed on (transferred, returned).
            held_before = select(CaseHolding.complaint_id).where(
                CaseHolding.unit == (user.unit.slug if user.unit else None))
            return and_(or_(_with_unit(user), Complaint.id.in_(held_before)),
                        Complaint.id.not_in(accusing))
        case Role.OPERATOR:
            # Operators look after what came in by phone; residents' status questions
            # on other cases go through the public lookup with the query code.
            return Complaint.channel.in_([Channel.HOTLINE, Channel.VOICE])
        case _:
            return false()


def _with_unit(user: User) -> ColumnElement[bool]:
    # A semi-join on the co-unit index rather than a correlated EXISTS per row.
    co_unit_cases = select(complaint_co_units.c.complaint_id).where(
        complaint_co_units.c.unit_id == user.unit_id)
    return or_(Complaint.responsible_unit_id == user.unit_id, Complaint.id.in_(co_unit_cases))


def can_see_case(user: User, complaint: Complaint) -> bool:
    if not user.is_active:
        return False
    match user.role:
        case Role.LEAD:
            return True
        case Role.COMMISSION:
            return bool(complaint.clues) or _held_by_unit_of(user, complaint)
        case Role.LIAISON if user.unit_id is not None:
            return ((_held_by_unit_of(user, complaint) or _handed_on_by_unit_of(user, complaint))
                    and user.unit_id not in accused_unit_ids(complaint))
        case Role.OPERATOR:
            return complaint.channel in (Channel.HOTLINE, Channel.VOICE)
        case _:
            return False


def _held_by_unit_of(user: User, complaint: Complaint) -> bool:
    return user.unit_id is not None and (complaint.responsible_unit_id == user.unit_id or any(
        unit.id == user.unit_id for unit in complaint.co_units))


def _handed_on_by_unit_of(user: User, complaint: Complaint) -> bool:
    """The unit held the case once (a dispatch or transfer named it): it keeps a read-only
    view of what it handed on; it has no relation to the case, so no action."""
    slug = user.unit.slug if user.unit else None
    return slug is not None and any(
        (event.details or {}).get("unit" if event.action == EventKind.ASSIGN else "to") == slug
        for event in complaint.events if event.action in DISPATCHES)


def reads_allegation(user: User, complaint: Complaint) -> bool:
    """Whether ``user`` reads a case's whole text, the misconduct flag and the routing's
    reasons, or only the part about the house (``case_text``). The commission reads all;
    the lead unit all unless a clue of the case accuses it; units and operators never read
    an accusation, nor learn that there was one."""
    if not complaint.alleges_misconduct:
        return True
    match user.role:
        case Role.COMMISSION:
            return user.is_active
        case Role.LEAD:
            return user.is_active and user.unit_id not in accused_unit_ids(complaint)
        case _:
            return False


def case_text(user: User, complaint: Complaint) -> str:
    """The description as ``user`` may read it."""
    if reads_allegation(user, complaint):
        return complaint.description
    return complaint.hazard_description or ""


def searchable_text(user: User) -> ColumnElement[str]:
    """The text a search of ``user`` looks in: an accusation's words never match for someone
    who may not read it (a hit would tell that it exists)."""
    hazard_only = case((Complaint.alleges_misconduct.is_(True),
                        func.coalesce(Complaint.hazard_description, "")),
                       else_=Complaint.description)
    if user.role is Role.COMMISSION:
        return Complaint.description.expression
    if user.role is Role.LEAD:
        accusing = select(Clue.complaint_id).where(Clue.accused_unit_id == user.unit_id)
        return case((Complaint.id.in_(accusing), hazard_only), else_=Complaint.description)
    return hazard_only


def identity_access(user: User, complaint: Complaint) -> IdentityAccess:
    """How much of the reporter's identity ``user`` may see on ``complaint``."""
    if not can_see_case(user, complaint):
        return IdentityAccess.NONE
    match user.role:
        case Role.COMMISSION:
            return IdentityAccess.FULL
        case Role.LEAD:
            # Never to an accused unit, the lead unit included.
            return (IdentityAccess.FULL if user.unit_id not in accused_unit_ids(complaint)
                    else IdentityAccess.NONE)
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


def clue_visibility(user: User) -> ColumnElement[bool]:
    """A WHERE clause selecting exactly the clues ``user`` may see."""
    if not user.is_active:
        return false()
    match user.role:
        case Role.COMMISSION:
            return true()
        case Role.LEAD:
            return or_(Clue.accused_unit_id.is_(None), Clue.accused_unit_id != user.unit_id)
        case Role.LIAISON if user.unit_id is not None:
            return and_(or_(Clue.recorded_by_unit_id == user.unit_id,
                            Clue.returned_to_unit_id == user.unit_id),
                        or_(Clue.accused_unit_id.is_(None), Clue.accused_unit_id != user.unit_id))
        case _:
            return false()


def clue_relations(user: User, clue: Clue) -> frozenset[ClueRelation]:
    """How ``user`` stands to ``clue``; empty when they may not see it (a 404)."""
    if not user.is_active:
        return frozenset()
    accused = clue.accused_unit_id is not None and clue.accused_unit_id == user.unit_id
    match user.role:
        case Role.COMMISSION:
            return frozenset({ClueRelation.COMMISSION})
        case Role.LEAD if not accused:
            return frozenset({ClueRelation.LEAD})
        case Role.LIAISON if user.unit_id is not None and not accused:
            found = set()
            if clue.recorded_by_unit_id == user.unit_id:
                found.add(ClueRelation.RECORDER)
            if clue.returned_to_unit_id == user.unit_id:
                found.add(ClueRelation.RETURNED_TO)
            return frozenset(found)
        case _:
            return frozenset()


def can_see_clues(user: User) -> bool:
    """The clue list: the lead unit and the commission; liaisons see the clues they recorded."""
    return user.is_active and user.role in (Role.LEAD, Role.COMMISSION, Role.LIAISON)


def can_record_clue(user: User) -> bool:
    """Units record clues found in their work; operators those from letters, visits, fax."""
    return user.is_active and (user.role in (Role.LEAD, Role.OPERATOR) or (
        user.role is Role.LIAISON and user.unit_id is not None))


def clue_sources_for(user: User) -> list[ClueSource]:
    """Which sources ``user`` records a clue under: a unit's own work, or the channels an
    operator (or the lead unit) takes in."""
    if user.role is Role.LIAISON:
        return [ClueSource.FOUND_BY_UNIT]
    intake = [ClueSource.LETTER, ClueSource.VISIT, ClueSource.FAX, ClueSource.EMAIL,
              ClueSource.HIGHER_LEVEL, ClueSource.HOTLINE_12345]
    return [ClueSource.FOUND_BY_UNIT, *intake] if user.role is Role.LEAD else intake


def follow_up_visibility(user: User) -> ColumnElement[bool]:
    """Quarterly follow-ups: the lead unit sees all, a liaison those of their unit."""
    if not user.is_active:
        return false()
    if user.role is Role.LEAD:
        return true()
    if user.role is Role.LIAISON and user.unit_id is not None:
        # Never a visit to a case whose clue accuses the unit: even its number would tell.
        accusing = select(Clue.complaint_id).where(Clue.accused_unit_id == user.unit_id,
                                                   Clue.complaint_id.is_not(None))
        return and_(FollowUp.unit_id == user.unit_id, FollowUp.complaint_id.not_in(accusing))
    return false()


def can_see_follow_ups(user: User) -> bool:
    return user.is_active and (user.role is Role.LEAD or
                               (user.role is Role.LIAISON and user.unit_id is not None))


def can_do_follow_up(user: User, follow_up: FollowUp) -> bool:
    return can_see_follow_ups(user) and (user.role is Role.LEAD or (
        follow_up.unit_id == user.unit_id and user.unit_id not in accused_unit_ids(follow_up.complaint)))


def _of_a_township(user: User) -> bool:
    return user.unit is not None and user.unit.kind in (UnitKind.TOWNSHIP, UnitKind.ZONE)


def household_visibility(user: User) -> ColumnElement[bool]:
    """Roster households: the lead unit sees all, a township's liaisons its own (to visit them
    and assign their helpers); helpers see theirs on their own page (``households.helpers``)."""
    if not user.is_active:
        return false()
    if user.role is Role.LEAD:
        return true()
    if user.role is Role.LIAISON and _of_a_township(user):
        return Household.township_id == user.unit_id
    return false()


def can_see_households(user: User) -> bool:
    return user.is_active and (user.role is Role.LEAD or (user.role is Role.LIAISON and _of_a_township(user)))


def is_helper(user: User) -> bool:
    return user.is_active and user.role is Role.HELPER and user.unit_id is not None


def can_enter_problems(user: User) -> bool:
    """The ledger's own-inspection rows: each unit's liaisons for their unit, the lead unit."""
    return user.is_active and (user.role is Role.LEAD or
                               (user.role is Role.LIAISON and user.unit_id is not None))


def problem_visibility(user: User) -> ColumnElement[bool]:
    """The ledger's own-inspection rows: the lead unit sees all, a unit its own."""
    if not can_enter_problems(user):
        return false()
    return true() if user.role is Role.LEAD else InspectionProblem.unit_id == user.unit_id


def submits_township_reports(user: User) -> bool:
    """A township's liaisons send its monthly reports and summary."""
    return user.is_active and user.role is Role.LIAISON and _of_a_township(user)


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


def works_on_clues(user: User) -> bool:
    """The commission's work is the clues: its console is the clue list."""
    return user.is_active and user.role is Role.COMMISSION


def can_submit_quarterly(user: User) -> bool:
    """The lead unit submits the quarterly clue report; the commission receives it."""
    return user.is_active and user.role is Role.LEAD


def gets_full_clue_report(user: User) -> bool:
    """The commission's copy lists the clues about the lead unit too; the lead's counts them."""
    return user.is_active and user.role is Role.COMMISSION


def sees_identity_views(user: User) -> bool:
    """Who was shown a reporter's identity is itself supervised: by the lead unit and the
    commission, not by the units whose staff looked."""
    return user.is_active and user.role in (Role.LEAD, Role.COMMISSION)


def may_see_event(user: User, event: CaseEvent) -> bool:
    return event.action != EventKind.IDENTITY_VIEWED or sees_identity_views(user)


def needs_second_factor(user: User) -> bool:
    """The lead unit, the commission and administrators see every accusation or every
    account: they log in with a code from their phone as well (others may choose to)."""
    return user.role in (Role.LEAD, Role.COMMISSION, Role.ADMIN)


def can_manage_roster(user: User) -> bool:
    """The housing bureau (the lead unit) receives the providing units' lists and appraises."""
    return user.is_active and user.role is Role.LEAD


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
        case Role.HELPER:
            return unit is not None and unit.kind in (UnitKind.TOWNSHIP, UnitKind.ZONE)
        case _:
            return unit is None
