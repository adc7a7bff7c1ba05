"""Reviewers' actions, the same from Slack and the CLI: apply to the review item, audit, verify."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.results import Source
from bot.store.audit import AuditEntry
from bot.store.reviews import Action, ReviewItem
from bot.store.stores import Stores
from bot.store.verified import VerifiedAnswer, doc_versions


def apply(stores: Stores, answer_ref: str, action: Action, who: str, where: str, note: str = "") -> ReviewItem | None:
    """Take `action` on the review of `answer_ref` as `who` (from `where`: a channel id or "cli")
    and audit it; None when there is no such review."""
    item = stores.reviews.act(answer_ref, action, who, note)
    if item is not None:
        stores.audit.record(
            AuditEntry(
                user=who,
                channel=where,
                question=item.question,
                decision="reviewed",
                action=action,
                sources=[s.chunk_id for s in item.sources],
            )
        )
    return item


def verify(
    stores: Stores,
    item: ReviewItem,
    answer: str,
    sources: Sequence[Source],
    *,
    reviewer: str,
    where: str,
    registry_docs: dict[str, dict],
    questions: Sequence[str] = (),
) -> VerifiedAnswer:
    """Make `answer` (already PII-masked) the verified answer to the item's question and any
    further `questions` (paraphrases), resting on `sources` at their current document versions;
    closes the review as "verified"."""
    verified = VerifiedAnswer(
        questions=list(dict.fromkeys([item.question, *questions])),
        answer=answer,
        sources=list(sources),
        doc_versions=doc_versions(registry_docs, sources),
        reviewer=reviewer,
        review_ref=item.ref,
    )
    stores.verified.save(verified)
    apply(stores, item.ref, "verify", reviewer, where, note=f"verified answer {verified.id}")
    return verified
