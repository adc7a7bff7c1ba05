"""Verified answers: a reviewer's answer to a question, served before the pipeline when a new
question means the same thing (the lookup is `bot.review.verified`).

A verified answer holds its questions (the reviewed one plus any paraphrases a reviewer adds, all
PII-masked), the answer text, the chunks and document versions (the ingest registry's sha) it
rests on, the reviewer and the day. It carries no asker's data, so erasing a user keeps it.

Redis: `verified` hash id -> JSON (no TTL: knowledge, not logs) and `verified:version`, bumped on
every change so each process reloads its in-memory matrix only when something changed.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field
from redis import Redis

from bot.core.principals import Principals, can_see
from bot.core.results import AnswerResult, RelatedVerified, Source

VERIFIED = "verified"  # the answerer name of answers served from a verified answer


class VerifiedAnswer(BaseModel):
    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12])
    questions: list[str]  # PII-masked; the first is the one reviewed
    answer: str
    sources: list[Source] = Field(default_factory=list)
    doc_versions: dict[str, str] = Field(default_factory=dict)  # doc_id -> ingest sha it was verified against
    reviewer: str  # Slack user id (or a CLI label)
    verified_at: float = Field(default_factory=time.time)
    state: Literal["active", "suspended"] = "active"
    suspended_reason: str = ""
    review_ref: str | None = None  # the review item it came from
    suggested: list[str] = Field(default_factory=list)  # askers' questions it answered (PII-masked), for a reviewer

    @property
    def verified_on(self) -> str:
        return datetime.fromtimestamp(self.verified_at, UTC).strftime("%Y-%m-%d")

    def visible_to(self, principals: Principals) -> bool:
        return all(can_see(s.audience, principals) for s in self.sources)

    def related(self, question: str) -> RelatedVerified:
        """This answer offered beside another as the verified answer to `question` (one of its questions)."""
        return RelatedVerified(
            id=self.id, question=question, answer=self.answer, verified_by=self.reviewer, verified_on=self.verified_on
        )

    def result(self, question: str, score: float) -> AnswerResult:
        """The answer as the workflow delivers it (`answerer="verified"`, badge fields set)."""
        return AnswerResult(
            question=question,
            answer=self.answer,
            kind="answer",
            confidence=round(score, 4),
            sources=[s.model_copy(update={"n": n}) for n, s in enumerate(self.sources, 1)],
            answerer=VERIFIED,
            restricted=any(s.audience != ["everyone"] for s in self.sources),
            verified_by=self.reviewer,
            verified_on=self.verified_on,
        )


class VerifiedStore:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.key = f"{prefix}:verified"
        self.version_key = f"{prefix}:verified:version"

    def save(self, answer: VerifiedAnswer) -> None:
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self.key, answer.id, answer.model_dump_json())
            pipe.incr(self.version_key)
            pipe.execute()

    def get(self, answer_id: str) -> VerifiedAnswer | None:
        raw = self.redis.hget(self.key, answer_id)
        return VerifiedAnswer.model_validate_json(raw) if raw else None

    def all(self) -> list[VerifiedAnswer]:
        answers = [VerifiedAnswer.model_validate_json(raw) for raw in self.redis.hvals(self.key)]
        return sorted(answers, key=lambda a: a.verified_at)

    def delete(self, answer_id: str) -> bool:
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.hdel(self.key, answer_id)
            pipe.incr(self.version_key)
            removed, _ = pipe.execute()
        return bool(removed)

    def version(self) -> int:
        return int(self.redis.get(self.version_key) or 0)


def doc_versions(registry_docs: dict[str, dict], sources: Iterable[Source]) -> dict[str, str]:
    """doc_id -> the ingest registry's sha of each source document (what a verified answer rests on)."""
    return {s.doc_id: str(registry_docs.get(s.doc_id, {}).get("sha", "")) for s in sources}


def stale_reason(answer: VerifiedAnswer, registry_docs: dict[str, dict]) -> str:
    """Why `answer` no longer rests on the documents it was verified against ("" when it still does)."""
    for doc_id, sha in answer.doc_versions.items():
        entry = registry_docs.get(doc_id)
        if entry is None:
            return f"{doc_id} was deleted"
        if entry.get("superseded_by"):
            return f"{doc_id} was superseded by {entry['superseded_by']}"
        if sha and entry.get("sha") != sha:
            return f"{doc_id} changed"
    return ""
