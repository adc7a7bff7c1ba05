"""Every Redis key policybot uses, in one place (documented in docs/data-model.md).

An answer is identified by its Slack message: `ref = "{channel}:{ts}"` (channel ids have no
colons). Index sorted sets store refs scored by the answer's `created_at`, so a single cutoff
prunes them all to the retention period.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis.client import Pipeline


def ref(channel: str, ts: str) -> str:
    return f"{channel}:{ts}"


def split_ref(answer_ref: str) -> tuple[str, str]:
    channel, ts = answer_ref.split(":", 1)
    return channel, ts


@dataclass(frozen=True)
class Keys:
    prefix: str

    def event(self, event_id: str) -> str:
        return f"{self.prefix}:event:{event_id}"

    def answer(self, answer_ref: str) -> str:
        return f"{self.prefix}:answer:{answer_ref}"

    def votes(self, answer_ref: str) -> str:
        return f"{self.prefix}:votes:{answer_ref}"

    def pending_votes(self, answer_ref: str) -> str:
        return f"{self.prefix}:pending-votes:{answer_ref}"

    def latest(self, user: str, channel: str) -> str:
        return f"{self.prefix}:latest:{user}:{channel}"

    def user_answers(self, user: str) -> str:
        return f"{self.prefix}:user:{user}:answers"

    def user_votes(self, user: str) -> str:
        return f"{self.prefix}:user:{user}:votes"

    def reasons(self, answer_ref: str) -> str:
        return f"{self.prefix}:reasons:{answer_ref}"

    def user_reasons(self, user: str) -> str:
        return f"{self.prefix}:user:{user}:reasons"

    def review_item(self, answer_ref: str) -> str:
        return f"{self.prefix}:review-item:{answer_ref}"

    @property
    def review_items(self) -> str:
        return f"{self.prefix}:review-items"

    def principals(self, user: str) -> str:
        return f"{self.prefix}:principals:{user}"

    @property
    def answers(self) -> str:
        return f"{self.prefix}:answers"

    @property
    def negative(self) -> str:
        return f"{self.prefix}:negative"

    @property
    def review(self) -> str:
        return f"{self.prefix}:review"

    @property
    def resolved(self) -> str:
        return f"{self.prefix}:resolved"

    @property
    def indexes(self) -> tuple[str, ...]:
        """The sorted sets of answer refs, all scored by the answer's created_at."""
        return (self.answers, self.negative, self.review, self.resolved)

    @property
    def stats(self) -> str:
        return f"{self.prefix}:stats"

    @property
    def audit(self) -> str:
        return f"{self.prefix}:audit"


def expire_no_earlier(pipe: Pipeline, key: str, at: int) -> None:
    """Make `key` live at least until unix time `at` (an index must outlive what it indexes)."""
    pipe.expireat(key, at, nx=True)  # no TTL yet
    pipe.expireat(key, at, gt=True)  # or a shorter one
