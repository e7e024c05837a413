"""What a reporter may see of their case: the public timeline. Plain Python.

Staff names, internal notes, co-unit comments, identity requests, clue
transfers and escalations never appear; units appear by their public name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from complaints.clock import deadline_day
from complaints.messages import t
from complaints.models import CaseEvent, Complaint
from complaints.routing.table import DeadlineRules, RoutingTable
from complaints.tracking.calendar import WorkingCalendar
from complaints.tracking.deadlines import expected_resolution
from complaints.tracking.status import WITH_A_UNIT, CaseStatus

DISPATCHED = ("assign", "approve-transfer", "transfer")


@dataclass(frozen=True)
class PublicEntry:
    at: datetime
    text: str
    mine: bool = False  # written by the reporter


def public_timeline(complaint: Complaint, table: RoutingTable) -> list[PublicEntry]:
    entries = []
    for event in complaint.events:
        text = _describe(event, table)
        if text is not None:
            entries.append(PublicEntry(event.occurred_at, text, event.action == "reporter-message"))
    return entries


WAITING_FOR_DISPATCH = (CaseStatus.RECEIVED, CaseStatus.ACCEPTED, CaseStatus.RETURNED,
                        CaseStatus.REOPENED)


def reporter_due(complaint: Complaint, rules: DeadlineRules,
                 calendar: WorkingCalendar) -> datetime | None:
    """The date a reporter cares about: when the case is due to be resolved, not the
    deadline of whichever internal step it is in."""
    if complaint.status in WITH_A_UNIT:
        return complaint.resolve_due_at
    if complaint.status in WAITING_FOR_DISPATCH:
        return expected_resolution(complaint, rules, calendar).at
    return None


def receipt(complaint: Complaint, query_code: str, table: RoutingTable,
            calendar: WorkingCalendar) -> dict[str, str | None]:
    """What a reporter is told once a case is filed: number, code, unit, expected day."""
    unit = table.unit((complaint.routing or {}).get("lead_unit", "housing")).name
    due = expected_resolution(complaint, table.deadlines_for(complaint.category), calendar)
    return {"number": complaint.tracking_number, "code": query_code, "unit": unit,
            "deadline": f"{deadline_day(due.at):%Y-%m-%d}"}


def _describe(event: CaseEvent, table: RoutingTable) -> str | None:
    details = event.details or {}
    match event.action:
        case "received":
            return t("public.received")
        case "accept":
            return t("public.accepted")
        case "reject":
            return t("public.rejected", reason=event.note or "")
        case action if action in DISPATCHED:
            slug = details.get("unit") or details.get("to")
            return t("public.dispatched", unit=table.unit(slug).name) if slug else None
        case "resolve":
            return t("public.resolved", outcome=t(f"outcome.{details.get('outcome')}"),
                     note=event.note or "")
        case "public-reply":
            return t("public.reply", reply=event.note or "")
        case "reporter-message":
            return t("public.yours", text=event.note or "")
        case "reopen":
            return t("public.reopened")
        case "close":
            return t("public.closed")
        case "reporter-feedback":
            return t("public.feedback")
        case _:
            return None
