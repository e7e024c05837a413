"""The monthly progress report per township, and the problem ledger (问题台账). Plain Python.

Townships report to the housing bureau before the 22nd: a month's report covers the
days from the previous month's cut-off day up to the day before this month's (default
22 October to 21 November), counted from the case events like the quarterly report;
consecutive periods meet without a gap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from complaints.core.clock import start_of_local_day
from complaints.core.vocabulary import ANSWERED, CaseStatus, EventKind
from complaints.db.models import CaseEvent, Complaint, Unit
from complaints.reports.quarterly import FIRST_YEAR, LAST_YEAR, OverdueCases
from complaints.routing.table import RoutingTable

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
CUT_OFF_DAY = 22
# The events each township's month counts, and the figure each adds to.
COUNTED: dict[str, str] = {EventKind.RECEIVED: "received", EventKind.RESOLVE: "resolved",
                           EventKind.ESCALATE: "escalated", EventKind.REOPEN: "reopened"}


class MonthError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    month: str
    first_day: date   # the previous month's cut-off day
    cut_off: date     # not included: the report is sent before it

    @classmethod
    def parse(cls, text: str, cut_off_day: int = CUT_OFF_DAY) -> Period:
        match = MONTH.match(text.strip())
        if (not match or not 1 <= int(match.group(2)) <= 12 or not 1 <= cut_off_day <= 28
                or not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR):
            raise MonthError(f"a month looks like 2026-11, not {text!r}")
        year, month = int(match.group(1)), int(match.group(2))
        previous = date(year - 1, 12, cut_off_day) if month == 1 else date(year, month - 1,
                                                                          cut_off_day)
        return cls(text.strip(), previous, date(year, month, cut_off_day))

    @property
    def start(self) -> datetime:
        return start_of_local_day(self.first_day)

    @property
    def end(self) -> datetime:
        return start_of_local_day(self.cut_off)

    @property
    def last_day(self) -> date:
        return self.cut_off - timedelta(days=1)


@dataclass
class TownshipMonth:
    township: str
    name: str
    received: int = 0
    resolved: int = 0
    in_progress: int = 0
    overdue: int = 0
    escalated: int = 0
    reopened: int = 0


def monthly_report(session: Session, table: RoutingTable, period: Period,
                   township: str | None = None, now: datetime | None = None) -> list[TownshipMonth]:
    townships = [u for u in table.townships if township in (None, u.slug)]
    rows = {u.slug: TownshipMonth(u.slug, u.name) for u in townships}
    slug_of = {unit.id: unit.slug for unit in session.scalars(select(Unit))}

    def row_of(township_id: int | None) -> TownshipMonth | None:
        """The row of a case's township; none for a case without one."""
        return rows.get(slug_of.get(township_id, "")) if township_id is not None else None

    in_period = and_(CaseEvent.occurred_at >= period.start, CaseEvent.occurred_at < period.end)

    counted = (select(Complaint.township_id, CaseEvent.action, func.count())
               .select_from(CaseEvent).join(Complaint, Complaint.id == CaseEvent.complaint_id)
               .where(in_period, CaseEvent.action.in_(COUNTED))
               .group_by(Complaint.township_id, CaseEvent.action))
    for township_id, action, count in session.execute(counted):
        row = row_of(township_id)
        if row is not None:
            setattr(row, COUNTED[action], getattr(row, COUNTED[action]) + count)

    not_fixed = (select(Complaint.township_id, func.count())
                 .select_from(CaseEvent).join(Complaint, Complaint.id == CaseEvent.complaint_id)
                 .where(in_period, CaseEvent.action == EventKind.REPORTER_FEEDBACK,
                        CaseEvent.to_status == CaseStatus.REOPENED.value)
                 .group_by(Complaint.township_id))
    for township_id, count in session.execute(not_fixed):
        row = row_of(township_id)
        if row is not None:
            row.reopened += count

    # Open at the cut-off: the last status an event gave the case by then is not a closing one.
    last = (select(CaseEvent.complaint_id, func.max(CaseEvent.seq).label("seq"))
            .where(CaseEvent.occurred_at < period.end, CaseEvent.to_status.is_not(None))
            .group_by(CaseEvent.complaint_id).subquery())
    open_at_cut_off = (select(Complaint.township_id, func.count())
                       .select_from(Complaint).join(last, last.c.complaint_id == Complaint.id)
                       .join(CaseEvent, and_(CaseEvent.complaint_id == last.c.complaint_id,
                                             CaseEvent.seq == last.c.seq))
                       .where(CaseEvent.to_status.not_in([status.value for status in ANSWERED]))
                       .group_by(Complaint.township_id))
    for township_id, count in session.execute(open_at_cut_off):
        row = row_of(township_id)
        if row is not None:
            row.in_progress += count
    for township_id, count in OverdueCases(session, table, min(period.end, now or period.end)
                                           ).per_township().items():
        row = row_of(township_id)
        if row is not None:
            row.overdue += count
    return [rows[u.slug] for u in townships]
