"""Spent captcha challenges and the row that proves the encryption key reads this database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from complaints.core.clock import now_utc
from complaints.db.base import Base, UTCDateTime


class SpentCaptcha(Base):
    """A captcha challenge that was answered (its digits are sealed in the browser's session,
    never stored): kept until the challenge would have ended, so it is answered once."""

    __tablename__ = "spent_captchas"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class EncryptionKeyCheck(Base):
    """A known value sealed with the encryption key, to detect a wrong key at start-up."""

    __tablename__ = "encryption_key_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
