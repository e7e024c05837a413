"""API keys for the Open311 clients: issued by an administrator, stored hashed, revocable."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.core.clock import now_utc
from complaints.core.limits import API_CLIENT_NAME_MAX
from complaints.db.models import ApiClient

KEY_PREFIX = "yx311_"


class ApiKeyError(ValueError):
    pass


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def issue_key(session: Session, name: str) -> str:
    """A new client and its key. The key is returned once and never stored."""
    name = name.strip()
    if not name or len(name) > API_CLIENT_NAME_MAX:
        raise ApiKeyError(f"a client name has 1 to {API_CLIENT_NAME_MAX} characters")
    if session.scalar(select(ApiClient.id).where(ApiClient.name == name)) is not None:
        raise ApiKeyError(f"there is already a client named {name!r}")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiClient(name=name, key_hash=key_hash(key), created_at=now_utc()))
    session.flush()
    return key


def revoke_key(session: Session, name: str) -> None:
    client = session.scalar(select(ApiClient).where(ApiClient.name == name))
    if client is None:
        raise ApiKeyError(f"no client named {name!r}")
    if client.revoked_at is None:
        client.revoked_at = now_utc()


def client_for_key(session: Session, key: str) -> ApiClient | None:
    """The active client holding ``key``, or None. Looked up by hash: no timing to learn from."""
    if not key or len(key) > 200:
        return None
    client = session.scalar(select(ApiClient).where(ApiClient.key_hash == key_hash(key)))
    if client is None or client.revoked_at is not None:
        return None
    client.last_used_at = now_utc()
    return client
