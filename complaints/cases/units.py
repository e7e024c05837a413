"""The lead-unit table's units, copied into the database so that cases can point at them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.db.models import Unit
from complaints.routing.units import UnitSpec


def sync_units(session: Session, specs: tuple[UnitSpec, ...]) -> None:
    """Make the units table match the data file. Units are never deleted: cases point at them."""
    existing = {unit.slug: unit for unit in session.scalars(select(Unit))}
    for order, spec in enumerate(specs):
        unit = existing.get(spec.slug) or Unit(slug=spec.slug)
        unit.name = spec.name
        unit.kind = spec.kind
        unit.contact_person = spec.contact_person
        unit.contact_phone = spec.contact_phone
        unit.sort_order = order
        session.add(unit)
    session.flush()
