"""What the townships report on the campaign, and the problems units enter on the ledger."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaints.core.clock import now_utc
from complaints.core.limits import NOTE_MAX
from complaints.core.vocabulary import TownshipReportKind
from complaints.db.base import Base, UTCDateTime, enum_column

if TYPE_CHECKING:
    from complaints.db.models.units import Unit

PERSON_MAX = 40
REPORT_TEXT_MAX = 20000


class TownshipReport(Base):
    """A township's monthly report (by the 22nd) or the campaign's summary, as submitted: the
    figures the data gave at that moment, and its own text. Submitted once, kept as sent."""

    __tablename__ = "township_reports"
    __table_args__ = (UniqueConstraint("township_id", "kind", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    kind: Mapped[TownshipReportKind] = mapped_column(enum_column(TownshipReportKind, "report_kind"))
    period: Mapped[str] = mapped_column(String(7))  # the month, 2026-11
    due_on: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    submitted_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    township: Mapped[Unit] = relationship()


class InspectionProblem(Base):
    """A problem a unit found in its own inspection, entered on the ledger directly (整治问题台账);
    the ledger's other rows come from cases and rectifications."""

    __tablename__ = "inspection_problems"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    found_on: Mapped[dt.date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(NOTE_MAX))
    measure: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    responsible_person: Mapped[str] = mapped_column(String(PERSON_MAX))
    deadline_on: Mapped[dt.date] = mapped_column(Date)
    progress: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)  # 销号
    recorded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)

    unit: Mapped[Unit] = relationship()
