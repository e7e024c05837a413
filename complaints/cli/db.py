"""``flask --app complaints.app db ...``: migrate the schema and keep the unit table in it."""

from __future__ import annotations

import click
from alembic import command as alembic_command
from flask.cli import AppGroup

from complaints.cases.audit import seal_unsealed
from complaints.cases.identities import bind_unbound
from complaints.cases.units import sync_units
from complaints.cli.context import components
from complaints.db import migrate

db = AppGroup("db", help="Database schema and reference data.")


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the schema, copy the unit table into it, bind identities sealed before they
    were bound to their records, and seal cases and clues made before seals."""
    parts = components()
    migrate.upgrade(parts.settings.database_url, revision, parts.settings.encryption_key)
    if revision == "head":
        with parts.session_factory() as session:
            sync_units(session, parts.table.units)
            session.commit()
        parts.check_encryption_key()
        with parts.session_factory() as session:
            bound = bind_unbound(session, parts.vault)
            sealed = seal_unsealed(session)
            session.commit()
        if bound:
            click.echo(f"bound {bound} sealed identities to their records")
        if sealed:
            click.echo(f"sealed {sealed} cases and clues made before seals")
    click.echo("database is up to date")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Undo migrations down to REVISION (``base`` removes everything)."""
    parts = components()
    migrate.downgrade(parts.settings.database_url, revision, parts.settings.encryption_key)


@db.command("check")
def db_check() -> None:
    """Fail if the models and the migrated schema differ."""
    drift = migrate.schema_drift(components().engine)
    if drift:
        for difference in drift:
            click.echo(f"  {difference}", err=True)
        raise click.ClickException("models and migrations differ: generate a migration")
    click.echo("models and migrations agree")


@db.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Autogenerate a migration from the models (read it before committing)."""
    alembic_command.revision(
        migrate.alembic_config(components().settings.database_url), message=message,
        autogenerate=True,
    )
