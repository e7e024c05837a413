"""The learned fallback: what complaints like this one were, when the table cannot tell.

Two character n-gram classifiers (scikit-learn: TF-IDF over the text as ``Reading`` reads it,
then logistic regression), trained on complaints whose answer a dispatcher gave: the
examples shipped in ``examples/`` (written by people who never saw the table, each with the
answer the lead unit would give). One proposes the category of a text whose keywords leave the
engine unsure; the other says how likely the text accuses an official when the table's words
found no clue. The table stays the explanation: a decision the model touched says so in its
reasons, with the n-grams that weighed most, and it is always left for the lead unit's triage.

Trained once per process and set of examples (about a second), on the first text that needs it.
Inference reads the fitted model's weights directly, and both classifiers share one reading of
a text: the pipeline's own ``predict_proba`` takes about 1.5 ms per text, more than the whole
routing decision; ``test_routing_learned`` checks both give the same probabilities.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

EXAMPLES = Path(__file__).with_name("examples")
NGRAMS = (1, 3)
# Inverse regularisation: little data, many n-grams; chosen by leaving each example set out.
STRENGTH = 10.0
LEARNED_CLUE = "clue"
# The n-grams shown to staff as why the model leaned as it did.
SHOWN = 5


class ExamplesError(ValueError):
    """An example names a category the table does not have, or is malformed."""


@dataclass(frozen=True)
class Example:
    text: str
    category: str
    discipline_clue: bool


@dataclass(frozen=True)
class Lean:
    """What the model makes of a text: a label, its probability, the n-grams behind it."""

    label: str
    probability: float
    ngrams: tuple[str, ...]


def load_examples(categories: Iterable[str], folder: Path = EXAMPLES) -> tuple[Example, ...]:
    """Every example in ``folder`` (JSON lists as ``routing score`` reads them), checked against
    the table's categories: an example the table cannot route stops the start-up, named."""
    known = set(categories)
    examples = []
    for path in sorted(folder.glob("*.json")):
        try:
            items = json.loads(path.read_text("utf-8"))
        except json.JSONDecodeError as error:
            raise ExamplesError(f"{path.name}: not JSON ({error})") from error
        for number, item in enumerate(items, start=1):
            try:
                expect = item["expect"]
                example = Example(str(item["text"]), str(expect["category"]),
                                  bool(expect["discipline_clue"]))
            except (KeyError, TypeError) as error:
                raise ExamplesError(f"{path.name} item {number}: missing {error}") from error
            if example.category not in known:
                raise ExamplesError(f"{path.name} item {number}: unknown category {example.category!r}")
            examples.append(example)
    return tuple(examples)


class _Features:
    """The fitted TF-IDF vocabulary, read without the vectorizer's per-call overhead: both
    classifiers are trained on the same texts, so one reading of a text serves both."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True)
        self.matrix = self.vectorizer.fit_transform(texts)
        self._analyse: Callable[[str], list[str]] = self.vectorizer.build_analyzer()
        self._index: dict[str, int] = self.vectorizer.vocabulary_
        self._idf: np.ndarray = self.vectorizer.idf_
        self.names = self.vectorizer.get_feature_names_out()

    def of(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The text's known n-grams (columns) and their TF-IDF weights, as the vectorizer makes
        them: 1 + log(tf), times idf, the row scaled to length 1."""
        counts = Counter(self._analyse(text))
        columns = np.array([self._index.get(gram, -1) for gram in counts], dtype=np.intp)
        known = columns >= 0
        columns = columns[known]
        if not columns.size:
            return columns, np.empty(0)
        values = (1.0 + np.log(np.array(list(counts.values()), dtype=float)[known])) * self._idf[columns]
        return columns, values / np.linalg.norm(values)


class _Classifier:
    """One logistic regression over the shared features."""

    def __init__(self, features: _Features, labels: Sequence[str], balanced: bool) -> None:
        self.features = features
        self.model = LogisticRegression(C=STRENGTH, max_iter=3000,
                                        class_weight="balanced" if balanced else None)
        self.model.fit(features.matrix, labels)
        self.labels: list[str] = [str(label) for label in self.model.classes_]
        # A binary model keeps one row of weights, for the second class: given both rows (the
        # first its negation), one softmax over halved scores serves both kinds of model.
        self._binary = len(self.labels) == 2
        coef = np.vstack([-self.model.coef_, self.model.coef_]) if self._binary else self.model.coef_
        # One row per n-gram, so a text's n-grams are read as contiguous rows.
        self._weights = np.ascontiguousarray(coef.T)
        self._intercept = (np.concatenate([-self.model.intercept_, self.model.intercept_])
                           if self._binary else self.model.intercept_)

    def lean(self, features: tuple[np.ndarray, np.ndarray]) -> Lean:
        columns, values = features
        if not columns.size:
            probabilities = self._probabilities(self._intercept)
            best = int(np.argmax(probabilities))
            return Lean(self.labels[best], float(probabilities[best]), ())
        contributions = self._weights[columns] * values[:, None]
        probabilities = self._probabilities(contributions.sum(axis=0) + self._intercept)
        best = int(np.argmax(probabilities))
        mine = contributions[:, best]
        order = np.argsort(-mine)[:SHOWN]
        ngrams = tuple(str(self.features.names[columns[at]]).strip() for at in order if mine[at] > 0)
        return Lean(self.labels[best], float(probabilities[best]), ngrams)

    def _probabilities(self, scores: np.ndarray) -> np.ndarray:
        if self._binary:
            scores = scores / 2  # softmax of (-s/2, s/2) is the sigmoid of s
        shifted = np.exp(scores - scores.max())
        return shifted / shifted.sum()


class LearnedReader:
    """The two classifiers over one set of examples, trained on first use."""

    def __init__(self, examples: Sequence[Example], read: Callable[[str], str], reading: str) -> None:
        """``read`` is the engine's reading of a text; ``reading`` names it (the table's version),
        since the same examples read by another table are other training data."""
        self.examples = tuple(examples)
        self._read = read
        self._reading = reading
        self._lock = threading.Lock()
        self._fitted: tuple[_Classifier, _Classifier] | None = None
        # The last text's features: a decision may ask both classifiers of one text.
        self._last: tuple[str, tuple[np.ndarray, np.ndarray]] | None = None

    def category(self, text: str) -> Lean:
        """``text`` as read by the engine: the category most like it."""
        model = self._models()[0]
        return model.lean(self._features(model.features, text))

    def clue(self, text: str) -> Lean:
        """How likely ``text`` (as read) accuses an official: label "clue" or "none"."""
        model = self._models()[1]
        return model.lean(self._features(model.features, text))

    def warm(self) -> None:
        """Train now rather than on the first unsure text (a web worker at start-up)."""
        self._models()

    def _features(self, features: _Features, text: str) -> tuple[np.ndarray, np.ndarray]:
        last = self._last  # one read: another thread may replace it meanwhile
        if last is not None and last[0] == text:
            return last[1]
        found = features.of(text)
        self._last = (text, found)
        return found

    def _models(self) -> tuple[_Classifier, _Classifier]:
        if self._fitted is None:
            with self._lock:
                if self._fitted is None:
                    self._fitted = _trained(self.examples, self._read, self._reading)
        return self._fitted


# Keyed by the examples themselves: every router of a process over the same examples (the app,
# the CLI, the tests' many apps) shares one training.
_CACHE: dict[str, tuple[_Classifier, _Classifier]] = {}
_CACHE_LOCK = threading.Lock()


def _trained(examples: tuple[Example, ...], read: Callable[[str], str],
             reading: str) -> tuple[_Classifier, _Classifier]:
    key = f"{reading}:{_digest(examples)}"
    with _CACHE_LOCK:
        if key not in _CACHE:
            features = _Features([read(example.text) for example in examples])
            clues = [LEARNED_CLUE if example.discipline_clue else "none" for example in examples]
            _CACHE[key] = (
                _Classifier(features, [example.category for example in examples], balanced=False),
                _Classifier(features, clues, balanced=True),
            )
        return _CACHE[key]


def _digest(examples: tuple[Example, ...]) -> str:
    hasher = hashlib.sha256()
    for example in examples:
        hasher.update(json.dumps([example.text, example.category, example.discipline_clue],
                                 ensure_ascii=False).encode())
    return hasher.hexdigest()


@lru_cache(maxsize=4)
def shipped_examples(categories: tuple[str, ...]) -> tuple[Example, ...]:
    return load_examples(categories)
