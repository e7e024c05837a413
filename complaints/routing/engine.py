"""The routing engine: who handles a complaint, and why. Plain Python, no Flask.

``Router(table).route(draft)`` reads the text once with a single compiled
pattern of every keyword in the table (longest first), scores the categories,
finds the township, the household type and any sign of misconduct, and
returns a ``Decision`` whose ``reasons`` name the rule and the words behind
each field. Structured fields from a form or an operator win over the text.

On a discipline clue the decision also names the unit the clue accuses (from
the words of ``[accusation]`` in the table), so that accusation material never
reaches that unit; ``Router.split`` cuts a clue's text into the hazard that the
responsible unit may read and the allegation that it may not.
"""

from __future__ import annotations

import enum
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from complaints.core.vocabulary import HouseholdType
from complaints.routing.learned import LEARNED_CLUE, Example, LearnedReader, shipped_examples
from complaints.routing.reading import Reading, normalise, trie_pattern
from complaints.routing.table import FALLBACK_CATEGORY, TOWNSHIP, RoutingTable

STRONG, WEAK = 2, 1
# Where a clause ends: a negation before this does not reach the words after it.
CLAUSE_BREAK = re.compile(r"[，。！？；：,.!?;:、\n()（）\[\]【】\"'“”‘’…~～]")
# Where a sentence or clause ends, for splitting a clue into hazard and allegation:
# no list commas or quotes, and no ASCII point or comma between two digits ("3.5万").
# The spaces after it go with it.
SENTENCE_BREAK = re.compile(r"(?:[，。！？；：!?;:\n…．]|(?<!\d)[.,]|[.,](?!\d))+\s*")
# Where a sentence ends: an actor and an act of misconduct are read within one.
FULL_STOP = re.compile(r"[。！？；!?;\n]+")
# Acts of taking or handing over, which an ordinary object makes ordinary ("收了材料").
HANDLING_VERBS = ("收", "拿", "交", "送", "领", "要", "给", "提")
# A sentence opening with one of these goes on about the official of the sentence before.
# A sentence naming no official but "him" goes on about the one of the sentence before.
# "没有收据", "都没收到": what follows 收 makes another word than taking nothing.
RECEIVING = ("据", "到", "入", "件", "拾")
TAKEN_FROM = ("收了", "拿了", "吃了", "收", "拿")
THIRD_PERSON = re.compile(r"(?<!其)[他她]|此人|该人|那人|这人|那个人|来的人")
# Before a word marking the main issue, these turn it round ("这不是最要紧的").
DENIALS = ("不是", "不算")
# "他表哥是村干部": a relative (a word with KIN) followed by IS and a post is the official.
IS = "是"
KIN = re.compile("[哥弟姐妹舅侄甥婿姨叔伯戚]")
# After a writer's first doubt ("我一开始以为是骗子"), these in the same sentence say he was real.
AFFIRMED = ("真的是", "真的就是", "原来就是", "干部本人")
# "这不是…吗", "不就是…吗": the question affirms; how far after the negated word its 吗 may be.
RHETORICAL, QUESTION, RHETORICAL_REACH = ("不是", "不就是"), "吗", 8
HAVING, NOT_HAVING = "有", "没"  # 没有: the negation is part of the word
# Before a writer's denial ("乱说"), these make it an official's order to keep quiet ("叫我别乱说").
PROHIBITIONS = ("别", "不要", "不准", "不许", "莫", "bie")  # "bie": typed in pinyin
# After an act, the one who did it: "签的都是县住建局一个姓林的".
NAMED_AFTER = ("都是", "是")
# A marked main issue shorter than this is the sentence before ("…墙面空鼓。新房更要紧").
MAIN_ISSUE_LEAST = 6
# "家在…", "房子在…" put the house at a place; a township's name starting this far after is it.
HOME_MARK = "家在", "房子在", "房屋在"
HOME_REACH = 4
# How far after a hazard a word may say it is fine ("挡土墙倒是好的").
FINE_REACH = 6
# How far after an act its object may be looked for ("收了" ... "申请材料").
ORDINARY_OBJECT_REACH = 10
ORDINARY_OBJECT_BEFORE = 4  # "资料嗯交了"
COUSINS = re.compile(r"表[哥姐弟妹叔舅亲]")
# Trimmed from both ends of each part of a split.
SOFT_EDGES = "，,；;：:、 \t\r\n"


class Kind(enum.Enum):
    CATEGORY = "category"
    HOUSEHOLD = "household"
    TOWNSHIP = "township"
    MISCONDUCT = "misconduct"


class Sign(enum.Enum):
    """What a word of ``[accusation]`` (or a unit's name) shows about who is accused."""

    UNIT = "unit"
    STAFF = "staff"
    AFTER_UNIT = "after-unit"
    VILLAGE = "village"
    TOWNSHIP = "township"
    FAVOUR = "favour"


# Posts wherever they stand; AFTER_UNIT words are posts only right after a unit's name.
POSTS = frozenset({Sign.STAFF, Sign.VILLAGE, Sign.TOWNSHIP})


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
    # The unit whose staff the reporter accuses, as a form or an operator gives it.
    # Giving it makes the case a discipline clue.
    accused_unit: str | None = None


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
    # On a discipline clue, the unit it accuses: it must never see the allegation.
    accused_unit: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The stable form printed by ``routing explain`` and stored with the case."""
        return {
            "category": self.category,
            "lead_unit": self.lead_unit,
            "co_units": list(self.co_units),
            "township": self.township,
            "discipline_clue": self.discipline_clue,
            "needs_triage": self.needs_triage,
            "accused_unit": self.accused_unit,
            "reasons": [reason.as_dict() for reason in self.reasons],
        }

    def as_record(self) -> dict[str, Any]:
        """Everything, for the case's first event: which table decided, and how."""
        return {**self.as_json(), "household": self.household.value,
                "table_version": self.table_version}


@dataclass(frozen=True)
class Split:
    """A clue's text in two: what the responsible unit may read, and what it may not."""

    hazard: str
    allegation: str


class RoutingError(ValueError):
    """A structured field names something the table does not have."""


def word_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Finds, at every position, the longest of ``words`` that starts there (in group 1).
    The lookahead lets a word start inside another one (房屋鉴定费 holds 鉴定费), so no word
    hides another; the leading character class lets the regex engine skip most positions."""
    words = list(words)
    first_chars = "".join(sorted({re.escape(word[0]) for word in words}))
    return re.compile(f"(?=[{first_chars}])(?=({trie_pattern(words)}))")




@dataclass
class _Findings:
    category_score: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    category_words: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    category_strong: set[str] = field(default_factory=set)
    category_main: set[str] = field(default_factory=set)  # strong in what the writer marks as main
    household_score: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    household_words: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    townships: list[tuple[str, str]] = field(default_factory=list)  # (slug, word) in text order
    township_at: list[int] = field(default_factory=list)  # where each of them starts
    misconduct_words: list[str] = field(default_factory=list)
    negated_words: list[str] = field(default_factory=list)
    misconduct_at: list[int] = field(default_factory=list)  # where each misconduct word starts
    # The writer says the "official" only posed as one, or takes an accusation back.
    impersonation: bool = False
    # An official's act the table read as ordinary ("村干部收了申请材料").
    ordinary_act: bool = False


@dataclass(frozen=True)
class _Hit:
    """A word of ``[accusation]``, or a unit's name, found in the text."""

    start: int
    end: int
    word: str
    sign: Sign
    unit: str = ""  # for Sign.UNIT


@dataclass(frozen=True)
class _Suspect:
    """A hint at the accused unit; ``unit`` None means the complaint's township."""

    start: int
    unit: str | None
    rule: str
    words: tuple[str, ...]



def _count_category(found: _Findings, target: Target, word: str, *, main: bool) -> None:
    found.category_score[target.slug] += target.weight * (2 if main else 1)
    found.category_words[target.slug].append(word)
    if target.weight == STRONG:
        found.category_strong.add(target.slug)
        if main:
            found.category_main.add(target.slug)


def _actor(posts: list[tuple[_Hit, _Hit | None]], earlier: _Hit | None, clause: str,
           act: re.Match[str]) -> _Hit | None:
    """Who did the act: the post nearest before it ("住建局的人来鉴定过，村干部收了钱"), or
    the one it names right after ("签的都是县住建局一个姓林的"); none when only someone
    named after it is asked about it ("只发了一半，问镇里说…")."""
    before = [post for post, _ in posts if post is earlier or post.start < act.start()]
    if before:
        return before[-1]
    named = [post for post, _ in posts if post is not earlier and post.start >= act.end()
             and clause[act.end():].startswith(NAMED_AFTER)]
    return named[0] if named else None

class Router:
    def __init__(self, table: RoutingTable, examples: Sequence[Example] | None = None) -> None:
        """``examples`` train the learned fallback: by default those shipped with the table
        (``routing/examples``); none, and the table decides alone."""
        self.table = table
        # How a text is read before matching: simplified, the lexicon, the phonetic pass.
        self.reading = Reading(dict(table.lexicon), table.words, table.homophone_words,
                               [name for unit in table.units for name in (unit.name, *unit.aliases)])
        if examples is None:
            examples = shipped_examples(table.category_slugs)
        self.learned = (LearnedReader(examples, self.reading.read, table.version)
                        if examples else None)
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
        # wins (假冒伪劣 over 假冒).
        self._pattern = word_pattern(self._targets)
        self._signs = self._sign_words(table)
        self._sign_pattern = word_pattern(self._signs)
        self._links = frozenset({"", *(normalise(word) for word in table.accusation.links)})
        # How far before a post a unit's name may start: the longest name, then the longest link.
        self._reach = (max(len(word) for word, marks in self._signs.items()
                           if any(sign is Sign.UNIT for sign, _ in marks))
                       + max(len(link) for link in self._links))
        self._continuations = tuple(normalise(word) for word in table.accusation.continuation_words)
        self._unit_slugs = {unit.slug for unit in table.units}
        self._negations = tuple(normalise(word) for word in table.negation_words)
        self._denials = tuple(normalise(word) for word in table.denial_words)
        acts = sorted({normalise(word) for word in table.accusation.act_words} - {""}, key=len,
                      reverse=True)
        # Never matches when the table lists no act words.
        self._act_pattern = re.compile("|".join(map(re.escape, acts)) or r"(?!x)x")
        # "村主任的弟弟" is also written "村主任他弟弟".
        relative_words = {normalise(word) for word in table.accusation.relative_words}
        relative_words |= {"他" + word[1:] for word in relative_words if word.startswith("的")}
        relatives = sorted(relative_words - {"", "他"}, key=len, reverse=True)
        self._relative_pattern = re.compile("|".join(map(re.escape, relatives)) or r"(?!x)x")
        # ...and "村书记侄子", right after the post: the relative without 的.
        kin = relative_words | {normalise(word) for word in table.accusation.act_words}
        bare = sorted({word[1:] for word in kin if word.startswith("的") and len(word) > 2},
                      key=len, reverse=True)
        self._bare_relative_pattern = re.compile("|".join(map(re.escape, bare)) or r"(?!x)x")
        rules = table.accusation
        self._post_words = tuple(normalise(word) for word in
                                 (*rules.staff_words, *rules.village_words, *rules.township_words))
        self._impersonation_pattern = _alternatives(table.accusation.impersonation_words)
        self._nobody_pattern = _alternatives(table.accusation.nobody_words)
        self._other_people_pattern = _alternatives(table.accusation.other_people)
        self._ordinary_objects = tuple(normalise(word) for word in table.accusation.ordinary_objects)
        self._minor_pattern = _alternatives(table.minor_words)
        self._fine_pattern = _alternatives(table.fine_words)
        self._officials_words = {category.slug: frozenset(normalise(word) for word in
                                                          category.officials_words)
                                 for category in table.categories if category.officials_words}
        self._sellers_words = {category.slug: frozenset(normalise(word) for word in category.sellers_words)
                               for category in table.categories if category.sellers_words}
        self._said_of_sellers = frozenset().union(*self._sellers_words.values())
        self._requires = {category.slug: tuple(normalise(word) for word in category.requires)
                          for category in table.categories if category.requires}
        self._negatable = {category.slug: category.negatable for category in table.categories}
        self._together = [(category.slug, frozenset(normalise(word) for word in first),
                           frozenset(normalise(word) for word in second))
                          for category in table.categories if category.together
                          for first, second in [category.together]]
        self._together_words = frozenset().union(*(first | second for _, first, second in self._together))
        self._together_pattern = (word_pattern(self._together_words) if self._together_words
                                  else re.compile(r"(?!x)x"))
        self._emphasis_pattern = _alternatives(table.emphasis_words)
        self._emphasis_after_pattern = _alternatives(table.emphasis_after_words)
        self._house_words = tuple(normalise(word) for word in table.house_words)
        self._house_after_words = tuple(normalise(word) for word in table.house_after_words)
        self._elsewhere_words = tuple(normalise(word) for word in table.elsewhere_words)
        # Where the writer is but does not live ("我在…做生意"), and what puts the house at a place.
        self._away_words = tuple(word for word in self._elsewhere_words if "住" not in word)
        self._home_pattern = _alternatives(word for word in table.house_words
                                           if word.endswith(HOME_MARK) and "住" not in word)
        self._window = table.negation_window
        self._category_order = {slug: i for i, slug in enumerate(table.category_slugs)}
        self._household_order = {h.slug.value: i for i, h in enumerate(table.households)}
        self._township_slugs = {unit.slug for unit in table.townships}

    @staticmethod
    def _sign_words(table: RoutingTable) -> dict[str, list[tuple[Sign, str]]]:
        """Each word of ``[accusation]`` and each unit's name (but the commission's), and what
        it shows. Staff of the commission are not for this county to judge."""
        signs: dict[str, list[tuple[Sign, str]]] = defaultdict(list)
        rules = table.accusation
        marks = [(unit.name, Sign.UNIT, unit.slug) for unit in table.handling_units]
        marks += [(alias, Sign.UNIT, unit.slug) for unit in table.handling_units for alias in unit.aliases]
        # A unit's staff named by name: "扶贫办的小陈", "住建局的老林", "镇政府的林某".
        named = [f"{prefix}{surname}{suffix}" for surname in rules.surnames
                 for prefix, suffix in (("小", ""), ("老", ""), ("", "某"))]
        for sign, words in ((Sign.STAFF, rules.staff_words),
                            (Sign.AFTER_UNIT, (*rules.after_unit_words, *named)),
                            (Sign.VILLAGE, rules.village_words), (Sign.TOWNSHIP, rules.township_words),
                            (Sign.FAVOUR, rules.favour_words)):
            marks += [(word, sign, "") for word in words]
        for word, sign, unit in marks:
            key = normalise(word)
            if key and (sign, unit) not in signs[key]:
                signs[key].append((sign, unit))
        return dict(signs)

    def warm(self) -> None:
        """Train the learned fallback now (seconds), not within the first decision that needs
        it: a web worker's first request, or the transaction an SMS is filed in."""
        if self.learned is not None:
            self.learned.warm()

    def route(self, draft: Draft) -> Decision:
        if draft.accused_unit and draft.accused_unit not in self._unit_slugs:
            raise RoutingError(f"unknown accused unit {draft.accused_unit!r}")
        text = self.reading.read(draft.text)
        findings = self._read(text)
        self._weigh_misconduct(text, findings, after=self._cleared_until(text, findings))
        reasons: list[Reason] = []
        triage = False

        township = self._township(draft, text, findings, reasons)
        located = any(reason.rule.startswith("house-") for reason in reasons)
        if township is not None and not located and len({slug for slug, _ in findings.townships}) > 1:
            triage = True
            reasons.append(Reason("needs_triage", "several-townships-named",
                                  tuple(word for _, word in findings.townships)))

        self._drop_sellers_words(text, findings, reasons)
        category, unsure = self._category(draft, findings, reasons)
        triage |= not draft.category and self._outweighed(category, findings, reasons)
        household = self._household(draft, findings, reasons)

        discipline_clue, learned_clue = self._discipline_clue(draft, text, findings, reasons)
        triage |= learned_clue
        if discipline_clue and unsure and category != FALLBACK_CATEGORY:
            # Misconduct with no hazard to fix: the case is the clue itself.
            category, unsure = FALLBACK_CATEGORY, False
            reasons.append(Reason("category", "discipline-clue-without-hazard"))
        triage |= unsure
        if not draft.category and (unsure or category == FALLBACK_CATEGORY):
            learned = self._learned_category(text, category, reasons)
            if learned is not None:
                category, triage = learned, True
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

        # Every household type told adds its co-unit (a disabled member of a registered poor
        # family concerns both offices); ``household`` is the one the case is filed under.
        named = sorted(findings.household_score, key=self._household_order.__getitem__)
        households = [household, *(HouseholdType(slug) for slug in named if slug != household.value)]
        co_units = self._co_units(category, lead, township, households, reasons)
        accused = None
        if discipline_clue:
            accused = self._accused(draft, text, findings, township, reasons)
            triage |= self._keep_from_accused(accused, lead, co_units, reasons)

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
            accused_unit=accused,
        )

    def _discipline_clue(self, draft: Draft, text: str, found: _Findings,
                         reasons: list[Reason]) -> tuple[bool, bool]:
        """Whether the complaint is a discipline clue, and whether only the learned model says so."""
        if draft.alleges_misconduct:
            reasons.append(Reason("discipline_clue", "given"))
        elif draft.accused_unit:
            reasons.append(Reason("discipline_clue", "accused-unit-given"))
        elif found.misconduct_words:
            reasons.append(Reason("discipline_clue", "misconduct-keywords", tuple(found.misconduct_words)))
        else:
            learned = self._learned_clue(text, found, reasons)
            return learned, learned
        return True, False

    def _learned_clue(self, text: str, found: _Findings, reasons: list[Reason]) -> bool:
        """A clue the table's words missed, where the learned model is sure enough and the text
        names an official or a unit; never where the writer says the "official" was a swindler
        or takes the accusation back, nor where the table read the official's act as ordinary
        (the model knows the words of an accusation, not what was handed over)."""
        if self.learned is None or found.impersonation or found.ordinary_act:
            return False
        # Misconduct is someone's: with no official named at all there is nobody to accuse.
        if not any(hit.sign in POSTS or (hit.sign is Sign.UNIT and hit.unit not in self._township_slugs)
                   for hit in self._hits(text)):
            return False
        lean = self.learned.clue(text)
        if lean.label != LEARNED_CLUE or lean.probability < self.table.learned.clue_least:
            return False
        reasons.append(Reason("discipline_clue", f"learned:{lean.probability:.2f}", lean.ngrams))
        return True

    def _learned_category(self, text: str, category: str, reasons: list[Reason]) -> str | None:
        """The category complaints like this one had, where the keywords leave the engine unsure."""
        if self.learned is None:
            return None
        lean = self.learned.category(text)
        if lean.label == category or lean.probability < self.table.learned.category_least:
            return None
        reasons.append(Reason("category", f"learned:{lean.probability:.2f}", (lean.label, *lean.ngrams)))
        return lean.label

    def split(self, text: str) -> Split:
        """Cut ``text`` into clauses; those that accuse, or may (a post, money or favours,
        a clause continuing an accusing one), form the allegation, the rest the hazard,
        each in the original order and punctuation. When in doubt a clause goes to the
        allegation: the hazard is what the responsible unit reads."""
        hazard: list[str] = []
        allegation: list[str] = []
        previous = False  # whether the last clause with words went to the allegation
        start = 0
        ends = [match.end() for match in SENTENCE_BREAK.finditer(text)]
        for end in [*ends, len(text)]:
            clause, start = text[start:end], end
            words = self.reading.read(clause.strip(SOFT_EDGES + "。！？!?….．"))
            if not words:
                (allegation if previous else hazard).append(clause)
                continue
            previous = self._accuses(words) or (
                previous and any(word in words for word in self._continuations))
            (allegation if previous else hazard).append(clause)
        return Split(hazard="".join(hazard).strip(SOFT_EDGES),
                     allegation="".join(allegation).strip(SOFT_EDGES))

    @staticmethod
    def _keep_from_accused(accused: str | None, lead: str, co_units: list[str],
                           reasons: list[Reason]) -> bool:
        """Takes the accused unit off ``co_units``; whether it is the responsible unit, so
        that the lead unit must choose another unit to fix the hazard (triage)."""
        if accused is None:
            return False
        if accused in co_units:
            co_units.remove(accused)
            reasons.append(Reason("co_units", "accused-unit-removed", (accused,)))
        if accused != lead:
            return False
        reasons.append(Reason("needs_triage", "accused-unit-would-handle", (accused,)))
        return True

    def _co_units(self, category: str, lead: str, township: str | None,
                  households: list[HouseholdType], reasons: list[Reason]) -> list[str]:
        co_units: list[str] = []
        for slug in self.table.category(category).co_units:
            unit = township if slug == TOWNSHIP else slug
            if unit is not None and unit != lead and unit not in co_units:
                co_units.append(unit)
        if co_units:
            reasons.append(Reason("co_units", f"category:{category}"))
        for household in households:
            household_co_unit = next(
                (h.co_unit for h in self.table.households if h.slug is household), None)
            if household_co_unit and household_co_unit != lead and household_co_unit not in co_units:
                co_units.append(household_co_unit)
                reasons.append(Reason("co_units", f"household:{household.value}"))
        return co_units

    def _accused(self, draft: Draft, text: str, found: _Findings, township: str | None,
                 reasons: list[Reason]) -> str | None:
        """The unit a discipline clue accuses. A hint in a clause holding a misconduct
        word comes first, then the earliest; village and township cadres stand for the
        complaint's township."""
        if draft.accused_unit:
            reasons.append(Reason("accused_unit", "given"))
            return draft.accused_unit
        breaks = [match.end() for match in SENTENCE_BREAK.finditer(text)]
        clue_clauses = {bisect_right(breaks, at) for at in found.misconduct_at}
        suspects = sorted(self._suspects(text), key=lambda suspect: (
            bisect_right(breaks, suspect.start) not in clue_clauses, suspect.start))
        accused: str | None = None
        unresolved: list[str] = []
        others: list[str] = []
        for suspect in suspects:
            unit = township if suspect.unit is None else suspect.unit
            if unit is None:
                unresolved += [word for word in suspect.words if word not in unresolved]
            elif accused is None:
                accused = unit
                reasons.append(Reason("accused_unit", suspect.rule, suspect.words))
            elif unit != accused and unit not in others:
                others.append(unit)
        if unresolved:
            reasons.append(Reason("accused_unit", "township-cadre-but-township-unknown", tuple(unresolved)))
        if others:
            reasons.append(Reason("accused_unit", "also-named", tuple(others)))
        return accused

    def _hits(self, text: str) -> list[_Hit]:
        """Every word of ``[accusation]`` and every unit's name in ``text``, in text order."""
        hits: list[_Hit] = []
        for match in self._sign_pattern.finditer(text):
            longest, start = match.group(1), match.start()
            for size in range(len(longest), 0, -1):
                word = longest[:size]
                hits += [_Hit(start, start + size, word, sign, unit)
                         for sign, unit in self._signs.get(word, ())]
        return hits

    def _posts(self, text: str, hits: list[_Hit]) -> list[tuple[_Hit, _Hit | None]]:
        """The posts named in ``text``, each with the unit named just before it, if any.
        A word inside a unit's name (领导 in 扶贫开发领导小组办公室) is no post."""
        units_at: dict[int, list[_Hit]] = defaultdict(list)
        for hit in hits:
            if hit.sign is Sign.UNIT:
                units_at[hit.start].append(hit)
        posts: list[tuple[_Hit, _Hit | None]] = []
        for post in hits:
            if post.sign not in POSTS and post.sign is not Sign.AFTER_UNIT:
                continue
            # Only units starting a few characters before the post can touch it.
            near = [unit for at in range(max(0, post.start - self._reach), post.start + 1)
                    for unit in units_at.get(at, ())]
            if any(post.end <= unit.end for unit in near):
                continue
            # The nearest unit that ends right before the post, or through a link word
            # ("住建局的工作人员"), or inside it ("火田镇长").
            before = [unit for unit in near if unit.start < post.start
                      and (unit.end > post.start or text[unit.end:post.start] in self._links)]
            unit = max(before, key=lambda hit: hit.end, default=None)
            if unit is not None or post.sign is not Sign.AFTER_UNIT:
                posts.append((post, unit))
        return posts

    def _suspects(self, text: str) -> list[_Suspect]:
        suspects: list[_Suspect] = []
        for post, unit in self._posts(text, self._hits(text)):
            if unit is not None:
                suspects.append(_Suspect(post.start, unit.unit, "staff-of-named-unit",
                                         (unit.word, post.word)))
            elif post.sign is Sign.VILLAGE:
                suspects.append(_Suspect(post.start, None, "village-cadre", (post.word,)))
            elif post.sign is Sign.TOWNSHIP:
                suspects.append(_Suspect(post.start, None, "township-cadre", (post.word,)))
        return suspects

    def _cleared_until(self, text: str, found: _Findings) -> int:
        """Where the writer last says nobody is to blame, or takes an accusation back ("我冤枉
        人家了"): what comes before the end of that sentence raises no clue, what follows may
        ("…镇长是个好人，我冤枉他了。但是村会计扣我三千块是真的"). 0 when nobody is cleared."""
        said = [match.end() for match in self._nobody_pattern.finditer(text)]
        if not said:
            return 0
        stop = FULL_STOP.search(text, said[-1])
        cleared = stop.end() if stop else len(text)
        found.impersonation = True
        _forget_misconduct_between(found, 0, cleared)
        return cleared

    def _weigh_misconduct(self, text: str, found: _Findings, after: int = 0) -> None:
        """Misconduct told in ordinary words: a post and an act in one clause (an official's
        relative counts as an act where money or a favour is named too). And none in a clause
        showing that the "official" only posed as one (that is fraud, not a clue), nor before
        ``after``, where the writer cleared everyone."""
        start = after
        # The official last named in an earlier sentence, with its place in the text, until
        # someone who is no official is.
        actor: _Hit | None = None
        # By sentence: the actor and the act are often a comma apart ("镇里来的人车都没下，
        # 坐在车上就签了字").
        favoured_before = False  # money or a favour named in the sentence before
        others_before = False  # the last one named is no official (a builder, a shop)
        for end in [*(m.end() for m in FULL_STOP.finditer(text, after)), len(text)]:
            clause, offset, start = text[start:end], start, end
            if not clause:
                continue
            earlier = actor
            hits = self._hits(clause)
            favoured = any(hit.sign is Sign.FAVOUR for hit in hits)
            favoured, favoured_before = favoured or favoured_before, favoured
            if self._denies(clause):
                found.impersonation = True
                _forget_misconduct_between(found, offset, end)
                continue
            posts = self._posts(clause, hits)
            # Who takes from a builder is not the builder ("收了施工队的好处").
            other = next((match for match in self._other_people_pattern.finditer(clause)
                          if not clause[:match.start()].endswith(TAKEN_FROM)), None)
            # "他", or no subject at all where money or a favour is named: a sentence that opens
            # with an act goes on about the official named before ("住建局的人是干什么吃的！收了
            # 施工队的好处…"; not "村干部来看过。拍了张照片就走了").
            him = THIRD_PERSON.search(clause) or (self._act_pattern.match(clause) if favoured else None)
            if posts:
                last = posts[-1][0]
                actor = _Hit(offset + last.start, offset + last.end, last.word, last.sign)
                others_before = False
            elif other and not (earlier and him and him.start() < other.start()):
                # "施工队的老板…他收了钱", "建材店的老板要两百块好处费": he is no official
                # (unless a unit is named beside him: "监管局接待的人跟店老板是亲戚").
                actor, others_before = None, True
                if not any(hit.sign is Sign.UNIT and hit.unit not in self._township_slugs
                           for hit in hits):
                    _forget_misconduct_between(found, offset, end)
                continue
            elif earlier is not None and him:
                # "…被村主任坑了！他规定我们…", "资料是村文书填的。…后来他私下跟我讲，让我先拿
                # 五百块给他": the text goes on about the same official.
                posts = [(earlier, None)]
            else:
                if him and others_before:
                    # "垃圾施工队！！…找他们返工就推三阻四，收钱的时候倒是积极得很": still them.
                    _forget_misconduct_between(found, offset, end)
                continue
            acts = [*self._act_pattern.finditer(clause),
                    *(self._relative_pattern.finditer(clause) if favoured else ()),
                    *(match for match in self._bare_relative_pattern.finditer(clause)
                      if favoured and clause[:match.start()].endswith(self._post_words))]
            for match in sorted(acts, key=lambda found_act: found_act.start()):
                if not self._is_an_act(clause, match, posts, found):
                    continue
                post = _actor(posts, earlier, clause, match)
                if post is None:
                    continue
                found.misconduct_words += [post.word, match.group(0)]
                found.misconduct_at += [post.start if post is earlier else offset + post.start,
                                        offset + match.start()]
                break

    def _is_an_act(self, clause: str, match: re.Match[str], posts: list[tuple[_Hit, _Hit | None]],
                   found: _Findings) -> bool:
        """Whether an act word found in a clause naming an official is his act."""
        if self._ordinary(clause, match.start(), match.end()):
            found.ordinary_act = True
            return False
        # Only a negation right before the act undoes it ("没收钱"; not "车都没下就签了字").
        if (clause[:match.start()].endswith(self._negations)
                or self._inside_a_word(clause, match.start())):
            return False
        # "他表哥是村干部": the relative is the official, and "he" who boasts of him is not.
        return not (KIN.search(match.group(0)) and clause[match.end():].startswith(IS)
                    and any(post.start >= match.end() for post, _ in posts))

    def _denies(self, clause: str) -> bool:
        """Whether a sentence shows the "official" only posed as one, or the writer takes the
        accusation back; "叫我别乱说" is an official silencing the writer, and "不是骗子，真的是
        乡里的干部" insists he is one: no denial."""
        return any(not clause[:match.start()].endswith(PROHIBITIONS + DENIALS)
                   and not any(word in clause[match.end():] for word in AFFIRMED)
                   and not (match.group(0).endswith("收")
                            and clause[match.end():].startswith(RECEIVING))
                   for match in self._impersonation_pattern.finditer(clause))

    def _ordinary(self, clause: str, start: int, end: int) -> bool:
        """Whether an act of taking or handing over is done to an ordinary object, after it or
        right before it ("收了危改的申请材料", "材料交了"); signing a form is not ordinary here."""
        if not any(verb in clause[start:end] for verb in HANDLING_VERBS):
            return False
        # "拿去给他自己表哥": a cousin (表哥) is no form (表).
        after = COUSINS.sub("", CLAUSE_BREAK.split(clause[end:end + ORDINARY_OBJECT_REACH])[0])
        before = CLAUSE_BREAK.split(clause[max(0, start - ORDINARY_OBJECT_BEFORE):start])[-1]
        return any(word in after or word in before for word in self._ordinary_objects)

    def _inside_a_word(self, clause: str, start: int) -> bool:
        """Whether an act starts inside a longer word of the table (验收了 holds 收了)."""
        return any(match.start(1) < start < match.end(1)
                   for match in self._pattern.finditer(clause, max(0, start - 4), start + 4))

    def _accuses(self, clause: str) -> bool:
        """Whether a clause (normalised) holds, or may hold, an accusation."""
        if self._read(clause).misconduct_words:
            return True
        hits = self._hits(clause)
        return any(hit.sign is Sign.FAVOUR for hit in hits) or bool(self._posts(clause, hits))

    def _emphasised(self, text: str) -> list[tuple[int, int]]:
        """What a writer marks as the main issue, as (start, end): the sentence after "最要紧的是",
        the one before "这个才是我打电话的原因" or "…更要紧"."""
        spans = []
        forward = set()
        for match in self._emphasis_pattern.finditer(text):
            if text[:match.start()].endswith(DENIALS):
                continue  # "这不是最要紧的": the writer sets this one aside
            stop = FULL_STOP.search(text, match.end())
            spans.append((match.end(), stop.start() if stop else len(text)))
            forward.add(match.start())
        for match in self._emphasis_after_pattern.finditer(text):
            if match.start() in forward:
                continue  # "更要紧的是…" points after it, "…更要紧" before
            starts = [0, *(stop.end() for stop in FULL_STOP.finditer(text, 0, match.start()))]
            start = starts[-1]
            if len(text[start:match.start()].strip(SOFT_EDGES)) < MAIN_ISSUE_LEAST and len(starts) > 1:
                start = starts[-2]  # "…墙面空鼓。新房更要紧": the sentence before
            spans.append((start, match.start()))
        return spans

    def _read(self, text: str) -> _Findings:
        found = _Findings()
        emphasised = self._emphasised(text)
        minor = self._minor(text)
        # A category that needs a word the text lacks is not what it is about ("还住着" is no
        # case of a household with a new house when no new house is named).
        absent = {slug for slug, needed in self._requires.items()
                  if not any(word in text for word in needed)}
        matches = [(match.start(), match.start() + len(match.group(1)), match.group(1))
                   for match in self._pattern.finditer(text)]
        fine = self._said_fine(text, matches)
        for (start, _end, word), covering in zip(matches, self._covering(matches), strict=True):
            negated: bool | None = None
            for target in self._targets[word]:
                if target.kind is Kind.CATEGORY and (
                        target.slug in absent or _within(start, minor)
                        # "瓦片裂了" is a leak, not the 裂了 of a dangerous house
                        or (covering and target.slug not in covering)):
                    continue
                if target.negatable and negated is None:
                    negated = self._is_negated(text, start) or bool(
                        fine and target.kind is Kind.CATEGORY
                        and (_sentence_of(text, start), target.slug) in fine)
                # Where a negation does not cancel a word ("没有鉴定" is the complaint), a denial
                # right before it still does ("不是邻居不配合"), as does 没 before a word of having
                # ("没有新房" is no 有新房).
                if (negated if target.negatable else (
                        text.endswith(self._denials, 0, start)
                        or (word.startswith(HAVING) and text.endswith(NOT_HAVING, 0, start)))) and not (
                        target.kind is Kind.MISCONDUCT and self._asks_yes(text, start)):
                    if word not in found.negated_words:
                        found.negated_words.append(word)
                    continue
                if target.kind is Kind.CATEGORY:
                    # The main issue, as the writer marks it, counts twice.
                    _count_category(found, target, word,
                                    main=any(first <= start < last for first, last in emphasised))
                elif target.kind is Kind.HOUSEHOLD:
                    found.household_score[target.slug] += target.weight
                    found.household_words[target.slug].append(word)
                elif target.kind is Kind.TOWNSHIP:
                    found.townships.append((target.slug, word))
                    found.township_at.append(start)
                else:
                    found.misconduct_words.append(word)
                    found.misconduct_at.append(start)
        if self._together:
            self._read_together(text, found, emphasised, minor, absent)
        return found

    def _read_together(self, text: str, found: _Findings, emphasised: list[tuple[int, int]],
                       minor: list[tuple[int, int]], absent: set[str]) -> None:
        """A sentence holding a word of each half of a category's ``together`` counts as one of
        its keywords ("今年名单出来还是没有我")."""
        open_ = [spec for spec in self._together if spec[0] not in absent]
        if not open_:
            return
        stops = [match.end() for match in FULL_STOP.finditer(text)]
        by_sentence: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for match in self._together_pattern.finditer(text):
            longest, at = match.group(1), match.start()
            by_sentence[bisect_right(stops, at)] += [
                (at, longest[:size]) for size in range(len(longest), 0, -1)
                if longest[:size] in self._together_words]
        for sentence in sorted(by_sentence):
            words = by_sentence[sentence]
            if _within(stops[sentence - 1] if sentence else 0, minor):
                continue
            for slug, first_words, second_words in open_:
                if slug in found.category_strong:
                    continue  # it makes a category's case, it does not add to one made
                one = next(((at, word) for at, word in words if word in first_words), None)
                # "后山没滑坡" names the hill and denies its sliding.
                # A negation right before the second word undoes it in any category ("没住在老房里").
                other = next((word for at, word in words if word in second_words and not (
                    (self._negatable[slug] and self._is_negated(text, at))
                    or text.endswith(self._negations, 0, at))), None)
                if one is not None and other is not None:
                    _count_category(found, Target(Kind.CATEGORY, slug, STRONG, False),
                                    f"{one[1]}…{other}", main=_within(one[0], emphasised))

    def _said_fine(self, text: str, matches: list[tuple[int, int, str]]) -> set[tuple[int, str]]:
        """(sentence, category) where the writer says the hazard just named is fine, in the same
        clause ("屋后的挡土墙是好的"; not "屋顶漏雨，房子本身是好的"). Each such category's
        words in that sentence count as negated."""
        fine: set[tuple[int, str]] = set()
        for match in self._fine_pattern.finditer(text):
            sentence = _sentence_of(text, match.start())
            clause_start = max((m.end() for m in CLAUSE_BREAK.finditer(text, 0, match.start())),
                               default=0)
            before = [word for start, end, word in matches
                      if clause_start <= start and end <= match.start() <= end + FINE_REACH
                      and any(t.kind is Kind.CATEGORY for t in self._targets[word])]
            if before:
                fine |= {(sentence, t.slug) for t in self._targets[before[-1]]
                         if t.kind is Kind.CATEGORY and t.negatable}
        return fine

    def _minor(self, text: str) -> list[tuple[int, int]]:
        """The sentences a writer sets aside ("牌子没挂，这个倒无所谓"), as (start, end)."""
        spans = []
        for match in self._minor_pattern.finditer(text):
            starts = [0, *(stop.end() for stop in FULL_STOP.finditer(text, 0, match.start()))]
            spans.append((starts[-1], match.end()))
        return spans

    def _covering(self, matches: list[tuple[int, int, str]]) -> list[set[str]]:
        """For each match, the categories of the longer words of a category it lies inside: a
        word of another category inside such a word is that longer word's, not its own."""
        spans = [(start, end, {t.slug for t in self._targets[word] if t.kind is Kind.CATEGORY})
                 for start, end, word in matches]
        return [set().union(*(slugs for s, e, slugs in spans
                              if s <= start and end <= e and e - s > end - start and slugs))
                for start, end, _ in matches]

    def _is_negated(self, text: str, start: int) -> bool:
        before = text[max(0, start - self._window):start]
        clause = CLAUSE_BREAK.split(before)[-1]
        return any(word in clause for word in self._negations)

    def _asks_yes(self, text: str, start: int) -> bool:
        """"这不是造假吗？": a question expecting yes, which affirms the misconduct it names (not
        a category's word: "这不是敲诈吗" of a cadre's fee is no swindle)."""
        before = CLAUSE_BREAK.split(text[max(0, start - self._window):start])[-1]
        after = CLAUSE_BREAK.split(text[start:start + RHETORICAL_REACH])[0]
        return QUESTION in after and any(word in before for word in RHETORICAL)

    def _township(self, draft: Draft, text: str, found: _Findings,
                  reasons: list[Reason]) -> str | None:
        if draft.township:
            if draft.township not in self._township_slugs:
                raise RoutingError(f"unknown township {draft.township!r}")
            reasons.append(Reason("township", "given"))
            return draft.township
        if not found.townships:
            return None
        named = list(zip(found.townships, found.township_at, strict=True))
        before = [(text[max(0, at - self._window - 2):at], slug, word) for (slug, word), at in named]
        if len({slug for slug, _ in found.townships}) > 1:
            # Where the house is, not where the writer is: "人在县城打工，房子在马铺". The
            # marker listed first wins: "户口在莆美镇，可是房子在开发区".
            pointed = [(self._house_words.index(marker), slug, word, marker)
                       for lead_in, slug, word in before
                       for marker in [next((w for w in self._house_words if w in lead_in), None)]
                       if marker]
            # "替马铺乡老家的父母反映": the town the house's word follows.
            pointed += [(len(self._house_words), slug, word, marker)
                        for (slug, word), at in named
                        for marker in [next((w for w in self._house_after_words
                                             if text.startswith(w, at + len(word))), None)]
                        if marker]
            if pointed:
                _, slug, word, marker = min(pointed, key=lambda point: point[0])
                reasons.append(Reason("township", "house-named-after", (marker, word)))
                return slug
            away = [slug for lead_in, slug, _ in before
                    if any(w in lead_in for w in self._elsewhere_words)]
            rest = [(slug, word) for (slug, word), _ in named if slug not in away]
            if away and rest:
                reasons.append(Reason("township", "house-not-where-the-writer-is", (rest[0][1],)))
                return rest[0][0]
        elif all(any(w in lead_in for w in self._away_words)
                 and not any(w in lead_in for w in self._house_words) for lead_in, _, _ in before):
            # "我在云陵镇做小生意，家在山美村": the one town named is where the writer works, and
            # the house is put somewhere the table cannot place.
            home = self._home_elsewhere(text, found.township_at)
            if home:
                reasons.append(Reason("township", "house-somewhere-unnamed", (home,)))
                return None
        slug, word = found.townships[0]
        reasons.append(Reason("township", "named-in-text", (word,)))
        return slug

    def _home_elsewhere(self, text: str, township_at: list[int]) -> str | None:
        """A marker putting the house at a place ("家在…") that is none of the townships named."""
        for match in self._home_pattern.finditer(text):
            if not any(match.end() <= at <= match.end() + HOME_REACH for at in township_at):
                return match.group(0)
        return None

    def _drop_officials_words(self, found: _Findings, reasons: list[Reason]) -> None:
        """A category found only by what the accused official did is not what the case is
        about ("干部说再投诉就取消低保，这是吓唬人" is his misconduct, not a police matter)."""
        _drop_found_only_by(found, self._officials_words, "officials-act-not-the-matter", reasons)

    def _drop_sellers_words(self, text: str, found: _Findings, reasons: list[Reason]) -> None:
        """What is said of a builder or a seller is no swindler's doing ("什么施工队！…骗子！",
        "供货商…是假冒的"): a category found only by such words is not what the case is about."""
        if any(match.group(0) not in self._said_of_sellers
               for match in self._other_people_pattern.finditer(text)):
            _drop_found_only_by(found, self._sellers_words, "said-of-a-builder-or-seller", reasons)

    def _category(self, draft: Draft, found: _Findings, reasons: list[Reason]) -> tuple[str, bool]:
        """The category, and whether the engine is unsure of it."""
        if draft.category and draft.category != FALLBACK_CATEGORY:
            if draft.category not in self._category_order:
                raise RoutingError(f"unknown category {draft.category!r}")
            reasons.append(Reason("category", "given"))
            return draft.category, False
        if found.misconduct_words and not found.impersonation:
            self._drop_officials_words(found, reasons)
        # What the writer marks as the main issue is chosen among first, whatever else outranks it.
        chosen_among = found.category_main or found.category_strong
        set_aside = {
            other for slug in chosen_among for other in self.table.category(slug).outranks
        }
        candidates = [slug for slug in (found.category_main or found.category_score)
                      if slug not in set_aside]
        if found.category_main:
            reasons.append(Reason("category", "main-issue-marked", tuple(sorted(found.category_main))))
        if set_aside & set(found.category_score):
            reasons.append(Reason("category", "outranked", tuple(sorted(set_aside))))
        if not candidates:
            reasons.append(Reason("category", "no-keywords-fallback"))
            return FALLBACK_CATEGORY, True
        # A category with a strong word beats one with only weak words ("漏水" over "屋顶、瓦片").
        ranked = sorted(candidates, key=lambda slug: (
            slug not in found.category_strong, -found.category_score[slug], self._category_order[slug]))
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

    def _outweighed(self, category: str, found: _Findings, reasons: list[Reason]) -> bool:
        """Whether a category the chosen one outranks was said more often, as strongly, and is
        another unit's: the table's order is a default, not a reading ("漏雨…滴水…摆盆" beside
        one 台风), so the lead unit decides. The category stays as chosen."""
        if found.category_main or category not in found.category_score:
            return False
        spec = self.table.category(category)
        outweighing = sorted(slug for slug in spec.outranks
                             if slug in found.category_strong
                             and found.category_score[slug] > found.category_score[category]
                             and self.table.category(slug).lead != spec.lead)
        if outweighing:
            reasons.append(Reason("needs_triage", "outweighed-by:" + ",".join(outweighing)))
        return bool(outweighing)

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


def _sentence_of(text: str, at: int) -> int:
    """Which sentence of ``text`` the character at ``at`` is in, counting from 0."""
    return len(FULL_STOP.findall(text, 0, at))


def _drop_found_only_by(found: _Findings, words_of: dict[str, frozenset[str]], rule: str,
                        reasons: list[Reason]) -> None:
    """Set aside each category whose every word found is one of ``words_of`` its own."""
    for slug, words in list(found.category_words.items()):
        only = words_of.get(slug)
        if only and words and all(word in only for word in words):
            reasons.append(Reason("category", rule, tuple(words)))
            del found.category_words[slug]
            found.category_score.pop(slug, None)
            found.category_strong.discard(slug)
            found.category_main.discard(slug)


def _forget_misconduct_between(found: _Findings, start: int, end: int) -> None:
    kept = [(word, at) for word, at in zip(found.misconduct_words, found.misconduct_at, strict=True)
            if not start <= at < end]
    found.misconduct_words = [word for word, _ in kept]
    found.misconduct_at = [at for _, at in kept]


def _within(at: int, spans: list[tuple[int, int]]) -> bool:
    return any(first <= at < last for first, last in spans)


def _alternatives(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern matching any of ``words`` (normalised), longest first; never matches for none."""
    kept = sorted({normalise(word) for word in words} - {""}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, kept)) or r"(?!x)x")
