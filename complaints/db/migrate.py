"""Running Alembic from the app, with the app's database URL."""

from __future__ import annotations

import warnings

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Column, Connection, Engine, Index, text

import complaints.db.models  # noqa: F401  (registers every table on Base.metadata)
from complaints.core.config import PROJECT_ROOT
from complaints.db.base import Base


def alembic_config(database_url: str, encryption_key: bytes | None = None) -> Config:
    """Alembic's configuration for this database. Revisions that re-seal data take the key
    from here (or, without it, from the app's configuration)."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = database_url
    if encryption_key is not None:
        config.attributes["encryption_key"] = encryption_key
    return config


def upgrade(database_url: str, revision: str = "head", encryption_key: bytes | None = None) -> None:
    command.upgrade(alembic_config(database_url, encryption_key), revision)


def downgrade(database_url: str, revision: str, encryption_key: bytes | None = None) -> None:
    command.downgrade(alembic_config(database_url, encryption_key), revision)


def schema_drift(engine: Engine) -> list[object]:
    """Differences between the models and the migrated database; empty when they agree."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        with warnings.catch_warnings():
            # Alembic cannot compare an index on expressions, and says so: checked below.
            warnings.filterwarnings("ignore", message=".*expression-based index")
            drift: list[object] = list(compare_metadata(context, Base.metadata))
        present = _index_names(connection)
    drift.extend(("missing expression index", index.name)
                 for table in Base.metadata.tables.values() for index in table.indexes
                 if _on_expressions(index) and index.name not in present)
    return drift


def _on_expressions(index: Index) -> bool:
    return any(not isinstance(expression, Column) for expression in index.expressions)


def _index_names(connection: Connection) -> set[str]:
    """Every index's name, including those the inspector skips (on expressions)."""
    if connection.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'index'"
    else:
        query = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
    return set(connection.scalars(text(query)))
