"""The routing engine: who handles a complaint, and why. Plain Python, no Flask.

``Router(table).route(draft)`` reads the text once with a single compiled
pattern of every keyword in the table (longest first), scores the categories,
finds the township, the household type and any sign of misconduct, and
returns a ``Decision`` whose ``reasons`` name the rule and the words behind
each field. Structured fields from a form or an operator win over the text.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from complaints.core.vocabulary import HouseholdType
from complaints.routing.table import FALLBACK_CATEGORY, TOWNSHIP, RoutingTable

STRONG, WEAK = 2, 1
# Where a clause ends: a negation before this does not reach the words after it.
CLAUSE_BREAK = re.compile(r"[，。！？；：,.!?;:、\n()（）\[\]【】\"'“”‘’…~～]")
SPACES = re.compile(r"\s+")


class Kind(enum.Enum):
    CATEGORY = "category"
    HOUSEHOLD = "household"
    TOWNSHIP = "township"
    MISCONDUCT = "misconduct"


@dataclass(frozen=True)
class Target:
    kind: Kind
    slug: str
    weight: int
    negatable: bool


@dataclass(frozen=True)
class Draft:
    """What routing needs to know. ``None`` (or UNKNOWN) means: decide from the text."""

    text: str
    township: str | None = None
    category: str | None = None
    household: HouseholdType | None = None
    alleges_misconduct: bool = False


@dataclass(frozen=True)
class Reason:
    field: str
    rule: str
    words: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "rule": self.rule, "words": list(self.words)}


@dataclass(frozen=True)
class Decision:
    category: str
    lead_unit: str
    co_units: tuple[str, ...]
    township: str | None
    household: HouseholdType
    discipline_clue: bool
    needs_triage: bool
    reasons: tuple[Reason, ...]
    table_version: str

    def as_json(self) -> dict[str, Any]:
        """The stable form printed by ``routing explain`` and stored with the case."""
        return {
            "category": self.category,
            "lead_unit": self.lead_unit,
            "co_units": list(self.co_units),
            "township": self.township,
            "discipline_clue": self.discipline_clue,
            "needs_triage": self.needs_triage,
            "reasons": [reason.as_dict() for reason in self.reasons],
        }

    def as_record(self) -> dict[str, Any]:
        """Everything, for the case's first event: which table decided, and how."""
        return {**self.as_json(), "household": self.household.value,
                "table_version": self.table_version}


class RoutingError(ValueError):
    """A structured field names something the table does not have."""


def trie_pattern(words: Iterable[str]) -> str:
    """One regex for many literal words, shaped as a trie so that matching at a
    position follows one branch per character instead of trying every word.
    Greedy optional tails make the longest word win."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # end of a word

    def render(node: dict[str, dict]) -> str:
        ends_here = "" in node
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends_here:
            return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
        return body

    return render(root)


def normalise(text: str) -> str:
    """Full-width to half-width, Latin to lower case, no spaces (Chinese uses none)."""
    return SPACES.sub("", unicodedata.normalize("NFKC", text).lower())


@dataclass
class _Findings:
    category_score: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    category_words: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    category_strong: set[str] = field(default_factory=set)
    household_score: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    household_words: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    townships: list[tuple[str, str]] = field(default_factory=list)  # (slug, word) in text order
    misconduct_words: list[str] = field(default_factory=list)
    negated_words: list[str] = field(default_factory=list)


class Router:
    def __init__(self, table: RoutingTable) -> None:
        self.table = table
        targets: dict[str, list[Target]] = defaultdict(list)

        def add(word: str, target: Target) -> None:
            key = normalise(word)
            if key and target not in targets[key]:
                targets[key].append(target)

        for category in table.categories:
            for word in category.keywords:
                add(word, Target(Kind.CATEGORY, category.slug, STRONG, category.negatable))
            for word in category.weak_keywords:
                add(word, Target(Kind.CATEGORY, category.slug, WEAK, category.negatable))
        for household in table.households:
            for word in household.keywords:
                add(word, Target(Kind.HOUSEHOLD, household.slug.value, STRONG, True))
        for unit in table.townships:
            for word in (unit.name, *unit.aliases):
                add(word, Target(Kind.TOWNSHIP, unit.slug, STRONG, False))
        for word in table.misconduct_keywords:
            add(word, Target(Kind.MISCONDUCT, "", STRONG, table.misconduct_negatable))

        self._targets = dict(targets)
        # One pass over the text. At each position the longest keyword starting there
        # wins (假冒伪劣 over 假冒); the lookahead lets a keyword start inside another
        # one (房屋鉴定费 holds 鉴定费), so no keyword hides another.
        # The leading character class lets the regex engine skip most positions cheaply.
        first_chars = "".join(sorted({re.escape(word[0]) for word in self._targets}))
        self._pattern = re.compile(f"(?=[{first_chars}])(?=({trie_pattern(self._targets)}))")
        self._negations = tuple(normalise(word) for word in table.negation_words)
        self._window = table.negation_window
        self._category_order = {slug: i for i, slug in enumerate(table.category_slugs)}
        self._household_order = {h.slug.value: i for i, h in enumerate(table.households)}
        self._township_slugs = {unit.slug for unit in table.townships}

    def route(self, draft: Draft) -> Decision:
        findings = self._read(normalise(draft.text))
        reasons: list[Reason] = []
        triage = False

        township = self._township(draft, findings, reasons)
        if township is not None and len({slug for slug, _ in findings.townships}) > 1:
            triage = True
            reasons.append(Reason("needs_triage", "several-townships-named",
                                  tuple(word for _, word in findings.townships)))

        category, unsure = self._category(draft, findings, reasons)
        household = self._household(draft, findings, reasons)

        discipline_clue = draft.alleges_misconduct or bool(findings.misconduct_words)
        if discipline_clue and unsure and category != FALLBACK_CATEGORY:
            # Misconduct with no hazard to fix: the case is the clue itself.
            category, unsure = FALLBACK_CATEGORY, False
            reasons.append(Reason("category", "discipline-clue-without-hazard"))
        triage |= unsure
        if draft.alleges_misconduct:
            reasons.append(Reason("discipline_clue", "given"))
        elif findings.misconduct_words:
            reasons.append(Reason("discipline_clue", "misconduct-keywords",
                                  tuple(findings.misconduct_words)))
        if findings.negated_words:
            reasons.append(Reason("negated", "negation-before-word", tuple(findings.negated_words)))

        spec = self.table.category(category)
        named_lead = township if spec.lead == TOWNSHIP else spec.lead
        if named_lead is None:
            lead = self.table.lead_unit.slug
            triage = True
            reasons.append(Reason("lead_unit", "township-led-but-township-unknown"))
        else:
            lead = named_lead
            reasons.append(Reason("lead_unit", f"category:{category}"))
        if category == FALLBACK_CATEGORY and not discipline_clue:
            triage = True

        co_units: list[str] = []
        for slug in spec.co_units:
            unit = township if slug == TOWNSHIP else slug
            if unit is not None and unit != lead and unit not in co_units:
                co_units.append(unit)
        if co_units:
            reasons.append(Reason("co_units", f"category:{category}"))
        household_co_unit = next(
            (h.co_unit for h in self.table.households if h.slug is household), None
        )
        if household_co_unit and household_co_unit != lead and household_co_unit not in co_units:
            co_units.append(household_co_unit)
            reasons.append(Reason("co_units", f"household:{household.value}"))

        return Decision(
            category=category,
            lead_unit=lead,
            co_units=tuple(co_units),
            township=township,
            household=household,
            discipline_clue=discipline_clue,
            needs_triage=triage,
            reasons=tuple(reasons),
            table_version=self.table.version,
        )

    def _read(self, text: str) -> _Findings:
        found = _Findings()
        for match in self._pattern.finditer(text):
            word = match.group(1)
            negated: bool | None = None
            for target in self._targets[word]:
                if target.negatable:
                    if negated is None:
                        negated = self._is_negated(text, match.start())
                    if negated:
                        if word not in found.negated_words:
                            found.negated_words.append(word)
                        continue
                if target.kind is Kind.CATEGORY:
                    found.category_score[target.slug] += target.weight
                    found.category_words[target.slug].append(word)
                    if target.weight == STRONG:
                        found.category_strong.add(target.slug)
                elif target.kind is Kind.HOUSEHOLD:
                    found.household_score[target.slug] += target.weight
                    found.household_words[target.slug].append(word)
                elif target.kind is Kind.TOWNSHIP:
                    found.townships.append((target.slug, word))
                else:
                    found.misconduct_words.append(word)
        return found

    def _is_negated(self, text: str, start: int) -> bool:
        before = text[max(0, start - self._window):start]
        clause = CLAUSE_BREAK.split(before)[-1]
        return any(word in clause for word in self._negations)

    def _township(self, draft: Draft, found: _Findings, reasons: list[Reason]) -> str | None:
        if draft.township:
            if draft.township not in self._township_slugs:
                raise RoutingError(f"unknown township {draft.township!r}")
            reasons.append(Reason("township", "given"))
            return draft.township
        if found.townships:
            slug, word = found.townships[0]
            reasons.append(Reason("township", "named-in-text", (word,)))
            return slug
        return None

    def _category(self, draft: Draft, found: _Findings, reasons: list[Reason]) -> tuple[str, bool]:
        """The category, and whether the engine is unsure of it."""
        if draft.category and draft.category != FALLBACK_CATEGORY:
            if draft.category not in self._category_order:
                raise RoutingError(f"unknown category {draft.category!r}")
            reasons.append(Reason("category", "given"))
            return draft.category, False
        set_aside = {
            other for slug in found.category_strong for other in self.table.category(slug).outranks
        }
        candidates = [slug for slug in found.category_score if slug not in set_aside]
        if set_aside & set(found.category_score):
            reasons.append(Reason("category", "outranked", tuple(sorted(set_aside))))
        if not candidates:
            reasons.append(Reason("category", "no-keywords-fallback"))
            return FALLBACK_CATEGORY, True
        ranked = sorted(candidates,
                        key=lambda slug: (-found.category_score[slug], self._category_order[slug]))
        best = ranked[0]
        best_score = found.category_score[best]
        reasons.append(Reason("category", "keywords", tuple(found.category_words[best])))
        unsure = best not in found.category_strong
        if unsure:
            reasons.append(Reason("needs_triage", "only-weak-keywords"))
        lead = self.table.category(best).lead
        rivals = [slug for slug in ranked[1:] if found.category_score[slug] == best_score
                  and self.table.category(slug).lead != lead]
        if rivals:
            unsure = True
            reasons.append(Reason("needs_triage", "tie-with:" + ",".join(rivals)))
        return best, unsure

    def _household(self, draft: Draft, found: _Findings, reasons: list[Reason]) -> HouseholdType:
        if draft.household and draft.household is not HouseholdType.UNKNOWN:
            reasons.append(Reason("household", "given"))
            return HouseholdType(draft.household)
        if not found.household_score:
            return HouseholdType.UNKNOWN
        best = min(found.household_score,
                   key=lambda slug: (-found.household_score[slug], self._household_order[slug]))
        reasons.append(Reason("household", "keywords", tuple(found.household_words[best])))
        return HouseholdType(best)
