"""Counters of the task queue kept in Redis, so the web tier's /metrics sees what the workers did."""

from __future__ import annotations

from redis import Redis

from bot.config import Settings
from bot.store.redis_conn import degrade

NO_COUNTS: dict[str, int] = {}  # Redis down: no counters to report


class TaskStats:
    """Retries and redeliveries across every worker process (Redis counters under `prefix`)."""

    def __init__(self, redis: Redis, prefix: str, ttl_s: int) -> None:
        self._redis = redis
        self._prefix = prefix
        self._ttl_s = ttl_s  # how long a delivery is remembered (longer than a job can be held)

    @classmethod
    def from_settings(cls, redis: Redis, settings: Settings) -> TaskStats:
        """Deliveries are remembered for 4 visibility timeouts: longer than any job is held."""
        return cls(redis, settings.redis_prefix, settings.task_visibility_timeout_s * 4)

    @degrade(False)
    def started(self, task_id: str, attempt: int) -> bool:
        """Note one delivery of (task, attempt); True if it was delivered before (a redelivery)."""
        key = f"{self._prefix}:task:{task_id}:{attempt}"
        pipe = self._redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, self._ttl_s)
        deliveries, _ = pipe.execute()
        if deliveries > 1:
            self._redis.incr(f"{self._prefix}:tasks:redeliveries")
        return deliveries > 1

    @degrade(None)
    def retried(self) -> None:
        self._redis.incr(f"{self._prefix}:tasks:retries")

    @degrade(NO_COUNTS)
    def counts(self) -> dict[str, int]:
        """{"retries": n, "redeliveries": n} since Redis was last emptied."""
        names = ("retries", "redeliveries")
        values = self._redis.mget([f"{self._prefix}:tasks:{name}" for name in names])
        return {name: int(value or 0) for name, value in zip(names, values, strict=True)}
