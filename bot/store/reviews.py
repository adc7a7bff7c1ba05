"""Review items: an answer someone rated 👎, as its policy owners review it, and what they decided.

An item copies the (already masked) question, answer and sources from the answer record, so it
outlives the answer's retention window: reviews are knowledge, not logs. It holds no asker or voter
ids; who voted and why stays in the vote and reason stores, which erasure cleans. `history` says
who did what and when (reviewers' Slack ids: they acted as staff, not as askers).

Redis: `review-item:{ref}` (JSON, no TTL) and the `review-items` sorted set (ref by created_at).
"""

from __future__ import annotations

import time
from typing import Literal

from pydantic import BaseModel, Field
from redis import Redis
from redis.client import Pipeline

from bot.core.results import AnswerKind, Source
from bot.store.answers import AnswerRecord
from bot.store.keys import Keys

State = Literal["open", "right", "verified", "policy_update", "not_policy", "suspended"]
Action = Literal["right", "verify", "policy_update", "not_policy", "suspend"]
# The state each action leaves an item in; every action may be taken on an item in any state
# (a reviewer can change their mind), and each one is kept in `history`.
STATE_AFTER: dict[Action, State] = {
    "right": "right",
    "verify": "verified",
    "policy_update": "policy_update",
    "not_policy": "not_policy",
    "suspend": "suspended",
}
CLOSED: frozenset[State] = frozenset({"right", "verified", "not_policy"})


class ReviewEvent(BaseModel):
    who: str  # Slack user id of the reviewer, or "policybot" (ingest suspensions)
    action: Action
    note: str = ""
    at: float = Field(default_factory=time.time)


class ReviewItem(BaseModel):
    """One answer under review (`ref` is the answer's `channel:ts`)."""

    ref: str
    question: str  # PII-masked
    answer: str  # PII-masked
    kind: AnswerKind = "answer"
    sources: list[Source] = Field(default_factory=list)
    state: State = "open"
    review_channel: str | None = None  # where its card is; None: no channel may see it (CLI only)
    card_ts: str | None = None
    history: list[ReviewEvent] = Field(default_factory=list)
    created_at: float = Field(default_factory=time.time)

    @property
    def gap(self) -> bool:
        """Counts as a knowledge gap unless a reviewer said it is not a policy question."""
        return self.state != "not_policy"

    @classmethod
    def of(cls, record: AnswerRecord) -> ReviewItem:
        return cls(
            ref=record.ref,
            question=record.question,
            answer=record.answer,
            kind=record.kind,
            sources=record.sources,
            created_at=record.created_at,
        )


class ReviewStore:
    """Review items in Redis; every change is one optimistic transaction on the item's key."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.keys = Keys(prefix)

    def open(self, item: ReviewItem) -> bool:
        """Store a new item; False (and nothing changes) if the answer already has one."""
        k = self.keys
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(k.review_item(item.ref), item.model_dump_json(), nx=True)
            pipe.zadd(k.review_items, {item.ref: item.created_at})
            created, _ = pipe.execute()
        return bool(created)

    def get(self, answer_ref: str) -> ReviewItem | None:
        raw = self.redis.get(self.keys.review_item(answer_ref))
        return ReviewItem.model_validate_json(raw) if raw else None

    def save(self, item: ReviewItem) -> None:
        self.redis.set(self.keys.review_item(item.ref), item.model_dump_json())

    def act(self, answer_ref: str, action: Action, who: str, note: str = "") -> ReviewItem | None:
        """Apply `action` by `who`: new state plus a history entry; None if there is no such item."""
        key = self.keys.review_item(answer_ref)

        def change(pipe: Pipeline) -> ReviewItem | None:
            raw = pipe.get(key)
            if raw is None:
                return None
            item = ReviewItem.model_validate_json(raw)
            item.state = STATE_AFTER[action]
            item.history.append(ReviewEvent(who=who, action=action, note=note))
            pipe.multi()
            pipe.set(key, item.model_dump_json())
            return item

        return self.redis.transaction(change, key, value_from_callable=True)  # type: ignore[arg-type,return-value]

    def place_card(self, answer_ref: str, channel: str | None, ts: str | None) -> None:
        """Remember where the item's card was posted (so actions can update it in place)."""
        key = self.keys.review_item(answer_ref)

        def change(pipe: Pipeline) -> None:
            raw = pipe.get(key)
            if raw is None:
                return
            item = ReviewItem.model_validate_json(raw)
            item.review_channel, item.card_ts = channel, ts
            pipe.multi()
            pipe.set(key, item.model_dump_json())

        self.redis.transaction(change, key)

    def list(self, states: set[str] | None = None, limit: int = 100) -> list[ReviewItem]:
        """Items oldest first, optionally only those in `states`."""
        refs = self.redis.zrange(self.keys.review_items, 0, -1)
        items: list[ReviewItem] = []
        for answer_ref in refs:
            item = self.get(str(answer_ref))
            if item is not None and (states is None or item.state in states):
                items.append(item)
                if len(items) >= limit:
                    break
        return items
