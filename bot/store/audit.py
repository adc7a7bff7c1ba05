"""The audit trail: who asked what, what the bot decided and on which sources.

A Redis stream: entries are time-ordered by their ids, so retention is a MINID trim on append.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Literal, cast

from pydantic import BaseModel, Field
from redis import Redis

from bot.store.answers import DAY_S
from bot.store.keys import Keys
from bot.store.redis_conn import degrade

Decision = Literal["answered", "abstained", "private", "refused", "error", "reviewed"]
_LIST_FIELDS = ("sources", "principals")  # JSON-encoded in the stream, which holds strings only
_PAGE = 1000


class AuditEntry(BaseModel):
    user: str
    channel: str
    question: str  # PII-masked
    decision: Decision
    sources: list[str] = Field(default_factory=list)  # chunk ids
    principals: list[str] = Field(default_factory=list)
    answerer: str = ""
    action: str = ""  # for "reviewed": the review action taken (bot.store.reviews.Action)
    created_at: float = Field(default_factory=time.time)

    def to_fields(self) -> dict[str, str]:
        data = self.model_dump()
        return {f: json.dumps(v) if f in _LIST_FIELDS else str(v) for f, v in data.items()}

    @classmethod
    def from_fields(cls, fields: dict[str, str]) -> AuditEntry:
        return cls.model_validate({f: json.loads(v) if f in _LIST_FIELDS else v for f, v in fields.items()})


class AuditLog:
    def __init__(self, redis: Redis, prefix: str, retention_days: int | None = None) -> None:
        self.redis = redis
        self.key = Keys(prefix).audit
        self.retention_s = retention_days * DAY_S if retention_days is not None else None

    @degrade(None)
    def record(self, entry: AuditEntry) -> None:
        """Append, trimming entries older than retention (exact, so the period is a promise)."""
        minid = int((time.time() - self.retention_s) * 1000) if self.retention_s is not None else None
        # redis-py wants exactly dict[FieldT, EncodableT] (a dict is invariant); str fields and values are both.
        self.redis.xadd(self.key, entry.to_fields(), minid=minid, approximate=False)  # type: ignore[arg-type]

    def export(self, since: datetime | None = None) -> list[AuditEntry]:
        start = str(int(since.timestamp() * 1000)) if since else "-"
        return [AuditEntry.from_fields(fields) for _, fields in self._scan(start)]

    def forget_user(self, user: str) -> int:
        """Delete `user`'s entries; returns how many."""
        ids = [entry_id for entry_id, fields in self._scan("-") if fields.get("user") == user]
        for i in range(0, len(ids), _PAGE):
            self.redis.xdel(self.key, *ids[i : i + _PAGE])
        return len(ids)

    def _scan(self, start: str) -> Iterator[tuple[str, dict[str, str]]]:
        """The stream from `start` on, page by page so a year of entries is never one reply."""
        while reply := self.redis.xrange(self.key, min=start, count=_PAGE):
            page = cast(list[tuple[str, dict[str, str]]], reply)  # decoded entries: see redis_conn.text
            yield from page
            start = f"({page[-1][0]}"
