"""Calibrate VERIFIED_THRESHOLD and measure the verified-answer lookup (issue 10).

    python bench/verified_threshold.py [--threshold 0.8] [--latency N]

With a verified answer for the first question of each pair in bench/data/verified_questions.yaml
(stored in real Redis under a throwaway prefix, looked up by the real `VerifiedLookup`), prints for
a sweep of thresholds: the share of paraphrases (freely reworded) and of rewordings (nearly the
same words) that get *their* verified answer, and the share of near-miss questions that get
*any* verified answer (false hit rate).
`--latency N` also times N questions through `Assist.ask` with and without the lookup (needs an
index: POLICYBOT_DATA_DIR). Run it twice on a shared machine and compare.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from pathlib import Path

import numpy as np
import yaml

from bot.config import Settings
from bot.core.principals import principals_of
from bot.retrieval.embeddings import load_embeddings
from bot.review.verified import VerifiedLookup
from bot.store.redis_conn import connect
from bot.store.verified import VerifiedAnswer, VerifiedStore

DATA = Path(__file__).parent / "data" / "verified_questions.yaml"
EVERYONE = principals_of()


def hit_rate(lookup: VerifiedLookup, ids: list[str], questions: list[str]) -> float:
    """Share of `questions` (the i-th a rewording of verified answer i) that get their own answer."""
    return sum((m := lookup.match(q, EVERYONE)) is not None and m[0].id == ids[i] for i, q in enumerate(questions)) / len(
        questions
    )


def false_hit_rate(lookup: VerifiedLookup, near: list[list]) -> float:
    return sum(lookup.match(q, EVERYONE) is not None for q, _ in near) / len(near)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=Settings().verified_threshold)
    parser.add_argument("--latency", type=int, default=0, help="questions to time through Assist.ask")
    args = parser.parse_args()
    data = yaml.safe_load(DATA.read_text())
    pairs, near = data["pairs"], data["near_misses"]
    settings = Settings()
    embeddings = load_embeddings(settings.embedding_model, settings.embedding_threads, settings.embedding_batch_size)
    redis, prefix = connect(settings), f"bench-verified-{uuid.uuid4().hex[:8]}"
    store = VerifiedStore(redis, prefix)
    try:
        answers = [VerifiedAnswer(questions=[q], answer=f"answer {i}", reviewer="bench") for i, (q, _) in enumerate(pairs)]
        for answer in answers:
            store.save(answer)
        ids = [a.id for a in answers]
        print(f"{len(pairs)} paraphrase pairs, {len(data['rewordings'])} rewordings, {len(near)} near misses")
        print("threshold  paraphrase hits  rewording hits  near-miss false hits")
        for threshold in sorted({*np.round(np.arange(0.70, 0.99, 0.02), 2), args.threshold}):
            lookup = VerifiedLookup(store, embeddings, float(threshold))
            paraphrase = hit_rate(lookup, ids, [p for _, p in pairs])
            rewording = hit_rate(lookup, ids, data["rewordings"])
            mark = "  <- VERIFIED_THRESHOLD" if threshold == args.threshold else ""
            print(f"{threshold:9.2f}  {paraphrase:15.1%}  {rewording:14.1%}  {false_hit_rate(lookup, near):20.1%}{mark}")
        if args.latency:
            latency(settings, store, [p for _, p in pairs] + [q for q, _ in near], args.latency)
    finally:
        keys = list(redis.scan_iter(f"{prefix}:*"))
        if keys:
            redis.delete(*keys)


def latency(settings: Settings, store: VerifiedStore, questions: list[str], n: int) -> None:
    """p50/p95 of Assist.ask per question, plain vs with the lookup, and the lookup alone.

    The query-embedding cache is cleared before every call and the order alternates, so neither
    path profits from the other having embedded the question first.
    """
    from bot.assist.factory import build_assist
    from bot.core.asking import Asker, Place, Question

    assist = build_assist(settings)
    lookup = VerifiedLookup(store, assist.service.embeddings, settings.verified_threshold)
    asked = [Question(q, Asker("bench", EVERYONE), Place("dm", "bench", EVERYONE)) for q in (questions * n)[:n]]
    assist.ask(asked[0])  # warm-up: model, index, BM25
    lookup.match(asked[0].text, EVERYONE)
    timings: dict[str, list[float]] = {"plain": [], "with lookup": [], "lookup alone": []}
    for i, question in enumerate(asked):
        runs = [("plain", None), ("with lookup", lookup)]
        for name, verified in runs if i % 2 else runs[::-1]:
            assist.verified = verified
            assist.service.embeddings.clear()
            started = time.perf_counter()
            assist.ask(question)
            timings[name].append((time.perf_counter() - started) * 1000)
        assist.service.embeddings.clear()
        started = time.perf_counter()
        lookup.match(question.text, EVERYONE)
        timings["lookup alone"].append((time.perf_counter() - started) * 1000)
    for name, values in timings.items():
        q = statistics.quantiles(values, n=20)
        print(f"{name:13s} p50 {statistics.median(values):7.1f} ms  p95 {q[18]:7.1f} ms  (n={len(values)})")


if __name__ == "__main__":
    main()
