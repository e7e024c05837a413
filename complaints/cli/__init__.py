"""``flask --app complaints.app ...`` commands. Each opens its own session and commits once."""

from __future__ import annotations

import sys
import time

import click
from alembic import command as alembic_command
from flask import Flask

from complaints.accounts import AccountError, create_user, generate_password
from complaints.cases.units import sync_units
from complaints.cli.api_keys import api_key_commands
from complaints.cli.cases import tracking_commands
from complaints.cli.reports import report_commands
from complaints.cli.routing import explain_command
from complaints.components import Components
from complaints.core.vocabulary import Role
from complaints.db import migrate
from complaints.outbox.worker import run_once, worker_name


def register_cli(app: Flask) -> None:
    components: Components = app.extensions["complaints"]

    db = click.Group("db", help="Database schema and reference data.")
    users = click.Group("users", help="Staff accounts.")
    demo = click.Group("demo", help="Demonstration data.")
    outbox = click.Group("outbox", help="Outgoing messages.")
    routing = click.Group("routing", help="The routing engine and its table.")
    routing.add_command(explain_command(components.router))

    @db.command("upgrade")
    @click.argument("revision", default="head")
    def db_upgrade(revision: str) -> None:
        """Migrate the schema, then copy the unit table into it."""
        migrate.upgrade(components.settings.database_url, revision,
                        components.settings.encryption_key)
        if revision == "head":
            with components.session_factory() as session:
                sync_units(session, components.table.units)
                session.commit()
            components.check_encryption_key()
        click.echo("database is up to date")

    @db.command("downgrade")
    @click.argument("revision")
    def db_downgrade(revision: str) -> None:
        """Undo migrations down to REVISION (``base`` removes everything)."""
        migrate.downgrade(components.settings.database_url, revision,
                          components.settings.encryption_key)

    @db.command("check")
    def db_check() -> None:
        """Fail if the models and the migrated schema differ."""
        drift = migrate.schema_drift(components.engine)
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
            migrate.alembic_config(components.settings.database_url), message=message,
            autogenerate=True,
        )

    @users.command("create")
    @click.argument("username")
    @click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
    @click.option("--unit", "unit_slug", help="unit slug, e.g. huotian (liaisons need one)")
    @click.option("--display-name", help="name shown in the console (default: username)")
    @click.option("--email")
    @click.option("--password-stdin", is_flag=True, help="read the password from standard input")
    def users_create(username: str, role: str, unit_slug: str | None, display_name: str | None,
                     email: str | None, password_stdin: bool) -> None:
        """Create a staff account; prints a generated password unless one is piped in."""
        password = sys.stdin.readline().rstrip("\n") if password_stdin else generate_password()
        with components.session_factory() as session:
            try:
                user = create_user(session, username, Role(role), password,
                                   display_name=display_name, unit_slug=unit_slug, email=email)
            except AccountError as error:
                raise click.ClickException(str(error)) from None
            session.commit()
            click.echo(f"created {user.username} ({role})")
        if not password_stdin:
            click.echo(f"password: {password}")

    @demo.command("seed")
    def demo_seed() -> None:
        """Units, one account per role, and realistic complaints; once per database."""
        from complaints.cli.demo import seed_demo

        with components.session_factory() as session:
            sync_units(session, components.table.units)
            logins = seed_demo(session, components.tools)
            session.commit()
        if logins is None:
            click.echo("demo data already present; nothing added")
            return
        login_file = components.settings.instance_path / "demo-logins.txt"
        lines = [f"{username:<20} {password:<20} {role}" for username, password, role in logins]
        login_file.parent.mkdir(parents=True, exist_ok=True)
        login_file.touch(mode=0o600)
        login_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        click.echo(f"demo accounts (also in {login_file}):")
        click.echo("\n".join(lines))

    @outbox.command("run")
    @click.option("--once", is_flag=True, help="send what is due, then exit (for cron)")
    @click.option("--interval", default=5.0, show_default=True, help="seconds between polls")
    def outbox_run(once: bool, interval: float) -> None:
        """Send due messages through the configured sender."""
        name = worker_name()
        while True:
            handled = run_once(components.session_factory, components.vault, components.sender, name)
            if once:
                click.echo(f"handled {handled} message(s)")
                return
            time.sleep(interval)

    for group in (db, users, demo, outbox, routing, *tracking_commands(components),
                  report_commands(components), api_key_commands(components)):
        app.cli.add_command(group)
