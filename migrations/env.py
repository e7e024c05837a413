"""Alembic environment: the URL comes from the app's settings, the target from the models."""

from __future__ import annotations

from alembic import context

import complaints.db.models  # noqa: F401  (registers every table on Base.metadata)
from complaints.core.config import load_settings
from complaints.db.base import Base, make_engine

config = context.config
database_url = config.attributes.get("database_url") or load_settings().database_url


def run_migrations_offline() -> None:
    context.configure(
        url=database_url, target_metadata=Base.metadata, literal_binds=True,
        render_as_batch=database_url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(database_url, sqlite_begin="DEFERRED")
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # Batch mode rebuilds a table by copying it; with foreign keys enforced,
            # dropping the old copy would trip every row that points at it.
            # (Outside any transaction: inside one, SQLite ignores this pragma.)
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")
        _run(connection)
        if connection.dialect.name == "sqlite":
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            if problems:
                raise RuntimeError(f"migration left broken foreign keys: {problems[:5]}")
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        compare_type=True,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
