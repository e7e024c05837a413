"""The case lists staff work from: filters, search, deadline order, pages. Plain SQLAlchemy."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from complaints.cases.policy import case_visibility, searchable_text
from complaints.core.identity import IdentityVault, normalise_phone
from complaints.core.vocabulary import CaseStatus, SlaState
from complaints.db.models import Complaint, ReporterIdentity, Unit, User

PAGE_SIZE = 50
TRACKING_NUMBER = re.compile(r"^YX\d{8}-\d{4,}$", re.IGNORECASE)
SEARCH_MAX = 100
CALLER_CASES = 20


@dataclass(frozen=True)
class CaseFilter:
    status: CaseStatus | None = None
    sla: SlaState | None = None
    category: str | None = None
    township: str | None = None  # unit slug
    text: str | None = None
    needs_triage: bool = False
    page: int = 1


@dataclass(frozen=True)
class Page:
    cases: list[Complaint]
    total: int
    page: int
    pages: int


# What the lead unit supervises by hand first (督办), then by deadline, the undated last; the
# index ix_complaints_work_order holds cases in this order.
WORK_ORDER = (Complaint.supervision_due_at.is_(None), Complaint.deadline_at.is_(None),
              Complaint.deadline_at, Complaint.id.desc())


def overdue_clause(now: datetime) -> ColumnElement[bool]:
    return Complaint.deadline_at <= now


def filtered(user: User, case_filter: CaseFilter, now: datetime, soon_at: datetime) -> Select:
    query = select(Complaint).where(case_visibility(user))
    if case_filter.status is not None:
        query = query.where(Complaint.status == case_filter.status)
    if case_filter.category:
        query = query.where(Complaint.category == case_filter.category)
    if case_filter.township:
        query = query.where(Complaint.township_id.in_(
            select(Unit.id).where(Unit.slug == case_filter.township)))
    if case_filter.needs_triage:
        query = query.where(Complaint.needs_triage.is_(True))
    if case_filter.sla is SlaState.OVERDUE:
        query = query.where(overdue_clause(now))
    elif case_filter.sla is SlaState.DUE_SOON:
        query = query.where(Complaint.deadline_at > now, Complaint.deadline_at <= soon_at)
    elif case_filter.sla is SlaState.ON_TIME:
        query = query.where(Complaint.deadline_at > soon_at)
    text = (case_filter.text or "").strip()[:SEARCH_MAX]
    if text:
        if TRACKING_NUMBER.match(text):
            query = query.where(Complaint.tracking_number == text.upper())
        else:
            escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(or_(searchable_text(user).like(f"%{escaped}%", escape="\\"),
                                    Complaint.village.like(f"%{escaped}%", escape="\\"),
                                    Complaint.tracking_number.like(f"%{escaped.upper()}%",
                                                                   escape="\\")))
    return query


def page_of_cases(session: Session, user: User, case_filter: CaseFilter, now: datetime,
                  soon_at: datetime, page_size: int = PAGE_SIZE) -> Page:
    query = filtered(user, case_filter, now, soon_at)
    total = session.scalar(query.with_only_columns(func.count(), maintain_column_froms=True)
                           .order_by(None)) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, case_filter.page), pages)
    # The page's ids first: thousands of visible cases are sorted on their keys alone, not
    # carried whole through the sort; then the page's fifty are read.
    ids = list(session.scalars(
        query.with_only_columns(Complaint.id)
        .order_by(*WORK_ORDER)
        .limit(page_size).offset((page - 1) * page_size)
    ))
    found = {case.id: case for case in session.scalars(
        select(Complaint).where(Complaint.id.in_(ids))
        .options(selectinload(Complaint.responsible_unit), selectinload(Complaint.township)))}
    return Page([found[case_id] for case_id in ids], total, page, pages)


def cases_of_caller(session: Session, vault: IdentityVault, user: User, phone: str,
                    limit: int = CALLER_CASES) -> list[Complaint]:
    """A caller's earlier cases that ``user`` may see, found through the keyed hash of the
    number; raises ``InvalidPhoneError`` for what is no phone number.

    Never a misconduct report, whatever its channel and whoever asks: the search would tie
    the accusation to the number typed, and typing numbers one by one would find its author.
    """
    hashed = vault.phone_hash(normalise_phone(phone))
    return list(session.scalars(
        select(Complaint).join(ReporterIdentity)
        .where(ReporterIdentity.phone_hash == hashed, Complaint.alleges_misconduct.is_(False),
               case_visibility(user))
        .order_by(Complaint.received_at.desc(), Complaint.id.desc()).limit(limit)))
