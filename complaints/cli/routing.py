"""``flask --app complaints.app routing explain|score|evaluate|suggest``: how people check the
table against their cases, and learn from the lead unit's corrections."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO

import click
from flask.cli import AppGroup

from complaints.cli.context import components
from complaints.core.vocabulary import HouseholdType
from complaints.reports.routing_quality import Accuracy, evaluate, judged_cases, suggest
from complaints.routing.engine import Draft, RoutingError
from complaints.routing.scoring import score

routing = AppGroup("routing", help="The routing engine and its table.")


@routing.command("explain")
@click.argument("text", required=False)
@click.option("--json", "as_json", is_flag=True, help="print the decision as one JSON object")
@click.option("--jsonl", type=click.File("r", encoding="utf-8"),
              help='read lines of {"text": ..., "township": ..., "category": ..., '
                   '"household": ..., "accused_unit": ...}; print one decision a line')
def explain(text: str | None, as_json: bool, jsonl: IO[str] | None) -> None:
    """Show where TEXT would be routed, and why."""
    router = components().router
    if jsonl is not None:
        for number, line in enumerate(jsonl, start=1):
            if line.strip():
                try:
                    decision = router.route(_draft_from_line(line, number))
                except RoutingError as error:
                    raise click.ClickException(f"line {number}: {error}") from None
                click.echo(_dumps(decision.as_json()))
        return
    if text is None:
        raise click.UsageError("give TEXT or --jsonl FILE")
    decision = router.route(Draft(text))
    if as_json:
        click.echo(_dumps(decision.as_json()))
        return
    click.echo(f"category:        {decision.category}")
    click.echo(f"lead unit:       {decision.lead_unit}")
    click.echo(f"co-units:        {', '.join(decision.co_units) or '-'}")
    click.echo(f"township:        {decision.township or '-'}")
    click.echo(f"household:       {decision.household.value}")
    click.echo(f"discipline clue: {'yes' if decision.discipline_clue else 'no'}")
    click.echo(f"needs triage:    {'yes' if decision.needs_triage else 'no'}")
    click.echo(f"accused unit:    {decision.accused_unit or '-'}")
    click.echo(f"table version:   {decision.table_version}")
    for reason in decision.reasons:
        words = f"  ({'、'.join(reason.words)})" if reason.words else ""
        click.echo(f"  - {reason.field}: {reason.rule}{words}")


def _draft_from_line(line: str, number: int) -> Draft:
    try:
        item = json.loads(line)
        household = item.get("household")
        return Draft(
            text=str(item["text"]),
            township=item.get("township"),
            category=item.get("category"),
            household=HouseholdType(household) if household else None,
            accused_unit=item.get("accused_unit"),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise click.ClickException(f"line {number}: not a complaint object ({error})") from None


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


@routing.command("score")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("-v", "--verbose", is_flag=True, help="list every complaint routed wrongly, and how")
def score_command(files: tuple[str, ...], verbose: bool) -> None:
    """Score the engine on FILES of complaints with the expected answer (JSON lists of
    {"style", "text", "expect"}): entirely right, clues found, confidently wrong."""
    cases = [case for name in files for case in json.loads(Path(name).read_text("utf-8"))]
    tallies = score(components().router, cases, click.echo if verbose else None)
    click.echo(tallies["all"].line("all"))
    for style in sorted(set(tallies) - {"all"}):
        click.echo(tallies[style].line(style))


@routing.command("evaluate")
def evaluate_command() -> None:
    """How often the lead unit kept the engine's routing: per category, channel and month."""
    parts = components()
    with parts.session_factory() as session:
        result = evaluate(judged_cases(session))
    click.echo(_accuracy_line("all", result.overall))
    for title, tallies in (("category", result.by_category), ("channel", result.by_channel),
                           ("month", result.by_month)):
        click.echo(f"by {title}:")
        for name in sorted(tallies):
            click.echo(_accuracy_line(f"  {name}", tallies[name]))


@routing.command("suggest")
@click.option("--least", default=2, show_default=True, help="in at least this many corrected cases")
def suggest_command(least: int) -> None:
    """Words the table may lack, from the cases the lead unit routed elsewhere; for an official
    to add to table.toml, or not."""
    parts = components()
    with parts.session_factory() as session:
        found = suggest(parts.table, judged_cases(session), least=least)
    if not found:
        click.echo("no suggestions: no word recurs in the corrected cases")
    for item in found:
        click.echo(f"{item.category}: {item.word} ({item.cases} cases)")


def _accuracy_line(name: str, tally: Accuracy) -> str:
    rate = f"{100 * tally.rate:.1f}%" if tally.rate is not None else "-"
    return f"{name:<28} kept {tally.confirmed:>5}  corrected {tally.corrected:>5}  {rate:>6}"
