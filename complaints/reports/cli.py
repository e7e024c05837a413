"""``flask --app complaints reports quarterly --quarter 2026Q3 --out FILE.xlsx [--pdf FILE.pdf]``."""

from __future__ import annotations

from pathlib import Path

import click

from complaints.clock import now_utc
from complaints.reports.files import quarterly_pdf, quarterly_xlsx
from complaints.reports.quarterly import Quarter, ReportError, quarterly_report
from complaints.services import Services


def report_commands(services: Services) -> click.Group:
    reports = click.Group("reports", help="Reports for the lead unit and the commission.")

    @reports.command("quarterly")
    @click.option("--quarter", required=True, help="e.g. 2026Q3 (Asia/Shanghai dates)")
    @click.option("--out", "xlsx", type=click.Path(dir_okay=False, path_type=Path),
                  help="write the XLSX workbook here")
    @click.option("--pdf", type=click.Path(dir_okay=False, path_type=Path),
                  help="write the printable PDF here")
    def quarterly(quarter: str, xlsx: Path | None, pdf: Path | None) -> None:
        """The quarterly clue-transfer report for the discipline inspection commission."""
        if xlsx is None and pdf is None:
            raise click.UsageError("give --out FILE.xlsx, --pdf FILE.pdf, or both")
        try:
            which = Quarter.parse(quarter)
        except ReportError as error:
            raise click.ClickException(str(error)) from None
        with services.session_factory() as session:
            report = quarterly_report(session, services.table, which, now_utc())
        if xlsx:
            xlsx.write_bytes(quarterly_xlsx(report))
            click.echo(f"wrote {xlsx}")
        if pdf:
            pdf.write_bytes(quarterly_pdf(report))
            click.echo(f"wrote {pdf}")
        click.echo(f"{which.label}: received {report.total.received}, resolved "
                   f"{report.total.resolved}, to the commission {report.total.to_commission}, "
                   f"overdue at the end {report.total.overdue}; chain head {report.chain_hash}")

    return reports
