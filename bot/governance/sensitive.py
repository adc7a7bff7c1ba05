"""Sensitive questions: harassment, discrimination, health, dismissal, whistleblowing, others' pay.

Such a question asked in a channel is answered privately (with the confidential contacts); in a DM
the contacts are appended. Two detectors, either one flags a question:

* lexical: the company profile's topic phrases (`sensitive.topics`) as whole words, inflections allowed
  ("harassment" also matches "harassed", "harassing"), plus a few patterns about another person's
  pay ("how much does Sarah earn", "my manager's salary");
* semantic: cosine similarity of the question's embedding (the service's own model) to one-sentence
  descriptions of the topics (`sensitive.examples`) at or above `SENSITIVE_THRESHOLD`.

Why descriptions and not the bare phrases for the embeddings: a two-word phrase embeds too close to
ordinary questions (all-MiniLM-L6-v2: "medical leave" vs "When do I need a doctor's note for sick
leave?" = 0.63, but "harassment" vs "my manager keeps making comments about my body" = 0.36), while
a first-person description separates them (0.80 for the latter, 0.55 for the former). The topic
vectors are computed once, on first use.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

from bot.company import Sensitive


class QueryEmbedder(Protocol):
    def embed_query(self, text: str) -> list[float]: ...

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...


@dataclass(frozen=True)
class SensitiveMatch:
    """Why a question counts as sensitive."""

    topic: str  # the phrase or description it matched
    how: Literal["lexical", "semantic"]
    score: float  # 1.0 for lexical matches; the cosine similarity otherwise


# Another person's pay: "how much does Sarah earn", "what is Tom's salary", "my colleague's bonus".
_PAY = r"(?:salary|salaries|pay|paid|compensation|bonus|wages?|earnings)"
_OTHERS_PAY = [
    re.compile(
        r"\bhow much (?:does|do|did|is|are) (?!I\b|i\b|we\b)(?:my |our |a |the )?[\w'-]+(?: [\w'-]+)? "
        r"(?:earn|make|get paid|paid|getting paid)\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?:colleague|co-?worker|teammate|peer|manager|boss|team lead|someone else|another employee|others|"
        rf"other people)(?:'s|s'|’s)? {_PAY}\b",
        re.IGNORECASE,
    ),
    re.compile(rf"\b[A-Z][a-z]+(?:'s|’s) (?:{_PAY})\b"),  # a name: "Tom's salary" (case-sensitive)
]
# Short words that would match too much as prefixes are matched whole ("fired", not "fire").
_MIN_STEM = 6
_SUFFIXES = ("ments", "ment", "ations", "ation", "ing", "ers", "er", "ed", "es", "s")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM - 1:
            return word[: -len(suffix)]
    return word


def _phrase_pattern(phrase: str) -> re.Pattern[str] | None:
    """Whole words; the last word of a phrase may be inflected ("harassment" -> "harass\\w*")."""
    words = re.findall(r"[\w']+", phrase.casefold().replace("’", "'"))
    if not words:
        return None
    *head, last = words
    stem = _stem(last)
    tail = rf"{re.escape(stem)}\w*" if len(stem) >= _MIN_STEM - 1 and stem != last else rf"{re.escape(last)}s?"
    body = r"[\s-]+".join([*(re.escape(w) for w in head), tail])
    return re.compile(rf"\b{body}\b", re.IGNORECASE)


class SensitiveDetector:
    """`check(question)` -> a `SensitiveMatch` or None. Thread-safe; build once per process."""

    def __init__(
        self,
        topics: Sequence[str],
        examples: Sequence[str],
        embeddings: QueryEmbedder | None,
        threshold: float,
    ) -> None:
        self.threshold = threshold
        self._lexical = [(t, p) for t in topics if (p := _phrase_pattern(t)) is not None]
        self._examples = [e for e in examples if e.strip()]
        self._embeddings = embeddings
        self._vectors: np.ndarray | None = None
        self._topic_phrase_vectors: np.ndarray | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_profile(cls, sensitive: Sensitive, embeddings: QueryEmbedder | None, threshold: float) -> SensitiveDetector:
        """From the company profile's `sensitive` block and the `SENSITIVE_THRESHOLD` setting."""
        return cls(sensitive.topics, sensitive.examples, embeddings, threshold)

    def check(self, question: str) -> SensitiveMatch | None:
        if not question.strip():
            return None
        return self.lexical(question) or self.semantic(question)

    def lexical(self, question: str) -> SensitiveMatch | None:
        text = question.replace("’", "'")
        for topic, pattern in self._lexical:
            if pattern.search(text):
                return SensitiveMatch(topic, "lexical", 1.0)
        for pattern in _OTHERS_PAY:
            if m := pattern.search(text):
                return SensitiveMatch(f"another person's pay ({m.group(0)!r})", "lexical", 1.0)
        return None

    def semantic(self, question: str) -> SensitiveMatch | None:
        score, best = self.similarity(question)
        if best is not None and score >= self.threshold:
            return SensitiveMatch(best, "semantic", round(score, 3))
        return None

    def similarity(self, question: str) -> tuple[float, str | None]:
        """The best cosine similarity to a topic description, and that description."""
        if self._topic_vectors() is None or self._embeddings is None:
            return 0.0, None
        return self._closest(np.asarray(self._embeddings.embed_query(question), dtype=np.float32))

    def _closest(self, vector: np.ndarray) -> tuple[float, str | None]:
        vectors = self._topic_vectors()
        if vectors is None:
            return 0.0, None
        sims = vectors @ _unit(vector)
        i = int(sims.argmax())
        return float(sims[i]), self._examples[i]

    def unnamed_topic(self, question: str, vector: Sequence[float]) -> str | None:
        """The topic phrase of a question that describes a sensitive situation without naming it, else None.

        "someone keeps making comments about my looks" matches the description "…comments about my body
        or appearance" (`vector`: the question's embedding, already computed by the search) and gets the
        topic phrase closest to that description ("harassment"), so the search can find the policy that
        uses the word. A question that names a topic itself (a lexical match) gets None.
        """
        if not self._lexical or self.lexical(question):
            return None
        score, description = self._closest(np.asarray(vector, dtype=np.float32))
        if description is None or score < self.threshold:
            return None
        return self._topic_of(description)

    def _topic_of(self, description: str) -> str | None:
        if self._embeddings is None:
            return None
        with self._lock:
            if self._topic_phrase_vectors is None:
                phrases = [t for t, _ in self._lexical]
                raw = np.asarray(self._embeddings.embed_documents(phrases), dtype=np.float32)
                self._topic_phrase_vectors = raw / np.maximum(np.linalg.norm(raw, axis=1, keepdims=True), 1e-12)
            phrase_vectors = self._topic_phrase_vectors
        assert self._vectors is not None  # set by _closest
        sims = phrase_vectors @ self._vectors[self._examples.index(description)]
        return self._lexical[int(sims.argmax())][0]

    def _topic_vectors(self) -> np.ndarray | None:
        if self._vectors is None and self._examples and self._embeddings is not None:
            with self._lock:
                if self._vectors is None:
                    raw = np.asarray(self._embeddings.embed_documents(list(self._examples)), dtype=np.float32)
                    self._vectors = raw / np.maximum(np.linalg.norm(raw, axis=1, keepdims=True), 1e-12)
        return self._vectors


def _unit(v: np.ndarray) -> np.ndarray:
    return v / max(float(np.linalg.norm(v)), 1e-12)
