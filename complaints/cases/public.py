"""What a reporter may see of their case: the public timeline. Plain Python.

Staff names, internal notes, co-unit comments, identity requests, clue
transfers and escalations never appear; units appear by their public name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from complaints.calendar.deadlines import expected_resolution
from complaints.calendar.working_days import WorkingCalendar
from complaints.core.clock import deadline_day
from complaints.core.messages import t
from complaints.core.vocabulary import AWAITING_DISPATCH, DISPATCHES, HELD_BY_UNIT, EventKind
from complaints.db.models import CaseEvent, Complaint
from complaints.routing.table import DeadlineRules, RoutingTable


@dataclass(frozen=True)
class PublicEntry:
    at: datetime
    text: str
    mine: bool = False  # written by the reporter


def public_timeline(complaint: Complaint, table: RoutingTable) -> list[PublicEntry]:
    """What the reporter reads; of a case merged into another, that one's handling after."""
    entries = []
    for event in complaint.events:
        text = _describe(event, table)
        if text is not None:
            entries.append(PublicEntry(event.occurred_at, text, event.action == EventKind.REPORTER_MESSAGE))
    kept = complaint.merged_into
    if kept is not None and entries:
        since = complaint.closed_at or entries[-1].at
        entries += [PublicEntry(entry.at, entry.text) for entry in public_timeline(kept, table)
                    if entry.at >= since and not entry.mine]
    return entries


def reporter_due(complaint: Complaint, rules: DeadlineRules,
                 calendar: WorkingCalendar) -> datetime | None:
    """The date a reporter cares about: when the case is due to be resolved, not the
    deadline of whichever internal step it is in."""
    if complaint.status in HELD_BY_UNIT:
        return complaint.resolve_due_at
    if complaint.status in AWAITING_DISPATCH:
        return expected_resolution(complaint, rules, calendar).at
    return None


def receipt(complaint: Complaint, query_code: str, table: RoutingTable,
            calendar: WorkingCalendar) -> dict[str, str | None]:
    """What a reporter is told once a case is filed: number, code, unit, expected day."""
    unit = table.unit((complaint.routing or {}).get("lead_unit", table.lead_unit.slug)).name
    due = expected_resolution(complaint, table.deadlines_for(complaint.category), calendar)
    return {"number": complaint.tracking_number, "code": query_code, "unit": unit,
            "deadline": f"{deadline_day(due.at):%Y-%m-%d}"}


def _level_name(level: object, table: RoutingTable) -> str:
    return table.lead_unit.name if level == "lead-unit" else t(f"review.level.{level}")


# What the reporter reads of the events that need no details.
_PLAIN = {EventKind.RECEIVED: "public.received", EventKind.ACCEPT: "public.accepted",
          EventKind.REOPEN: "public.reopened", EventKind.CLOSE: "public.closed",
          EventKind.REPORTER_FEEDBACK: "public.feedback"}


def _describe(event: CaseEvent, table: RoutingTable) -> str | None:
    details = event.details or {}
    if event.action in _PLAIN:
        return t(_PLAIN[EventKind(event.action)])
    match event.action:
        case EventKind.REJECT:
            return t("public.rejected", reason=event.note or "")
        case action if action in DISPATCHES:
            # An assignment names its unit; a transfer names where it went ("unit" is the
            # unit that held the case before).
            slug = details.get("unit") if action == EventKind.ASSIGN else details.get("to")
            return t("public.dispatched", unit=table.unit(slug).name) if slug else None
        case EventKind.RESOLVE:
            return t("public.resolved", outcome=t(f"outcome.{details.get('outcome')}"),
                     note=event.note or "")
        case EventKind.PUBLIC_REPLY:
            return t("public.reply", reply=event.note or "")
        case EventKind.REPORTER_MESSAGE:
            return t("public.yours", text=event.note or "")
        case EventKind.GRANT_EXTENSION:
            return t("public.extended", days=details.get("days") or 0, reason=details.get("reason", ""),
                     due=_day(details.get("due")))
        case EventKind.REQUEST_REVIEW:
            return t("public.review_asked", **review_facts(event, table))
        case EventKind.MERGE:
            return t("public.merged")
        case EventKind.DECIDE_REVIEW:
            return t("public.review_decided", stage=t(f"review.stage.{details.get('stage')}"),
                     decision=t(f"review.decision.{details.get('decision')}"), note=event.note or "")
        case _:
            return None


def _day(moment: object) -> str:
    return f"{deadline_day(datetime.fromisoformat(moment)):%Y-%m-%d}" if isinstance(moment, str) else ""


def review_facts(event: CaseEvent, table: RoutingTable) -> dict[str, str]:
    """A review just asked for, as the reporter is told of it: which, by whom, by when."""
    details = event.details or {}
    return {"stage": t(f"review.stage.{details.get('stage')}"),
            "level": _level_name(details.get("level"), table), "due": _day(details.get("review_due"))}
