"""Why someone rated an answer 👎: the reason they picked (and their words, PII-masked), one per voter.

Stored per answer as a Redis hash voter -> `Reason` JSON, without a TTL: a reason is part of the
review of the answer, which outlives the answer's retention window. A per-user index lets erasure
find and remove every reason of one person. Prompting is once per answer per person: the prompt
claims the voter's field first (a `Reason` with no `code` yet), so a second 👎 never re-asks.
"""

from __future__ import annotations

import time

from pydantic import BaseModel, Field
from redis import Redis

from bot.store.keys import Keys

# The choices of the prompt, in order (code -> label); "other" opens a modal for free text.
REASONS: dict[str, str] = {
    "wrong": "Wrong",
    "outdated": "Out of date",
    "incomplete": "Incomplete",
    "unanswered": "Didn't answer my question",
    "other": "Other…",
}
OTHER = "other"
UNANSWERED = "unanswered"  # counts the question as a knowledge gap


class Reason(BaseModel):
    """One voter's reason; `code` None means they were asked and have not answered yet."""

    code: str | None = None
    text: str = ""  # the "Other" text, PII-masked before it is stored
    at: float = Field(default_factory=time.time)

    @property
    def label(self) -> str:
        label = REASONS.get(self.code or "", "")
        return f"Other: {self.text}" if self.code == OTHER and self.text else label


class ReasonStore:
    """Reasons of 👎 votes, keyed by the answer's ref (`channel:ts`)."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.keys = Keys(prefix)

    def claim_prompt(self, answer_ref: str, user: str) -> bool:
        """True the first time `user` is to be asked about this answer; False ever after."""
        k = self.keys
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.hsetnx(k.reasons(answer_ref), user, Reason().model_dump_json())
            pipe.sadd(k.user_reasons(user), answer_ref)
            claimed, _ = pipe.execute()
        return bool(claimed)

    def set(self, answer_ref: str, user: str, code: str, text: str = "") -> Reason:
        """Store `user`'s reason (`text` must already be masked); raises ValueError for an unknown code."""
        if code not in REASONS:
            raise ValueError(f"unknown 👎 reason {code!r}; one of {', '.join(REASONS)}")
        reason = Reason(code=code, text=text.strip() if code == OTHER else "")
        k = self.keys
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(k.reasons(answer_ref), user, reason.model_dump_json())
            pipe.sadd(k.user_reasons(user), answer_ref)
            pipe.execute()
        return reason

    def of(self, answer_ref: str) -> dict[str, Reason]:
        """Voter -> their given reason (prompts not answered yet are left out)."""
        raw = self.redis.hgetall(self.keys.reasons(answer_ref))
        reasons = {str(user): Reason.model_validate_json(value) for user, value in raw.items()}
        return {user: r for user, r in reasons.items() if r.code}

    def forget_user(self, user: str) -> int:
        """Erase every reason (and prompt claim) of `user`; how many."""
        k = self.keys
        refs = self.redis.smembers(k.user_reasons(user))
        with self.redis.pipeline(transaction=True) as pipe:
            for answer_ref in map(str, refs):
                pipe.hdel(k.reasons(answer_ref), user)
            pipe.delete(k.user_reasons(user))
            removed = pipe.execute()[:-1]
        return sum(removed)
