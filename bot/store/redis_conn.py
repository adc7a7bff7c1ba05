"""The Redis connection and the one place where "Redis is down" is turned into a warning.

The Slack bot must keep answering when Redis is unreachable, so the calls on its hot path
(dedup, saving answers, votes, audit records) are wrapped with `degrade`. Admin reads and
erasure are deliberately not wrapped: an operator must see a failure, not an empty result.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bot.config import Settings

log = logging.getLogger(__name__)

# Short timeouts and a single immediate retry: the default client retries ten times with
# backoff, which would stall every Slack answer for seconds while Redis is down.
SOCKET_TIMEOUT_S = 1.0
HEALTH_CHECK_INTERVAL_S = 30

REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

P = ParamSpec("P")
R = TypeVar("R")


def connect(settings: Settings) -> redis.Redis:
    """A client for `settings.redis_url`; connecting is lazy, so this never fails by itself."""
    return redis.Redis.from_url(
        settings.redis_url,
        decode_responses=True,
        socket_timeout=SOCKET_TIMEOUT_S,
        socket_connect_timeout=SOCKET_TIMEOUT_S,
        health_check_interval=HEALTH_CHECK_INTERVAL_S,
        retry=Retry(NoBackoff(), retries=1),
    )


def degrade(default: R) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Return `default` (and log a warning) instead of raising when Redis is unreachable."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return fn(*args, **kwargs)
            except REDIS_DOWN as exc:
                log.warning("redis unavailable, %s skipped: %s", fn.__qualname__, exc)
                return default

        return call

    return wrap
