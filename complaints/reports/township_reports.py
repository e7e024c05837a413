"""What each township sends the housing bureau (信息报送): a monthly report by the table's
``monthly_report_day`` and the campaign's summary by ``summary_month``/``summary_day``.

A report is the figures the data gives for the township (households listed, appraised,
rectified, plates posted, visits, helpers' reports, complaints) and the township's own text on
progress and on how notable problems were handled. It is submitted once and kept as sent, its
figures frozen; the lead unit sees who has sent and who is late. A month's figures cover the
same days as the monthly progress report (``reports.monthly.Period``); the summary's, the whole
campaign up to its sending. Plain Python, no Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from complaints.core.clock import start_of_local_day, to_local
from complaints.core.vocabulary import AppraisalGrade, Channel, TownshipReportKind, VisitResult
from complaints.db.models import (
    AppraisalTask,
    Clue,
    Complaint,
    Household,
    HouseholdVisit,
    Rectification,
    TownshipReport,
    Unit,
    User,
)
from complaints.db.models.campaign import REPORT_TEXT_MAX
from complaints.reports.monthly import Period
from complaints.routing.table import RoutingTable

# The figures, in the order the page and the workbook show them (labels: township_report.figure.*).
FIGURES = ("households_listed", "appraised", "found_dangerous", "rectified", "plates_posted",
           "visits_done", "hazards_found", "helper_reports", "complaints_received", "complaints_resolved")
CAMPAIGN_START = date(2000, 1, 1)  # the summary counts everything before it is sent
EARLIER_MONTHS = 2  # a month's report may still be sent, late, this many months on


class TownshipReportError(ValueError):
    """``code`` names the reason for the message catalogue (township_report.error.<code>)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Due:
    kind: TownshipReportKind
    period: str    # the month, 2026-11
    due_on: date


@dataclass(frozen=True)
class Standing:
    """One township's standing for one report: sent (on time or late), or not yet."""

    township: Unit
    report: TownshipReport | None
    late: bool


def due_of(table: RoutingTable, kind: TownshipReportKind, period: str) -> Due:
    """The report of a month (2026-11); the summary is the year's, whatever month is named."""
    rules = table.campaign
    month = Period.parse(period, rules.monthly_report_day)
    if kind is TownshipReportKind.SUMMARY:
        year = month.cut_off.year
        due_on = date(year, rules.summary_month, rules.summary_day)
        return Due(kind, f"{year}-{rules.summary_month:02d}", due_on)
    return Due(kind, month.month, month.cut_off)


def reports_due(table: RoutingTable, today: date) -> list[Due]:
    """What a township may send now, newest first: this month's report (next month's once this
    one's day has passed), the ``EARLIER_MONTHS`` before it (late by now, still to be sent),
    and from the summary's month to the year's end, the year's summary."""
    rules = table.campaign
    index = today.year * 12 + today.month - 1 + (today.day > rules.monthly_report_day)
    owed = [due_of(table, TownshipReportKind.MONTHLY, f"{(i // 12):04d}-{(i % 12) + 1:02d}")
            for i in range(index, index - EARLIER_MONTHS - 1, -1)]
    if today.month >= rules.summary_month:
        owed.insert(0, due_of(table, TownshipReportKind.SUMMARY, f"{today.year}-{today.month:02d}"))
    return owed


def campaign_figures(session: Session, table: RoutingTable, township: Unit, due: Due,
                     now: datetime) -> dict[str, int]:
    """The township's figures for the report: a month's days, or the whole campaign so far."""
    tomorrow = to_local(now).date() + timedelta(days=1)
    if due.kind is TownshipReportKind.SUMMARY:
        start, end, after = start_of_local_day(CAMPAIGN_START), now, tomorrow
    else:
        period = Period.parse(due.period, table.campaign.monthly_report_day)
        start, end = period.start, min(period.end, now)
        # Days (plates posted): the period's, the cut-off day not included; or up to today.
        after = period.cut_off if now >= period.end else tomorrow
    first_day = to_local(start).date()
    # A case whose clue accuses the township is never counted in its figures: they would show
    # it that an accusation exists (it never sees the case).
    accusing = select(Clue.complaint_id).where(Clue.accused_unit_id == township.id,
                                               Clue.complaint_id.is_not(None))
    its_cases = and_(Complaint.township_id == township.id, Complaint.id.not_in(accusing))

    def count(query: Select[int]) -> int:
        return int(session.scalar(query) or 0)

    ours = Household.township_id == township.id
    of_household = select(func.count()).select_from(AppraisalTask).join(Household)
    return {
        "households_listed": count(select(func.count()).select_from(Household).where(
            ours, Household.created_at >= start, Household.created_at < end)),
        "appraised": count(of_household.where(ours, AppraisalTask.done_at >= start,
                                              AppraisalTask.done_at < end)),
        "found_dangerous": count(of_household.where(
            ours, AppraisalTask.done_at >= start, AppraisalTask.done_at < end,
            AppraisalTask.grade.in_([AppraisalGrade.C, AppraisalGrade.D]))),
        "rectified": count(select(func.count()).select_from(Rectification).join(Household).where(
            ours, Rectification.done_at >= start, Rectification.done_at < end)),
        "plates_posted": count(select(func.count()).select_from(Rectification).join(Household).where(
            ours, Rectification.plate_posted_on >= first_day, Rectification.plate_posted_on < after)),
        "visits_done": count(select(func.count()).select_from(HouseholdVisit).where(
            HouseholdVisit.township_id == township.id, HouseholdVisit.done_at >= start,
            HouseholdVisit.done_at < end)),
        "hazards_found": count(select(func.count()).select_from(HouseholdVisit).where(
            HouseholdVisit.township_id == township.id, HouseholdVisit.done_at >= start,
            HouseholdVisit.done_at < end, HouseholdVisit.result == VisitResult.HAZARD)),
        "helper_reports": count(select(func.count()).select_from(Complaint).where(
            its_cases, Complaint.channel == Channel.HELPER,
            Complaint.received_at >= start, Complaint.received_at < end)),
        "complaints_received": count(select(func.count()).select_from(Complaint).where(
            its_cases, Complaint.received_at >= start,
            Complaint.received_at < end)),
        "complaints_resolved": count(select(func.count()).select_from(Complaint).where(
            its_cases, Complaint.resolved_at >= start,
            Complaint.resolved_at < end)),
    }


def submit(session: Session, table: RoutingTable, township: Unit, due: Due, *, text: str,
           actor: User, now: datetime) -> TownshipReport:
    text = text.strip()
    if due not in reports_due(table, to_local(now).date()):
        raise TownshipReportError("not-open")  # a month to come, or long past
    if not text or len(text) > REPORT_TEXT_MAX:
        raise TownshipReportError("text")
    if session.scalar(select(TownshipReport.id).where(
            TownshipReport.township_id == township.id, TownshipReport.kind == due.kind,
            TownshipReport.period == due.period)):
        raise TownshipReportError("sent")
    report = TownshipReport(township_id=township.id, kind=due.kind, period=due.period, due_on=due.due_on,
                            text=text, figures=campaign_figures(session, table, township, due, now),
                            submitted_at=now, submitted_by_user_id=actor.id)
    try:
        with session.begin_nested():  # two liaisons sending at once: the second is told
            session.add(report)
    except IntegrityError:
        raise TownshipReportError("sent") from None
    return report


def is_late(report: TownshipReport | None, due_on: date, today: date) -> bool:
    if report is None:
        return today > due_on
    return to_local(report.submitted_at).date() > due_on


def standings(session: Session, table: RoutingTable, due: Due, today: date) -> list[Standing]:
    """Every township's standing for one report, in the table's order."""
    slugs = [spec.slug for spec in table.townships]
    units = {unit.slug: unit for unit in session.scalars(select(Unit).where(Unit.slug.in_(slugs)))}
    sent = {report.township_id: report for report in session.scalars(select(TownshipReport).where(
        TownshipReport.kind == due.kind, TownshipReport.period == due.period))}
    found = [units[slug] for slug in slugs if slug in units]
    return [Standing(unit, sent.get(unit.id), is_late(sent.get(unit.id), due.due_on, today))
            for unit in found]
