"""Day-bucketed KPI counters in Redis: one hash per UTC day, no question text, no user ids.

Key `{prefix}:kpi:{YYYY-MM-DD}`; field `{metric}|{channel}|{variant}` -> integer count. A 90-day
trend is 90 HGETALLs in one pipelined round trip. Day keys expire `KPI_RETENTION_DAYS` after their
day, independently of the answer retention (answers, votes and audit entries go much earlier).

Votes and review events count on the day the *answer* was given (so a day's helpful rate is about
that day's answers, whenever people voted). Latency and time-to-resolve are kept as histograms
(counts per bucket, `LATENCY_BUCKETS_MS` / `RESOLVE_BUCKETS_H`) so percentiles can be estimated
without storing single observations. Cited documents are counted per day only (channel and
variant left empty) to keep the hashes small.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence

from redis import Redis
from redis.client import Pipeline

from bot.core.asking import Decision
from bot.store.redis_conn import degrade

DAY_S = 86_400
SEP = "|"
ALL = ""  # channel/variant of day-level fields (cited documents)

# Upper bucket edges; the last bucket is open-ended. Roughly log-spaced like Prometheus' defaults.
LATENCY_BUCKETS_MS: tuple[float, ...] = (100, 250, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 20000, 30000)
RESOLVE_BUCKETS_H: tuple[float, ...] = (1, 2, 4, 8, 24, 48, 72, 120, 168, 336, 720)

# Counters (fields `{metric}|{channel}|{variant}`). Decisions are mutually exclusive and sum to
# `questions`; `abstain` counts every abstention whatever its visibility (a private answer can abstain).
QUESTIONS, ABSTAIN, UP, DOWN, HANDOFF = "questions", "abstain", "up", "down", "handoff"
REVIEW_OPENED, REVIEW_RESOLVED = "review_opened", "review_resolved"
VERIFIED = "verified"  # answers served from a reviewer's verified answer
OFFERED, OFFER_OPENED = "verified_offered", "verified_offer_opened"  # offered beside an answer; its button pressed
PARAPHRASE_ADDED = "paraphrase_added"  # an asker's wording a reviewer added to a verified answer (day-level)
LATENCY, RESOLVE, CITED, OVERDUE = "lat", "resolve", "cited", "overdue"  # prefixes: lat:3, cited:doc-id


def day_of(ts: float) -> str:
    """The UTC day (`YYYY-MM-DD`) of unix time `ts`."""
    return dt.datetime.fromtimestamp(ts, dt.UTC).date().isoformat()


def bucket(value: float, edges: Sequence[float]) -> int:
    """Index of the histogram bucket holding `value` (len(edges) for the open-ended last one)."""
    return bisect.bisect_left(edges, value)


def field(metric: str, channel: str = ALL, variant: str = ALL) -> str:
    return f"{metric}{SEP}{channel}{SEP}{variant}"


class KpiStore:
    """Writes and reads the day hashes. Writers take a pipeline so they join the caller's MULTI."""

    def __init__(self, redis: Redis, prefix: str, retention_days: int = 730) -> None:
        self.redis = redis
        self.prefix = prefix
        self.retention_s = retention_days * DAY_S

    def key(self, day: str) -> str:
        return f"{self.prefix}:kpi:{day}"

    # --- writers -----------------------------------------------------------------------
    def answer(
        self,
        pipe: Pipeline,
        *,
        at: float,
        channel: str,
        variant: str,
        decision: Decision,
        abstained: bool,
        latency_ms: float | None,
        cited: Iterable[str] = (),
        overdue: Iterable[str] = (),
        verified: bool = False,
        offered: bool = False,
    ) -> None:
        """Count one question with its decision, latency and cited document ids (answer time `at`); `verified`: served
        from a verified answer; `offered`: a verified answer to a similar question was offered beside it."""
        key = self.key(day_of(at))
        metrics = [QUESTIONS, decision] + ([ABSTAIN] if abstained else [])
        metrics += ([VERIFIED] if verified else []) + ([OFFERED] if offered else [])
        if latency_ms is not None:
            metrics.append(f"{LATENCY}:{bucket(latency_ms, LATENCY_BUCKETS_MS)}")
        for metric in metrics:
            pipe.hincrby(key, field(metric, channel, variant), 1)
        for doc in set(cited):
            pipe.hincrby(key, field(f"{CITED}:{doc}"), 1)
        for doc in set(overdue):
            pipe.hincrby(key, field(f"{OVERDUE}:{doc}"), 1)
        self._keep(pipe, key, at)

    @degrade(None)
    def record_answer(self, **answer: object) -> None:
        """`answer(...)` in its own transaction; skipped with a warning when Redis is down."""
        with self.redis.pipeline(transaction=True) as pipe:
            self.answer(pipe, **answer)  # type: ignore[arg-type]
            pipe.execute()

    @degrade(None)
    def record(self, metric: str, *, at: float, channel: str = ALL, variant: str = ALL) -> None:
        """Add 1 to `metric` in its own transaction; skipped with a warning when Redis is down."""
        with self.redis.pipeline(transaction=True) as pipe:
            self.incr(pipe, metric, at=at, channel=channel, variant=variant)
            pipe.execute()

    def incr(self, pipe: Pipeline, metric: str, *, at: float, channel: str, variant: str, by: int = 1) -> None:
        """Add `by` to `metric` of the day of `at` (votes, hand-offs, review events)."""
        key = self.key(day_of(at))
        pipe.hincrby(key, field(metric, channel, variant), by)
        self._keep(pipe, key, at)

    def vote_change(self, pipe: Pipeline, *, at: float, channel: str, variant: str, old: int | None, new: int | None) -> None:
        """Move one vote from `old` to `new` (+1, -1 or None) on the answer's day."""
        for value, by in ((old, -1), (new, 1)):
            if value is not None:
                self.incr(pipe, UP if value > 0 else DOWN, at=at, channel=channel, variant=variant, by=by)

    def resolved(self, pipe: Pipeline, *, at: float, channel: str, variant: str, hours: float) -> None:
        """Count a closed review and how long it took (hours from the answer to the resolution)."""
        self.incr(pipe, REVIEW_RESOLVED, at=at, channel=channel, variant=variant)
        self.incr(pipe, f"{RESOLVE}:{bucket(hours, RESOLVE_BUCKETS_H)}", at=at, channel=channel, variant=variant)

    def _keep(self, pipe: Pipeline, key: str, at: float) -> None:
        day_start = int(at // DAY_S * DAY_S)
        pipe.expireat(key, day_start + DAY_S + self.retention_s)

    # --- reader ------------------------------------------------------------------------
    def days(self, days: Sequence[str]) -> dict[str, dict[str, int]]:
        """The raw counters of each day (one round trip): day -> field -> count."""
        with self.redis.pipeline(transaction=False) as pipe:
            for day in days:
                pipe.hgetall(self.key(day))
            raw = pipe.execute()
        return {day: {f: int(v) for f, v in fields.items()} for day, fields in zip(days, raw, strict=True)}


def last_days(n: int, today: dt.date | None = None) -> list[str]:
    """The `n` UTC days ending today, oldest first."""
    end = today or dt.datetime.now(dt.UTC).date()
    return [(end - dt.timedelta(days=i)).isoformat() for i in range(n - 1, -1, -1)]
