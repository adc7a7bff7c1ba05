"""The Redis cache of each user's group audiences (`{prefix}:principals:{user}`), shared by every
app process; a Redis outage degrades to a cache miss (resolving live)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from redis import Redis

from bot.store.keys import Keys
from bot.store.redis_conn import degrade


class RedisGroupCache:
    """`{prefix}:principals:{user}` -> {"groups": [...], "guest": bool} with a TTL; degrades to a miss."""

    def __init__(self, redis: Redis, prefix: str, ttl_s: int) -> None:
        self.redis, self.prefix, self.ttl_s = redis, prefix, ttl_s

    def key(self, user: str) -> str:
        return Keys(self.prefix).principals(user)

    @degrade(None)
    def get(self, user: str) -> tuple[frozenset[str], bool] | None:
        raw = self.redis.get(self.key(user))
        if not raw:
            return None
        data = json.loads(raw)
        return frozenset(data.get("groups") or ()), bool(data.get("guest"))

    @degrade(None)
    def put(self, user: str, groups: Iterable[str], guest: bool) -> None:
        if self.ttl_s > 0:
            self.redis.set(self.key(user), json.dumps({"groups": sorted(groups), "guest": guest}), ex=self.ttl_s)
