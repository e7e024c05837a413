"""``flask --app complaints.app outbox run``: the worker that acts on the SMS received and sends
queued SMS and calls; `set-aside` and `retry-sms` for the SMS it could not act on."""

from __future__ import annotations

import logging
import time

import click
from flask.cli import AppGroup
from sqlalchemy.exc import InterfaceError, OperationalError

from complaints.cli.context import components
from complaints.core.clock import to_local
from complaints.intake.sms import set_aside, wait_again
from complaints.outbox.worker import run_once, worker_name

outbox = AppGroup("outbox", help="Outgoing messages.")
log = logging.getLogger(__name__)


@outbox.command("run")
@click.option("--once", is_flag=True, help="send what is due, then exit (for cron)")
# Residents wait for the answer to their SMS for at most about this long.
@click.option("--interval", default=2.0, show_default=True, help="seconds between polls")
def outbox_run(once: bool, interval: float) -> None:
    """Act on the SMS received, and send due messages through the configured sender."""
    parts = components()
    name = worker_name()
    parts.router.warm()
    while True:
        try:
            # What Twilio sent during a database outage joins the waiting SMS first, and each
            # SMS's reply is queued before the round sends, so it goes out now.
            kept = parts.drain_spool()
            acted = parts.act_on_inbound_sms()  # a batch: receipts go out between batches
            while once and (more := parts.act_on_inbound_sms()):
                acted += more
            handled = run_once(parts.session_factory, parts.vault, parts.sender, name)
        except (OperationalError, InterfaceError) as error:
            if once:
                raise
            # The database went away: what was claimed rolled back; the next round goes on.
            log.warning("outbox: database unreachable (%s); trying again", type(error).__name__)
            time.sleep(interval)
            continue
        if once:
            click.echo(f"took in {kept} kept webhook(s), acted on {acted} SMS, "
                       f"handled {handled} message(s)")
            return
        if not acted:  # a burst of SMS is worked through without pausing
            time.sleep(interval)


@outbox.command("set-aside")
def outbox_set_aside() -> None:
    """List the SMS the worker could not act on (the log says why)."""
    parts = components()
    with parts.session_factory() as session:
        kept = set_aside(session)
        for message in kept:
            click.echo(f"{message.id}\t{to_local(message.received_at):%Y-%m-%d %H:%M}\t"
                       f"{message.body[:40]!r}")
    click.echo(f"{len(kept)} set aside")


@outbox.command("retry-sms")
@click.argument("message_ids", nargs=-1, type=int, required=True)
def outbox_retry_sms(message_ids: tuple[int, ...]) -> None:
    """Put set-aside SMS back for the worker, once what stopped them is fixed."""
    parts = components()
    with parts.session_factory() as session:
        waiting = wait_again(session, list(message_ids))
        session.commit()
    click.echo(f"{waiting} waiting again")
