"""👍/👎 votes on stored answers, the human review queue, and the counters behind `stats`.

Every change reads the answer's votes under WATCH and writes votes, counters and queues in one
MULTI, so concurrent reactions can never leave the counters or the queue out of step.

A reaction can reach us before the answer it rates is stored (Slack delivers it the moment the
message is posted). Such a vote is kept as *pending* (voter and value, for `pending_ttl_s`) and
applied when the answer is saved. The vote transaction watches the answer key, so a save that
lands while a vote is being parked makes the vote retry and apply directly: none is lost.
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
from bot.store.redis_conn import degrade, text, texts, transaction

VOTE_FIELD = {1: "votes:up", -1: "votes:down"}  # stats hash fields
# How long a vote on a not-yet-stored answer waits for it: far longer than posting takes.
PENDING_VOTE_TTL_S = 900
ReviewState = Literal["none", "open", "resolved"]


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
    state: ReviewState = "none"
    resolution: Resolution | None = None


class DocumentFeedback(BaseModel):
    """How the stored answers citing one document were rated (for the document's owner)."""

    doc_id: str
    title: str
    source: str = ""  # file path in the knowledge folder
    answers: int = 0  # stored answers citing it
    up: int = 0
    down: int = 0
    open_reviews: int = 0


class FeedbackStore:
    """Votes and reviews over `answers`; registers itself to apply pending votes on each save.
    Votes and reviews also move the day-bucketed KPIs (`kpis`)."""

    def __init__(
        self,
        redis: Redis,
        prefix: str,
        answers: AnswerStore,
        kpis: KpiStore | None = None,
        pending_ttl_s: int = PENDING_VOTE_TTL_S,
    ) -> None:
        self.redis = redis
        self.answers = answers
        self.keys = Keys(prefix)
        self.kpis = kpis or KpiStore(redis, prefix)
        self.pending_ttl_s = pending_ttl_s
        answers.after_save.append(self.apply_pending)

    @degrade(False)
    def vote(self, channel: str, ts: str, user: str, value: int, *, keep_pending: bool = False) -> bool:
        """Record `user`'s +1/-1, replacing their earlier vote.

        When the answer is not stored (yet): with `keep_pending` (the message is known to be the
        bot's) the vote is parked until the answer is saved and True is returned; otherwise False.
        """
        if value not in VOTE_FIELD:
            raise ValueError(f"vote must be +1 or -1, not {value!r}")
        return self._set_vote(ref(channel, ts), user, value, keep_pending=keep_pending)

    @degrade(0)
    def apply_pending(self, record: AnswerRecord) -> int:
        """Apply the votes parked for `record` before it was stored; how many were applied."""
        voters = texts(self.redis.hkeys(self.keys.pending_votes(record.ref)))
        return sum(self._set_vote(record.ref, voter, None, apply_pending=True) for voter in voters)

    @degrade(False)
    def unvote(self, channel: str, ts: str, user: str, value: int) -> bool:
        """Remove `user`'s vote only if it is still `value`.

        Switching 👍 to 👎 and then removing the 👍 reaction must not drop the 👎.
        """
        return self._set_vote(ref(channel, ts), user, None, expect=value)

    def withdraw(self, channel: str, ts: str, user: str) -> bool:
        """Remove `user`'s vote whatever it is (erasure); True if there was one."""
        return self._set_vote(ref(channel, ts), user, None)

    def _set_vote(
        self,
        answer_ref: str,
        user: str,
        new: int | None,
        expect: int | None = None,
        *,
        keep_pending: bool = False,
        apply_pending: bool = False,
    ) -> bool:
        """Set `user`'s vote to `new` (None: remove it) if their current vote is `expect` (when given).

        A pending vote of `user` counts as their current vote and is folded in (and deleted) by
        any change once the answer exists; `apply_pending` only folds it in.
        """
        k = self.keys
        answer_key, votes_key, pending_key = k.answer(answer_ref), k.votes(answer_ref), k.pending_votes(answer_ref)

        def change(pipe: Pipeline) -> bool:
            raw = pipe.hget(answer_key, "record")
            parked = pipe.hget(pending_key, user)
            pending = int(parked) if parked is not None else None
            if raw is None:
                if new is not None and not keep_pending:
                    return False
                return self._park(pipe, answer_ref, user, pending, new, expect)
            votes = {u: int(v) for u, v in pipe.hgetall(votes_key).items()}
            old = votes.get(user)
            current = pending if pending is not None else old
            target = current if apply_pending else new
            if (expect is not None and current != expect) or (apply_pending and pending is None):
                return False
            if pending is None and old == target:
                return target is not None
            down_before = sum(v < 0 for v in votes.values())
            down_after = down_before - (old == -1) + (target == -1)
            expires_at = pipe.expiretime(answer_key)
            record = AnswerRecord.model_validate_json(raw)
            created_at = record.created_at
            pipe.multi()
            if pending is not None:
                pipe.hdel(pending_key, user)
            if old == target:
                return True
            channel, variant = record.channel, record.variant
            self.kpis.vote_change(pipe, old=old, new=target, at=created_at, channel=channel, variant=variant)
            if target is None:
                pipe.hdel(votes_key, user)
                pipe.srem(k.user_votes(user), answer_ref)
            else:
                pipe.hset(votes_key, user, target)
                pipe.sadd(k.user_votes(user), answer_ref)
                if expires_at > 0:  # votes go when their answer goes
                    pipe.expireat(votes_key, expires_at)
                    expire_no_earlier(pipe, k.user_votes(user), expires_at)
            if old is not None:
                pipe.hincrby(k.stats, VOTE_FIELD[old], -1)
            if target is not None:
                pipe.hincrby(k.stats, VOTE_FIELD[target], 1)
            if down_before == 0 and down_after > 0:
                pipe.zadd(k.negative, {answer_ref: created_at})
                pipe.zadd(k.review, {answer_ref: created_at})
                self.kpis.incr(pipe, REVIEW_OPENED, at=created_at, channel=channel, variant=variant)
            elif down_before > 0 and down_after == 0:
                pipe.zrem(k.negative, answer_ref)
                pipe.zrem(k.review, answer_ref)
                self.kpis.incr(pipe, REVIEW_OPENED, at=created_at, channel=channel, variant=variant, by=-1)
            return True

        return transaction(self.redis, change, answer_key, votes_key, pending_key)

    def _park(self, pipe: Pipeline, answer_ref: str, user: str, pending: int | None, new: int | None, expect: int | None) -> bool:
        """Keep (or drop) `user`'s pending vote on an answer not stored yet; under the caller's WATCH."""
        if expect is not None and pending != expect:
            return False
        if pending == new:
            return new is not None
        k = self.keys
        pending_key, user_votes = k.pending_votes(answer_ref), k.user_votes(user)
        keeps_forever = pipe.ttl(user_votes) == -1  # must not be given a TTL here
        pipe.multi()
        if new is None:
            pipe.hdel(pending_key, user)
            return True
        pipe.hset(pending_key, user, new)
        pipe.expire(pending_key, self.pending_ttl_s)
        pipe.sadd(user_votes, answer_ref)  # so erasure finds a pending vote too
        if not keeps_forever:
            expire_no_earlier(pipe, user_votes, int(time.time()) + self.pending_ttl_s)
        return True

    def votes_of(self, answer_ref: str) -> dict[str, int]:
        """Voter -> +1/-1 on one answer (empty once the answer expired or was erased)."""
        return {str(user): int(v) for user, v in self.redis.hgetall(self.keys.votes(answer_ref)).items()}

    def drop_answer(self, answer_ref: str) -> bool:
        """Delete an answer with its votes and queue entries, taking them out of the counters."""
        k = self.keys
        answer_key, votes_key = k.answer(answer_ref), k.votes(answer_ref)

        def drop(pipe: Pipeline) -> bool:
            raw = pipe.hget(answer_key, "record")
            votes = {text(u): int(v) for u, v in pipe.hgetall(votes_key).items()}
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

        return transaction(self.redis, drop, answer_key, votes_key)

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

        return transaction(self.redis, close, k.review, k.answer(r))

    def review_queue(self, limit: int = 50) -> list[ReviewItem]:
        """Answers with an unresolved 👎, oldest first."""
        refs = texts(self.redis.zrange(self.keys.review, 0, limit - 1))
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
            state: ReviewState = "open" if open_score is not None else "resolved" if resolution else "none"
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
            stored, raw_counts, review, resolved = pipe.execute()
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
        }

    def by_document(self) -> list[DocumentFeedback]:
        """Votes on the stored answers grouped by cited document, most 👎 first.

        An answer citing a document twice counts once for it; reads every stored answer.
        """
        self.answers.prune()
        records = self.answers.load(texts(self.redis.zrange(self.keys.answers, 0, -1)))
        docs: dict[str, DocumentFeedback] = {}
        for item in self.annotate(list(records.values())):
            for source in {s.doc_id: s for s in item.record.sources}.values():
                doc = docs.setdefault(
                    source.doc_id, DocumentFeedback(doc_id=source.doc_id, title=source.title, source=source.source)
                )
                doc.answers += 1
                doc.up += item.up
                doc.down += item.down
                doc.open_reviews += item.state == "open"
        return sorted(docs.values(), key=lambda d: (-d.down, -d.open_reviews, -d.answers, d.title))
