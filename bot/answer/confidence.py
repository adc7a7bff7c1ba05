"""Confidence from the evidence; below the threshold we abstain instead of guessing.

Signals: how similar the best chunk is to the question (dense cosine), how well the best quotable
sentence answers it (the extractive unit score: similarity, content-word overlap, answer type),
and whether the dense and lexical searches agree on the top chunk. The weights and
ABSTAIN_THRESHOLD were tuned on the golden set (knowledge/eval) and checked on the shared sets;
the best-chunk similarity and the best-sentence score were the two signals that separated
answerable from unanswerable questions there, BM25 score and margin added nothing.
"""

from __future__ import annotations

from bot.retrieval.hybrid import SearchResult


def confidence(result: SearchResult, best_unit_score: float) -> float:
    if not result.hits:
        return 0.0
    top = result.hits[0]
    agreement = ((top.dense_rank or 99) <= 5) + ((top.bm25_rank or 99) <= 5)
    raw = 0.75 * result.best_dense_sim + 0.2 * best_unit_score + 0.05 * agreement / 2
    return round(max(0.0, min(1.0, raw)), 4)
