"""Prometheus metrics (served on GET /metrics by `policybot serve`, summed over its worker
processes: `bot.tasks.shared_metrics`)."""

from __future__ import annotations

import os

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess

QUESTIONS = Counter("policybot_questions_total", "Questions answered, by outcome", ["kind", "answerer"])
ANSWER_SECONDS = Histogram(
    "policybot_answer_seconds",
    "Time to answer one question (pipeline only)",
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
LLM_FALLBACKS = Counter("policybot_llm_fallbacks_total", "LLM answers rejected or failed, replaced by quotes")
VOTES = Counter("policybot_votes_total", "Reactions counted as votes on answers", ["direction", "change"])


def exposition() -> bytes:
    """The text exposition of every process's metrics in multiprocess mode (PROMETHEUS_MULTIPROC_DIR
    set), else of this process's."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return generate_latest(REGISTRY)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry)
