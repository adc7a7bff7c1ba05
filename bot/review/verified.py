"""Serving verified answers first: the nearest active verified answer for a question.

`VerifiedLookup.match` embeds the cleaned question with the service's model (no second model)
and returns the closest active verified answer whose best question is at least `threshold`
cosine-similar — and only one whose every source the asker may see.

The threshold (VERIFIED_THRESHOLD, 0.94) comes from `bench/verified_threshold.py`: with this model,
freely worded paraphrases of a question score no higher than questions about a neighbouring
topic ("how many days of leave do I get" vs "... can I carry over"), so no threshold separates
them; 0.94 is the lowest at which no near miss of the 36 gets a verified answer, while 34 of 36
close rewordings do. Freer paraphrases are caught by the questions a reviewer adds to a verified
answer (`policybot review verify --question`, or the YAML file).
"""

from __future__ import annotations

import threading

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.core.principals import Principals
from bot.store.redis_conn import degrade
from bot.store.verified import VerifiedAnswer, VerifiedStore


class VerifiedLookup:
    """Nearest active verified answer for a question; thread-safe, one per process."""

    def __init__(self, store: VerifiedStore, embeddings: Embeddings, threshold: float) -> None:
        """`threshold`: cosine similarity from which a question counts as a verified one (VERIFIED_THRESHOLD)."""
        self.store = store
        self.embeddings = embeddings
        self.threshold = threshold
        self._lock = threading.Lock()
        self._version = -1
        self._answers: list[VerifiedAnswer] = []
        self._owner: np.ndarray = np.zeros(0, dtype=int)  # row -> index into _answers
        self._matrix: np.ndarray = np.zeros((0, 0), dtype=np.float32)
        self._vectors: dict[str, np.ndarray] = {}  # question text -> embedding, kept across reloads

    @degrade(None)  # Redis down: answer as usual
    def match(self, question: str, principals: Principals) -> tuple[VerifiedAnswer, float] | None:
        """The verified answer for `question` (cleaned) that `principals` may see, with its cosine
        similarity; None when none is at least `threshold` similar."""
        answers, owner, matrix = self._current()
        if not answers or not question.strip():
            return None
        scores = matrix @ np.asarray(self.embeddings.embed_query(question), dtype=np.float32)
        best: dict[int, float] = {}
        for row in np.flatnonzero(scores >= self.threshold):
            i = int(owner[row])
            best[i] = max(best.get(i, -1.0), float(scores[row]))
        for i, score in sorted(best.items(), key=lambda kv: -kv[1]):
            if answers[i].visible_to(principals):
                return answers[i], score
        return None

    def _current(self) -> tuple[list[VerifiedAnswer], np.ndarray, np.ndarray]:
        version = self.store.version()
        with self._lock:
            if version != self._version:
                self._load(version)
            return self._answers, self._owner, self._matrix

    def _load(self, version: int) -> None:
        answers = [a for a in self.store.all() if a.state == "active"]
        texts = [q for a in answers for q in a.questions]
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            for text, vector in zip(missing, self.embeddings.embed_documents(missing), strict=True):
                self._vectors[text] = np.asarray(vector, dtype=np.float32)
        self._answers = answers
        self._owner = np.array([i for i, a in enumerate(answers) for _ in a.questions], dtype=int)
        dim = len(next(iter(self._vectors.values()))) if self._vectors else 0
        self._matrix = np.stack([self._vectors[t] for t in texts]) if texts else np.zeros((0, dim), dtype=np.float32)
        self._version = version
