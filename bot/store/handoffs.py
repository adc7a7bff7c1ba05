"""Hand-offs: an asker pressed "Still need help?" under an answer (bot/slack/handoff.py)."""

from __future__ import annotations

from redis import Redis
from redis.client import Pipeline

from bot.store.answers import AnswerRecord
from bot.store.keys import Keys, ref
from bot.store.kpis import HANDOFF, KpiStore
from bot.store.redis_conn import transaction


class Handoffs:
    def __init__(self, redis: Redis, prefix: str, kpis: KpiStore) -> None:
        self.redis, self.keys, self.kpis = redis, Keys(prefix), kpis

    def escalate(self, channel: str, ts: str) -> tuple[AnswerRecord | None, bool]:
        """Mark the answer escalated and count a hand-off on its day, once.

        Returns (the record or None if it is gone, True if this call escalated it). The record is
        rewritten in place, so it keeps its retention.
        """
        key = self.keys.answer(ref(channel, ts))

        def mark(pipe: Pipeline) -> tuple[AnswerRecord | None, bool]:
            raw = pipe.hget(key, "record")
            if raw is None:
                return None, False
            record = AnswerRecord.model_validate_json(raw)
            if record.escalated:
                return record, False
            record.escalated = True
            pipe.multi()
            pipe.hset(key, "record", record.model_dump_json())
            self.kpis.incr(pipe, HANDOFF, at=record.created_at, channel=record.channel, variant=record.variant)
            return record, True

        return transaction(self.redis, mark, key)
