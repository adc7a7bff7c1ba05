"""👍/👎 votes on stored answers, the human review queue, and the counters behind `stats`.

Every change reads the answer's votes under WATCH and writes votes, counters and queues in one
MULTI, so concurrent reactions can never leave the counters or the queue out of step.
"""

from __future__ import annotations

import time
from typing import Any, Literal

from pydantic import BaseModel
from redis import Redis
from redis.client import Pipeline

from bot.store.answers import AnswerRecord, AnswerStore
from bot.store.keys import Keys, expire_no_earlier, ref
from bot.store.kpis import REVIEW_OPENED, KpiStore
from bot.store.redis_conn import degrade

VOTE_FIELD = {1: "votes:up", -1: "votes:down"}  # stats hash fields


class Resolution(BaseModel):
    reviewer: str
    note: str
    resolved_at: float


class ReviewItem(BaseModel):
    """An answer with its feedback, as a reviewer sees it."""

    record: AnswerRecord
    up: int = 0
    down: int = 0
    voters: int = 0
    state: Literal["none", "open", "resolved"] = "none"
    resolution: Resolution | None = None


class FeedbackStore:
    def __init__(self, redis: Redis, prefix: str, answers: AnswerStore, kpis: KpiStore | None = None) -> None:
        self.redis = redis
        self.answers = answers
        self.keys = Keys(prefix)
        self.kpis = kpis or KpiStore(redis, prefix)

    @degrade(False)
    def vote(self, channel: str, ts: str, user: str, value: int) -> bool:
        """Record `user`'s +1/-1, replacing their earlier vote; False if not a stored bot answer."""
        if value not in VOTE_FIELD:
            raise ValueError(f"vote must be +1 or -1, not {value!r}")
        return self._set_vote(ref(channel, ts), user, value)

    @degrade(False)
    def unvote(self, channel: str, ts: str, user: str, value: int) -> bool:
        """Remove `user`'s vote only if it is still `value`.

        Switching 👍 to 👎 and then removing the 👍 reaction must not drop the 👎.
        """
        return self._set_vote(ref(channel, ts), user, None, expect=value)

    def withdraw(self, channel: str, ts: str, user: str) -> bool:
        """Remove `user`'s vote whatever it is (erasure); True if there was one."""
        return self._set_vote(ref(channel, ts), user, None)

    def _set_vote(self, answer_ref: str, user: str, new: int | None, expect: int | None = None) -> bool:
        k = self.keys
        answer_key, votes_key = k.answer(answer_ref), k.votes(answer_ref)

        def change(pipe: Pipeline) -> bool:
            raw = pipe.hget(answer_key, "record")
            if raw is None:
                return False
            votes = {u: int(v) for u, v in pipe.hgetall(votes_key).items()}
            old = votes.get(user)
            if expect is not None and old != expect:
                return False
            if old == new:
                return new is not None
            down_before = sum(v < 0 for v in votes.values())
            down_after = down_before - (old == -1) + (new == -1)
            expires_at = pipe.expiretime(answer_key)
            record = AnswerRecord.model_validate_json(raw)
            created_at = record.created_at
            pipe.multi()
            channel, variant = record.channel, record.variant
            self.kpis.vote_change(pipe, old=old, new=new, at=created_at, channel=channel, variant=variant)
            if new is None:
                pipe.hdel(votes_key, user)
                pipe.srem(k.user_votes(user), answer_ref)
            else:
                pipe.hset(votes_key, user, new)
                pipe.sadd(k.user_votes(user), answer_ref)
                if expires_at > 0:  # votes go when their answer goes
                    pipe.expireat(votes_key, expires_at)
                    expire_no_earlier(pipe, k.user_votes(user), expires_at)
            if old is not None:
                pipe.hincrby(k.stats, VOTE_FIELD[old], -1)
            if new is not None:
                pipe.hincrby(k.stats, VOTE_FIELD[new], 1)
            if down_before == 0 and down_after > 0:
                pipe.zadd(k.negative, {answer_ref: created_at})
                pipe.zadd(k.review, {answer_ref: created_at})
                self.kpis.incr(pipe, REVIEW_OPENED, at=created_at, channel=channel, variant=variant)
            elif down_before > 0 and down_after == 0:
                pipe.zrem(k.negative, answer_ref)
                pipe.zrem(k.review, answer_ref)
                self.kpis.incr(pipe, REVIEW_OPENED, at=created_at, channel=channel, variant=variant, by=-1)
            return True

        return self.redis.transaction(change, answer_key, votes_key, value_from_callable=True)

    def drop_answer(self, answer_ref: str) -> bool:
        """Delete an answer with its votes and queue entries, taking them out of the counters."""
        k = self.keys
        answer_key, votes_key = k.answer(answer_ref), k.votes(answer_ref)

        def drop(pipe: Pipeline) -> bool:
            raw = pipe.hget(answer_key, "record")
            votes = {u: int(v) for u, v in pipe.hgetall(votes_key).items()}
            pipe.multi()
            pipe.delete(answer_key, votes_key)
            for index in k.indexes:
                pipe.zrem(index, answer_ref)
            if raw is not None:
                pipe.hincrby(k.stats, f"kind:{AnswerRecord.model_validate_json(raw).kind}", -1)
            for voter, value in votes.items():
                pipe.hincrby(k.stats, VOTE_FIELD[value], -1)
                pipe.srem(k.user_votes(voter), answer_ref)
            return raw is not None

        return self.redis.transaction(drop, answer_key, votes_key, value_from_callable=True)

    def resolve(self, channel: str, ts: str, reviewer: str, note: str) -> bool:
        """Close an open review with the reviewer's note; False if the answer is not in the queue."""
        k, r = self.keys, ref(channel, ts)
        resolution = Resolution(reviewer=reviewer, note=note, resolved_at=time.time())

        def close(pipe: Pipeline) -> bool:
            score = pipe.zscore(k.review, r)
            raw = pipe.hget(k.answer(r), "record")
            if score is None or raw is None:
                return False
            record = AnswerRecord.model_validate_json(raw)
            hours = (resolution.resolved_at - record.created_at) / 3600
            pipe.multi()
            self.kpis.resolved(pipe, at=record.created_at, channel=record.channel, variant=record.variant, hours=hours)
            pipe.zrem(k.review, r)
            pipe.zadd(k.resolved, {r: score})
            pipe.hset(k.answer(r), "resolution", resolution.model_dump_json())  # expires with the answer
            return True

        return self.redis.transaction(close, k.review, k.answer(r), value_from_callable=True)

    def review_queue(self, limit: int = 50) -> list[ReviewItem]:
        """Answers with an unresolved 👎, oldest first."""
        refs = self.redis.zrange(self.keys.review, 0, limit - 1)
        records = self.answers.load(refs)
        return self.annotate([records[r] for r in refs if r in records])

    def annotate(self, records: list[AnswerRecord]) -> list[ReviewItem]:
        """Attach vote counts and review state to answer records."""
        k = self.keys
        with self.redis.pipeline(transaction=False) as pipe:
            for rec in records:
                pipe.hvals(k.votes(rec.ref))
                pipe.zscore(k.review, rec.ref)
                pipe.hget(k.answer(rec.ref), "resolution")
            raw = pipe.execute()
        items = []
        for rec, votes, open_score, resolution in zip(records, raw[0::3], raw[1::3], raw[2::3], strict=True):
            state = "open" if open_score is not None else "resolved" if resolution else "none"
            items.append(
                ReviewItem(
                    record=rec,
                    up=votes.count("1"),
                    down=votes.count("-1"),
                    voters=len(votes),
                    state=state,
                    resolution=Resolution.model_validate_json(resolution) if resolution else None,
                )
            )
        return items

    def stats(self) -> dict[str, Any]:
        """Totals for dashboards: vote and kind counters are lifetime counts minus erasures."""
        self.answers.prune()
        k = self.keys
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.zcard(k.answers)
            pipe.hgetall(k.stats)
            pipe.zcard(k.review)
            pipe.zcard(k.resolved)
            pipe.hgetall(k.counters)
            stored, raw_counts, review, resolved, counters = pipe.execute()
        counts = {f: int(v) for f, v in raw_counts.items()}
        by_kind = {f.removeprefix("kind:"): n for f, n in counts.items() if f.startswith("kind:") and n}
        up, down = counts.get(VOTE_FIELD[1], 0), counts.get(VOTE_FIELD[-1], 0)
        return {
            "answers_stored": stored,
            "by_kind": by_kind,
            "answered": by_kind.get("answer", 0),
            "abstained": by_kind.get("abstain", 0),
            "votes_up": up,
            "votes_down": down,
            "satisfaction": round(up / (up + down), 3) if up + down else None,
            "review_queue": review,
            "resolved": resolved,
            "counters": {name: int(v) for name, v in counters.items()},
        }

    @degrade(None)
    def incr(self, name: str, by: int = 1) -> None:
        """Bump a free-form metric counter (other modules' events, e.g. `rate_limited`)."""
        self.redis.hincrby(self.keys.counters, name, by)
