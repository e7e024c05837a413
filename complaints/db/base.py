"""Database plumbing: the declarative base, the engine, and column types.

No Flask here: the domain and the CLI use sessions from ``make_session_factory``;
the web layer keeps one session per request (see ``complaints.web.boundary``).
"""

from __future__ import annotations

import enum
import fcntl
import os
import sqlite3
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, Enum, MetaData, create_engine, event, make_url
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

# Constraint names are part of the schema: fixed names keep migrations the same
# on SQLite and PostgreSQL and let a later migration drop a constraint by name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored in UTC.

    SQLite keeps no time zone, so values come back naive; this type refuses
    naive input and hands back aware UTC values on every database.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def make_engine(database_url: str, *, sqlite_begin: str = "IMMEDIATE", **kwargs: Any) -> Engine:
    """An engine with our SQLite settings; ``sqlite_begin`` is how transactions start there.

    IMMEDIATE takes SQLite's write lock at BEGIN. With DEFERRED, a transaction
    that reads and then writes cannot upgrade its lock while another process is
    writing, and fails at once with "database is locked" instead of waiting.
    """
    if database_url.startswith("sqlite"):
        if sqlite_begin not in ("IMMEDIATE", "DEFERRED"):
            raise ValueError(sqlite_begin)
        engine = create_engine(database_url, connect_args={"timeout": BUSY_SECONDS}, **kwargs)
        event.listen(engine, "connect", _configure_sqlite)
        path = make_url(database_url).database
        if sqlite_begin == "IMMEDIATE" and path and path != ":memory:":
            _WriterQueue(f"{path}.writers").serve(engine)
        else:
            event.listen(engine, "begin",
                         lambda connection: connection.exec_driver_sql(f"BEGIN {sqlite_begin}"))
        return engine
    # No JIT compilation: every query here is short, or a report's aggregate over which JIT
    # spends more compiling (half a second each at a million cases) than it saves.
    return create_engine(database_url, pool_pre_ping=True,
                         connect_args={"options": "-c jit=off"}, **kwargs)


BUSY_SECONDS = 15  # how long a write waits for SQLite's lock before it fails


class _WriterQueue:
    """SQLite's writers taken one at a time through a lock file beside the database.

    SQLite has one writer at a time, and one that finds the lock taken sleeps and asks again
    (1, 2, 5, 10, ... up to 100 ms between asks): under load most of a request was spent
    asleep, and the lock went to whoever happened to ask, not to who had waited longest. A
    writer here first takes an flock on the lock file (every process and thread that opens
    the database through this engine, each connection with its own open file) and only then
    BEGIN IMMEDIATE, so SQLite's lock is rarely found taken. The flock is asked for without
    blocking every half millisecond, so a wait still ends in an error after BUSY_SECONDS; the
    kernel drops it when a process dies, and a connection gives it back at COMMIT, ROLLBACK
    or when it returns to the pool.
    """

    POLL_SECONDS = 0.0005

    def __init__(self, path: str) -> None:
        self.path = path

    def serve(self, engine: Engine) -> None:
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "commit", self._give_back)
        event.listen(engine, "rollback", self._give_back)
        event.listen(engine.pool, "checkin", lambda _dbapi, record: self._release(record.info))
        # The lock file is opened once per connection, and closed with it.
        event.listen(engine.pool, "close", lambda _dbapi, record: self._close(record.info))

    def _begin(self, connection: Any) -> None:
        info = connection.info  # the pooled connection's own, kept while it lives
        self._take(info)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self._release(info)
            raise

    def _give_back(self, connection: Any) -> None:
        self._release(connection.info)

    def _take(self, info: dict[str, Any]) -> None:
        if "writer_file" not in info:
            info["writer_file"] = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + BUSY_SECONDS
        while True:
            try:
                fcntl.flock(info["writer_file"], fcntl.LOCK_EX | fcntl.LOCK_NB)
                info["writing"] = True
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError(
                        "database is locked (other writers held it)")) from None
                time.sleep(self.POLL_SECONDS)

    @staticmethod
    def _release(info: dict[str, Any]) -> None:
        if info.pop("writing", False):
            fcntl.flock(info["writer_file"], fcntl.LOCK_UN)

    @staticmethod
    def _close(info: dict[str, Any]) -> None:
        info.pop("writing", None)
        if "writer_file" in info:
            os.close(info.pop("writer_file"))  # closing drops any flock it held


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy issue BEGIN itself (see make_engine) instead of pysqlite's
    # implicit, late transactions, so a transaction's reads and writes are consistent.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
    cursor.close()


def conflict_insert(dialect: Dialect) -> Any:
    """The INSERT of the database at hand that knows ON CONFLICT (both say it alike)."""
    return pg_insert if dialect.name == "postgresql" else sqlite_insert


def make_session_factory(engine: Engine, info: dict[str, object] | None = None) -> sessionmaker[Session]:
    """``info``: what every session carries (the audit chain's keys, ``core.identity``)."""
    return sessionmaker(bind=engine, expire_on_commit=False, info=info or {})


def enum_column(enum_class: type[enum.Enum], name: str) -> Enum:
    """An enum stored by its value, with a named CHECK constraint on every database."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
