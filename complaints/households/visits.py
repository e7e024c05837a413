"""Quarterly visits (跟踪回访) to the roster's households, and the photos of their houses.

Each quarter every roster household living in a house of the table's ``visit_structures``
(earth, earth-and-wood, brick-and-wood) gets one visit, owned by its township and due by the
quarter's last day; registered poor households come first in the township's list. A house
rebuilt after appraisal is no longer visited. A visit that finds a hazard files a case (in
``intake.field_reports``); this module records the result. Plain Python, no Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, case, func, or_, select, update
from sqlalchemy.orm import Session

from complaints.calendar.deadlines import end_of_local_day
from complaints.cases.jobs import quarter_of, quarter_start
from complaints.cases.tools import CaseTools
from complaints.core.clock import now_utc
from complaints.core.limits import NOTE_MAX
from complaints.core.vocabulary import HouseholdType, PhotoPurpose, VisitResult
from complaints.db.models import Household, HouseholdVisit, Rectification, Unit, User
from complaints.households import add_months, add_photo


class VisitError(ValueError):
    """``code`` names the reason for the message catalogue (visits.error.<code>)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class TownshipVisits:
    township: Unit
    done: int
    due: int  # all the quarter's visits, done or not


def quarter_last_day(day: date) -> date:
    return add_months(quarter_start(day), 3) - timedelta(days=1)


def plan_visits(session: Session, tools: CaseTools, today: date) -> int:
    """The quarter's visit list from the roster: one visit per household still to be visited
    this quarter. Running it again adds only households new to the roster."""
    quarter = quarter_of(today)
    due_at = end_of_local_day(quarter_last_day(today))
    rebuilt = select(Rectification.household_id).where(Rectification.rebuild.is_(True),
                                                       Rectification.done_at.is_not(None))
    planned = select(HouseholdVisit.household_id).where(HouseholdVisit.quarter == quarter)
    households = session.scalars(select(Household).where(
        Household.house_structure.in_(tools.table.campaign.visit_structures),
        Household.id.not_in(rebuilt), Household.id.not_in(planned)).order_by(Household.id)).all()
    for household in households:
        session.add(HouseholdVisit(household=household, quarter=quarter, township_id=household.township_id,
                                   due_at=due_at, created_at=now_utc()))
    session.flush()
    return len(households)


def visits_query(quarter: str) -> Select[HouseholdVisit]:
    """The quarter's visits and those of earlier quarters never made (overdue): undone first,
    the oldest first, registered poor households first, then by village."""
    registered_first = case((Household.household_type == HouseholdType.REGISTERED_POOR, 0), else_=1)
    return (select(HouseholdVisit).join(Household, Household.id == HouseholdVisit.household_id)
            .where(or_(HouseholdVisit.quarter == quarter,
                       (HouseholdVisit.quarter < quarter) & HouseholdVisit.done_at.is_(None)))
            .order_by(HouseholdVisit.done_at.is_not(None), HouseholdVisit.quarter, registered_first,
                      Household.village, Household.id))


def township_progress(session: Session, quarter: str) -> list[TownshipVisits]:
    """Each township's visits done and due this quarter, for the lead unit's board."""
    done = func.sum(case((HouseholdVisit.done_at.is_not(None), 1), else_=0))
    rows = session.execute(select(Unit, done, func.count(HouseholdVisit.id))
                           .join(HouseholdVisit, HouseholdVisit.township_id == Unit.id)
                           .where(HouseholdVisit.quarter == quarter)
                           .group_by(Unit.id).order_by(Unit.sort_order, Unit.id)).all()
    return [TownshipVisits(unit, int(done_count or 0), int(total)) for unit, done_count, total in rows]


def record_visit(session: Session, visit: HouseholdVisit, *, result: VisitResult, note: str,
                 actor: User, photos: tuple[tuple[str, bytes], ...] = ()) -> None:
    """The visit's result: what was found, a note, photos (content type, cleaned bytes)."""
    note = note.strip()
    if not note or len(note) > NOTE_MAX:
        raise VisitError("note")
    # Taken only if still open: the same form sent twice on a slow line records (and files) once.
    taken = session.execute(update(HouseholdVisit).where(
        HouseholdVisit.id == visit.id, HouseholdVisit.done_at.is_(None)).values(
        done_at=now_utc(), result=result, note=note, visited_by_user_id=actor.id))
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise VisitError("done")
    session.refresh(visit)
    for content_type, data in photos:
        add_photo(session, visit.household, PhotoPurpose.VISIT, content_type, data, visit=visit)
    session.flush()
