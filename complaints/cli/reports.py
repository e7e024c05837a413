"""``flask --app complaints.app reports quarterly|monthly|ledger|figures``: the reports units
file on paper, and a check of the board's figures.

e.g. ``reports quarterly --quarter 2026Q3 --out FILE.xlsx [--pdf FILE.pdf]``.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from complaints.cases import tallies
from complaints.cli.context import components
from complaints.core.clock import now_utc
from complaints.db.models import Complaint, FollowUp, HouseholdVisit, InspectionProblem, Rectification
from complaints.reports.files.pdf import quarterly_pdf
from complaints.reports.files.xlsx import ledger_xlsx, monthly_xlsx, quarterly_xlsx
from complaints.reports.ledger import ledger_lines
from complaints.reports.monthly import CUT_OFF_DAY, MonthError, Period, monthly_report
from complaints.reports.quarterly import Quarter, ReportError, quarterly_report

reports = AppGroup("reports", help="Reports for the lead unit and the commission.")


@reports.command("quarterly")
@click.option("--quarter", required=True, help="e.g. 2026Q3 (Asia/Shanghai dates)")
@click.option("--out", "xlsx", type=click.Path(dir_okay=False, path_type=Path),
              help="write the XLSX workbook here")
@click.option("--pdf", type=click.Path(dir_okay=False, path_type=Path),
              help="write the printable PDF here")
@click.option("--copy", type=click.Choice(["lead", "commission"]), default="lead",
              show_default=True,
              help="whose copy: the lead unit's counts the clues accusing it but shows none "
                   "of them; the commission's shows every clue")
def quarterly(quarter: str, xlsx: Path | None, pdf: Path | None, copy: str) -> None:
    """The quarterly clue report the lead unit sends the discipline inspection commission."""
    if xlsx is None and pdf is None:
        raise click.UsageError("give --out FILE.xlsx, --pdf FILE.pdf, or both")
    try:
        which = Quarter.parse(quarter)
    except ReportError as error:
        raise click.ClickException(str(error)) from None
    parts = components()
    # The files are written while the session is open: the overdue list streams from it.
    with parts.session_factory() as session:
        report = quarterly_report(session, parts.table, which, now_utc(),
                                  for_commission=copy == "commission")
        if xlsx:
            xlsx.write_bytes(quarterly_xlsx(report))
            click.echo(f"wrote {xlsx}")
        if pdf:
            pdf.write_bytes(quarterly_pdf(report))
            click.echo(f"wrote {pdf}")
    submitted = (f"submitted {len(report.submissions)} time(s)" if report.submissions
                 else "not submitted")
    click.echo(f"{which.label} ({copy}'s copy): received {report.intake.received}, dispatched "
               f"{report.intake.dispatched}, resolved {report.total.resolved}, clues "
               f"{report.clue_figures.listed} (to the commission {report.total.to_commission}), "
               f"overdue at the end {report.total.overdue}; due {which.due_on}, {submitted}; "
               f"chain head {report.chain_hash}")


@reports.command("monthly")
@click.option("--month", required=True, help="e.g. 2026-11: the days up to the 22nd")
@click.option("--township", help="one township's slug (default: all, one sheet each)")
@click.option("--cut-off-day", default=CUT_OFF_DAY, show_default=True, type=int)
@click.option("--out", "xlsx", required=True, type=click.Path(dir_okay=False, path_type=Path))
def monthly(month: str, township: str | None, cut_off_day: int, xlsx: Path) -> None:
    """The monthly progress report townships send the housing bureau."""
    try:
        period = Period.parse(month, cut_off_day)
    except MonthError as error:
        raise click.ClickException(str(error)) from None
    parts = components()
    if township and township not in {u.slug for u in parts.table.townships}:
        raise click.ClickException(f"no township {township!r}")
    with parts.session_factory() as session:
        rows = monthly_report(session, parts.table, period, township, now_utc())
    xlsx.write_bytes(monthly_xlsx(period, rows, parts.table.lead_unit.name))
    click.echo(f"wrote {xlsx} ({period.first_day} to {period.last_day})")


@reports.command("ledger")
@click.option("--out", "xlsx", required=True, type=click.Path(dir_okay=False, path_type=Path))
def ledger(xlsx: Path) -> None:
    """The problem ledger: every problem found, closed ones included, and open follow-ups."""
    parts = components()
    with parts.session_factory() as session:
        lines = ledger_lines(session, parts.tools, select(Complaint), select(FollowUp), now_utc(),
                             rectifications=select(Rectification), problems=select(InspectionProblem),
                             visits=select(HouseholdVisit))
    xlsx.write_bytes(ledger_xlsx(lines))
    click.echo(f"wrote {xlsx} ({len(lines)} rows)")


@reports.command("figures")
@click.option("--rebuild", is_flag=True,
              help="set the board's figures to the count (after loading cases around the app)")
def figures(rebuild: bool) -> None:
    """Check the board's figures, kept by the writes, against a count over every case."""
    parts = components()
    with parts.session_factory() as session:
        kept, counted = tallies.unit_tallies(session), tallies.recount(session)
        differing = sorted(key for key in kept.keys() | counted.keys() if kept[key] != counted[key])
        if not differing:
            click.echo(f"the board's figures agree with the cases ({len(counted)} figures)")
            return
        for unit_id, figure in differing:
            click.echo(f"unit {unit_id} {figure}: kept {kept[(unit_id, figure)]}, "
                       f"counted {counted[(unit_id, figure)]}", err=True)
        if not rebuild:
            raise click.ClickException(f"{len(differing)} figures differ: run with --rebuild")
        tallies.rebuild(session)
        session.commit()
        click.echo(f"rebuilt: {len(differing)} figures set to the count")
