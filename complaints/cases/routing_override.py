"""The lead unit overrides a routing decision, with a reason. Plain Python."""

from __future__ import annotations

from sqlalchemy.orm import Session

from complaints.cases.events import record_event
from complaints.core.limits import NOTE_MAX
from complaints.core.vocabulary import BEFORE_DISPATCH, EventKind
from complaints.db.models import Complaint, User
from complaints.routing.engine import Decision, Draft, Reason, Router


# Once a case is dispatched, moving it is a transfer (tracking), not a new routing.
class OverrideError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def override_routing(
    session: Session,
    router: Router,
    complaint: Complaint,
    actor: User,
    *,
    category: str,
    lead_unit: str,
    co_units: list[str],
    reason: str,
) -> Decision:
    table = router.table
    reason = reason.strip()
    if complaint.status not in BEFORE_DISPATCH:
        raise OverrideError("status", "the case is already dispatched; transfer it instead")
    if not reason:
        raise OverrideError("reason", "a reason is required")
    if len(reason) > NOTE_MAX:
        raise OverrideError("reason", f"at most {NOTE_MAX} characters")
    if category not in table.category_slugs:
        raise OverrideError("category", f"unknown category {category!r}")
    # Clues reach the commission by transfer, not by routing.
    handlers = {unit.slug for unit in table.handling_units}
    if lead_unit not in handlers:
        raise OverrideError("lead_unit", f"not a unit that handles cases: {lead_unit!r}")
    unknown = [slug for slug in co_units if slug not in handlers]
    if unknown:
        raise OverrideError("co_units", f"unknown unit(s) {', '.join(unknown)}")
    # A unit a clue of the case accuses never handles it, not even as a co-unit.
    accused = {clue.accused_unit.slug for clue in complaint.clues if clue.accused_unit}
    if lead_unit in accused:
        raise OverrideError("lead_unit", f"{lead_unit!r} is accused by a clue of this case")
    if accused & set(co_units):
        raise OverrideError("co_units", "a co-unit is accused by a clue of this case")

    engine_view = router.route(Draft(
        text=complaint.description,
        township=complaint.township.slug if complaint.township else None,
        category=category,
        household=complaint.household_type,
        alleges_misconduct=complaint.alleges_misconduct,
    ))
    decision = Decision(
        category=category,
        lead_unit=lead_unit,
        co_units=tuple(dict.fromkeys(slug for slug in co_units if slug != lead_unit)),
        township=engine_view.township,
        household=engine_view.household,
        discipline_clue=engine_view.discipline_clue,
        accused_unit=engine_view.accused_unit,
        needs_triage=False,
        reasons=(Reason("override", f"lead-unit:{actor.username}"),),
        table_version=table.version,
    )
    before = complaint.routing
    complaint.routing = decision.as_record()
    complaint.category = category
    complaint.needs_triage = False
    record_event(
        session, complaint, EventKind.ROUTING_OVERRIDDEN, actor=actor, note=reason,
        details={"before": before, "after": decision.as_record()},
    )
    session.flush()
    return decision
