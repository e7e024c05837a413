"""Commands for the audit chain, the holiday calendar and the hourly deadline job."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
from flask.cli import AppGroup

from complaints.calendar.working_days import (
    CalendarError,
    holiday_directory,
    load_calendar,
    read_year_file,
)
from complaints.cases import holdings
from complaints.cases.audit import verify
from complaints.cases.jobs import recompute_provisional, run_deadlines
from complaints.cli.context import components
from complaints.intake.captcha import forget_expired

audit = AppGroup("audit", help="The hash chain over all case events.")
calendar = AppGroup("calendar", help="The official holiday calendar.")
deadlines = AppGroup("deadlines", help="Deadlines and escalation.")


@audit.command("verify")
def audit_verify() -> None:
    """Walk the chain; name the first broken link (exit status 1). Then check that the
    stretches reports read (who held each case) still follow from the events."""
    with components().session_factory() as session:
        verdict = verify(session)
        differing_case = holdings.mismatch(session) if verdict.ok else None
    if not verdict.ok:
        click.echo(f"BROKEN at event {verdict.broken_seq}: {verdict.problem}", err=True)
        click.echo(f"checked {verdict.checked} event(s) before it; head says "
                   f"{verdict.head_seq} {verdict.head_hash}", err=True)
        raise SystemExit(1)
    click.echo(f"chain holds: {verdict.checked} event(s), head {verdict.head_hash}")
    if differing_case is not None:
        click.echo(f"case holdings of case id {differing_case} do not follow from its events",
                   err=True)
        raise SystemExit(1)


@calendar.command("add-year")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="replace a year already in the calendar")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path),
              help="holiday folder (default: the package's)")
def calendar_add_year(path: Path, replace: bool, into: Path | None) -> None:
    """Add a year's holidays from PATH (TOML: year, holidays, workdays) and recount
    every provisional deadline."""
    parts = components()
    folder = into or holiday_directory()
    try:
        data = read_year_file(path, check_name=False)
    except CalendarError as error:
        raise click.ClickException(str(error)) from None
    target = folder / f"{data.year}.toml"
    if target.exists() and not replace:
        raise click.ClickException(f"{data.year} is already in the calendar; use --replace")
    shutil.copyfile(path, target)
    # The recount below reads the calendar through parts.tools, so it must see the new year.
    parts.calendar = load_calendar(folder)
    with parts.session_factory() as session:
        count = recompute_provisional(session, parts.tools)
        session.commit()
    click.echo(f"added {data.year} ({len(data.holidays)} holidays, {len(data.workdays)} "
               f"make-up working days) to {target}; recounted {count} deadline(s). "
               "Restart the web workers so they read it; commit the file.")


@deadlines.command("run")
def deadlines_run() -> None:
    """Escalate overdue cases, close finished ones, create quarterly follow-ups."""
    parts = components()
    with parts.session_factory() as session:
        report = run_deadlines(session, parts.tools)
        forgotten = forget_expired(session)  # captcha challenges nobody answered
        session.commit()
    click.echo(f"escalated {report.escalated}, reminded {report.reminded}, "
               f"closed {report.closed}, overdue clues escalated {report.clues_escalated}, "
               f"follow-ups {report.follow_ups}, recounted {report.recomputed}, "
               f"expired captchas removed {forgotten}")
