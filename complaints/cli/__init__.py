"""``flask --app complaints.app ...`` commands, one module per group.

Each group is a ``flask.cli.AppGroup`` declared at module level; its commands run in the app
context and get the configured parts from ``complaints.cli.context.components()``. Each command
opens its own session and commits once.
"""

from __future__ import annotations

from flask import Flask

from complaints.cli.api_keys import api_keys
from complaints.cli.cases import audit, calendar, deadlines
from complaints.cli.db import db
from complaints.cli.demo import demo
from complaints.cli.outbox import outbox
from complaints.cli.reports import reports
from complaints.cli.routing import routing
from complaints.cli.users import users

GROUPS = (db, users, demo, outbox, routing, audit, calendar, deadlines, reports, api_keys)


def register_cli(app: Flask) -> None:
    for group in GROUPS:
        app.cli.add_command(group)
