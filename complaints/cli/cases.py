"""Commands for the audit chain, the holiday calendar and the hourly deadline job."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TextIO

import click
from flask.cli import AppGroup

from complaints.calendar.working_days import (
    CalendarError,
    holiday_directory,
    load_calendar,
    read_year_file,
)
from complaints.cases import holdings
from complaints.cases.audit import (
    CheckpointError,
    check_checkpoint,
    checkpoint,
    keys_of,
    parse_checkpoint,
    verify,
)
from complaints.cases.jobs import recompute_provisional, run_deadlines
from complaints.cli.context import components
from complaints.core.clock import local_today, now_utc
from complaints.households import escalate_late_appraisals
from complaints.households.visits import plan_visits
from complaints.intake.captcha import forget_expired

audit = AppGroup("audit", help="The hash chain over all case events.")
calendar = AppGroup("calendar", help="The official holiday calendar.")
deadlines = AppGroup("deadlines", help="Deadlines and escalation.")


@audit.command("verify")
@click.option("--checkpoints", type=click.File("r", encoding="utf-8"),
              help="a file of checkpoint lines filed earlier (flask audit checkpoint)")
@click.option("--public-key", help="the service's public key as the commission recorded it "
                                   "(default: this instance's own)")
def audit_verify(checkpoints: TextIO | None, public_key: str | None) -> None:
    """Walk the chains and every case's and clue's seal; name the earliest thing that does not
    hold (exit status 1). With --checkpoints, also that the chains still agree with each
    filed checkpoint. Then check that the stretches reports read (who held each case) still
    follow from the events."""
    with components().session_factory() as session:
        verdict = verify(session)
        try:
            filed = [parse_checkpoint(line) for line in checkpoints or () if line.strip()]
        except CheckpointError as error:
            raise click.ClickException(str(error)) from None
        disagreements = [problem for problem in (
            check_checkpoint(session, point, public_key or keys_of(session).public_key)
            for point in filed) if problem]
        differing_case = holdings.mismatch(session) if verdict.ok else None
    if not verdict.ok:
        where = f" at event {verdict.broken_seq}" if verdict.broken_seq is not None else ""
        click.echo(f"BROKEN{where}: {verdict.problem}", err=True)
        click.echo(f"checked {verdict.checked} event(s) and {verdict.records} record(s); the heads "
                   f"say newest event {verdict.head_seq}, folded {verdict.head_hash}", err=True)
    for problem in disagreements:
        click.echo(f"CHECKPOINT: {problem}", err=True)
    if not verdict.ok or disagreements:
        raise SystemExit(1)
    click.echo(f"chains hold: {verdict.checked} event(s), {verdict.records} case(s) and "
               f"clue(s) sealed, newest event {verdict.head_seq}, heads folded {verdict.head_hash}"
               + (f"; agrees with {len(filed)} checkpoint(s)" if filed else ""))
    if differing_case is not None:
        click.echo(f"case holdings of case id {differing_case} do not follow from its events",
                   err=True)
        raise SystemExit(1)


@audit.command("checkpoint")
def audit_checkpoint() -> None:
    """Print the chain's head, signed, for the commission to file. Checked later with
    ``audit verify --checkpoints FILE``: a rewrite after it shows, whoever made it."""
    with components().session_factory() as session:
        click.echo(checkpoint(session).line())


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
    """Escalate overdue cases and appraisals, close finished ones, create quarterly follow-ups
    and the quarter's visits to the roster's households."""
    parts = components()
    with parts.session_factory() as session:
        report = run_deadlines(session, parts.tools)
        visits = plan_visits(session, parts.tools, local_today())
        late_appraisals = escalate_late_appraisals(session, now_utc())
        forgotten = forget_expired(session)  # captcha challenges nobody answered
        session.commit()
    click.echo(f"escalated {report.escalated}, reminded {report.reminded}, "
               f"closed {report.closed}, overdue clues escalated {report.clues_escalated}, "
               f"follow-ups {report.follow_ups}, roster visits {visits}, "
               f"late appraisals {late_appraisals}, recounted {report.recomputed}, "
               f"expired captchas removed {forgotten}")
