"""Staff sessions kept on the server (issue 15).

The browser holds a random token; the database holds its hash and the session's life. A
session ends at logout, after ``idle`` without use, after ``lifetime`` in any case, and for
every session of a user whose password changes or who is deactivated. An ended session's
cookie opens nothing, from any address. Plain Python: the web layer calls these.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from complaints.core.clock import now_utc
from complaints.db.models import StaffSession, User

# A session's last use is written at most this often: not one write per page.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SessionRules:
    idle: timedelta
    lifetime: timedelta


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(session: Session, user: User) -> str:
    """A new session for ``user``; returns the token for the cookie (never stored as such)."""
    token = secrets.token_urlsafe(32)
    now = now_utc()
    session.add(StaffSession(token_hash=_hash(token), user_id=user.id, created_at=now,
                             last_seen_at=now))
    user.last_login_at = now
    session.flush()
    return token


def resume_session(session: Session, token: str | None, rules: SessionRules) -> User | None:
    """The active user of the session this token opens, or None (unknown, ended, timed out)."""
    row = _open_row(session, token)
    if row is None:
        return None
    now = now_utc()
    if now - row.created_at > rules.lifetime:
        _end(row, "lifetime")
        return None
    if now - row.last_seen_at > rules.idle:
        _end(row, "idle")
        return None
    if not row.user.is_active:
        _end(row, "deactivated")
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
    return row.user


def end_session(session: Session, token: str | None, because: str = "logout") -> None:
    row = _open_row(session, token)
    if row is not None:
        _end(row, because)


def end_all_sessions(session: Session, user: User, because: str,
                     keep_token: str | None = None) -> int:
    """Ends every open session of ``user`` (but ``keep_token``'s); returns how many."""
    query = (update(StaffSession)
             .where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
             .values(ended_at=now_utc(), ended_because=because))
    if keep_token:
        query = query.where(StaffSession.token_hash != _hash(keep_token))
    result = session.execute(query)
    return int(getattr(result, "rowcount", 0) or 0)


def _open_row(session: Session, token: str | None) -> StaffSession | None:
    """The session this token opens, unless it has ended."""
    if not token:
        return None
    row = session.scalar(select(StaffSession).where(StaffSession.token_hash == _hash(token)))
    return row if row is not None and row.ended_at is None else None


def _end(row: StaffSession, because: str) -> None:
    row.ended_at, row.ended_because = now_utc(), because
