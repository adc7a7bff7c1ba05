"""Confidence from the retrieval evidence; below the threshold we abstain instead of guessing.

Signals: how similar the best chunk is to the question (dense cosine), whether the lexical and
the dense search agree on it, how much of the question's content it covers, and its margin
over the runner-up. Weights were tuned on the golden set (see README "Evaluation").
"""

from __future__ import annotations

from bot.answer.lexical import coverage
from bot.retrieval.hybrid import SearchResult


def _clip(x: float) -> float:
    return max(0.0, min(1.0, x))


def confidence(result: SearchResult, question_terms: frozenset[str]) -> float:
    if not result.hits:
        return 0.0
    top = result.hits[0]
    dense = _clip((result.best_dense_sim - 0.15) / 0.5)
    in_dense = top.dense_rank is not None and top.dense_rank <= 5
    in_bm25 = top.bm25_rank is not None and top.bm25_rank <= 5
    agreement = (in_dense + in_bm25) / 2
    cover = max((coverage(question_terms, h.doc.page_content) for h in result.hits[:3]), default=0.0)
    runner_up = result.hits[1].fused if len(result.hits) > 1 else 0.0
    margin = _clip((top.fused - runner_up) / max(top.fused, 1e-9) * 2)
    return round(0.5 * dense + 0.15 * agreement + 0.3 * cover + 0.05 * margin, 4)
