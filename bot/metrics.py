"""Prometheus metrics (served on GET /metrics by `policybot serve`)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

QUESTIONS = Counter("policybot_questions_total", "Questions answered, by outcome", ["kind", "answerer"])
ANSWER_SECONDS = Histogram(
    "policybot_answer_seconds",
    "Time to answer one question (pipeline only)",
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
LLM_FALLBACKS = Counter("policybot_llm_fallbacks_total", "LLM answers rejected or failed, replaced by quotes")
VOTES = Counter("policybot_votes_total", "Reactions counted as votes on answers", ["direction", "change"])
