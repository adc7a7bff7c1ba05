"""Serving verified answers first: the verified answer a question means, if any.

Two ways a question gets a reviewer's verified answer (both only when the asker may see every
source it rests on):

1. `VerifiedLookup.match`, before the answering pipeline: one of its questions is at least
   VERIFIED_THRESHOLD (0.94) cosine-similar — a close rewording.
2. `VerifiedLookup.near` + `confirm`, after the pipeline searched: a freer paraphrase. With this
   model a paraphrase scores no higher than a question about a neighbouring topic ("how many days
   of leave do I get" vs "... can I carry over"), so one cosine score cannot tell them apart. A
   verified answer at least VERIFIED_FLOOR similar is served only when three more pieces of
   evidence agree, each of which near misses tend to fail:
   - the question's own (access-filtered) search ranks the verified answer's first source first:
     a question about a neighbouring section retrieves that section instead;
   - every content word of the question that the verified question lacks has a close neighbour
     in it (word-embedding cosine >= VERIFIED_WORD_COVER): "mobile" ~ "phone" passes, "vision" vs
     "dental" or "hardware" vs "software" does not;
   - the verified answer (its sentences and those of its source chunks) fits the question at
     least as well (within VERIFIED_MARGIN) as any sentence of the other chunks the search found:
     when another section answers it better, it asks something else.
   The search is the one the pipeline ran for its own answer (`Assist` passes it in), and the
   sentence embeddings are the extractive answerer's cache, so the check adds no search and
   almost no embedding.

Calibrated with `bench/verified_threshold.py` on half of bench/data/verified_questions.yaml
(even-numbered pairs) and reported on the other half and on 30 held-out pairs / 27 near misses.
Free paraphrases served: 11% / 6% / 0% (cosine alone at 0.94: 0% everywhere); close rewordings
100% (94%); near misses served any verified answer: 5% / 0% / 0% (the one: "Do I get paid
during sick leave?" got "How many sick days are paid?"). VERIFIED_WORD_COVER 0.4 would serve
17% / 17% / 0% of paraphrases, with 11% / 0% / 0% near misses (both are sick-leave questions that
got "How many sick days are paid?"); 0 serves 28% / 39% / 17% with 21% / 6% / 4%. This lifts free
paraphrases only a little at a false-hit rate of at most ~5%: the main lever for those stays the
paraphrases a reviewer adds to a verified answer (`policybot review verify --question`, or the
YAML file), which are matched like its first question.

Not confirmed, the closest candidate is still *offered* beside the pipeline's answer, named by its
own question so the asker can judge (`Assist`; `AnswerResult.related`): 61% / 61% / 43% of free
paraphrases are offered their own verified answer, and 63% / 47% / 41% of near misses see an offer.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.answer.extractive import UnitEmbeddingCache, embed_text
from bot.answer.lexical import QUESTION_SHAPE, content_words
from bot.answer.service import PolicyService
from bot.answer.text_units import split_units
from bot.config import Settings
from bot.core.chunks import chunk_body
from bot.core.principals import Principals
from bot.retrieval.hybrid import SearchResult
from bot.retrieval.synonyms import expand_query
from bot.store.redis_conn import degrade
from bot.store.verified import VerifiedAnswer, VerifiedStore

_QUOTE = re.compile(r"^\s*>\s?|\s*\[\d+\]\s*$")


@dataclass(frozen=True)
class Candidate:
    """A verified answer one of whose questions (`question`, the most similar) is at least VERIFIED_FLOOR similar."""

    answer: VerifiedAnswer
    question: str
    score: float


@dataclass(frozen=True)
class Match:
    """What `VerifiedLookup.lookup` found: `hit` (answer, cosine) to serve at once, else `near`."""

    hit: tuple[VerifiedAnswer, float] | None
    near: list[Candidate]


NO_MATCH = Match(hit=None, near=[])


class VerifiedLookup:
    """Verified answers for questions; thread-safe, one per process."""

    def __init__(
        self,
        store: VerifiedStore,
        embeddings: Embeddings,
        threshold: float,
        *,
        floor: float | None = None,
        word_cover: float = 0.5,
        margin: float = -0.02,
        synonyms: Mapping[str, str] | None = None,
        units: UnitEmbeddingCache | None = None,
        words: UnitEmbeddingCache | None = None,
    ) -> None:
        """`threshold`: cosine similarity from which a question gets a verified answer on that alone
        (VERIFIED_THRESHOLD). `floor` (VERIFIED_FLOOR; None, or not below `threshold`: no second way), `word_cover`
        (VERIFIED_WORD_COVER), `margin` (VERIFIED_MARGIN): the evidence `confirm` asks for.
        `synonyms`: the company's employee phrasing -> policy terms; `units`: the extractive
        answerer's sentence-embedding cache (shared, so the search's chunks are embedded once); `words`:
        the service's single-word cache (shared with confidence's soft cover)."""
        self.store = store
        self.embeddings = embeddings
        self.threshold = threshold
        self.floor = floor
        self.word_cover = word_cover
        self.margin = margin
        self.synonyms = dict(synonyms or {})
        self.units = units or UnitEmbeddingCache(embeddings)
        self._lock = threading.Lock()
        self._version = -1
        self._answers: list[VerifiedAnswer] = []
        self._owner: np.ndarray = np.zeros(0, dtype=int)  # row -> index into _answers
        self._texts: list[str] = []  # row -> question text
        self._matrix: np.ndarray = np.zeros((0, 0), dtype=np.float32)
        self._vectors: dict[str, np.ndarray] = {}  # question or answer sentence -> embedding, kept across reloads
        self._words = words or UnitEmbeddingCache(embeddings, size=20_000)  # word -> embedding, LRU

    @classmethod
    def for_service(cls, store: VerifiedStore, service: PolicyService, settings: Settings) -> VerifiedLookup:
        """The lookup as configured (VERIFIED_THRESHOLD, _FLOOR, _WORD_COVER, _MARGIN), sharing the
        service's embeddings, the company's synonyms, the extractive answerer's sentence cache and its word cache."""
        return cls(
            store,
            service.embeddings,
            settings.verified_threshold,
            floor=settings.verified_floor,
            word_cover=settings.verified_word_cover,
            margin=settings.verified_margin,
            synonyms=service.company.synonyms,
            units=service.extractive.cache,
            words=service.words,
        )

    # --- before the pipeline ---------------------------------------------------------------
    @degrade(NO_MATCH)  # Redis down: answer as usual
    def lookup(self, question: str, principals: Principals) -> Match:
        """One scoring of `question` (cleaned) against the verified answers `principals` may see:
        the one served at once (at least `threshold` similar), else the `near` ones."""
        scored = self._scored(question, principals, min(self.threshold, self.floor or self.threshold))
        if scored and scored[0].score >= self.threshold:
            return Match(hit=(scored[0].answer, scored[0].score), near=[])
        return Match(hit=None, near=self._near(scored))

    def match(self, question: str, principals: Principals) -> tuple[VerifiedAnswer, float] | None:
        """The verified answer served at once for `question`, with its cosine similarity (see `lookup`)."""
        return self.lookup(question, principals).hit

    @degrade([])  # Redis down: answer as usual
    def near(self, question: str, principals: Principals) -> list[Candidate]:
        """Verified answers `principals` may see that `question` is at least `floor` similar to,
        most similar first: the ones `confirm` may serve once the pipeline has searched."""
        return self._near(self._scored(question, principals, self.floor or self.threshold))

    def _near(self, scored: list[Candidate]) -> list[Candidate]:
        """Those of `scored` the second way may serve: with sources, at least `floor` similar; none
        when the second way is off (no floor, or one not below `threshold`)."""
        if self.floor is None or self.floor >= self.threshold:
            return []
        return [c for c in scored if c.answer.sources and c.score >= self.floor]

    # --- after the pipeline searched -------------------------------------------------------
    def confirm(self, question: str, candidates: list[Candidate], search: SearchResult) -> tuple[VerifiedAnswer, float] | None:
        """The first of `candidates` (from `near`) that the evidence says `question` asks for, with
        its cosine similarity. `search`: the question's own access-filtered search (the pipeline's)."""
        if not candidates or not search.hits:
            return None
        top = search.hits[0].chunk_id
        q_vec = np.asarray(self.embeddings.embed_query(question), dtype=np.float32)
        for c in candidates:
            if c.answer.sources[0].chunk_id != top:
                continue  # its search leads to another section: a neighbouring topic
            if self._word_cover(question, c.question) < self.word_cover:
                continue
            if self._answer_margin(q_vec, c.answer, search) < self.margin:
                continue
            return c.answer, c.score
        return None

    # --- evidence --------------------------------------------------------------------------
    def _word_cover(self, question: str, verified: str) -> float:
        """The weakest cover of a content word `question` adds: for each of its topic words the
        verified question lacks, the cosine to its closest word there; 1.0 when it adds none."""
        asked, known = self._content_words(question), self._content_words(verified)
        added = [word for stem, word in asked.items() if stem not in known and stem not in QUESTION_SHAPE]
        if not added:
            return 1.0
        if not known:
            return 0.0
        sims = self._word_vectors(added) @ self._word_vectors(list(known.values())).T
        return float(sims.max(axis=1).min())

    def _answer_margin(self, q_vec: np.ndarray, answer: VerifiedAnswer, search: SearchResult) -> float:
        """How much better the verified answer fits the question than any other section the
        question's search found: its own sentences and those of its source chunks, against the
        sentences of the other retrieved chunks (negative: another section fits better).

        The source chunks count as the answer's own because a reviewer writes the answer in their
        own words: the chunk's verbatim sentence would otherwise always fit a rewording better."""
        sources = {s.chunk_id for s in answer.sources}
        own_units: list[str] = []
        other_units: list[str] = []
        for hit in search.hits:
            units = [embed_text(u) for u in split_units(chunk_body(hit.doc.page_content))]
            (own_units if hit.chunk_id in sources else other_units).extend(units)
        said = [_norm(s) for s in _answer_sentences(answer.answer)]
        others = [t for t in other_units if not any(_norm(t) in s or s in _norm(t) for s in said)]
        own = [float((self._sentence_vectors(_answer_sentences(answer.answer)) @ q_vec).max())] if said else []
        if own_units:
            own.append(float((self.units.get(own_units) @ q_vec).max()))
        if not own:
            return 0.0
        if not others:
            return 1.0
        return max(own) - float((self.units.get(others) @ q_vec).max())

    def _content_words(self, text: str) -> dict[str, str]:
        """stem -> word of the content words of `text`, with the company's policy terms for its phrasing."""
        return content_words(expand_query(text, self.synonyms))

    def _word_vectors(self, words: list[str]) -> np.ndarray:
        return self._words.get(words)

    def _sentence_vectors(self, sentences: list[str]) -> np.ndarray:
        with self._lock:
            return np.stack([self._vectors[s] for s in sentences])

    # --- the in-memory matrix --------------------------------------------------------------
    def _scored(self, question: str, principals: Principals, floor: float) -> list[Candidate]:
        """Visible verified answers whose best question is at least `floor` similar, best first."""
        answers, owner, texts, matrix = self._current()
        if not answers or not question.strip():
            return []
        scores = matrix @ np.asarray(self.embeddings.embed_query(question), dtype=np.float32)
        best: dict[int, int] = {}  # answer -> its best row
        for row in np.flatnonzero(scores >= floor):
            i = int(owner[row])
            if i not in best or scores[row] > scores[best[i]]:
                best[i] = int(row)
        ranked = sorted(best.items(), key=lambda kv: -scores[kv[1]])
        return [Candidate(answers[i], texts[row], float(scores[row])) for i, row in ranked if answers[i].visible_to(principals)]

    def _current(self) -> tuple[list[VerifiedAnswer], np.ndarray, list[str], np.ndarray]:
        version = self.store.version()
        with self._lock:
            if version != self._version:
                self._load(version)
            return self._answers, self._owner, self._texts, self._matrix

    def _load(self, version: int) -> None:
        answers = [a for a in self.store.all() if a.state == "active"]
        texts = [q for a in answers for q in a.questions]
        sentences = [s for a in answers for s in _answer_sentences(a.answer)]
        missing = [t for t in dict.fromkeys(texts + sentences) if t not in self._vectors]
        if missing:
            for text, vector in zip(missing, self.embeddings.embed_documents(missing), strict=True):
                self._vectors[text] = np.asarray(vector, dtype=np.float32)
        self._answers = answers
        self._texts = texts
        self._owner = np.array([i for i, a in enumerate(answers) for _ in a.questions], dtype=int)
        dim = len(next(iter(self._vectors.values()))) if self._vectors else 0
        self._matrix = np.stack([self._vectors[t] for t in texts]) if texts else np.zeros((0, dim), dtype=np.float32)
        self._version = version


def _answer_sentences(answer: str) -> list[str]:
    """The answer's sentences, without the quote marks and citation numbers a quoted answer carries."""
    lines = (_QUOTE.sub("", line).strip() for line in answer.splitlines())
    return [s for line in lines if line for s in (u.text for u in split_units(line))]


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()
