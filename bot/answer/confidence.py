"""Confidence that the quoted text answers the question; below the threshold we abstain instead of guessing.

Inputs are only what any answerer produces or any surface can see: the question, the search result,
the quoted text with the chunks it cites (`Evidence`), and document frequencies of the indexed corpus
(`CorpusStats`). Nothing here looks inside the extractive answerer.

Signals (each 0..1):
  * `dense`: cosine similarity of the best dense candidate to the question (how close the topic is);
  * `cited_sim`: the best dense similarity among the chunks the answer cites;
  * `answered`: the IDF-weighted share of the question's topic words (its content words but the
    `QUESTION_SHAPE` ones: "how many", "allowed") that the *quotes* or the cited sections' headings
    contain, allowing for typos and the company's synonyms (an idiom counts as its policy terms: "let go"
    as "termination", not as "let" and "go"). "Can I bring my dog to the office on
    Tuesdays?" shares "office" and "Tuesday" with the anchor-day sentence, but the rare word "dog"
    — the one the question hinges on — is in neither;
  * `agreement`: the dense and BM25 searches both rank the top chunk in their top 5.
Weights: chosen on the golden set (knowledge/eval, 204 answerable and 37 uncovered questions) by a grid
search over these signals maximising ROC AUC (0.947 then; 0.967 on the set as it is now).
Counting a word the quotes lack in part by the word-embedding closeness of their closest word (as
the extractive answerer does) was tried: golden abstention rose 0.757 -> 0.892 at a threshold of 0.5,
but 231 questions written apart from it (bench/data/verified_questions.yaml) abstained 27 times
instead of 17, at no gain in separation where they abstain equally often; it is not used here.
The threshold is calibrated per deployment with `policybot calibrate` (bot/eval/calibrate.py).
"""

from __future__ import annotations

import difflib
import math
import threading
import weakref
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.answer.lexical import QUESTION_SHAPE, content_terms, question_words
from bot.retrieval.hybrid import Hit, SearchResult
from bot.retrieval.synonyms import expand_query, idioms

_TYPO_CUTOFF = 0.8  # difflib ratio: "vaction" vs "vacat" (stems) passes; 3-letter stems are never fuzzy-matched


@dataclass(frozen=True)
class Evidence:
    """What an answer rests on: the chunks it cites and the text it quotes (or states)."""

    cited: list[Hit]
    quoted: str
    answers: float | None = None  # the answer scorer's probability that the lead quote answers (None: no scorer)
    answers_weight: float = 0.0  # the share of the confidence that probability is (the scorer's weights)


class CorpusStats:
    """Document frequencies of stemmed content words over the indexed chunks (for IDF weights)."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.df: Counter[str] = Counter()
        self.n = 0
        for text in texts:
            self.df.update(content_terms(text))
            self.n += 1

    def idf(self, term: str) -> float:
        """BM25's IDF, ln((N + 1) / (df + 0.5)); a word the corpus never uses gets the largest weight."""
        return math.log((self.n + 1) / (self.df.get(term, 0) + 0.5))


@dataclass(frozen=True)
class Signals:
    dense: float
    cited_sim: float
    answered: float
    agreement: float
    answers: float | None = None  # the answer scorer's probability that the lead quote answers (None: no scorer)
    answers_weight: float = 0.0

    def score(self) -> float:
        """0..1; with a scorer, `answers_weight` of it is the scorer's probability (bot/answer/scorer.py)."""
        raw = 0.3 * self.dense + 0.3 * self.cited_sim + 0.2 * self.answered + 0.1 * self.agreement
        if self.answers is not None:
            raw = (1 - self.answers_weight) * raw + self.answers_weight * self.answers
        return round(max(0.0, min(1.0, raw)), 4)


def signals(
    question: str,
    result: SearchResult,
    evidence: Evidence,
    stats: CorpusStats | None,
    synonyms: Mapping[str, str],
) -> Signals:
    """The confidence signals for an answer to `question` built from `evidence` (no stats: unweighted words);
    `.score()` is the confidence, 0..1: the service abstains below the (calibrated) threshold.
    `synonyms`: the company's employee phrase -> policy terms, so "PTO" in a question is covered by
    "annual leave" in a quote."""
    if not result.hits:
        return Signals(0.0, 0.0, 0.0, 0.0)
    top = result.hits[0]
    agreement = (((top.dense_rank or 99) <= 5) + ((top.bm25_rank or 99) <= 5)) / 2
    cited_sim = max((h.dense_sim or 0.0 for h in evidence.cited), default=0.0)
    asked = question_words(question)
    terms = {t: w for t, w in asked.items() if t not in QUESTION_SHAPE} or asked
    quoted = content_terms(" ".join([evidence.quoted, *(_heading_text(h) for h in evidence.cited)]))
    weight = stats.idf if stats else (lambda term: 1.0)
    total = sum(weight(t) for t in terms)
    # an idiom's own words are covered by its policy terms too ("let" and "go" of "let go" by "termination")
    stand_in = {
        stem for phrase, target in idioms(question, synonyms) if content_terms(target) & quoted for stem in content_terms(phrase)
    }
    covered = sum(
        weight(t) for t, w in terms.items() if t in stand_in or _present(content_terms(expand_query(w, synonyms)), quoted)
    )
    covered_share = covered / total if total else 0.0
    return Signals(result.best_dense_sim, cited_sim, covered_share, agreement, evidence.answers, evidence.answers_weight)


def evidence_of(cited: list[tuple[Hit, list[str]]], answers: float | None = None, answers_weight: float = 0.0) -> Evidence:
    """An `Evidence` from a draft's citations: (chunk, quotes from it) pairs; with the answer scorer's
    probability for the lead quote and its share of the confidence, when a scorer judged it."""
    quoted = "\n".join(q for _, quotes in cited for q in quotes)
    return Evidence([hit for hit, _ in cited], quoted, answers, answers_weight)


_stats: weakref.WeakKeyDictionary[object, CorpusStats] = weakref.WeakKeyDictionary()
_stats_lock = threading.Lock()


def corpus_stats(index) -> CorpusStats | None:
    """The `CorpusStats` of a BM25 index (its `texts`), computed once per loaded index; None for no index."""
    if index is None:
        return None
    with _stats_lock:
        if index not in _stats:
            _stats[index] = CorpusStats(index.texts)
        return _stats[index]


def _present(variants: frozenset[str], vocabulary: frozenset[str]) -> bool:
    if variants & vocabulary:
        return True
    long_words = [v for v in variants if len(v) >= 4 and not v.isdigit()]
    return any(difflib.get_close_matches(v, vocabulary, n=1, cutoff=_TYPO_CUTOFF) for v in long_words)


def _heading_text(hit: Hit) -> str:
    meta = hit.doc.metadata
    return f"{meta.get('title', '')} {meta.get('section', '')}"
