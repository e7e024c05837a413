"""Database plumbing: the declarative base, the engine, and column types.

No Flask here: the domain and the CLI use sessions from ``make_session_factory``;
the web layer keeps one session per request (see ``complaints.web.boundary``).
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, Enum, MetaData, create_engine, event
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
        engine = create_engine(database_url, connect_args={"timeout": 15}, **kwargs)
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(
            engine, "begin", lambda connection: connection.exec_driver_sql(f"BEGIN {sqlite_begin}")
        )
        return engine
    # No JIT compilation: every query here is short, or a report's aggregate over which JIT
    # spends more compiling (half a second each at a million cases) than it saves.
    return create_engine(database_url, pool_pre_ping=True,
                         connect_args={"options": "-c jit=off"}, **kwargs)


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy issue BEGIN itself (see make_engine) instead of pysqlite's
    # implicit, late transactions, so a transaction's reads and writes are consistent.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 15000")
    cursor.close()


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
