"""The learned fallback: what complaints like this one were, when the table cannot tell.

Two character n-gram classifiers (scikit-learn: TF-IDF over the text as ``Reading`` reads it,
then logistic regression), trained on complaints whose answer a dispatcher gave: the
examples shipped in ``examples/`` (written by people who never saw the table, each with the
answer the lead unit would give). One proposes the category of a text whose keywords leave the
engine unsure; the other says how likely the text accuses an official when the table's words
found no clue. The table stays the explanation: a decision the model touched says so in its
reasons, with the n-grams that weighed most, and it is always left for the lead unit's triage.

Trained once per process and set of examples (about a second), on the first text that needs it.
Inference reads the fitted model's weights directly: the pipeline's own ``predict_proba`` takes
about 1.5 ms per text, ten times the whole routing decision; ``test_routing_learned`` checks
both give the same probabilities.
"""

from __future__ import annotations

import hashlib
import json
import math
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


class _Classifier:
    """One fitted TF-IDF + logistic regression, scored without the pipeline's overhead."""

    def __init__(self, texts: Sequence[str], labels: Sequence[str], balanced: bool) -> None:
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True)
        matrix = self.vectorizer.fit_transform(texts)
        self.model = LogisticRegression(C=STRENGTH, max_iter=3000,
                                        class_weight="balanced" if balanced else None)
        self.model.fit(matrix, labels)
        self.labels: list[str] = [str(label) for label in self.model.classes_]
        self._analyse: Callable[[str], list[str]] = self.vectorizer.build_analyzer()
        self._index: dict[str, int] = self.vectorizer.vocabulary_
        self._idf = self.vectorizer.idf_
        # A binary model keeps one row of weights, for the second class: given both rows (the
        # first its negation), one softmax over halved scores serves both kinds of model.
        self._binary = len(self.labels) == 2
        self._coef = np.vstack([-self.model.coef_, self.model.coef_]) if self._binary else self.model.coef_
        self._intercept = (np.concatenate([-self.model.intercept_, self.model.intercept_])
                           if self._binary else self.model.intercept_)
        self._names = self.vectorizer.get_feature_names_out()

    def lean(self, text: str) -> Lean:
        counts = Counter(self._analyse(text))
        found = [(self._index[gram], count) for gram, count in counts.items() if gram in self._index]
        if not found:
            probabilities = self._probabilities(self._intercept)
            best = int(np.argmax(probabilities))
            return Lean(self.labels[best], float(probabilities[best]), ())
        columns = np.fromiter((column for column, _ in found), dtype=np.intp, count=len(found))
        # TF-IDF as the vectorizer makes it: 1 + log(tf), times idf, the row scaled to length 1.
        values = np.fromiter((1.0 + math.log(count) for _, count in found), dtype=float,
                             count=len(found)) * self._idf[columns]
        values /= np.linalg.norm(values)
        contributions = self._coef[:, columns] * values
        probabilities = self._probabilities(contributions.sum(axis=1) + self._intercept)
        best = int(np.argmax(probabilities))
        order = np.argsort(-contributions[best])[:SHOWN]
        ngrams = tuple(str(self._names[columns[at]]).strip() for at in order
                       if contributions[best][at] > 0)
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

    def category(self, text: str) -> Lean:
        """``text`` as read by the engine: the category most like it."""
        return self._models()[0].lean(text)

    def clue(self, text: str) -> Lean:
        """How likely ``text`` (as read) accuses an official: label "clue" or "none"."""
        return self._models()[1].lean(text)

    def warm(self) -> None:
        """Train now rather than on the first unsure text (a web worker at start-up)."""
        self._models()

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
            texts = [read(example.text) for example in examples]
            clues = [LEARNED_CLUE if example.discipline_clue else "none" for example in examples]
            _CACHE[key] = (
                _Classifier(texts, [example.category for example in examples], balanced=False),
                _Classifier(texts, clues, balanced=True),
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
