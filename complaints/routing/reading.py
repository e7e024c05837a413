"""Reading a complaint as residents write it, before any keyword is matched.

``Reading(table).read(text)`` returns the text the engine matches against:

1. full width to half width and Latin to lower case (NFKC), no spaces;
2. traditional characters to simplified (OpenCC's ``t2s``);
3. the table's ``[lexicon]``: Minnan words and common miswritings, each to the word the table
   uses (厝 -> 房子, 风台 -> 台风), longest first, so an official can add a word;
4. a phonetic pass (pypinyin): a run of characters or of typed pinyin that sounds like one of the
   table's words of two or more characters becomes that word: 为房 -> 危房, 云凌镇 -> 云陵镇,
   "xia he xiang" -> 下河乡. A run of characters must share a character with the word, so that
   an ordinary word that merely sounds alike (为防) is left alone. Sounds are compared as a
   speaker of southern Mandarin or Minnan says them: zh/ch/sh as z/c/s, -ng after a, e or i as
   -n (云林镇 -> 云陵镇, 申清 -> 申请).

Plain Python; built once per table (``Router`` holds one).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache

import opencc
from pypinyin import Style, lazy_pinyin, pinyin
from pypinyin.contrib.tone_convert import to_normal
from pypinyin.pinyin_dict import pinyin_dict

SPACES = re.compile(r"\s+")
LATIN = re.compile(r"[a-z]+")
HAN = re.compile(r"[\u4e00-\u9fff]")
LONGEST_SYLLABLE = 6  # zhuang, shuang


def normalise(text: str) -> str:
    """Full-width to half-width, Latin to lower case, no spaces (Chinese uses none)."""
    return SPACES.sub("", unicodedata.normalize("NFKC", text).lower())


def _without_tone_marks(text: str) -> str:
    """Typed pinyin with tone marks (fáng, lǜ) as plain letters (fang, lv). Chinese
    characters have no decomposition, so only marks on letters go."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    if len(decomposed) == len(text):
        return text  # nothing decomposed: no marks (the common case, a text all in characters)
    decomposed = unicodedata.normalize("NFD", text.replace("ü", "v").replace("ǖ", "v")
                                       .replace("ǘ", "v").replace("ǚ", "v").replace("ǜ", "v"))
    return unicodedata.normalize("NFC", "".join(
        char for char in decomposed if not unicodedata.combining(char)))


@cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@cache
def syllables() -> frozenset[str]:
    """Every toneless pinyin syllable, for cutting typed pinyin into syllables."""
    return frozenset(to_normal(reading) for readings in pinyin_dict.values()
                     for reading in readings.split(","))


RETROFLEX = re.compile(r"^([zcs])h")
BACK_NASAL = re.compile(r"([aei])ng$")


PARTICLES = frozenset("了的着过得地是不没")
EXACT_BELOW = 3  # words shorter than this, written in characters, match only by exact sound


@lru_cache(maxsize=4000)
def _fold(syllable: str) -> str:
    """A syllable as the south says it: zh, ch, sh and -ang, -eng, -ing merge with z, c, s and
    -an, -en, -in (the typos of a phone's pinyin input follow the writer's speech)."""
    return BACK_NASAL.sub(r"\1n", RETROFLEX.sub(r"\1", syllable))


@lru_cache(maxsize=20000)
def _sound_of(char: str) -> str:
    """A character's usual reading, folded; the table's words are indexed by all their readings."""
    return _fold(lazy_pinyin(char)[0])


@lru_cache(maxsize=20000)
def _sound_or_none(char: str) -> str | None:
    """A Chinese character's folded reading; ``None`` for anything else."""
    return _sound_of(char) if HAN.match(char) else None


def _sounds(word: str, every_reading: bool, most: int = 8) -> list[tuple[str, ...]]:
    """The ways ``word`` may be read: for a place name every reading of each character (厦
    xia or sha), for other words their usual one (塌 is ta, never the rare da of 大了)."""
    if not every_reading:
        return [tuple(map(_fold, lazy_pinyin(word)))]
    readings = [list(dict.fromkeys(options)) for options in
                pinyin(word, style=Style.NORMAL, heteronym=True)]
    return [tuple(map(_fold, sound)) for sound in itertools.islice(itertools.product(*readings), most)]


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


def longest_of(words: Iterable[str]) -> re.Pattern[str]:
    """Finds the longest of ``words`` at the leftmost place, the matches not overlapping; the
    leading character class lets the regex engine skip most positions."""
    words = list(words)
    first_chars = "".join(sorted({re.escape(word[0]) for word in words}))
    return re.compile(f"(?=[{first_chars}]){trie_pattern(words)}")


class _Literal:
    """Positions strictly inside a word of the table written right: no match may cut there.
    Worked out on the first question, since most texts never ask."""

    def __init__(self, pattern: re.Pattern[str] | None, text: str) -> None:
        self._pattern = pattern
        self._text = text
        self._spans: tuple[list[int], list[int]] | None = None

    def cuts(self, at: int) -> bool:
        if self._spans is None:
            found = list(self._pattern.finditer(self._text)) if self._pattern else []
            self._spans = [match.start() for match in found], [match.end() for match in found]
        starts, ends = self._spans
        # The words found do not overlap: only the last one starting before ``at`` may hold it.
        last = bisect_left(starts, at) - 1
        return last >= 0 and ends[last] > at


class Reading:
    def __init__(self, lexicon: Mapping[str, str], words: Iterable[str],
                 homophone_words: Iterable[str] | None = None,
                 place_names: Iterable[str] = ()) -> None:
        """``words`` are found in typed pinyin; those of ``homophone_words`` (default: all) also
        when written with characters that sound alike; ``place_names`` by any of their
        characters' readings."""
        places = frozenset(normalise(name) for name in place_names)
        # Keys as the text will be when the lexicon is applied: simplified (佇 is read as 伫).
        simplify = _to_simplified().convert
        self._lexicon = {simplify(normalise(k)): normalise(v) for k, v in lexicon.items() if normalise(k)}
        # Words of their own that sound like a table word (要到 like 要倒): the lexicon maps them
        # to themselves, and the phonetic pass leaves them as written.
        self._as_written = frozenset(word for word, meant in self._lexicon.items() if word == meant)
        self._lexicon_pattern = longest_of(self._lexicon) if self._lexicon else None
        # The table's words by their sound: (syllables) -> word, the first word of a sound wins.
        self._by_sound: dict[tuple[str, ...], str] = {}
        for word in words:
            key = normalise(word)
            if len(key) >= 2 and all(HAN.match(char) for char in key):
                for sound in _sounds(key, key in places):
                    self._by_sound.setdefault(sound, key)
        # For each first syllable, the lengths of the words starting with it, longest first.
        lengths: dict[str, set[int]] = {}
        for sound in self._by_sound:
            lengths.setdefault(sound[0], set()).add(len(sound))
        self._sizes = {first: sorted(sizes, reverse=True) for first, sizes in lengths.items()}
        # The first two syllables of every word: a place that starts none is passed over at once.
        self._pairs = frozenset(sound[:2] for sound in self._by_sound)
        self._spelled = frozenset(normalise(word) for word in words)
        self._homophones = (self._spelled if homophone_words is None
                            else frozenset(normalise(word) for word in homophone_words))
        # A window that cuts through one of these is no miswritten word (没有粉刷 holds no 没有份).
        spelled = sorted(set(self._by_sound.values()) | self._as_written, key=len, reverse=True)
        self._literal = longest_of(spelled) if spelled else None
        self._syllables = syllables()

    def read(self, text: str) -> str:
        text = _to_simplified().convert(_without_tone_marks(normalise(text)))
        if self._lexicon_pattern is not None:
            text = self._lexicon_pattern.sub(lambda match: self._lexicon[match.group(0)], text)
        return self._by_phonetics(text)

    def _by_phonetics(self, text: str) -> str:
        syllables, starts, ends = self._tokens(text)
        # From each token, how many tokens follow with a syllable: no window reaches past them.
        count = len(syllables)
        runs = [0] * (count + 1)
        for at in range(count - 1, -1, -1):
            runs[at] = runs[at + 1] + 1 if syllables[at] is not None else 0
        pairs = self._pairs
        literal = _Literal(self._literal, text)
        out: list[str] = []
        done = 0  # text before this is in ``out``
        i = 0
        while i < count:
            # Every word has two syllables or more: most places start none (a set lookup).
            if runs[i] < 2 or (syllables[i], syllables[i + 1]) not in pairs:
                i += 1
                continue
            found = self._word_at(text, starts, ends, syllables, runs[i], i, literal)
            if found is None:
                i += 1
                continue
            word, size = found
            out += [text[done:starts[i]], word]
            done, i = ends[i + size - 1], i + size
        out.append(text[done:])
        return "".join(out)

    def _word_at(self, text: str, starts: list[int], ends: list[int], syllables: list[str | None],
                 run: int, i: int, literal: _Literal) -> tuple[str, int] | None:
        # Tokens are contiguous (every character makes one), so a window is a run of text.
        sizes = self._sizes.get(syllables[i] or "")
        if not sizes:
            return None
        for size in sizes:
            if size > run:
                continue
            word = self._by_sound.get(tuple(syllables[i:i + size]))  # type: ignore[arg-type]
            if word is None:
                continue
            written = text[starts[i]:ends[i + size - 1]]
            if written in self._spelled or written in self._as_written:
                return None  # a word of the table, written right (大缝, not 大风), or one of its own
            han = [char for char in written if HAN.match(char)]
            if han and word not in self._homophones:
                continue
            # A miswritten word has one character wrong; more is another word that sounds alike
            # (为防, or 部一直 across 村干部一直).
            if han and sum(a == b for a, b in zip(written, word, strict=False)) < len(word) - 1:
                continue
            # Two characters that only meet through the south's merges are another word as often
            # as a miswritten one (不帮 is not 不搬): short words must sound exactly alike.
            if han and len(word) < EXACT_BELOW and lazy_pinyin(written) != lazy_pinyin(word):
                continue
            # Two characters whose only shared one is a particle carry their meaning in the
            # other, which sounds alike by chance (拳头了 is not 拳偷了).
            if han and len(word) == 2 and all(
                    a != b or a in PARTICLES for a, b in zip(written, word, strict=False)):
                continue
            if literal.cuts(starts[i]) or literal.cuts(ends[i + size - 1]):
                continue  # it would cut through a word the table has, written right
            return word, size
        return None

    def _tokens(self, text: str) -> tuple[list[str | None], list[int], list[int]]:
        """One token per Chinese character (its toneless pinyin) and per syllable of typed
        pinyin; ``None`` for anything else. As three lists (syllable, start, end): this runs
        over every character of every complaint, and an object per character costs a third of it."""
        syllables: list[str | None] = []
        starts: list[int] = []
        ends: list[int] = []
        at = 0
        for latin in LATIN.finditer(text):
            syllables += map(_sound_or_none, text[at:latin.start()])
            starts += range(at, latin.start())
            ends += range(at + 1, latin.start() + 1)
            for syllable, start, end in self._pinyin_tokens(latin.group(0), latin.start()):
                syllables.append(syllable)
                starts.append(start)
                ends.append(end)
            at = latin.end()
        syllables += map(_sound_or_none, text[at:])
        starts += range(at, len(text))
        ends += range(at + 1, len(text) + 1)
        return syllables, starts, ends

    def _pinyin_tokens(self, run: str, offset: int) -> list[tuple[str | None, int, int]]:
        """Typed pinyin cut into syllables, longest first; what is not pinyin stays ``None``."""
        tokens: list[tuple[str | None, int, int]] = []
        at = 0
        while at < len(run):
            for size in range(min(LONGEST_SYLLABLE, len(run) - at), 0, -1):
                if run[at:at + size] in self._syllables:
                    tokens.append((_fold(run[at:at + size]), offset + at, offset + at + size))
                    at += size
                    break
            else:
                tokens.append((None, offset + at, offset + at + 1))
                at += 1
        return tokens
