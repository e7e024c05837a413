"""``flask --app complaints.app outbox run``: the worker that sends queued SMS and calls."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from complaints.cli.context import components
from complaints.outbox.worker import run_once, worker_name

outbox = AppGroup("outbox", help="Outgoing messages.")


@outbox.command("run")
@click.option("--once", is_flag=True, help="send what is due, then exit (for cron)")
@click.option("--interval", default=5.0, show_default=True, help="seconds between polls")
def outbox_run(once: bool, interval: float) -> None:
    """Send due messages through the configured sender."""
    parts = components()
    name = worker_name()
    while True:
        # What Twilio sent during a database outage is filed first, so its replies go out now.
        filed = parts.drain_spool()
        handled = run_once(parts.session_factory, parts.vault, parts.sender, name)
        if once:
            click.echo(f"filed {filed} kept webhook(s), handled {handled} message(s)")
            return
        time.sleep(interval)
