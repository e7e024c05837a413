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
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from complaints.core.clock import start_of_local_day, to_local
from complaints.core.vocabulary import AppraisalGrade, Channel, TownshipReportKind, VisitResult
from complaints.db.models import (
    AppraisalTask,
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
    rules = table.campaign
    month = Period.parse(period, rules.monthly_report_day)
    if kind is TownshipReportKind.SUMMARY:
        return Due(kind, month.month, date(month.cut_off.year, rules.summary_month, rules.summary_day))
    return Due(kind, month.month, month.cut_off)


def reports_due(table: RoutingTable, today: date) -> list[Due]:
    """What a township owes now: this month's report (next month's once this one's day has
    passed), and in the summary's month, the summary."""
    rules = table.campaign
    year, month = today.year, today.month
    if today.day > rules.monthly_report_day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    owed = [due_of(table, TownshipReportKind.MONTHLY, f"{year}-{month:02d}")]
    if today.month == rules.summary_month:
        owed.insert(0, due_of(table, TownshipReportKind.SUMMARY, f"{today.year}-{today.month:02d}"))
    return owed


def campaign_figures(session: Session, table: RoutingTable, township: Unit, due: Due,
                     now: datetime) -> dict[str, int]:
    """The township's figures for the report: a month's days, or the whole campaign so far."""
    if due.kind is TownshipReportKind.SUMMARY:
        start, end = start_of_local_day(CAMPAIGN_START), now
    else:
        period = Period.parse(due.period, table.campaign.monthly_report_day)
        start, end = period.start, min(period.end, now)
    first_day, last_day = to_local(start).date(), to_local(end).date()

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
            ours, Rectification.plate_posted_on >= first_day, Rectification.plate_posted_on <= last_day)),
        "visits_done": count(select(func.count()).select_from(HouseholdVisit).where(
            HouseholdVisit.township_id == township.id, HouseholdVisit.done_at >= start,
            HouseholdVisit.done_at < end)),
        "hazards_found": count(select(func.count()).select_from(HouseholdVisit).where(
            HouseholdVisit.township_id == township.id, HouseholdVisit.done_at >= start,
            HouseholdVisit.done_at < end, HouseholdVisit.result == VisitResult.HAZARD)),
        "helper_reports": count(select(func.count()).select_from(Complaint).where(
            Complaint.township_id == township.id, Complaint.channel == Channel.HELPER,
            Complaint.received_at >= start, Complaint.received_at < end)),
        "complaints_received": count(select(func.count()).select_from(Complaint).where(
            Complaint.township_id == township.id, Complaint.received_at >= start,
            Complaint.received_at < end)),
        "complaints_resolved": count(select(func.count()).select_from(Complaint).where(
            Complaint.township_id == township.id, Complaint.resolved_at >= start,
            Complaint.resolved_at < end)),
    }


def submit(session: Session, table: RoutingTable, township: Unit, due: Due, *, text: str,
           actor: User, now: datetime) -> TownshipReport:
    text = text.strip()
    if not text or len(text) > REPORT_TEXT_MAX:
        raise TownshipReportError("text")
    if session.scalar(select(TownshipReport.id).where(
            TownshipReport.township_id == township.id, TownshipReport.kind == due.kind,
            TownshipReport.period == due.period)):
        raise TownshipReportError("sent")
    report = TownshipReport(township_id=township.id, kind=due.kind, period=due.period, due_on=due.due_on,
                            text=text, figures=campaign_figures(session, table, township, due, now),
                            submitted_at=now, submitted_by_user_id=actor.id)
    session.add(report)
    session.flush()
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
