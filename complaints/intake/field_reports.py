"""Cases that the campaign's own people file about a roster household: a township's quarterly
visit that found a hazard, and a helper's report (动态监测).

A visit's hazard is routed like any resident's complaint and waits in the lead unit's dispatch
queue. A helper's report does not: the notice has helpers report at once to the township, so
it is accepted and dispatched to the household's township on filing, with the table's
``helper_co_units`` (the poverty office) as co-units, never a unit it accuses; one that accuses
the township waits for the lead unit like any such report. Both are linked to the household; an accusation
in either becomes a clue as in any report. Plain Python, no Flask.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.cases.clues import accused_unit_ids
from complaints.cases.operations import ActionRequest, perform
from complaints.cases.rules import Relation
from complaints.cases.tools import CaseTools
from complaints.core.limits import NOTE_MAX
from complaints.core.vocabulary import Channel, EventKind, VisitResult
from complaints.db.models import Complaint, Household, HouseholdVisit, Unit, User
from complaints.households.helpers import HelperError, helps
from complaints.households.visits import record_visit
from complaints.intake.filing import FiledComplaint, NewComplaint, file_complaint
from complaints.intake.photos import CleanPhoto

SYSTEM = frozenset({Relation.SYSTEM})


def record_visit_result(session: Session, tools: CaseTools, visit: HouseholdVisit, *,
                        result: VisitResult, note: str, actor: User,
                        photos: tuple[CleanPhoto, ...] = ()) -> Complaint | None:
    """The visit's result; a hazard found becomes a case about the household."""
    record_visit(session, visit, result=result, note=note, actor=actor,
                 photos=tuple((photo.content_type, photo.data) for photo in photos))
    if result is not VisitResult.HAZARD:
        return None
    filed = _file(session, tools, visit.household, Channel.VISIT, visit.note or "", None, photos, actor,
                  source=f"visit/{visit.quarter}")
    visit.complaint = filed.complaint
    session.flush()
    return filed.complaint


def file_helper_report(session: Session, tools: CaseTools, helper: User, household: Household, *,
                       problem: str, note: str, photos: tuple[CleanPhoto, ...] = (),
                       submission_token: str | None = None) -> FiledComplaint:
    """A helper's report on one of their households, dispatched to its township at once."""
    if not helps(session, helper, household.id):
        raise HelperError("not-theirs")
    chosen = next((p for p in tools.table.campaign.helper_problems if p.slug == problem), None)
    note = note.strip()
    if chosen is None:
        raise HelperError("problem")
    if len(note) > NOTE_MAX:
        raise HelperError("note")
    description = f"{chosen.name}。{note}" if note else chosen.name
    filed = _file(session, tools, household, Channel.HELPER, description, chosen.category, photos,
                  helper, source="helper", token=submission_token)
    complaint = filed.complaint
    accused = accused_unit_ids(complaint)
    if household.township_id in accused:
        return filed  # an accusation never reaches the unit it accuses: the lead unit dispatches
    township = household.township.slug
    routed = (complaint.routing or {}).get("co_units", [])
    accused_slugs = set(session.scalars(select(Unit.slug).where(Unit.id.in_(accused))))
    co_units = [slug for slug in dict.fromkeys([*routed, *tools.table.campaign.helper_co_units])
                if slug != township and slug not in accused_slugs]
    perform(session, tools, complaint, ActionRequest(EventKind.ACCEPT), SYSTEM, helper)
    perform(session, tools, complaint, ActionRequest(EventKind.ASSIGN, unit=township, co_units=co_units),
            SYSTEM, helper)
    return filed


def _file(session: Session, tools: CaseTools, household: Household, channel: Channel, description: str,
          category: str | None, photos: tuple[CleanPhoto, ...], actor: User, source: str,
          token: str | None = None) -> FiledComplaint:
    filed = file_complaint(session, tools, NewComplaint(
        channel=channel, description=description, township_slug=household.township.slug,
        village=household.village, address=household.address, category=category,
        household_type=household.household_type, house_structure=household.house_structure,
        photos=photos, source=source, submission_token=token))
    linked = ActionRequest(EventKind.HOUSEHOLD_LINKED, household_id=household.id)
    perform(session, tools, filed.complaint, linked, SYSTEM, actor)
    return filed
