"""Staff accounts and Open311 API clients."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaints.core.clock import now_utc
from complaints.core.limits import API_CLIENT_NAME_MAX, DISPLAY_NAME_MAX, EMAIL_MAX, PHONE_MAX, USERNAME_MAX
from complaints.core.vocabulary import (
    Role,
)
from complaints.db.base import Base, UTCDateTime, enum_column

if TYPE_CHECKING:
    from complaints.db.models.units import Unit


class User(Base):
    """A staff account."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role <> 'liaison' OR unit_id IS NOT NULL", name="liaison_has_unit"),
        CheckConstraint("role <> 'helper' OR unit_id IS NOT NULL", name="helper_has_unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME_MAX), unique=True)
    display_name: Mapped[str] = mapped_column(String(DISPLAY_NAME_MAX))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    email: Mapped[str | None] = mapped_column(String(EMAIL_MAX))
    phone: Mapped[str | None] = mapped_column(String(PHONE_MAX))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The unit's named liaison (具体联络员): the person the problem ledger names for what the
    # unit has not yet taken in hand. One per unit (``accounts.name_unit_contact``).
    is_unit_contact: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The second factor (``accounts.second_factor``): the TOTP secret sealed to this account,
    # when its first code confirmed it, and the time step of the last code accepted.
    totp_secret_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    totp_confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    unit: Mapped[Unit | None] = relationship()

    # What Flask-Login asks of a user object; plain attributes, no Flask import.
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class StaffSession(Base):
    """A staff login, kept on the server: the cookie holds only its token, and a session
    ended here (logout, an idle or absolute timeout, a changed password) cannot be replayed."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # logout, idle, lifetime, password-changed, deactivated
    ended_because: Mapped[str | None] = mapped_column(String(20))

    user: Mapped[User] = relationship()


class RecoveryCode(Base):
    """A one-time code for a staff member without their phone: only its keyed hash."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ApiClient(Base):
    """A system allowed to file complaints through the Open311 API, by its key.

    Only the key's SHA-256 is stored: keys are long random strings, so a plain hash
    is enough, and a stolen database yields no usable key.
    """

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(API_CLIENT_NAME_MAX), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
