"""The problem ledger (整治问题台账): every problem found, open or closed (销号), cumulative.

Its rows come from where problems are found: cases (residents' complaints, quarterly visits
that found a hazard, helpers' reports: the case's channel says which), houses appraised C or D
and their rectification, the follow-up visits still to make, and what units found in their own
inspection (``InspectionProblem``, entered directly). Each row names one person responsible:
for a case, whoever took it in hand (the last to start handling it), else the unit's contact in
the lead-unit table. Plain Python over selects that already carry who may see what.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from complaints.calendar.deadlines import sla_state
from complaints.cases.tools import CaseTools
from complaints.core.clock import deadline_day, local_today, to_local
from complaints.core.limits import NOTE_MAX
from complaints.core.messages import t
from complaints.core.vocabulary import CaseStatus, Channel, EventKind, LedgerSource, VisitResult
from complaints.db.models import (
    CaseEvent,
    Complaint,
    FollowUp,
    Household,
    HouseholdVisit,
    InspectionProblem,
    Rectification,
    Unit,
    User,
)
from complaints.db.models.campaign import PERSON_MAX

LEDGER_ROWS = 20000
SOURCE_OF_CHANNEL = {Channel.VISIT: LedgerSource.VISIT, Channel.HELPER: LedgerSource.HELPER}


def ledger_lines(session: Session, tools: CaseTools, cases: Select[Complaint],
                 follow_ups: Select[FollowUp] | None, now: datetime, *,
                 rectifications: Select[Rectification] | None = None,
                 problems: Select[InspectionProblem] | None = None,
                 visits: Select[HouseholdVisit] | None = None) -> list[list[object]]:
    """Rows for ``ledger_xlsx`` (``LEDGER_HEADERS``), the case rows first. ``visits``: those
    that dealt with a problem on the spot (a hazard found is a case, among the cases)."""
    contacts = _unit_contacts(session)
    lines = _case_lines(session, tools, cases, now, contacts)
    if rectifications is not None:
        lines += _rectification_lines(session, rectifications, contacts)
    if problems is not None:
        lines += _problem_lines(session, problems, now)
    if visits is not None:
        lines += _visit_lines(session, visits)
    if follow_ups is not None:
        for task in session.scalars(
                follow_ups.where(FollowUp.done_at.is_(None))
                .options(selectinload(FollowUp.complaint), selectinload(FollowUp.unit))
                .order_by(FollowUp.due_at).limit(LEDGER_ROWS)):
            lines.append([task.complaint.tracking_number, to_local(task.created_at).replace(tzinfo=None),
                          t("ledger.source.visit"), "", "", t("ledger.follow_up", quarter=task.quarter), "",
                          task.unit.name, _contact(contacts, task.unit), deadline_day(task.due_at),
                          t("ledger.open"), t("sla.overdue") if task.due_at <= now else t("sla.on-time"),
                          None])
    return lines


def _case_lines(session: Session, tools: CaseTools, cases: Select[Complaint], now: datetime,
                contacts: dict[int, str]) -> list[list[object]]:
    shown = (cases.where(Complaint.status != CaseStatus.REJECTED, Complaint.merged_into_id.is_(None))
             .options(selectinload(Complaint.responsible_unit), selectinload(Complaint.township))
             .order_by(Complaint.received_at).limit(LEDGER_ROWS))
    found = list(session.scalars(shown))
    handlers, measures = _handlers_and_measures(session, [case.id for case in found])
    lead = session.scalars(select(Unit).where(Unit.slug == tools.table.lead_unit.slug)).one()
    lines: list[list[object]] = []
    for case in found:
        unit = case.responsible_unit
        state = sla_state(case, tools.table.deadlines_for(case.category), tools.calendar, now)
        # Whoever of the unit now holding it took it in hand, else that unit's named liaison;
        # before dispatch, the lead unit's.
        holder = unit or lead
        person = handlers.get((case.id, holder.id)) or _contact(contacts, holder)
        lines.append([
            case.tracking_number, to_local(case.received_at).replace(tzinfo=None),
            t(f"ledger.source.{SOURCE_OF_CHANNEL.get(case.channel, LedgerSource.COMPLAINT).value}"),
            case.township.name if case.township else "", case.village or "",
            tools.table.category(case.category).name if case.category in tools.table.category_slugs else "",
            measures.get(case.id, ""), unit.name if unit else t("ledger.lead_unit_queue"), person,
            deadline_day(case.deadline_at) if case.deadline_at else None, t(f"status.{case.status.value}"),
            t(f"sla.{state.value}"), to_local(case.closed_at).date() if case.closed_at else None])
    return lines


def _unit_contacts(session: Session) -> dict[int, str]:
    named = select(User.unit_id, User.display_name).where(User.is_unit_contact.is_(True),
                                                          User.is_active.is_(True))
    return {unit_id: name for unit_id, name in session.execute(named) if unit_id is not None}


def _contact(contacts: dict[int, str], unit: Unit) -> str:
    """The unit's named liaison in the service, else the table's contact; a gap says so."""
    return contacts.get(unit.id) or unit.contact_person or t("ledger.no_person")


def _handlers_and_measures(session: Session,
                           case_ids: list[int]) -> tuple[dict[tuple[int, int], str], dict[int, str]]:
    """Per case and unit: who of that unit last started handling it; per case, the last
    resolution's text (the measure)."""
    handlers: dict[tuple[int, int], str] = {}
    measures: dict[int, str] = {}
    for start in range(0, len(case_ids), 900):  # within every database's limit on parameters
        rows = session.execute(
            select(CaseEvent.complaint_id, CaseEvent.action, CaseEvent.note, User.display_name,
                   User.unit_id)
            .outerjoin(User, User.id == CaseEvent.actor_user_id)
            .where(CaseEvent.complaint_id.in_(case_ids[start:start + 900]),
                   CaseEvent.action.in_([EventKind.START, EventKind.RESOLVE]))
            .order_by(CaseEvent.seq))
        for complaint_id, action, note, name, unit_id in rows:
            if complaint_id is None:
                continue
            if action == EventKind.START and name and unit_id is not None:
                handlers[(complaint_id, unit_id)] = name
            elif action == EventKind.RESOLVE and note:
                measures[complaint_id] = note
    return handlers, measures


def _rectification_lines(session: Session, rectifications: Select[Rectification],
                         contacts: dict[int, str]) -> list[list[object]]:
    lines: list[list[object]] = []
    for work in session.scalars(rectifications.options(
            selectinload(Rectification.household).selectinload(Household.township),
            selectinload(Rectification.household).selectinload(Household.appraisal))
            .order_by(Rectification.opened_at).limit(LEDGER_ROWS)):
        house, township = work.household, work.household.township
        grade = house.appraisal.grade.value if house.appraisal and house.appraisal.grade else ""
        lines.append([
            t("ledger.rectification_number", id=work.id), to_local(work.opened_at).replace(tzinfo=None),
            t("ledger.source.appraisal"), township.name, house.village or "",
            t("ledger.dangerous_house", grade=grade, id_number=house.id_number_masked),
            t("roster.rectify_rebuild") if work.rebuild else t("roster.rectify_repair"),
            township.name, _contact(contacts, township), None,
            work.progress or (t("roster.rectified") if work.done_at else ""), "",
            to_local(work.done_at).date() if work.done_at else None])
    return lines


def _visit_lines(session: Session, visits: Select[HouseholdVisit]) -> list[list[object]]:
    lines: list[list[object]] = []
    for visit in session.scalars(
            visits.where(HouseholdVisit.result == VisitResult.DEALT_WITH)
            .options(selectinload(HouseholdVisit.township), selectinload(HouseholdVisit.household))
            .order_by(HouseholdVisit.done_at).limit(LEDGER_ROWS)):
        done_at = visit.done_at or visit.created_at
        visitor = session.get(User, visit.visited_by_user_id) if visit.visited_by_user_id else None
        lines.append([
            t("ledger.visit_number", id=visit.id), to_local(done_at).replace(tzinfo=None),
            t("ledger.source.visit"), visit.township.name, visit.household.village or "",
            visit.note or "", t("visits.result_dealt-with"), visit.township.name,
            visitor.display_name if visitor else t("ledger.no_person"), None,
            t("visits.result_dealt-with"), "", to_local(done_at).date()])
    return lines


def _problem_lines(session: Session, problems: Select[InspectionProblem],
                   now: datetime) -> list[list[object]]:
    today = to_local(now).date()
    lines: list[list[object]] = []
    for problem in session.scalars(problems.options(selectinload(InspectionProblem.unit))
                                   .order_by(InspectionProblem.found_on, InspectionProblem.id)
                                   .limit(LEDGER_ROWS)):
        late = problem.closed_on is None and problem.deadline_on < today
        lines.append([
            t("ledger.problem_number", id=problem.id), problem.found_on, t("ledger.source.inspection"),
            "", "", problem.description, problem.measure or "", problem.unit.name,
            problem.responsible_person, problem.deadline_on, problem.progress or "",
            t("sla.overdue") if late else ("" if problem.closed_on else t("sla.on-time")), problem.closed_on])
    return lines


class ProblemError(ValueError):
    """``code`` names the reason for the message catalogue (ledger.error.<code>)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def enter_problem(session: Session, unit_id: int, *, found_on: date, description: str, measure: str,
                  responsible_person: str, deadline_on: date, actor: User) -> InspectionProblem:
    """A problem a unit found in its own inspection, put on the ledger."""
    description, person = description.strip(), responsible_person.strip()
    if not description or len(description) > NOTE_MAX or len(measure) > NOTE_MAX:
        raise ProblemError("description")
    if not person or len(person) > PERSON_MAX:
        raise ProblemError("person")
    if found_on > local_today() or deadline_on < found_on:
        raise ProblemError("dates")
    problem = InspectionProblem(unit_id=unit_id, found_on=found_on, description=description,
                                measure=measure.strip() or None, responsible_person=person,
                                deadline_on=deadline_on, recorded_by_user_id=actor.id)
    session.add(problem)
    session.flush()
    return problem


def update_problem(problem: InspectionProblem, *, progress: str, closed_on: date | None) -> None:
    """Progress on a problem, and the day it was closed (销号); a closed problem stays listed."""
    if len(progress) > NOTE_MAX:
        raise ProblemError("description")
    if progress.strip():
        problem.progress = progress.strip()
    if closed_on is not None:
        if problem.closed_on is not None or closed_on > local_today() or closed_on < problem.found_on:
            raise ProblemError("closed")
        problem.closed_on = closed_on
