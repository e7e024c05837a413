"""How well the routing engine did on real cases, judged by the lead unit's own dispatching.

A case the lead unit dispatched to the unit the engine named, without changing its routing,
is **confirmed**; one whose routing it overrode, or that it first dispatched elsewhere, is
**corrected**. ``evaluate`` counts both per category (the engine's), per channel and per month
of receipt; ``suggest`` proposes words for the table from the corrected cases, for an official
to accept or not (`flask routing evaluate`, `flask routing suggest`). Reads the case log only.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.core.clock import to_local
from complaints.core.vocabulary import EventKind
from complaints.db.models import CaseEvent, Complaint
from complaints.routing.reading import Reading
from complaints.routing.table import RoutingTable

SUGGESTION_SIZES = (2, 3, 4)
# Characters that carry no topic: a run holding one is no word for the table.
FUNCTION_CHARACTERS = frozenset("的了我你他她们家是在有一就都也还说到被把这那个和跟啊吗呢吧")


@dataclass(frozen=True)
class Judged:
    """One dispatched case: what the engine said, and what the lead unit did."""

    engine_category: str
    engine_lead: str
    final_category: str | None
    first_unit: str
    overridden: bool
    channel: str
    month: str
    text: str

    @property
    def confirmed(self) -> bool:
        return not self.overridden and self.first_unit == self.engine_lead


@dataclass
class Accuracy:
    confirmed: int = 0
    corrected: int = 0

    @property
    def rate(self) -> float | None:
        total = self.confirmed + self.corrected
        return self.confirmed / total if total else None


@dataclass
class Evaluation:
    overall: Accuracy = field(default_factory=Accuracy)
    by_category: dict[str, Accuracy] = field(default_factory=lambda: defaultdict(Accuracy))
    by_channel: dict[str, Accuracy] = field(default_factory=lambda: defaultdict(Accuracy))
    by_month: dict[str, Accuracy] = field(default_factory=lambda: defaultdict(Accuracy))


def judged_cases(session: Session, batch: int = 1000) -> Iterator[Judged]:
    """Every dispatched case with the engine's first decision and the lead unit's first move."""
    wanted = (EventKind.RECEIVED.value, EventKind.ROUTING_OVERRIDDEN.value, EventKind.ASSIGN.value)
    rows = session.execute(
        select(CaseEvent.complaint_id, CaseEvent.action, CaseEvent.details, Complaint.channel,
               Complaint.received_at, Complaint.category, Complaint.description)
        .join(Complaint, Complaint.id == CaseEvent.complaint_id)
        .where(CaseEvent.action.in_(wanted))
        .order_by(CaseEvent.complaint_id, CaseEvent.seq)
        .execution_options(yield_per=batch))
    current: int | None = None
    state: dict[str, Any] = {}
    for complaint_id, action, details, channel, received_at, category, text in rows:
        if complaint_id != current:
            if judged := _judged(state):
                yield judged
            current = complaint_id
            state = {"channel": channel.value, "month": f"{to_local(received_at):%Y-%m}",
                     "final": category, "text": text, "overridden": False}
        details = details or {}
        if action == EventKind.RECEIVED.value:
            state["routing"] = details.get("routing") or {}
        elif action == EventKind.ROUTING_OVERRIDDEN.value:
            state["overridden"] = True
        elif action == EventKind.ASSIGN.value and "first_unit" not in state:
            state["first_unit"] = details.get("unit")
    if judged := _judged(state):
        yield judged


def _judged(state: dict[str, Any]) -> Judged | None:
    routing = state.get("routing")
    if not routing or not state.get("first_unit"):
        return None  # not dispatched yet: nobody has judged the engine on it
    return Judged(routing.get("category", ""), routing.get("lead_unit", ""), state["final"],
                  state["first_unit"], state["overridden"], state["channel"], state["month"],
                  state["text"])


def evaluate(cases: Iterator[Judged]) -> Evaluation:
    result = Evaluation()
    for case in cases:
        for tally in (result.overall, result.by_category[case.engine_category],
                      result.by_channel[case.channel], result.by_month[case.month]):
            if case.confirmed:
                tally.confirmed += 1
            else:
                tally.corrected += 1
    return result


@dataclass(frozen=True)
class Suggestion:
    category: str
    word: str
    cases: int


def suggest(table: RoutingTable, cases: Iterator[Judged], least: int = 2,
            most: int = 10) -> list[Suggestion]:
    """Words the table may lack: character runs found in at least ``least`` cases that the
    lead unit moved to a category, and in none of the cases confirmed in another category.
    What the table already has, and runs inside those, are left out."""
    reading = Reading(dict(table.lexicon), table.words, table.homophone_words)
    # What the table knows is cut out of the text first: no run straddles a known word.
    known_pattern = re.compile("|".join(map(re.escape, sorted(table.words, key=len, reverse=True))))
    moved: dict[str, Counter[str]] = defaultdict(Counter)
    elsewhere: dict[str, set[str]] = defaultdict(set)
    for case in cases:
        runs = _runs(known_pattern.sub(" ", reading.read(case.text)))
        if case.confirmed:
            elsewhere[case.engine_category] |= runs
        elif case.final_category and case.final_category != case.engine_category:
            moved[case.final_category].update(runs)
    known = set(table.words)
    found: list[Suggestion] = []
    for category, counts in sorted(moved.items()):
        others = set().union(*(words for slug, words in elsewhere.items() if slug != category))
        candidates = [(word, n) for word, n in counts.most_common()
                      if n >= least and word not in others
                      and not any(word in known_word or known_word in word for known_word in known)]
        # The longest runs first: a run inside a longer one found as often says nothing more.
        kept: list[tuple[str, int]] = []
        for word, n in sorted(candidates, key=lambda item: (-item[1], -len(item[0]))):
            if not any(word in longer and n == count for longer, count in kept):
                kept.append((word, n))
        found += [Suggestion(category, word, n) for word, n in kept[:most]]
    return found


def _runs(text: str) -> set[str]:
    """The runs of 2 to 4 Chinese characters in ``text`` with no function character, each once."""
    runs: set[str] = set()
    topical = "".join(char if "\u4e00" <= char <= "\u9fff" and char not in FUNCTION_CHARACTERS
                      else " " for char in text)
    for piece in topical.split():
        for size in SUGGESTION_SIZES:
            runs |= {piece[i:i + size] for i in range(len(piece) - size + 1)}
    return runs
