"""The units of the lead-unit table: validate them, copy them into the database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.models import PHONE_MAX, Unit
from complaints.vocabulary import UnitKind

# The slugs the rest of the project relies on; the data file may not drop any.
REQUIRED_SLUGS = (
    "housing", "civil-affairs", "natural-resources", "poverty-office", "veterans", "emergency",
    "market", "disabled-federation", "public-security", "discipline-commission", "yunling",
    "chendai", "dongxia", "pumei", "lieyu", "huotian", "xiahe", "mapu", "heping", "econ-zone",
)


class UnitTableError(ValueError):
    """The lead-unit table is malformed; the message says where."""


@dataclass(frozen=True)
class UnitSpec:
    slug: str
    name: str
    kind: UnitKind
    aliases: tuple[str, ...]
    contact_person: str | None
    contact_phone: str | None


def parse_unit_table(raw: dict, where: str) -> tuple[UnitSpec, ...]:
    """The ``[[unit]]`` entries of the table, checked."""
    entries = raw.get("unit")
    if not isinstance(entries, list) or not entries:
        raise UnitTableError(f"{where}: no [[unit]] entries")
    specs: list[UnitSpec] = []
    seen: set[str] = set()
    lead_count = 0
    for position, entry in enumerate(entries, start=1):
        here = f"{where}: unit #{position}"
        unknown = set(entry) - {"slug", "name", "kind", "aliases", "contact_person", "contact_phone"}
        if unknown:
            raise UnitTableError(f"{here}: unknown field(s) {', '.join(sorted(unknown))}")
        slug = entry.get("slug")
        if not isinstance(slug, str) or not slug:
            raise UnitTableError(f"{here}: missing slug")
        here = f"{where}: unit {slug!r}"
        if slug in seen:
            raise UnitTableError(f"{here}: duplicate slug")
        seen.add(slug)
        name = entry.get("name")
        if not isinstance(name, str) or not 1 <= len(name) <= 40:
            raise UnitTableError(f"{here}: name must be 1-40 characters")
        try:
            kind = UnitKind(entry.get("kind"))
        except ValueError:
            raise UnitTableError(
                f"{here}: kind must be one of {', '.join(UnitKind)}, not {entry.get('kind')!r}"
            ) from None
        lead_count += kind is UnitKind.LEAD
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
            raise UnitTableError(f"{here}: aliases must be a list of names")
        phone = entry.get("contact_phone")
        if phone is not None and (not isinstance(phone, str) or len(phone) > PHONE_MAX):
            raise UnitTableError(f"{here}: contact_phone must be text of at most {PHONE_MAX}")
        person = entry.get("contact_person")
        if person is not None and (not isinstance(person, str) or len(person) > 40):
            raise UnitTableError(f"{here}: contact_person must be text of at most 40")
        specs.append(UnitSpec(slug, name, kind, tuple(aliases), person, phone))
    missing = [slug for slug in REQUIRED_SLUGS if slug not in seen]
    if missing:
        raise UnitTableError(f"{where}: required unit(s) missing: {', '.join(missing)}")
    if lead_count != 1:
        raise UnitTableError(f"{where}: exactly one unit must be the lead, found {lead_count}")
    return tuple(specs)


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
