"""The units of the lead-unit table, validated. (``cases.units`` copies them into the database.)"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from complaints.core.limits import PHONE_MAX
from complaints.core.vocabulary import UnitKind

# The code knows units only by their kind; of these kinds the table must have exactly one.
SINGLE_KINDS = (UnitKind.LEAD, UnitKind.COMMISSION)


class UnitTableError(ValueError):
    """The lead-unit table is malformed; the message says where."""


Choice = TypeVar("Choice", bound=StrEnum)


def enum_value(choices: type[Choice], entry: dict[str, Any], key: str, here: str) -> Choice:
    """``entry[key]`` as a member of ``choices``, or an error that lists the members."""
    try:
        return choices(entry[key])
    except (KeyError, ValueError):
        raise UnitTableError(
            f"{here}: {key} must be one of {', '.join(choices)}, not {entry.get(key)!r}"
        ) from None


@dataclass(frozen=True)
class UnitSpec:
    slug: str
    name: str
    kind: UnitKind
    aliases: tuple[str, ...]
    contact_person: str | None
    contact_phone: str | None


def parse_unit_table(raw: dict[str, Any], where: str) -> tuple[UnitSpec, ...]:
    """The ``[[unit]]`` entries of the table, checked."""
    entries = raw.get("unit")
    if not isinstance(entries, list) or not entries:
        raise UnitTableError(f"{where}: no [[unit]] entries")
    seen: set[str] = set()
    specs = tuple(_unit(entry, f"{where}: unit #{position}", where, seen)
                  for position, entry in enumerate(entries, start=1))
    _check_kinds([spec.kind for spec in specs], where)
    return specs


def _unit(entry: Any, here: str, where: str, seen: set[str]) -> UnitSpec:
    """One ``[[unit]]`` entry, checked; its slug is added to ``seen``."""
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
    kind = enum_value(UnitKind, entry, "kind", here)
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
        raise UnitTableError(f"{here}: aliases must be a list of names")
    phone = entry.get("contact_phone")
    if phone is not None and (not isinstance(phone, str) or len(phone) > PHONE_MAX):
        raise UnitTableError(f"{here}: contact_phone must be text of at most {PHONE_MAX}")
    person = entry.get("contact_person")
    if person is not None and (not isinstance(person, str) or len(person) > 40):
        raise UnitTableError(f"{here}: contact_person must be text of at most 40")
    return UnitSpec(slug, name, kind, tuple(aliases), person, phone)


def _check_kinds(kinds: list[UnitKind], where: str) -> None:
    for single in SINGLE_KINDS:
        found = kinds.count(single)
        if found != 1:
            raise UnitTableError(f"{where}: exactly one unit must be of kind {single}, found {found}")
    if UnitKind.TOWNSHIP not in kinds:
        raise UnitTableError(f"{where}: at least one unit must be of kind township")
