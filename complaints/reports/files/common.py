"""What the quarterly report's workbook and PDF both print: title, facts, and its tables as
``Section``s (title, headers, rows, and the definitions printed under the table), so that the
two files say the same thing in the same words. The words are ``messages_zh.toml``'s
``[quarterly]`` tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from complaints.core.clock import to_local
from complaints.core.messages import t
from complaints.core.vocabulary import ClueState, CommissionDisposition
from complaints.reports.quarterly import (
    CLUE_SUMMARY_CHARS,
    REPORT_DUE_DAY,
    ClueLine,
    QuarterlyReport,
    UnitRow,
)

NONE = "—"


@dataclass(frozen=True)
class Section:
    sheet: str                   # the XLSX sheet it goes on
    title: str
    headers: list[str]
    rows: list[list[object]]     # None: an empty cell
    notes: list[str]             # what each figure means, and why a total is what it is
    widths: list[int]            # relative column widths (XLSX characters; the PDF scales them)
    spanning: tuple[str, ...] = ()  # one-cell rows across the table, after the others
    frozen: str = "A2"           # a sheet of its own keeps its header (and the units) in view


def quarter_title(report: QuarterlyReport) -> str:
    q = report.quarter
    return t("quarterly.title", year=q.year, number="一二三四"[q.number - 1])


def report_facts(report: QuarterlyReport) -> list[str]:
    q = report.quarter
    facts = [t("quarterly.fact.quarter", label=q.label, first=q.first_day, last=q.last_day),
             t("quarterly.fact.generated", at=f"{to_local(report.generated_at):%Y-%m-%d %H:%M}"),
             t("quarterly.fact.chain", seq=report.chain_seq, hash=report.chain_hash),
             t("quarterly.fact.checkpoint", line=report.checkpoint),
             t("quarterly.fact.due", due=q.due_on, day=REPORT_DUE_DAY)]
    if report.submissions:
        last = report.submissions[-1]
        facts.append(t("quarterly.fact.submitted", count=len(report.submissions),
                       at=f"{to_local(last.submitted_at):%Y-%m-%d %H:%M}", by=last.by,
                       seq=last.chain_seq))
    else:
        facts.append(t("quarterly.fact.not_submitted"))
    facts.append(t("quarterly.fact.copy_commission") if report.for_commission
                 else t("quarterly.fact.copy_lead", lead=report.lead_unit))
    if report.generated_at < report.quarter.end:
        facts.append(t("quarterly.fact.running"))
    return facts


def sections(report: QuarterlyReport) -> list[Section]:
    return [intake_section(report), cases_section(report), rates_section(report),
            transfers_section(report), clue_figures_section(report), clue_list_section(report),
            overdue_section(report)]


def rates_section(report: QuarterlyReport) -> Section:
    """The 12345 figures, with the counts they come from and their definitions printed."""
    def rate(value: float | None) -> object:
        return f"{100 * value:.1f}%" if value is not None else NONE

    def cells(row: UnitRow) -> list[object]:
        return [row.name, rate(row.resolution_rate), rate(row.on_time_rate),
                rate(row.follow_up_rate), f"{row.asked}/{row.resolved}",
                rate(row.satisfaction_rate), f"{row.content}/{row.scored}"]

    headers = [t(f"quarterly.rates.{key}") for key in (
        "unit", "resolution", "on_time", "follow_up", "follow_up_counts", "satisfaction",
        "satisfaction_counts")]
    return Section(t("quarterly.sheet.rates"), t("quarterly.rates.title"), headers,
                   [cells(row) for row in [*report.rows, report.total]],
                   [t(f"quarterly.rates.note_{key}") for key in (
                       "resolution", "on_time", "follow_up", "satisfaction")],
                   [22, 12, 12, 12, 12, 12, 12], frozen="B2")


def _count_rows(keys_and_counts: Sequence[tuple[str, int]]) -> list[list[object]]:
    return [[label, count] for label, count in keys_and_counts]


def intake_section(report: QuarterlyReport) -> Section:
    i = report.intake
    rows = _count_rows([
        (t("quarterly.intake.received"), i.received),
        (t("quarterly.intake.rejected"), i.rejected),
        (t("quarterly.intake.at_lead_unit"), i.at_lead_unit),
        (t("quarterly.intake.with_units"), i.with_units),
        (t("quarterly.intake.answered"), i.answered),
        (t("quarterly.intake.merged"), i.merged),
        (t("quarterly.intake.dispatched"), i.dispatched),
        (t("quarterly.intake.dispatched_of_received"), i.dispatched_of_received),
        (t("quarterly.intake.dispatched_earlier"), i.dispatched_earlier),
    ])
    return Section(t("quarterly.sheet.summary"), t("quarterly.intake.title"),
                   [t("quarterly.col.item"), t("quarterly.col.count")], rows,
                   [t("quarterly.intake.note_received"), t("quarterly.intake.note_merged"),
                    t("quarterly.intake.note_dispatched")],
                   [44, 12])


def _days(value: float | None) -> object:
    return value if value is not None else NONE


def cases_section(report: QuarterlyReport) -> Section:
    def cells(row: UnitRow) -> list[object]:
        return [row.name, row.received, row.carried_over, row.resolved, row.resolved_on_time,
                row.in_progress, row.returned, row.objections_refused, row.overdue, row.extensions,
                _days(row.median_days), _days(row.p90_days),
                f"{row.satisfied}/{row.asked}" if row.asked else NONE]

    i = report.intake
    total_note = (t("quarterly.cases.note_total_moved", sum=i.unit_sum, total=i.dispatched,
                    extra=i.counted_again) if i.counted_again
                  else t("quarterly.cases.note_total_equal", total=i.dispatched))
    headers = [t(f"quarterly.cases.{key}") for key in (
        "unit", "received", "carried_over", "resolved", "resolved_on_time", "in_progress",
        "returned", "objections_refused", "overdue", "extensions", "median", "p90", "satisfied")]
    return Section(t("quarterly.sheet.cases"), t("quarterly.cases.title"), headers,
                   [cells(row) for row in [*report.rows, report.total]],
                   [t(f"quarterly.cases.note_{key}") for key in (
                       "received", "held", "resolved", "returned", "days")] + [total_note],
                   [22, 11, 11, 10, 10, 11, 11, 11, 10, 10, 13, 13, 11], frozen="B2")


def _moved(counts: dict[str, int]) -> str:
    return "；".join(f"{name} {count}" for name, count in sorted(counts.items())) or NONE


def transfers_section(report: QuarterlyReport) -> Section:
    def cells(row: UnitRow) -> list[object]:
        return [row.name, row.found_clues, row.fixed, row.transferred_total,
                _moved(row.transferred_out), row.received_from_total, _moved(row.received_from),
                row.to_commission, row.declined, row.not_a_clue, row.clues_pending,
                row.clues_overdue]

    total = report.total
    balance = (t("quarterly.transfers.note_balance", count=total.transferred_total)
               if total.transferred_total == total.received_from_total else
               t("quarterly.transfers.note_unbalanced", out=total.transferred_total,
                 into=total.received_from_total))
    headers = [t(f"quarterly.transfers.{key}") for key in (
        "unit", "found", "fixed", "out", "out_to", "in", "in_from", "to_commission", "declined",
        "not_a_clue", "pending", "overdue")]
    return Section(t("quarterly.sheet.transfers"), t("quarterly.transfers.title"), headers,
                   [cells(row) for row in [*report.rows, report.total]],
                   [t(f"quarterly.transfers.note_{key}") for key in (
                       "owner", "found", "fixed", "moved", "to_commission")]
                   + [t("quarterly.transfers.note_pending", days=report.clue_days), balance,
                      t("quarterly.transfers.note_total")],
                   [22, 11, 10, 11, 26, 11, 26, 11, 10, 10, 11, 10], frozen="B2")


def clue_figures_section(report: QuarterlyReport) -> Section:
    f = report.clue_figures
    lines: list[tuple[str, int]] = [
        (t("quarterly.clue_figures.open_at_start"), f.open_at_start),
        (t("quarterly.clue_figures.received"), f.received)]
    lines += [(t("quarterly.clue_figures.of_source", source=t(f"clue.source.{source.value}")),
               count) for source, count in f.received_by_source.items()]
    lines += [(t("quarterly.clue_figures.acted_on_earlier"), f.acted_on_earlier),
              (t("quarterly.clue_figures.listed"), f.listed),
              (t("quarterly.clue_figures.transferred"), f.transferred),
              (t("quarterly.clue_figures.taken"), f.taken),
              (t("quarterly.clue_figures.declined"), f.declined),
              (t("quarterly.clue_figures.not_a_clue"), f.not_a_clue),
              (t("quarterly.clue_figures.signed"), f.signed)]
    lines += [(t("quarterly.clue_figures.disposed", disposition=t(
        f"clue.disposition.{disposition.value}")), f.disposed.get(disposition, 0))
        for disposition in CommissionDisposition]
    lines.append((t("quarterly.clue_figures.returned"), f.returned))
    lines += [(t("quarterly.clue_figures.at_end", state=t(f"clue.state.{state.value}")),
               f.at_end.get(state, 0)) for state in ClueState]
    lines.append((t("quarterly.clue_figures.overdue_at_end"), f.overdue_at_end))
    return Section(t("quarterly.sheet.summary"), t("quarterly.clue_figures.title"),
                   [t("quarterly.col.item"), t("quarterly.col.count")], _count_rows(lines),
                   [t(f"quarterly.clue_figures.note_{key}") for key in (
                       "listed", "events", "at_end", "lead")], [44, 12])


def _source(line: ClueLine) -> str:
    source = t(f"clue.source.{line.source.value}")
    return f"{source}（{t(f'channel.{line.channel.value}')}）" if line.channel else source


def _decision(line: ClueLine) -> str:
    if line.decision is None:
        return NONE
    label = t("quarterly.decision.direct") if line.direct else t(
        f"quarterly.decision.{line.decision.value}")
    return f"{label}：{line.decision_note}" if line.decision_note else label


def _state(line: ClueLine) -> str:
    state = t(f"clue.state.{line.state.value}")
    return f"{state}（{line.returned_to}）" if line.returned_to else state


def clue_cells(line: ClueLine) -> list[object]:
    return [line.number, _source(line), line.accused_unit or t("clue.unknown_unit"),
            line.accused_post or NONE,
            t("quarterly.clues.real_name") if line.real_name else t("clue.anonymous"),
            line.summary, line.received_on, _decision(line), line.decided_on,
            line.transferred_on, _state(line),
            t(f"clue.disposition.{line.disposition.value}") if line.disposition else None,
            line.result or None, line.result_on]


def clue_list_section(report: QuarterlyReport) -> Section:
    spanning: list[str] = []
    if report.hidden_clues:
        spanning.append(t("quarterly.clues.hidden", lead=report.lead_unit,
                          count=report.hidden_clues))
    if not report.clues and not report.hidden_clues:
        spanning.append(t("quarterly.clues.empty"))
    headers = [t(f"quarterly.clues.{key}") for key in (
        "number", "source", "accused_unit", "accused_post", "real_name_label", "summary",
        "received_on", "decision", "decided_on", "transferred_on", "state", "disposition",
        "result", "result_on")]
    notes = [t("quarterly.clues.note_which"),
             t("quarterly.clues.note_summary", chars=CLUE_SUMMARY_CHARS),
             t("quarterly.clues.note_decision"), t("quarterly.clues.note_commission")]
    if not report.for_commission:
        notes.append(t("quarterly.clues.note_lead_copy", lead=report.lead_unit))
    return Section(t("quarterly.sheet.clues"), t("quarterly.clues.title"), headers,
                   [clue_cells(line) for line in report.clues], notes,
                   [16, 15, 15, 12, 10, 52, 17, 28, 17, 17, 19, 14, 22, 17], tuple(spanning))


def overdue_section(report: QuarterlyReport) -> Section:
    headers = [t(f"quarterly.overdue.{key}") for key in (
        "number", "unit", "due_on", "days", "summary")]
    rows: list[list[object]] = [[o.tracking_number, o.unit, o.due_on, o.days_overdue, o.summary]
                                for o in report.overdue]
    return Section(t("quarterly.sheet.overdue"), t("quarterly.overdue.title"), headers, rows,
                   [t("quarterly.overdue.note")], [18, 22, 12, 10, 60],
                   () if rows else (t("quarterly.overdue.empty"),))
