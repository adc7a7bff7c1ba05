"""Right to erasure: remove everything stored about one Slack user."""

from __future__ import annotations

from redis import Redis

from bot.store.answers import AnswerStore
from bot.store.audit import AuditLog
from bot.store.feedback import FeedbackStore
from bot.store.keys import Keys, split_ref
from bot.store.reasons import ReasonStore
from bot.store.redis_conn import texts


def forget_user(redis: Redis, prefix: str, user: str) -> dict[str, int]:
    """Delete the user's answers (with everyone's votes on them), their votes and 👎 reasons, latest
    pointers and audit entries (review items and verified answers hold no asker data and stay), keeping counters and the review queue consistent; counts what went.

    Not wrapped in `degrade`: a failed erasure must fail loudly, never report "0 removed".
    """
    keys = Keys(prefix)
    feedback = FeedbackStore(redis, prefix, AnswerStore(redis, prefix))
    answer_refs = texts(redis.smembers(keys.user_answers(user)))
    vote_refs = texts(redis.smembers(keys.user_votes(user)))
    latest_keys = {keys.latest(user, split_ref(r)[0]) for r in answer_refs}
    removed = {
        # votes first, so a vote on their own answer is counted as a vote too
        "votes": sum(feedback.withdraw(*split_ref(r), user) for r in vote_refs),
        "answers": sum(feedback.drop_answer(r) for r in answer_refs),
        "latest": redis.delete(*latest_keys) if latest_keys else 0,
        "audit": AuditLog(redis, prefix).forget_user(user),
        "cached_groups": redis.delete(keys.principals(user)),
        "reasons": ReasonStore(redis, prefix).forget_user(user),
    }
    redis.delete(keys.user_answers(user), keys.user_votes(user))
    return removed
