"""``flask --app complaints.app api-keys create|list|revoke``: the Open311 clients' keys."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from complaints.cli.context import components
from complaints.core.clock import to_local
from complaints.db.models import ApiClient
from complaints.intake.api_keys import ApiKeyError, issue_key, revoke_key

api_keys = AppGroup("api-keys", help="Keys of the systems that file through Open311.")


@api_keys.command("create")
@click.argument("name")
def create(name: str) -> None:
    """Issue a key for the client NAME. It is printed once; only its hash is kept."""
    with components().session_factory() as session:
        try:
            key = issue_key(session, name)
        except ApiKeyError as error:
            raise click.ClickException(str(error)) from None
        session.commit()
    click.echo(key)


@api_keys.command("revoke")
@click.argument("name")
def revoke(name: str) -> None:
    """Stop the client NAME's key from working, at once."""
    with components().session_factory() as session:
        try:
            revoke_key(session, name)
        except ApiKeyError as error:
            raise click.ClickException(str(error)) from None
        session.commit()
    click.echo(f"revoked: {name}")


@api_keys.command("list")
def list_keys() -> None:
    """Clients, when their key was issued and last used, and whether it is revoked."""
    with components().session_factory() as session:
        for client in session.scalars(select(ApiClient).order_by(ApiClient.name)):
            used = to_local(client.last_used_at).strftime("%Y-%m-%d %H:%M") \
                if client.last_used_at else "never used"
            state = "revoked" if client.revoked_at else "active"
            click.echo(f"{client.name}\t{state}\tissued "
                       f"{to_local(client.created_at):%Y-%m-%d}\t{used}")
