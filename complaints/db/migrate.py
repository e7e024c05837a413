"""Running Alembic from the app, with the app's database URL."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine

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
        return list(compare_metadata(context, Base.metadata))
