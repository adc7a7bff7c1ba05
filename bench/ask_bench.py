"""Warm `ask` latency on knowledge/ (extractive path) against its floor.

    POLICYBOT_DATA_DIR=... python bench/ask_bench.py [SCORER_FOLDER]     # after `policybot ingest`

Runs every golden question twice in one warm process: pass 1 meets unit embeddings not yet cached,
pass 2 is steady state. The floor is one query embedding plus one Chroma query per question.
With a model folder `policybot tune` wrote, the same questions are then asked (steady state) through a
second service that uses it as the answer scorer, in the same run.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from bot.answer.service import PolicyService, build_service
from bot.config import get_settings
from bot.retrieval.vectorstore import open_collection

QUERIES = Path("knowledge/eval/queries.jsonl")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    service = build_service(get_settings())
    questions = [json.loads(line)["text"] for line in QUERIES.read_text().splitlines() if line]
    service.ask("warm up the model")
    collection = open_collection(get_settings())
    model = service.embeddings.inner  # uncached: the floor pays for every embedding
    floor = []
    for q in questions:
        t = time.perf_counter()
        collection.query(query_embeddings=[model.embed_query(q)], n_results=30)
        floor.append((time.perf_counter() - t) * 1000)
    passes = []
    stages: dict[str, list[float]] = {}
    for _ in range(2):
        service.embeddings.clear()  # each pass embeds every question again
        lat = []
        for q in questions:
            t = time.perf_counter()
            result = service.ask(q)
            lat.append((time.perf_counter() - t) * 1000)
            for k, v in result.timings_ms.items():
                stages.setdefault(k, []).append(v)
        passes.append(lat)
    f50, f95 = pct(floor, 50), pct(floor, 95)
    t = time.perf_counter()
    service.extractive.cache._cache.clear()
    warm = service.warm_up()
    warm.join()
    warm_s = time.perf_counter() - t
    service.embeddings.clear()
    after_warm = []
    for q in questions:
        t = time.perf_counter()
        service.ask(q)
        after_warm.append((time.perf_counter() - t) * 1000)
    print(f"questions            {len(questions)}")
    print(f"floor (embed+chroma) p50 {f50:.1f} ms  p95 {f95:.1f} ms")
    for name, lat in zip(("pass 1 (cold cache)", "pass 2 (warm)"), passes):
        p50, p95 = pct(lat, 50), pct(lat, 95)
        print(
            f"{name:<20} p50 {p50:.1f} ms  p95 {p95:.1f} ms  mean {statistics.mean(lat):.1f}  ({p50 / f50:.1f}x / {p95 / f95:.1f}x floor)"
        )
    p50, p95 = pct(after_warm, 50), pct(after_warm, 95)
    print(
        f"after warm_up ({warm_s:.1f} s, {len(service.extractive.cache)} units) p50 {p50:.1f} ms  p95 {p95:.1f} ms  ({p50 / f50:.1f}x / {p95 / f95:.1f}x floor)"
    )
    print("stage medians (both passes):", {k: round(statistics.median(v), 1) for k, v in stages.items()})
    if len(sys.argv) > 1:
        scored = PolicyService(get_settings().model_copy(update={"answer_scorer": sys.argv[1]}))
        for q in questions:  # pass 1: unit embeddings and scorer caches filled
            scored.ask(q)
        scored.embeddings.clear()
        assert scored.scorer is not None
        scored.scorer.clear()  # each question is scored afresh, as a new question would be
        lat = []
        for q in questions:
            t = time.perf_counter()
            scored.ask(q)
            lat.append((time.perf_counter() - t) * 1000)
        p50, p95 = pct(lat, 50), pct(lat, 95)
        print(f"with answer scorer   p50 {p50:.1f} ms  p95 {p95:.1f} ms  ({p50 / f50:.1f}x / {p95 / f95:.1f}x floor)")


if __name__ == "__main__":
    main()
