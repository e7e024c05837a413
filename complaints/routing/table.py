"""The lead-unit table (``table.toml``): load it, check every entry, name what is wrong."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from complaints.core.vocabulary import HouseholdType, HouseStructure, UnitKind
from complaints.routing.units import UnitSpec, UnitTableError, enum_value, parse_unit_table

TOWNSHIP = "township"  # in lead / co_units: the complaint's own township
FALLBACK_CATEGORY = "other"
SHIPPED_TABLE = "complaints/routing/table.toml"


@dataclass(frozen=True)
class DeadlineRules:
    """How long each step may take (see [deadlines] in the table)."""

    accept_working_days: int = 1
    assign_working_days: int = 1
    resolve_working_days: int = 15
    resolve_calendar_days: int | None = None  # when set, wins over resolve_working_days
    clue_transfer_working_days: int = 5
    notify_reporter_working_days: int = 15
    extension_max_days: int = 30
    objection_working_days: int = 5
    review_request_days: int = 30
    callback_after_working_days: int = 3
    roster_appraisal_months: int = 1
    review_decide_days: int = 30
    max_days_accept_to_resolve: int = 60
    due_soon_working_days: int = 2
    follow_up_working_days: int = 15


DEADLINE_FIELDS = tuple(DeadlineRules.__dataclass_fields__)


@dataclass(frozen=True)
class CategorySpec:
    slug: str
    name: str
    lead: str  # a unit slug, or TOWNSHIP
    co_units: tuple[str, ...]
    deadlines: DeadlineRules
    negatable: bool
    outranks: tuple[str, ...]
    keywords: tuple[str, ...]
    weak_keywords: tuple[str, ...]
    closing_check: bool = False  # 办结审核: the lead unit checks a unit's resolution first
    # The category's words count only in a text holding one of these (a new house, for
    # "still living in the old one"); empty: always.
    requires: tuple[str, ...] = ()
    # Word lists of which one sentence holding a word of each counts as a keyword
    # ("名单" ... "没有我"): what the writer says is told in two places of a sentence.
    together: tuple[tuple[str, ...], ...] = ()
    # Of its words, those that tell what an accused official did (a cadre's threat to one who
    # complains): in a text accusing an official and showing no impostor, they count for
    # nothing here; the case is about the house, the clue about him.
    officials_words: tuple[str, ...] = ()
    # The category's words that, in a text naming a builder or a seller (an [accusation]
    # other_people word), are said of them: "施工队…骗子！" is abuse, "供货商…假冒的" goods.
    sellers_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class HouseholdSpec:
    slug: HouseholdType
    co_unit: str | None
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class AccusationRules:
    """The words that show which unit a discipline clue accuses (see [accusation] in the table)."""

    staff_words: tuple[str, ...]  # posts: after a unit's name they accuse that unit
    after_unit_words: tuple[str, ...]  # "的人": a post only right after a unit's name
    links: tuple[str, ...]  # what may stand between a unit's name and the post ("的")
    village_words: tuple[str, ...]  # village cadres: the complaint's township is accused
    township_words: tuple[str, ...]  # township cadres with no unit named: the township
    favour_words: tuple[str, ...]  # money and favours: a clause holding one is an allegation
    continuation_words: tuple[str, ...]  # a clause holding one, after an allegation, goes with it
    # An act of misconduct told in ordinary words: with a post in its clause, a discipline clue.
    act_words: tuple[str, ...] = ()
    # Someone only posing as an official: a clause holding one raises no clue (it is fraud).
    impersonation_words: tuple[str, ...] = ()
    # A writer who blames nobody ("我也不是说有谁故意"): no clue from any sentence of the text.
    nobody_words: tuple[str, ...] = ()
    # What an act may be done to in the ordinary course ("村干部收了申请材料"): no clue.
    ordinary_objects: tuple[str, ...] = ()
    # An official's relative ("村主任的亲弟弟"): an act only with money or a favour in the same
    # sentence ("名额给了村主任的亲弟弟"; not "村主任的哥哥家也漏雨").
    relative_words: tuple[str, ...] = ()
    # People who are no officials (a builder, a shop, a swindler): in a sentence naming one of
    # them, "他" is no longer the official named sentences before, nor the misconduct his.
    other_people: tuple[str, ...] = ()
    # Surnames: "小陈", "老林", "林某" right after a unit's name are its staff.
    surnames: tuple[str, ...] = ()


# Each list of [accusation], and whether it may be empty.
ACCUSATION_LISTS = {
    "staff_words": False, "after_unit_words": True, "links": True, "village_words": False,
    "township_words": False, "favour_words": True, "continuation_words": True,
    "act_words": True, "impersonation_words": True, "nobody_words": True, "ordinary_objects": True,
    "relative_words": True, "other_people": True, "surnames": True,
}


@dataclass(frozen=True)
class HelperProblem:
    """One entry of the short list a helper picks from: what it is called, the case's category."""

    slug: str
    name: str
    category: str


@dataclass(frozen=True)
class CampaignRules:
    """The campaign's other mechanisms (see [campaign] in the table)."""

    # Houses the townships visit every quarter (跟踪回访).
    visit_structures: tuple[HouseStructure, ...] = (
        HouseStructure.EARTH, HouseStructure.EARTH_WOOD, HouseStructure.BRICK_WOOD)
    # A helper's report goes to the household's township; these units see it as co-units.
    helper_co_units: tuple[str, ...] = ()
    helper_problems: tuple[HelperProblem, ...] = ()
    monthly_report_day: int = 22   # the townships' monthly report, due before or on this day
    summary_month: int = 11        # the campaign's summary, due on this day of this month
    summary_day: int = 12


@dataclass(frozen=True)
class LearnedRules:
    """When the learned fallback may speak (see [learned] in the table). 1.0 silences it."""

    # The category it proposes for a text whose keywords leave the engine unsure.
    category_least: float = 0.4
    # A discipline clue where the table's words found none.
    clue_least: float = 0.7


@dataclass(frozen=True)
class RoutingTable:
    version: str
    units: tuple[UnitSpec, ...]
    categories: tuple[CategorySpec, ...]
    households: tuple[HouseholdSpec, ...]
    misconduct_keywords: tuple[str, ...]
    misconduct_negatable: bool
    negation_words: tuple[str, ...]
    negation_window: int
    deadlines: DeadlineRules
    accusation: AccusationRules
    # What residents write -> the word the table uses (Minnan, miswritings): see [lexicon].
    lexicon: tuple[tuple[str, str], ...] = ()
    # Words after a hazard saying it is fine ("挡土墙是好的"): see [negation].
    fine_words: tuple[str, ...] = ()
    # Words right before a keyword that deny it in any category ("不是邻居不配合"): see [negation].
    denial_words: tuple[str, ...] = ()
    # Where the house is when a text names several places: see [location].
    house_words: tuple[str, ...] = ()
    house_after_words: tuple[str, ...] = ()
    elsewhere_words: tuple[str, ...] = ()
    # Words that mark the main issue of a long text ("最要紧的是"): see [emphasis].
    emphasis_words: tuple[str, ...] = ()
    emphasis_after_words: tuple[str, ...] = ()  # after it: "这个才是我打电话的原因"
    minor_words: tuple[str, ...] = ()  # in the sentence the writer sets aside: "这个倒无所谓"
    campaign: CampaignRules = CampaignRules()
    learned: LearnedRules = LearnedRules()

    @property
    def words(self) -> tuple[str, ...]:
        """Every word the engine matches: keywords, names, aliases, the accusation's words."""
        found: list[str] = []
        for category in self.categories:
            found += [*category.keywords, *category.weak_keywords, *category.requires]
            found += [word for words in category.together for word in words]
        for household in self.households:
            found += household.keywords
        for unit in self.units:
            found += [unit.name, *unit.aliases]
        found += [*self.misconduct_keywords, *self.house_words, *self.house_after_words,
                  *self.elsewhere_words,
                  *self.emphasis_words, *self.emphasis_after_words, *self.minor_words,
                  *self.fine_words, *self.negation_words, *self.denial_words]
        rules = self.accusation
        for name in ACCUSATION_LISTS:
            found += getattr(rules, name)
        return tuple(dict.fromkeys(found))

    @property
    def homophone_words(self) -> tuple[str, ...]:
        """The words the phonetic pass may find written with characters that sound alike: what
        names a hazard, a household, a place, a post or misconduct. Not the short verbs and
        particles of [accusation] (拿去, 交了, 的人), which ordinary words sound like (哪去, 教了);
        typed pinyin may spell any word."""
        rules = self.accusation
        ordinary = {*rules.act_words, *rules.after_unit_words, *rules.links, *rules.continuation_words,
                    *rules.favour_words, *rules.ordinary_objects, *rules.impersonation_words,
                    *rules.nobody_words, *rules.relative_words, *rules.other_people, *rules.surnames}
        keywords = {word for category in self.categories
                    for word in (*category.keywords, *category.weak_keywords)}
        # What a category requires, the halves of a `together` and what sets a matter aside are
        # everyday words (还没, 没有我, 不急): only as written (上个月 is not 三个月, 来不及 not 不急).
        ordinary |= {word for category in self.categories
                     for word in (*category.requires, *(w for words in category.together for w in words))
                     } - keywords
        # Negations too: typed in pinyin they are found ("bu shi wei fang"), never as homophones.
        ordinary |= set(self.minor_words) | set(self.fine_words)
        ordinary |= {*self.negation_words, *self.denial_words}
        # Where a writer says the house is, or they are, and what matters most, are everyday
        # words too (家宅 is no 家在).
        ordinary |= {*self.house_words, *self.house_after_words, *self.elsewhere_words,
                     *self.emphasis_words, *self.emphasis_after_words}
        # People and things that are also a category's keyword (包工头, 名额) are nouns, heard
        # miswritten like any keyword (包公头, 明额); only the everyday verbs stay as written.
        kept = {*rules.staff_words, *rules.village_words, *rules.township_words,
                *self.misconduct_keywords,
                *({*rules.other_people, *rules.favour_words} & keywords)}
        return tuple(word for word in self.words if word not in ordinary or word in kept)

    def deadlines_for(self, category: str | None) -> DeadlineRules:
        if category in self.category_slugs:
            return self.category(category).deadlines
        return self.deadlines

    def unit(self, slug: str) -> UnitSpec:
        return next(unit for unit in self.units if unit.slug == slug)

    def category(self, slug: str) -> CategorySpec:
        return next(category for category in self.categories if category.slug == slug)

    @property
    def category_slugs(self) -> tuple[str, ...]:
        return tuple(category.slug for category in self.categories)

    @property
    def townships(self) -> tuple[UnitSpec, ...]:
        return tuple(u for u in self.units if u.kind in (UnitKind.TOWNSHIP, UnitKind.ZONE))

    @property
    def lead_unit(self) -> UnitSpec:
        """The unit of kind ``lead`` (the housing bureau): dispatches, supervises, reports."""
        return next(u for u in self.units if u.kind is UnitKind.LEAD)

    @property
    def commission(self) -> UnitSpec:
        """The unit of kind ``commission``: clues reach it by transfer, never by routing."""
        return next(u for u in self.units if u.kind is UnitKind.COMMISSION)

    @property
    def handling_units(self) -> tuple[UnitSpec, ...]:
        """The units a case can be dispatched or transferred to: all but the commission."""
        return tuple(u for u in self.units if u.kind is not UnitKind.COMMISSION)


def load_routing_table(path: Path | None = None) -> RoutingTable:
    if path is None:
        return _shipped_table()
    return _parse_text(path.read_text("utf-8"), str(path))


@cache
def _shipped_table() -> RoutingTable:
    """The table shipped in the package, parsed once per process (it cannot change under it)."""
    text = resources.files("complaints.routing").joinpath("table.toml").read_text("utf-8")
    return _parse_text(text, SHIPPED_TABLE)


def _parse_text(text: str, where: str) -> RoutingTable:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UnitTableError(f"{where}: {error}") from None
    return parse_routing_table(raw, where)


def parse_routing_table(raw: dict[str, Any], where: str) -> RoutingTable:
    unknown = set(raw) - {"version", "unit", "category", "household", "misconduct", "negation",
                          "deadlines", "accusation", "lexicon", "location", "emphasis", "campaign",
                          "learned"}
    if unknown:
        raise UnitTableError(f"{where}: unknown section(s) {', '.join(sorted(unknown))}")
    version = raw.get("version")
    if not isinstance(version, str) or not version:
        raise UnitTableError(f"{where}: `version` must be set, e.g. \"2026-11-28.1\"")
    units = parse_unit_table(raw, where)
    unit_slugs = {unit.slug for unit in units}
    defaults = _deadlines(raw.get("deadlines", {}), DeadlineRules(), f"{where}: [deadlines]")
    categories = _categories(raw.get("category"), where, unit_slugs, defaults)
    households = _households(raw.get("household"), where, unit_slugs)
    misconduct = raw.get("misconduct", {})
    negation = raw.get("negation", {})
    window = negation.get("window", 4)
    if not isinstance(window, int) or not 1 <= window <= 10:
        raise UnitTableError(f"{where}: [negation] window must be a whole number from 1 to 10")
    return RoutingTable(
        version=version,
        units=units,
        categories=categories,
        households=households,
        misconduct_keywords=_words(misconduct.get("keywords"), f"{where}: [misconduct] keywords"),
        misconduct_negatable=_flag(misconduct.get("negatable", True), f"{where}: [misconduct] negatable"),
        negation_words=_words(negation.get("words"), f"{where}: [negation] words"),
        negation_window=window,
        fine_words=_words(negation.get("fine_words", []), f"{where}: [negation] fine_words",
                          allow_empty=True),
        denial_words=_words(negation.get("denial_words", []), f"{where}: [negation] denial_words",
                            allow_empty=True),
        deadlines=defaults,
        accusation=_accusation(raw.get("accusation"), f"{where}: [accusation]", units),
        lexicon=_lexicon(raw.get("lexicon", {}), f"{where}: [lexicon]"),
        **_location(raw.get("location", {}), f"{where}: [location]"),
        **_emphasis(raw.get("emphasis", {}), f"{where}: [emphasis]"),
        campaign=_campaign(raw.get("campaign", {}), f"{where}: [campaign]", unit_slugs,
                           {category.slug for category in categories}),
        learned=_learned(raw.get("learned", {}), f"{where}: [learned]"),
    )


def _learned(raw: Any, here: str) -> LearnedRules:
    fields = {"category_least", "clue_least"}
    if not isinstance(raw, dict) or set(raw) - fields:
        raise UnitTableError(f"{here} holds only {', '.join(sorted(fields))}")
    values = {name: raw.get(name, getattr(LearnedRules(), name)) for name in fields}
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
            raise UnitTableError(f"{here}: {name} must be a probability above 0 and at most 1")
    return LearnedRules(**{name: float(value) for name, value in values.items()})


CAMPAIGN_FIELDS = {"visit_structures", "helper_co_units", "helper_problem", "monthly_report_day",
                   "summary_month", "summary_day"}


def _campaign(raw: Any, here: str, unit_slugs: set[str], category_slugs: set[str]) -> CampaignRules:
    if not isinstance(raw, dict) or set(raw) - CAMPAIGN_FIELDS:
        raise UnitTableError(f"{here} holds only {', '.join(sorted(CAMPAIGN_FIELDS))}")
    base = CampaignRules()
    structures = tuple(enum_value(HouseStructure, {"value": value}, "value", f"{here} visit_structures")
                       for value in raw.get("visit_structures", list(base.visit_structures)))
    co_units = _words(raw.get("helper_co_units", []), f"{here} helper_co_units", allow_empty=True)
    for slug in co_units:
        if slug not in unit_slugs:
            raise UnitTableError(f"{here} helper_co_units: unknown unit {slug!r}")
    problems = []
    for index, entry in enumerate(raw.get("helper_problem", []), start=1):
        where = f"{here} helper_problem #{index}"
        if not isinstance(entry, dict) or set(entry) != {"slug", "name", "category"}:
            raise UnitTableError(f"{where} needs slug, name and category, and nothing else")
        if entry["category"] not in category_slugs:
            raise UnitTableError(f"{where}: unknown category {entry['category']!r}")
        problems.append(HelperProblem(str(entry["slug"]), str(entry["name"]), entry["category"]))
    if len({problem.slug for problem in problems}) != len(problems):
        raise UnitTableError(f"{here}: two helper problems share a slug")
    days = {name: raw.get(name, getattr(base, name))
            for name in ("monthly_report_day", "summary_month", "summary_day")}
    for name, value in days.items():
        top = 12 if name == "summary_month" else 28
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= top:
            raise UnitTableError(f"{here}: {name} must be a whole number from 1 to {top}")
    return CampaignRules(visit_structures=structures, helper_co_units=co_units,
                         helper_problems=tuple(problems), **days)


def _emphasis(raw: Any, here: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict) or set(raw) - {"words", "after_words", "minor_words"}:
        raise UnitTableError(f"{here} holds only words, after_words and minor_words")
    return {"emphasis_words": _words(raw.get("words", []), f"{here} words", allow_empty=True),
            "emphasis_after_words": _words(raw.get("after_words", []), f"{here} after_words",
                                           allow_empty=True),
            "minor_words": _words(raw.get("minor_words", []), f"{here} minor_words",
                                  allow_empty=True)}


def _location(raw: Any, here: str) -> dict[str, tuple[str, ...]]:
    names = {"house_words": "house_words", "house_after_words": "after_words",
             "elsewhere_words": "elsewhere_words"}
    if not isinstance(raw, dict) or set(raw) - set(names.values()):
        raise UnitTableError(f"{here} holds only house_words, after_words and elsewhere_words")
    return {field: _words(raw.get(key, []), f"{here} {key}", allow_empty=True)
            for field, key in names.items()}


def _lexicon(raw: Any, here: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, dict):
        raise UnitTableError(f"{here} must be a table of \"written\" = \"meant\"")
    for written, meant in raw.items():
        # A word mapped to itself is read as written: never as a table word that sounds like it.
        if not isinstance(meant, str) or not meant or not written:
            raise UnitTableError(f"{here}: {written!r} must map to a non-empty word")
    return tuple(raw.items())


def _accusation(raw: Any, here: str, units: tuple[UnitSpec, ...]) -> AccusationRules:
    if not isinstance(raw, dict):
        raise UnitTableError(f"{here} is missing")
    unknown = set(raw) - set(ACCUSATION_LISTS)
    if unknown:
        raise UnitTableError(f"{here}: unknown field(s) {', '.join(sorted(unknown))}")
    lists = {name: _words(raw.get(name, []), f"{here} {name}", allow_empty=allow_empty)
             for name, allow_empty in ACCUSATION_LISTS.items()}
    # A unit's own name in these lists would accuse whatever unit comes next to it.
    names = {name: unit.slug for unit in units for name in (unit.name, *unit.aliases)}
    for name, words in lists.items():
        for word in words:
            if word in names:
                raise UnitTableError(f"{here} {name}: {word!r} is a name of unit {names[word]!r}")
    return AccusationRules(**lists)


def _deadlines(raw: Any, base: DeadlineRules, here: str) -> DeadlineRules:
    if not isinstance(raw, dict):
        raise UnitTableError(f"{here} must be a table of deadlines")
    unknown = set(raw) - set(DEADLINE_FIELDS)
    if unknown:
        raise UnitTableError(f"{here}: unknown deadline(s) {', '.join(sorted(unknown))}")
    for name, value in raw.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 366:
            raise UnitTableError(f"{here}: {name} must be a whole number of days from 1 to 366")
    return replace(base, **raw)


CATEGORY_FIELDS = {"slug", "name", "lead", "co_units", "deadlines", "negatable",
                   "outranks", "keywords", "weak_keywords", "closing_check", "requires",
                   "together", "officials_words", "sellers_words"}


def _categories(
    entries: Any, where: str, unit_slugs: set[str], defaults: DeadlineRules
) -> tuple[CategorySpec, ...]:
    if not isinstance(entries, list) or not entries:
        raise UnitTableError(f"{where}: no [[category]] entries")
    seen: set[str] = set()
    specs = tuple(_category(entry, position, where, seen, unit_slugs, defaults)
                  for position, entry in enumerate(entries, start=1))
    # Only once every slug is known can what a category outranks be checked.
    for spec in specs:
        for other in spec.outranks:
            if other not in seen or other == spec.slug:
                raise UnitTableError(
                    f"{where}: category {spec.slug!r}: outranks {other!r}, which is not another category"
                )
    if FALLBACK_CATEGORY not in seen:
        raise UnitTableError(f"{where}: the fallback category {FALLBACK_CATEGORY!r} is missing")
    if next(s for s in specs if s.slug == FALLBACK_CATEGORY).lead == TOWNSHIP:
        raise UnitTableError(f"{where}: category 'other' needs a unit as lead, not the township")
    return specs


def _category(entry: Any, position: int, where: str, seen: set[str], unit_slugs: set[str],
              defaults: DeadlineRules) -> CategorySpec:
    """One ``[[category]]`` entry, checked; its slug is added to ``seen``."""
    slug = entry.get("slug")
    here = f"{where}: category {slug!r}" if slug else f"{where}: category #{position}"
    if not isinstance(slug, str) or not slug or len(slug) > 40:
        raise UnitTableError(f"{here}: slug must be 1-40 characters")
    if slug in seen:
        raise UnitTableError(f"{here}: duplicate slug")
    seen.add(slug)
    unknown = set(entry) - CATEGORY_FIELDS
    if unknown:
        raise UnitTableError(f"{here}: unknown field(s) {', '.join(sorted(unknown))}")
    name = entry.get("name")
    if not isinstance(name, str) or not 1 <= len(name) <= 40:
        raise UnitTableError(f"{here}: name must be 1-40 characters")
    lead, co_units = _category_units(entry, here, unit_slugs)
    deadlines = _deadlines(entry.get("deadlines", {}), defaults, f"{here}: deadlines")
    negatable = entry.get("negatable", False)
    if not isinstance(negatable, bool):
        raise UnitTableError(f"{here}: negatable must be true or false")
    outranks = entry.get("outranks", [])
    if not isinstance(outranks, list) or not all(isinstance(o, str) for o in outranks):
        raise UnitTableError(f"{here}: outranks must be a list of category slugs")
    closing_check = entry.get("closing_check", False)
    if not isinstance(closing_check, bool):
        raise UnitTableError(f"{here}: closing_check must be true or false")
    return CategorySpec(
        slug=slug, name=name, lead=lead, co_units=co_units, closing_check=closing_check,
        deadlines=deadlines, negatable=negatable, outranks=tuple(outranks),
        keywords=_words(entry.get("keywords", []), f"{here}: keywords", allow_empty=True),
        weak_keywords=_words(entry.get("weak_keywords", []), f"{here}: weak_keywords",
                             allow_empty=True),
        requires=_words(entry.get("requires", []), f"{here}: requires", allow_empty=True),
        together=_together(entry.get("together", []), f"{here}: together"),
        officials_words=_own_words(entry, "officials_words", here),
        sellers_words=_own_words(entry, "sellers_words", here),
    )


def _own_words(entry: dict[str, Any], name: str, here: str) -> tuple[str, ...]:
    words = _words(entry.get(name, []), f"{here}: {name}", allow_empty=True)
    own = {*entry.get("keywords", []), *entry.get("weak_keywords", [])}
    strangers = [word for word in words if word not in own]
    if strangers:
        raise UnitTableError(f"{here}: {name} must be the category's own keywords, "
                             f"not {', '.join(strangers)}")
    return words


def _together(value: Any, here: str) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list) or len(value) not in (0, 2):
        raise UnitTableError(f"{here} must be two lists of words (or none)")
    return tuple(_words(words, f"{here}[{place}]") for place, words in enumerate(value))


def _category_units(entry: Any, here: str, unit_slugs: set[str]) -> tuple[str, tuple[str, ...]]:
    """A category's lead and co-units: units of the table, or the complaint's township."""
    lead = entry.get("lead")
    if lead is None:
        raise UnitTableError(f"{here}: no lead unit")
    if lead != TOWNSHIP and lead not in unit_slugs:
        raise UnitTableError(f"{here}: lead {lead!r} is not a unit of the table")
    co_units = entry.get("co_units", [])
    if not isinstance(co_units, list):
        raise UnitTableError(f"{here}: co_units must be a list")
    for co_unit in co_units:
        if co_unit != TOWNSHIP and co_unit not in unit_slugs:
            raise UnitTableError(f"{here}: co-unit {co_unit!r} is not a unit of the table")
    return lead, tuple(co_units)


def _households(entries: Any, where: str, unit_slugs: set[str]) -> tuple[HouseholdSpec, ...]:
    if not isinstance(entries, list):
        raise UnitTableError(f"{where}: no [[household]] entries")
    specs: list[HouseholdSpec] = []
    for position, entry in enumerate(entries, start=1):
        here = f"{where}: household #{position}"
        slug = enum_value(HouseholdType, entry, "slug", here)
        here = f"{where}: household {slug.value!r}"
        unknown = set(entry) - {"slug", "co_unit", "keywords"}
        if unknown:
            raise UnitTableError(f"{here}: unknown field(s) {', '.join(sorted(unknown))}")
        co_unit = entry.get("co_unit")
        if co_unit is not None and co_unit not in unit_slugs:
            raise UnitTableError(f"{here}: co_unit {co_unit!r} is not a unit of the table")
        specs.append(HouseholdSpec(slug, co_unit, _words(entry.get("keywords"), f"{here}: keywords")))
    if len({spec.slug for spec in specs}) != len(specs):
        raise UnitTableError(f"{where}: a household type is listed twice")
    return tuple(specs)


def _flag(value: Any, here: str) -> bool:
    if not isinstance(value, bool):
        raise UnitTableError(f"{here} must be true or false")
    return value


def _words(value: Any, here: str, allow_empty: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list) or (not value and not allow_empty):
        raise UnitTableError(f"{here} must be a list of words")
    for word in value:
        if not isinstance(word, str) or not word.strip() or len(word) > 40:
            raise UnitTableError(f"{here}: {word!r} is not a word of 1-40 characters")
    return tuple(value)
