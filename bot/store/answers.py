"""Stored bot answers: what was asked, what was answered and from which sources.

Feedback, `/policy-sources` and human review all look answers up by their Slack message.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from pydantic import BaseModel, Field
from redis import Redis
from redis.client import Pipeline

from bot.core.results import AnswerKind, Source
from bot.store.keys import Keys, ref
from bot.store.redis_conn import degrade, text, texts

DAY_S = 86_400


class AnswerRecord(BaseModel):
    """One answer the bot posted; question and answer are already PII-masked by the caller."""

    channel: str
    ts: str  # the bot's answer message
    thread_ts: str | None = None
    user: str  # who asked
    question: str
    answer: str
    kind: AnswerKind = "answer"
    sources: list[Source] = Field(default_factory=list)
    confidence: float = 0.0
    answerer: str = "extractive"
    fallback_reason: str | None = None
    latency_ms: float = 0.0
    created_at: float = Field(default_factory=time.time)
    private: bool = False
    variant: str = "control"  # the experiment variant that answered (bot/variants)
    escalated: bool = False  # the asker pressed "Still need help?" (hand-off to a human)
    related: str | None = None  # the id of the verified answer offered beside this one ("Show the verified answer")

    @property
    def ref(self) -> str:
        return ref(self.channel, self.ts)


class AnswerStore:
    """Answers live `retention_days` (None: until erased) and are indexed by time and asker.

    `after_save` callbacks run once a record is stored (the feedback store applies the votes
    that arrived before their answer was saved).
    """

    def __init__(self, redis: Redis, prefix: str, retention_days: int | None = None) -> None:
        self.redis = redis
        self.keys = Keys(prefix)
        self.ttl_s = retention_days * DAY_S if retention_days is not None else None
        self.after_save: list[Callable[[AnswerRecord], object]] = []

    @degrade(None)
    def save(self, record: AnswerRecord) -> None:
        """Store `record` and index it, then run the `after_save` callbacks."""
        k, r = self.keys, record.ref
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(k.answer(r), "record", record.model_dump_json())
            pipe.set(k.latest(record.user, record.channel), record.ts)
            pipe.sadd(k.user_answers(record.user), r)
            pipe.zadd(k.answers, {r: record.created_at})
            pipe.hincrby(k.stats, f"kind:{record.kind}", 1)
            if self.ttl_s is not None:
                for key in (k.answer(r), k.latest(record.user, record.channel), k.user_answers(record.user)):
                    pipe.expire(key, self.ttl_s)
                self._prune(pipe, self.ttl_s)
            pipe.execute()
        for callback in self.after_save:
            callback(record)

    @degrade(None)
    def get(self, channel: str, ts: str) -> AnswerRecord | None:
        return self.load([ref(channel, ts)]).get(ref(channel, ts))

    @degrade(None)
    def latest_for(self, user: str, channel: str) -> AnswerRecord | None:
        """The user's most recent answer in `channel` (what `/policy-sources` shows)."""
        ts = self.redis.get(self.keys.latest(user, channel))
        return self.get(channel, text(ts)) if ts else None

    def recent(self, limit: int = 50, negative_only: bool = False) -> list[AnswerRecord]:
        """Newest first; `negative_only` keeps answers with at least one 👎."""
        index = self.keys.negative if negative_only else self.keys.answers
        refs = texts(self.redis.zrevrange(index, 0, limit - 1))
        records = self.load(refs)
        return [records[r] for r in refs if r in records]

    def load(self, refs: list[str]) -> dict[str, AnswerRecord]:
        """Records by ref; refs whose answer expired or was erased are left out."""
        if not refs:
            return {}
        with self.redis.pipeline(transaction=False) as pipe:
            for r in refs:
                pipe.hget(self.keys.answer(r), "record")
            raw = pipe.execute()
        return {r: AnswerRecord.model_validate_json(j) for r, j in zip(refs, raw, strict=True) if j}

    def prune(self) -> None:
        """Drop index entries of answers past retention (their keys expired on their own)."""
        if self.ttl_s is not None:
            with self.redis.pipeline(transaction=False) as pipe:
                self._prune(pipe, self.ttl_s)
                pipe.execute()

    def _prune(self, pipe: Pipeline, ttl_s: int) -> None:
        cutoff = time.time() - ttl_s
        for index in self.keys.indexes:
            pipe.zremrangebyscore(index, "-inf", f"({cutoff}")
