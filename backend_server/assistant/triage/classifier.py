"""The statistical part of the triage: TF-IDF over character n-grams and words, then a
regularised least-squares linear classifier (numpy only).

Trained at first use from the project's own German material (``training_de.jsonl``, made by
``make_training.py``); the trained model is cached in the process. Training takes a few
hundred milliseconds (mostly feature extraction), a prediction well under one. The emergency
rules (``rules.py``) override whatever this says: a statistical model is not trusted to
catch emergencies alone.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import json
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import numpy.typing as npt

from backend_server.assistant.analysis import CATEGORIES, Category

TRAINING_FILE = Path(__file__).with_name("training_de.jsonl")
# 4-grams alone generalise as well as 3-5-grams on held-out request sentences (cross-validated,
# ~86 %) at less than half the training time.
CHAR_NGRAMS = (4,)
MIN_DF = 2
# The ridge penalty: chosen by cross-validation over held-out request sentences
# (0.1-0.3 best; larger values underfit the short requests).
RIDGE = 0.3

_WORD = re.compile(r"[a-zäöüß]+", re.IGNORECASE)
_DIGITS = re.compile(r"\d")

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _normalise(text: str) -> str:
    # Digits carry no category (phone numbers, dates): one shape for all of them.
    return _DIGITS.sub("0", text.lower())


@functools.lru_cache(maxsize=65536)
def _word_terms(word: str) -> tuple[str, ...]:
    # Callers repeat words (and the training set repeats them more): computed once each.
    padded = f" {word} "
    grams = ["w:" + word]
    for n in CHAR_NGRAMS:
        grams.extend("c:" + padded[i:i + n] for i in range(len(padded) - n + 1))
    return tuple(grams)


def features(text: str) -> Counter[str]:
    """Term counts: word unigrams ("w:") and character n-grams inside words ("c:")."""
    counts: Counter[str] = Counter()
    for word in _WORD.findall(_normalise(text)):
        counts.update(_word_terms(word))
    return counts


@dataclass(frozen=True)
class Model:
    vocabulary: dict[str, int]
    idf: FloatArray
    # (features, classes) and (classes,): one linear scorer per class.
    weights: FloatArray
    bias: FloatArray
    classes: tuple[Category, ...]

    def _vector(self, text: str) -> tuple[IntArray, FloatArray]:
        return _tfidf(features(text), self.vocabulary, self.idf)

    def scores(self, text: str) -> dict[Category, float]:
        """Per class roughly +1 (is) ... -1 (is not): comparable within one text."""
        idx, values = self._vector(text)
        if idx.size == 0:
            # Nothing known was said (silence, noise): "other", not the bias's favourite.
            return {c: (1.0 if c == "other" else -1.0) for c in self.classes}
        raw = values @ self.weights[idx] + self.bias
        return {c: float(v) for c, v in zip(self.classes, raw, strict=True)}

    def predict(self, text: str) -> Category:
        scores = self.scores(text)
        return max(scores, key=lambda c: scores[c])


def _tfidf(counts: Counter[str], vocabulary: dict[str, int],
           idf: FloatArray) -> tuple[IntArray, FloatArray]:
    pairs = [(vocabulary[t], c) for t, c in counts.items() if t in vocabulary]
    if not pairs:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    idx = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
    tf = np.fromiter((p[1] for p in pairs), dtype=np.float64, count=len(pairs))
    values = (1.0 + np.log(tf)) * idf[idx]
    return idx, values / np.linalg.norm(values)


def load_examples(path: Path = TRAINING_FILE) -> list[tuple[str, Category]]:
    rows: list[tuple[str, Category]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                if row["category"] not in CATEGORIES:
                    raise ValueError(f"unknown category in {path.name}: {row['category']}")
                rows.append((str(row["text"]), cast(Category, row["category"])))
    return rows


def train(examples: Sequence[tuple[str, Category]]) -> Model:
    """Regularised least squares, one-vs-rest targets +1/-1, solved in its dual form.

    With a few hundred examples and some ten thousand features the dual system is small
    (examples x examples), so one dense solve replaces an iterative optimiser: exact,
    deterministic, and fast enough to run at first use.
    """
    docs = [features(text) for text, _ in examples]
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    terms = sorted(t for t, n in df.items() if n >= MIN_DF)
    vocabulary = {t: i for i, t in enumerate(terms)}
    n_docs = len(docs)
    idf = np.array([math.log((1 + n_docs) / (1 + df[t])) + 1.0 for t in terms])
    classes = tuple(c for c in CATEGORIES if any(label == c for _, label in examples))
    class_index = {c: i for i, c in enumerate(classes)}
    # One flat (row, column, count) list for all documents, then vectorised TF-IDF + L2.
    rows: list[int] = []
    cols: list[int] = []
    counts: list[int] = []
    for row, doc in enumerate(docs):
        for term, count in doc.items():
            col = vocabulary.get(term)
            if col is not None:
                rows.append(row)
                cols.append(col)
                counts.append(count)
    row_arr = np.array(rows, dtype=np.int64)
    col_arr = np.array(cols, dtype=np.int64)
    values = (1.0 + np.log(np.array(counts, dtype=np.float64))) * idf[col_arr]
    norms = np.sqrt(np.bincount(row_arr, weights=values * values, minlength=n_docs))
    values /= np.where(norms > 0, norms, 1.0)[row_arr]
    x = np.zeros((n_docs, len(terms)), dtype=np.float32)
    x[row_arr, col_arr] = values
    targets = -np.ones((n_docs, len(classes)), dtype=np.float32)
    for row, (_, label) in enumerate(examples):
        targets[row, class_index[label]] = 1.0
    # The constant 1 in the kernel is an unpenalised-ish bias term.
    kernel = x @ x.T + RIDGE * np.eye(n_docs, dtype=np.float32) + 1.0
    dual = np.linalg.solve(kernel, targets)
    weights = (x.T @ dual).astype(np.float64)
    bias = dual.sum(axis=0).astype(np.float64)
    return Model(vocabulary=vocabulary, idf=idf, weights=weights, bias=bias, classes=classes)


@contextlib.contextmanager
def _single_threaded_blas() -> Iterator[None]:
    """OpenBLAS's threads spin-wait for each other; on a busy two-core machine that makes the
    one big matrix product of training several times slower than one thread. numpy's wheels
    bundle OpenBLAS under a prefixed name: when it is found, use one thread for the duration
    (and restore the previous count); otherwise leave BLAS alone."""
    lib_dir = Path(np.__file__).parent.parent / "numpy.libs"
    candidates = sorted(lib_dir.glob("libscipy_openblas*.so")) if lib_dir.is_dir() else []
    try:
        blas = ctypes.CDLL(str(candidates[0])) if candidates else None
        set_threads = blas.scipy_openblas_set_num_threads64_ if blas else None
        get_threads = blas.scipy_openblas_get_num_threads64_ if blas else None
    except (OSError, AttributeError):
        set_threads = get_threads = None
    if set_threads is None or get_threads is None:
        yield
        return
    before = int(get_threads())
    set_threads(ctypes.c_int(1))
    try:
        yield
    finally:
        set_threads(ctypes.c_int(before))


_lock = threading.Lock()
_model: Model | None = None


def model() -> Model:
    """The model trained from ``training_de.jsonl``, trained once per process."""
    global _model
    with _lock:
        if _model is None:
            with _single_threaded_blas():
                _model = train(load_examples())
        return _model


def classify(text: str) -> tuple[Category, dict[Category, float]]:
    scores = model().scores(text)
    return max(scores, key=lambda c: scores[c]), scores


def accuracy(examples: Iterable[tuple[str, Category]], trained: Model) -> float:
    pairs = list(examples)
    hits = sum(trained.predict(text) == label for text, label in pairs)
    return hits / len(pairs) if pairs else 0.0
