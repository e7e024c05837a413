"""Reporters' and accused persons' identities, sealed to the record they belong to.

A reporter's name, phone and e-mail are sealed with their case's id, an accused's name with its
clue's id (``IdentityVault`` binds them): an identity row moved to another case, or a sealed
value copied into another row, does not open there. Every reading goes through here.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.cases.events import record_event
from complaints.core.identity import IdentityVault
from complaints.core.vocabulary import EventKind
from complaints.db.models import Clue, Complaint, ReporterIdentity, User

ReporterField = Literal["name", "phone", "email"]


def _case(complaint_id: int) -> str:
    return f"case/{complaint_id}"


def _clue(clue_id: int) -> str:
    return f"clue/{clue_id}"


def seal_reporter(session: Session, vault: IdentityVault, complaint: Complaint, *,
                  name: str | None, phone: str | None, email: str | None) -> ReporterIdentity:
    """The reporter of ``complaint`` (which gets its id here if it has none yet)."""
    if complaint.id is None:
        session.add(complaint)
        session.flush()
    owner = _case(complaint.id)
    reporter = ReporterIdentity(
        name_sealed=vault.seal(name, "reporter-name", owner) if name else None,
        phone_sealed=vault.seal(phone, "reporter-phone", owner) if phone else None,
        phone_hash=vault.phone_hash(phone) if phone else None,
        email_sealed=vault.seal(email, "reporter-email", owner) if email else None,
    )
    complaint.reporter = reporter
    return reporter


def reporter_field(vault: IdentityVault, reporter: ReporterIdentity | None,
                   field: ReporterField) -> str | None:
    """One field of a reporter's identity, opened for its own case only."""
    sealed = getattr(reporter, f"{field}_sealed", None) if reporter is not None else None
    if reporter is None or sealed is None:
        return None
    return vault.open(sealed, f"reporter-{field}", _case(reporter.complaint_id))


def seal_accused_name(session: Session, vault: IdentityVault, clue: Clue, name: str) -> None:
    if clue.id is None:
        session.add(clue)
        session.flush()
    clue.accused_name_sealed = vault.seal(name, "accused-name", _clue(clue.id))


def accused_name(vault: IdentityVault, clue: Clue) -> str | None:
    if clue.accused_name_sealed is None:
        return None
    return vault.open(clue.accused_name_sealed, "accused-name", _clue(clue.id))


def bind_unbound(session: Session, vault: IdentityVault) -> int:
    """Seals again, bound to their records, the identities sealed before binding existed (run
    by ``flask db upgrade``); returns how many values it bound. Idempotent."""
    bound = 0
    for reporter in session.scalars(select(ReporterIdentity)):
        for field in ("name", "phone", "email"):
            sealed = getattr(reporter, f"{field}_sealed")
            if sealed is not None and not vault.is_bound(sealed):
                purpose = f"reporter-{field}"
                setattr(reporter, f"{field}_sealed", vault.seal(
                    vault.open(sealed, purpose), purpose, _case(reporter.complaint_id)))
                bound += 1
    for clue in session.scalars(select(Clue).where(Clue.accused_name_sealed.is_not(None))):
        sealed = clue.accused_name_sealed
        if sealed is not None and not vault.is_bound(sealed):
            clue.accused_name_sealed = vault.seal(vault.open(sealed, "accused-name"),
                                                  "accused-name", _clue(clue.id))
            bound += 1
    return bound


def record_view(session: Session, complaint: Complaint, viewer: User) -> None:
    """``viewer`` is shown the reporter's identity: an event of the case, in the chain, that
    the lead unit and the commission read (``policy.sees_identity_views``)."""
    holder = complaint.responsible_unit.slug if complaint.responsible_unit else None
    record_event(session, complaint, EventKind.IDENTITY_VIEWED, actor=viewer,
                 details={"unit": holder, "viewer": viewer.username})
