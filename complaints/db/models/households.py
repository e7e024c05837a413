"""The roster of poor households (信息共享), the lists it came from, and their appraisal tasks."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaints.core.clock import now_utc
from complaints.core.limits import ADDRESS_MAX, NOTE_MAX, VILLAGE_MAX
from complaints.core.vocabulary import (
    AppraisalGrade,
    HouseholdType,
    HouseStructure,
    PhotoPurpose,
    VisitResult,
)
from complaints.db.base import Base, UTCDateTime, enum_column
from complaints.db.models.cases import PHOTO_TYPES, StoredPhoto

if TYPE_CHECKING:
    from complaints.db.models.accounts import User
    from complaints.db.models.cases import Complaint
    from complaints.db.models.units import Unit

APPRAISER_MAX = 60


class RosterList(Base):
    """A list of newly registered poor households, as a providing unit sent it."""

    __tablename__ = "roster_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The file's SHA-256: the same list imported again changes nothing.
    file_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    provided_by_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    received_on: Mapped[dt.date] = mapped_column(Date)
    rows: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    imported_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    provided_by: Mapped[Unit] = relationship()


class Household(Base):
    """A household on the roster. Its head's name, ID number and phone are sealed to it; the ID
    number's keyed hash finds it again when another list names it."""

    __tablename__ = "households"

    id: Mapped[int] = mapped_column(primary_key=True)
    head_name_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    id_number_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    id_number_hash: Mapped[str] = mapped_column(String(64), unique=True)
    id_number_masked: Mapped[str] = mapped_column(String(18))  # 350622********1234
    phone_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    township_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    village: Mapped[str | None] = mapped_column(String(VILLAGE_MAX))
    address: Mapped[str | None] = mapped_column(String(ADDRESS_MAX))
    household_type: Mapped[HouseholdType] = mapped_column(enum_column(HouseholdType, "household_type"))
    house_structure: Mapped[HouseStructure] = mapped_column(enum_column(HouseStructure, "house_structure"))
    first_list_id: Mapped[int] = mapped_column(ForeignKey("roster_lists.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)

    township: Mapped[Unit] = relationship()
    first_list: Mapped[RosterList] = relationship()
    appraisal: Mapped[AppraisalTask | None] = relationship(back_populates="household")
    rectification: Mapped[Rectification | None] = relationship(back_populates="household")
    helpers: Mapped[list[User]] = relationship(secondary="household_helpers", order_by="User.id")


class AppraisalTask(Base):
    """The housing bureau's safety appraisal of a newly listed household's house, due one
    calendar month after the list was received (the table's ``roster_appraisal_months``)."""

    __tablename__ = "appraisal_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), unique=True)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # When the hourly job found it late and put it on the lead unit's board (once).
    escalated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    grade: Mapped[AppraisalGrade | None] = mapped_column(enum_column(AppraisalGrade, "appraisal_grade"))
    appraised_on: Mapped[dt.date | None] = mapped_column(Date)
    appraiser: Mapped[str | None] = mapped_column(String(APPRAISER_MAX))

    household: Mapped[Household] = relationship(back_populates="appraisal")


class Rectification(Base):
    """A house appraised C or D, rectified at once (the seed): repair and reinforcement, or
    rebuilding; its progress until done, and the safety-status plate posted (挂牌上墙)."""

    __tablename__ = "rectifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), unique=True)
    rebuild: Mapped[bool] = mapped_column(Boolean)  # D; C is repaired and reinforced
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    progress: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    plate_posted_on: Mapped[dt.date | None] = mapped_column(Date)

    household: Mapped[Household] = relationship(back_populates="rectification")


class HouseholdHelper(Base):
    """A household's assigned helper (挂钩帮扶责任人): a helper account of its township."""

    __tablename__ = "household_helpers"

    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    assigned_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)


class HouseholdVisit(Base):
    """A township's quarterly visit (跟踪回访) to a roster household in an earth, earth-and-wood
    or brick-and-wood house; a hazard found becomes a case (``complaint``)."""

    __tablename__ = "household_visits"
    __table_args__ = (UniqueConstraint("household_id", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    quarter: Mapped[str] = mapped_column(String(7), index=True)  # 2026Q4
    township_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    result: Mapped[VisitResult | None] = mapped_column(enum_column(VisitResult, "visit_result"))
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    visited_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)

    household: Mapped[Household] = relationship()
    township: Mapped[Unit] = relationship()
    complaint: Mapped[Complaint | None] = relationship()


class HouseholdPhoto(StoredPhoto, Base):
    """A photo of a roster household's house: its appraisal, rectification, plate or a visit."""

    __tablename__ = "household_photos"
    __table_args__ = (CheckConstraint(PHOTO_TYPES, name="content_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    purpose: Mapped[PhotoPurpose] = mapped_column(enum_column(PhotoPurpose, "photo_purpose"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("household_visits.id"))
