"""Once-only handling of Slack events across processes that share one Redis.

Slack retries an event when it gets no timely 200; every bot process must agree on who answers.
"""

from __future__ import annotations

from redis import Redis

from bot.store.keys import Keys
from bot.store.redis_conn import degrade

# Compare-and-delete: a failed handler must not erase the mark of one that did post.
_RELEASE = "if redis.call('GET', KEYS[1]) == 'processing' then return redis.call('DEL', KEYS[1]) end return 0"


class EventClaims:
    def __init__(self, redis: Redis, prefix: str, ttl_s: int) -> None:
        self._redis = redis
        self._keys = Keys(prefix)
        self._ttl_s = ttl_s
        self._release = redis.register_script(_RELEASE)

    @degrade(True)  # Redis down: a possible double answer beats silence
    def claim(self, event_id: str) -> bool:
        """True if this process won the event and should handle it."""
        return bool(self._redis.set(self._keys.event(event_id), "processing", nx=True, ex=self._ttl_s))

    @degrade(None)
    def done(self, event_id: str) -> None:
        """Mark a claimed event handled, so retries stay ignored for the whole TTL."""
        self._redis.set(self._keys.event(event_id), "done", xx=True, ex=self._ttl_s)

    @degrade(False)  # Redis down: answer (a possible double answer beats silence)
    def is_done(self, event_id: str) -> bool:
        """True once the event (or question) was handled: a redelivered task for it must stop."""
        return self._redis.get(self._keys.event(event_id)) == "done"

    @degrade(None)
    def release(self, event_id: str) -> None:
        """Give up a claim when nothing was posted, so Slack's retry gets answered."""
        self._release(keys=[self._keys.event(event_id)])
