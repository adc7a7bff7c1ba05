"""A synthetic KPI history written straight into the day hashes (tests and bench/admin_bench.py)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence

from bot.store import kpis as k
from bot.store.kpis import KpiStore

HELPFUL = {"control": 0.70, "deep": 0.75, "llm": 0.72}


def seed_history(
    kpis: KpiStore,
    *,
    days: int,
    channels: Sequence[str],
    variants: Sequence[str],
    questions_per_cell: int = 20,
    seed: int = 1,
    today: dt.date | None = None,
) -> dict[str, int]:
    """Seed `days` x `channels` x `variants` cells of plausible counts; returns the questions per day."""
    rng = random.Random(seed)
    per_day: dict[str, int] = {}
    end = today or dt.datetime.now(dt.UTC).date()
    with kpis.redis.pipeline(transaction=False) as pipe:
        for back in range(days):
            day = end - dt.timedelta(days=back)
            at = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC).timestamp()
            for channel in channels:
                for variant in variants:
                    n = questions_per_cell + rng.randint(-5, 5)
                    per_day[day.isoformat()] = per_day.get(day.isoformat(), 0) + n
                    _cell(kpis, pipe, rng, at, channel, variant, n)
            for doc in rng.sample(["leave", "expenses", "security", "remote-work", "travel", "benefits"], 3):
                kpis.incr(pipe, f"{k.CITED}:{doc}", at=at, channel=k.ALL, variant=k.ALL, by=rng.randint(5, 50))
            pipe.execute()
    return per_day


def _cell(kpis: KpiStore, pipe, rng: random.Random, at: float, channel: str, variant: str, n: int) -> None:
    refused = rng.randint(0, 1)
    abstained = rng.randint(1, 3)
    private = rng.randint(0, 2)
    answered = n - refused - abstained - private
    votes = rng.randint(2, 6)
    up = sum(rng.random() < HELPFUL.get(variant, 0.7) for _ in range(votes))
    counts = {
        k.QUESTIONS: n,
        "answered": answered,
        "abstained": abstained,
        "private": private,
        "refused": refused,
        k.ABSTAIN: abstained,
        k.UP: up,
        k.DOWN: votes - up,
        k.HANDOFF: rng.randint(0, 1),
    }
    latencies = (rng.lognormvariate(6.5, 0.5) for _ in range(n - refused))  # median ~665 ms
    counts.update(Counter(f"{k.LATENCY}:{k.bucket(ms, k.LATENCY_BUCKETS_MS)}" for ms in latencies))
    for metric, by in counts.items():
        if by:
            kpis.incr(pipe, metric, at=at, channel=channel, variant=variant, by=by)
