"""Answering settings an experiment variant may change for one question (see bot/variants)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Answerer = Literal["extractive", "llm"]


@dataclass(frozen=True)
class AnswerOverrides:
    """Per-question overrides of the answering settings; None keeps the process setting.

    `retrieval_k`: chunks handed to the answerer; `candidate_k`: candidates per search before
    fusion; `rrf_k`: the reciprocal-rank-fusion constant; `dense_weight`/`bm25_weight`: fusion weights; `abstain_threshold`: confidence below which
    the bot abstains; `answerer`: "extractive" turns a configured LLM off for the question, "llm"
    uses it when one is configured (the default when it is); `answer_scorer`: "off", or a version
    ("v003") of the answer scorer `policybot tune` wrote in the data folder, to try before promoting it.
    """

    retrieval_k: int | None = None
    candidate_k: int | None = None
    rrf_k: int | None = None
    dense_weight: float | None = None
    bm25_weight: float | None = None
    abstain_threshold: float | None = None
    answerer: Answerer | None = None
    answer_scorer: str | None = None
