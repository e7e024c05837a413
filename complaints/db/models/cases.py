"""Cases and what hangs off them: the reporter's sealed identity, the append-only event log
and its chain head, who held the case when, follow-up visits, photos, the day's counter, and
the problem clues (a clue is its own record, tied to the case it came from or to none)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
    event,
    false,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from complaints.core.clock import now_utc
from complaints.core.limits import ADDRESS_MAX, DESCRIPTION_MAX, NOTE_MAX, VILLAGE_MAX
from complaints.core.vocabulary import (
    CaseStatus,
    Channel,
    ClueSource,
    ClueState,
    CommissionDisposition,
    HouseholdType,
    HouseStructure,
    Outcome,
)
from complaints.db.base import Base, UTCDateTime, enum_column

if TYPE_CHECKING:
    from complaints.db.models.accounts import User
    from complaints.db.models.units import Unit


complaint_co_units = Table(
    "complaint_co_units",
    Base.metadata,
    Column("complaint_id", ForeignKey("complaints.id"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True, index=True),
)


class Complaint(Base):
    """One case, from whichever channel it came."""

    __tablename__ = "complaints"
    __table_args__ = (
        CheckConstraint("latitude IS NULL OR (latitude BETWEEN -90 AND 90)", name="latitude"),
        CheckConstraint("longitude IS NULL OR (longitude BETWEEN -180 AND 180)", name="longitude"),
        CheckConstraint(
            "reporter_satisfaction IS NULL OR reporter_satisfaction BETWEEN 1 AND 5",
            name="satisfaction",
        ),
        CheckConstraint("extension_days_granted >= 0", name="extension_days"),
        # The board's lists of what waits for the lead unit, each a few cases among all, read
        # soonest deadline first: each its own small index in that order (the undated ones,
        # deadline NULL, by id), so no list walks every dated case to find its few.
        *(Index(f"ix_complaints_waiting_{column}", "deadline_at", "id",
                sqlite_where=text(f"{column} IS NOT NULL"),
                postgresql_where=text(f"{column} IS NOT NULL"))
          for column in ("pending_extension_days", "objection_pending_since",
                         "review_pending_since", "resolution_proposed_at")),
        # The board's intake list: a few statuses, soonest deadline first.
        Index("ix_complaints_status_deadline_at", "status", "deadline_at"),
        # A unit's cases: its working days for the board; and, with the id, a liaison's list
        # counted from the index alone (PostgreSQL reads no table row for it).
        Index("ix_complaints_responsible_unit_id_cover", "responsible_unit_id",
              "working_days_to_resolve", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Read out on the phone; the primary key never leaves the server.
    tracking_number: Mapped[str] = mapped_column(String(20), unique=True)
    query_code_hash: Mapped[str] = mapped_column(String(64))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "channel"))
    # active_history on what the board's tallies count (``cases.tallies``): a change keeps the
    # value it replaced even when that was not loaded, so the tallies subtract the right one.
    status: Mapped[CaseStatus] = mapped_column(
        enum_column(CaseStatus, "status"), default=CaseStatus.RECEIVED, active_history=True,
    )
    category: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(DESCRIPTION_MAX))
    township_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), active_history=True)
    village: Mapped[str | None] = mapped_column(String(VILLAGE_MAX))
    address: Mapped[str | None] = mapped_column(String(ADDRESS_MAX))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    household_type: Mapped[HouseholdType] = mapped_column(
        enum_column(HouseholdType, "household_type"), default=HouseholdType.UNKNOWN
    )
    house_structure: Mapped[HouseStructure] = mapped_column(
        enum_column(HouseStructure, "house_structure"), default=HouseStructure.UNKNOWN
    )
    alleges_misconduct: Mapped[bool] = mapped_column(Boolean, default=False)
    # What units read when the report also carried an accusation (the clue keeps the rest);
    # None: the description is all hazard.
    hazard_description: Mapped[str | None] = mapped_column(String(DESCRIPTION_MAX))
    # The form's one-time token: a resent form finds this case instead of making another.
    submission_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The routing decision in force (engine or lead override), as Decision.as_record();
    # the case's events keep every earlier one.
    routing: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    needs_triage: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), index=True
    )
    # Indexed with the working days to resolve (the board's percentiles read the index alone)
    # and with the unit list's order.
    responsible_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"),
                                                            active_history=True)
    # The deadline of the step the case is in now (accept, assign, resolve, tell the reporter).
    deadline_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    # Counted through a year without official holiday data: recomputed when it is added.
    deadline_provisional: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)
    status_changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # When this round of handling began: acceptance, or the reopening after a review; the
    # cap on handling counts from here.
    handling_started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    assigned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True,
                                                            active_history=True)
    # Kept after resolution, for on-time rates and time-to-resolve figures.
    resolve_due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, active_history=True)
    working_days_to_resolve: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, "outcome"))
    extension_days_granted: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    pending_extension_days: Mapped[int | None] = mapped_column(Integer)
    pending_transfer_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    # The roster household this case is about, as the lead unit confirmed it.
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    # The case this one was merged into (the same problem reported twice): handled there.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    # 办结审核: whether the case's category has the lead unit check a unit's resolution (set at
    # dispatch, from the table), and since when a proposed resolution waits for it.
    closing_check: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    resolution_proposed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Reviews of the answer (复查, 复核): how many were asked for, the one waiting and its due
    # date, and when the last was decided.
    reviews_requested: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    review_pending_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    review_due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    review_decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # A unit's objection to the dispatch waiting for the lead unit (派单异议审核).
    objection_pending_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Last escalation (督办); a case is escalated once per missed deadline.
    escalated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The lead unit's own due date on a case it supervises by hand (督办), until resolved: the
    # unit's deadline is never later, and the case comes first in the unit's list.
    supervision_due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Last "deadline near" SMS to the unit; once per deadline.
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reporter_says_fixed: Mapped[bool | None] = mapped_column(Boolean, active_history=True)
    reporter_satisfaction: Mapped[int | None] = mapped_column(Integer)
    follow_up_ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The audit chain covers the case as well as its events (``cases.audit``): the place of
    # its latest event, and a keyed seal over what the events decided.
    last_event_seq: Mapped[int | None] = mapped_column(Integer)
    seal: Mapped[str | None] = mapped_column(String(64))
    # Two requests on one case cannot both write it: the second finds the row moved on
    # (StaleDataError, a 409 for people), so the seal is always made from the row it writes.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    township: Mapped[Unit | None] = relationship(foreign_keys=[township_id])
    responsible_unit: Mapped[Unit | None] = relationship(foreign_keys=[responsible_unit_id])
    merged_into: Mapped[Complaint | None] = relationship(remote_side=[id], foreign_keys=[merged_into_id])
    pending_transfer_unit: Mapped[Unit | None] = relationship(
        foreign_keys=[pending_transfer_unit_id]
    )
    co_units: Mapped[list[Unit]] = relationship(secondary=complaint_co_units)
    reporter: Mapped[ReporterIdentity | None] = relationship(back_populates="complaint")
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="complaint", order_by="CaseEvent.id"
    )
    attachments: Mapped[list[Attachment]] = relationship(back_populates="complaint")
    clues: Mapped[list[Clue]] = relationship(back_populates="complaint", order_by="Clue.id")

    def __repr__(self) -> str:
        return f"<Complaint {self.tracking_number} {self.status}>"


# The case lists' order (supervised by hand first, then soonest deadline, the undated last),
# read from an index: a page's fifty are found without sorting every visible case. Spelled as
# the lists sort (cases.queries.WORK_ORDER), since a database uses an expression index only for
# the same expressions; NULLS LAST is written as "IS NULL" first, which SQLite can index.
Index("ix_complaints_work_order", Complaint.supervision_due_at.is_(None),
      Complaint.deadline_at.is_(None), Complaint.deadline_at, Complaint.id.desc())


ACCUSED_POST_MAX = 60


class Clue(Base):
    """A problem clue (问题线索): a suspected discipline violation, duty violation or duty crime.

    Its events are case events with ``clue_id`` and no case, in the same hash chain, so that
    nothing about a clue ever shows on a case's history, which units and residents read.
    """

    __tablename__ = "clues"

    id: Mapped[int] = mapped_column(primary_key=True)
    # XS and the id: shown to staff only; a clue is found by policy, never by its number alone.
    number: Mapped[str | None] = mapped_column(String(20), unique=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    source: Mapped[ClueSource] = mapped_column(enum_column(ClueSource, "source"))
    # The unit that found or recorded it; None for a resident's report.
    recorded_by_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    # Who is accused: the unit never sees the clue, its case or its reporter.
    accused_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    accused_name_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The accused's post, which decides which commission level handles it (干部管理权限).
    accused_post: Mapped[str | None] = mapped_column(String(ACCUSED_POST_MAX))
    real_name: Mapped[bool] = mapped_column(Boolean, default=False)
    allegation: Mapped[str] = mapped_column(String(DESCRIPTION_MAX))
    state: Mapped[ClueState] = mapped_column(
        enum_column(ClueState, "state"), default=ClueState.PENDING, index=True
    )
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)
    # The lead unit transfers or declines by then (5 working days in the table).
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Why it was declined, not a clue, or returned: the latest such reason.
    reason: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    transferred_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    signed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    disposition: Mapped[CommissionDisposition | None] = mapped_column(
        enum_column(CommissionDisposition, "disposition")
    )
    result: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    result_on: Mapped[dt.date | None] = mapped_column(Date)
    returned_to_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    escalated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_event_seq: Mapped[int | None] = mapped_column(Integer)  # as on a case
    seal: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    complaint: Mapped[Complaint | None] = relationship(back_populates="clues")
    recorded_by_unit: Mapped[Unit | None] = relationship(foreign_keys=[recorded_by_unit_id])
    accused_unit: Mapped[Unit | None] = relationship(foreign_keys=[accused_unit_id])
    returned_to_unit: Mapped[Unit | None] = relationship(foreign_keys=[returned_to_unit_id])

    def __repr__(self) -> str:
        return f"<Clue {self.number} {self.state}>"


class ReporterIdentity(Base):
    """Who reported, encrypted at rest. See ``complaints.core.identity``."""

    __tablename__ = "reporter_identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), unique=True)
    name_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    email_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)  # given through the API
    # Keyed hash of the E.164 phone: finds repeat reporters without decrypting.
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)

    complaint: Mapped[Complaint] = relationship(back_populates="reporter")


class CaseEvent(Base):
    """Append-only log of what happened to a case, a clue, or (neither) the quarterly report.
    Never updated or deleted.

    Events form hash chains, each in ``seq`` order (see ``cases.audit``): changing, deleting
    or reordering any of them breaks its chain.
    """

    __tablename__ = "case_events"
    # Reports count events of a kind within a period; ``audit verify`` walks each chain.
    __table_args__ = (Index("ix_case_events_action_occurred_at", "action", "occurred_at"),
                      Index("ix_case_events_chain_seq", "chain", "seq"))

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    chain: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    clue_id: Mapped[int | None] = mapped_column(ForeignKey("clues.id"), index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # "system", "reporter", or the acting user's role at the time.
    actor_kind: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    complaint: Mapped[Complaint | None] = relationship(back_populates="events")
    clue: Mapped[Clue | None] = relationship()
    actor: Mapped[User | None] = relationship()


class CaseHolding(Base):
    """A stretch of time during which one unit held a case under one resolve deadline.

    Derived from the case events as they are recorded (``tracking.holdings``): a
    dispatch opens a stretch, an extension starts a new one with the new deadline,
    a return, resolution or rejection ends it. Reports ask who held what at a
    moment with one range query instead of replaying all history; the events stay
    the record, and ``audit verify`` checks these rows against them.
    """

    __tablename__ = "case_holdings"
    __table_args__ = (Index("ix_case_holdings_held_from_held_until", "held_from", "held_until"),
                      # A unit's read-only view of what it handed on (``policy.case_visibility``).
                      Index("ix_case_holdings_unit_complaint_id", "unit", "complaint_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    unit: Mapped[str] = mapped_column(String(40))  # the unit's slug
    # Held at moment m when held_from < m <= held_until: an event takes effect just after it.
    held_from: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    held_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class AuditHead(Base):
    """The newest link of one event chain (``id`` is the chain + 1); locked while an event is
    appended to that chain."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    # Links from this place on are keyed (before it, plain SHA-256 as first released); the
    # head's own keyed MAC, so the chain cannot be cut short without the key.
    keyed_from_seq: Mapped[int | None] = mapped_column(Integer)
    mac: Mapped[str | None] = mapped_column(String(64))


class FollowUp(Base):
    """A quarterly follow-up visit (每季度跟踪回访) to a resolved case's household."""

    __tablename__ = "follow_ups"
    __table_args__ = (UniqueConstraint("complaint_id", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    quarter: Mapped[str] = mapped_column(String(7))  # 2026Q4
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    due_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)

    complaint: Mapped[Complaint] = relationship()
    unit: Mapped[Unit] = relationship()


class StoredPhoto:
    """A photo, kept in the database so one backup holds everything; cleaned by
    ``intake.photos`` before it is stored (re-encoded, no location data)."""

    content_type: Mapped[str] = mapped_column(String(32))
    byte_size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)


PHOTO_TYPES = "content_type IN ('image/jpeg', 'image/png', 'image/webp')"


class Attachment(StoredPhoto, Base):
    """A photo of a case."""

    __tablename__ = "attachments"
    __table_args__ = (CheckConstraint(PHOTO_TYPES, name="content_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)

    complaint: Mapped[Complaint] = relationship(back_populates="attachments")


class CaseTally(Base):
    """A figure of the board kept current by the writes (``cases.tallies``): how many cases
    count towards ``figure`` for ``unit_id``, split over a few shards (by case id) so that
    filings about different cases do not wait on one row; a figure is the sum of its shards."""

    __tablename__ = "case_tallies"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    figure: Mapped[str] = mapped_column(String(20), primary_key=True)
    shard: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class DailyCounter(Base):
    """The last tracking-number sequence handed out on a local date."""

    __tablename__ = "daily_counters"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


@event.listens_for(Session, "before_flush")
def _case_events_are_append_only(session: Session, _context: Any, _instances: Any) -> None:
    for instance in (*session.dirty, *session.deleted):
        if isinstance(instance, CaseEvent) and (
            instance in session.deleted or session.is_modified(instance)
        ):
            raise PermissionError("case events are append-only")
