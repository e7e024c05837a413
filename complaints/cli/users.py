"""``flask --app complaints.app users create``: staff accounts, made by an administrator."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from complaints.accounts import (
    AccountError,
    create_user,
    deactivate,
    generate_password,
    normalise_username,
    second_factor,
)
from complaints.cli.context import components
from complaints.core.vocabulary import Role
from complaints.db.models import User

users = AppGroup("users", help="Staff accounts.")


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
    with components().session_factory() as session:
        try:
            user = create_user(session, username, Role(role), password,
                               display_name=display_name, unit_slug=unit_slug, email=email)
        except AccountError as error:
            raise click.ClickException(str(error)) from None
        session.commit()
        click.echo(f"created {user.username} ({role})")
    if not password_stdin:
        click.echo(f"password: {password}")


@users.command("deactivate")
@click.argument("username")
def users_deactivate(username: str) -> None:
    """The account cannot log in any more; its open sessions end at once."""
    with components().session_factory() as session:
        try:
            deactivate(session, username)
        except AccountError as error:
            raise click.ClickException(str(error)) from None
        session.commit()
    click.echo(f"deactivated {username}; its sessions are ended")


@users.command("reset-second-factor")
@click.argument("username")
@click.option("--by", "admin_username", required=True, help="the administrator doing it (recorded)")
def users_reset_second_factor(username: str, admin_username: str) -> None:
    """For a lost phone: the account sets up its second factor again at its next login; its
    sessions end now, and the audit chain records who reset it."""
    with components().session_factory() as session:
        user = session.scalar(select(User).where(User.username == normalise_username(username)))
        admin = session.scalar(select(User).where(
            User.username == normalise_username(admin_username), User.role == Role.ADMIN))
        if user is None or admin is None:
            raise click.ClickException("no such account, or --by is not an administrator")
        second_factor.reset(session, admin, user)
        session.commit()
    click.echo(f"second factor of {username} reset; it enrols again at its next login")
