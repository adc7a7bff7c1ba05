"""The Redis connection and the one place where "Redis is down" is turned into a warning.

The Slack bot must keep answering when Redis is unreachable, so the calls on its hot path
(dedup, saving answers, votes, audit records) are wrapped with `degrade`. Admin reads and
erasure are deliberately not wrapped: an operator must see a failure, not an empty result.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec, TypeVar, cast

import redis
from redis.backoff import NoBackoff
from redis.client import Pipeline
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
D = TypeVar("D")
T = TypeVar("T")


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


def degrade(default: D) -> Callable[[Callable[P, R]], Callable[P, R | D]]:
    """Return `default` (and log a warning) instead of raising when Redis is unreachable."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R | D]:
        @functools.wraps(fn)
        def call(*args: P.args, **kwargs: P.kwargs) -> R | D:
            try:
                return fn(*args, **kwargs)
            except REDIS_DOWN as exc:
                log.warning("redis unavailable, %s skipped: %s", fn.__qualname__, exc)
                return default

        return call

    return wrap


# `connect` sets decode_responses=True, so every reply holds str where redis-py's annotations (one
# client class for both modes) say `bytes | str`: the stores narrow a reply with these where they read it.


def text(reply: bytes | str) -> str:
    """A string reply (a key, member or value), decoded by the client."""
    return cast(str, reply)


def texts(reply: Iterable[Any]) -> list[str]:
    """A reply of members (a set, hash keys, a sorted-set range without scores) as decoded strings."""
    return list(reply)


def transaction(client: redis.Redis, fn: Callable[[Pipeline], T], *watches: str) -> T:
    """Run `fn` on a pipeline with `watches` WATCHed, execute what it queued after `pipe.multi()` and
    return what `fn` returned; runs again from the start when a watched key changed meanwhile.

    `Redis.transaction(..., value_from_callable=True)`, whose annotations assume `fn` returns None.
    """
    value = client.transaction(fn, *watches, value_from_callable=True)  # type: ignore[arg-type]  # see docstring
    return cast(T, value)
