"""Askers' paraphrases: the review loop teaching verified answers the wordings people use.

The bundled model cannot tell a freely worded paraphrase from a question on a neighbouring topic
(bot/review/verified.py), so a verified answer is only *offered* to a question that is merely close
to it. An asker who opens it and says it answers their question *suggests* their question; a
reviewer who accepts it makes it one of the verified answer's questions, served at once from then
on (a rewording of it too). Our own code: it is the review loop itself, not a generic concern.
"""

from __future__ import annotations

import hashlib
import time

from bot.store.audit import AuditEntry
from bot.store.kpis import PARAPHRASE_ADDED
from bot.store.stores import Stores
from bot.store.verified import VerifiedAnswer


def suggestion_key(question: str) -> str:
    """A short stable key for a suggested question (a button value holds it, not the question)."""
    return hashlib.sha256(question.encode()).hexdigest()[:12]


def suggest(stores: Stores, answer_id: str, question: str) -> VerifiedAnswer | None:
    """Add `question` (PII-masked) to the active verified answer's suggestions; the updated answer, or None
    when there is no such active answer or it already has that question (asked or suggested).

    Read-modify-write without a lock: two suggestions for one answer in the same millisecond may keep one."""
    answer = stores.verified.get(answer_id)
    if answer is None or answer.state != "active" or question in answer.questions or question in answer.suggested:
        return None
    updated = answer.model_copy(update={"suggested": [*answer.suggested, question]})
    stores.verified.save(updated)
    return updated


def accept(stores: Stores, answer_id: str, key: str, *, reviewer: str, where: str) -> tuple[VerifiedAnswer, str] | None:
    """Make the suggestion with `key` (`suggestion_key`) one of the verified answer's questions, audited as
    `reviewer` from `where` (a channel id or "cli"); (updated answer, question), or None when it is not there."""
    answer = stores.verified.get(answer_id)
    question = next((q for q in answer.suggested if suggestion_key(q) == key), None) if answer else None
    if answer is None or question is None:
        return None
    updated = answer.model_copy(
        update={"questions": [*answer.questions, question], "suggested": [q for q in answer.suggested if q != question]}
    )
    stores.verified.save(updated)
    stores.kpis.record(PARAPHRASE_ADDED, at=time.time())
    stores.audit.record(
        AuditEntry(
            user=reviewer,
            channel=where,
            question=question,
            decision="reviewed",
            action="paraphrase",
            sources=[s.chunk_id for s in answer.sources],
        )
    )
    return updated, question
