"""Scoring the routing engine on complaints with the answer a dispatcher expects.

``flask --app complaints.app routing score FILE...`` prints it. Each file is a JSON list of
{"style", "text", "expect": {"lead_unit", "township", "discipline_clue", "co_units",
"accused_unit"?}}. The figures are issue 13's:

- entirely right: lead unit, township and discipline clue as expected, and every required
  co-unit among the decision's (a co-unit that the case's clue accuses is not required: the
  engine keeps an accused unit off the case);
- discipline clues found: of the complaints that are clues, how many the engine flags;
- confidently wrong: the lead unit is wrong and the decision is not flagged for triage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from complaints.routing.engine import Decision, Draft, Router


@dataclass
class Tally:
    cases: int = 0
    right: int = 0
    clues: int = 0
    clues_found: int = 0
    false_clues: int = 0
    confidently_wrong: int = 0

    def line(self, name: str) -> str:
        clue = f"{self.clues_found}/{self.clues}" if self.clues else "-"
        return (f"{name:<26} right {self.right:>3}/{self.cases:<3} ({_pct(self.right, self.cases)})"
                f"  clues found {clue:>7}  false clues {self.false_clues:>2}"
                f"  confidently wrong {self.confidently_wrong:>2} "
                f"({_pct(self.confidently_wrong, self.cases)})")


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "  -  "


def misses(decision: Decision, expect: dict[str, Any]) -> list[str]:
    """What the decision got wrong, by field; empty when it is entirely right."""
    wrong = []
    if decision.lead_unit != expect["lead_unit"]:
        wrong.append(f"lead {decision.lead_unit} (expected {expect['lead_unit']})")
    if decision.township != expect.get("township"):
        wrong.append(f"township {decision.township} (expected {expect.get('township')})")
    if decision.discipline_clue != expect["discipline_clue"]:
        wrong.append(f"clue {decision.discipline_clue}")
    required = set(expect.get("co_units", [])) - {expect.get("accused_unit")}
    missing = required - set(decision.co_units)
    if missing:
        wrong.append(f"co-units missing {sorted(missing)}")
    return wrong


def score(router: Router, cases: list[dict[str, Any]],
          report: Callable[[str], None] | None = None) -> dict[str, Tally]:
    """The tallies, overall (``all``) and per style; ``report`` hears of each miss."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for case in cases:
        expect = case["expect"]
        decision = router.route(Draft(text=case["text"]))
        wrong = misses(decision, expect)
        for tally in (tallies["all"], tallies[case.get("style", "?")]):
            tally.cases += 1
            tally.right += not wrong
            if expect["discipline_clue"]:
                tally.clues += 1
                tally.clues_found += decision.discipline_clue
            elif decision.discipline_clue:
                tally.false_clues += 1
            if decision.lead_unit != expect["lead_unit"] and not decision.needs_triage:
                tally.confidently_wrong += 1
        if wrong and report is not None:
            report(f"[{case.get('style')}] {case['text'][:60]!r}: {'; '.join(wrong)}")
    return tallies
