"""All stores built from settings over one Redis client."""

from __future__ import annotations

from dataclasses import dataclass

from redis import Redis

from bot.config import Settings
from bot.store.answers import AnswerStore
from bot.store.audit import AuditLog
from bot.store.claims import EventClaims
from bot.store.erasure import forget_user
from bot.store.feedback import FeedbackStore
from bot.store.handoffs import Handoffs
from bot.store.kpis import KpiStore
from bot.store.reasons import ReasonStore
from bot.store.redis_conn import connect
from bot.store.reviews import ReviewStore
from bot.store.verified import VerifiedStore


@dataclass(frozen=True)
class Stores:
    redis: Redis
    prefix: str
    answers: AnswerStore
    feedback: FeedbackStore
    claims: EventClaims
    audit: AuditLog
    reasons: ReasonStore
    reviews: ReviewStore
    verified: VerifiedStore
    kpis: KpiStore
    handoffs: Handoffs

    @classmethod
    def from_settings(cls, settings: Settings, redis: Redis | None = None) -> Stores:
        redis = redis if redis is not None else connect(settings)
        prefix = settings.redis_prefix
        answers = AnswerStore(redis, prefix, settings.answer_retention_days)
        kpis = KpiStore(redis, prefix, settings.kpi_retention_days)
        return cls(
            redis=redis,
            prefix=prefix,
            answers=answers,
            feedback=FeedbackStore(redis, prefix, answers, kpis),
            claims=EventClaims(redis, prefix, settings.event_dedup_ttl_s),
            audit=AuditLog(redis, prefix, settings.audit_retention_days),
            reasons=ReasonStore(redis, prefix),
            reviews=ReviewStore(redis, prefix),
            verified=VerifiedStore(redis, prefix),
            kpis=kpis,
            handoffs=Handoffs(redis, prefix, kpis),
        )

    def forget_user(self, user: str) -> dict[str, int]:
        return forget_user(self.redis, self.prefix, user)
