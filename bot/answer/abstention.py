"""What to say when we abstain: where to ask instead, in the asker's language when it is not ours.

The closest document's owner is named only when that document is actually about the question:
its dense similarity must reach `OWNER_RELEVANCE`. Measured on knowledge/ (all-MiniLM-L6-v2):
off-topic and foreign-language questions score 0.09–0.33 against their closest chunk ("¿Cuántos
días de vacaciones…" 0.15, closest owner #ask-legal), near-topic gaps 0.39 ("pet insurance"),
answerable questions 0.43 and up; below the floor the channel's contact (or the company's fallback
channel) is named. A question the index cannot serve because it is in another language is told
so plainly, in that language when the company profile has the text (`replies.other_language`).
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.results import AnswerResult
from bot.governance.language import language_of
from bot.retrieval.hybrid import SearchResult

OWNER_RELEVANCE = 0.35  # cosine similarity of the closest chunk (see the module docstring)
INDEX_LANGUAGE = "en"


def abstention(
    question: str,
    search: SearchResult | None,
    *,
    contact: str,
    abstain_text: str,
    other_language: Mapping[str, str],
    confidence: float,
) -> AnswerResult:
    """The abstention for `question`: "…Please ask in {where}", or the other-language notice.

    `contact`: the channel to name when no relevant document has an owner; `abstain_text` has a
    `{where}` placeholder; `other_language` maps language codes to texts with `{where}` ("en" is
    the fallback for languages without a text of their own).
    """
    language = language_of(question)
    if language and language != INDEX_LANGUAGE and other_language:
        text = other_language.get(language) or other_language.get(INDEX_LANGUAGE) or abstain_text
        answer = text.format(where=contact)
        return AnswerResult(
            question=question, answer=answer, kind="abstain", abstained=True, confidence=confidence, ask_instead=contact
        )
    relevant = search is not None and bool(search.hits) and search.best_dense_sim >= OWNER_RELEVANCE
    closest = search.hits[0].doc.metadata if search is not None and relevant else {}
    channel = closest.get("owner_channel") or contact
    team = closest.get("owner") or ""
    where = f"{channel} ({team})" if team and channel != contact else channel
    return AnswerResult(
        question=question,
        answer=abstain_text.format(where=where),
        kind="abstain",
        abstained=True,
        confidence=confidence,
        ask_instead=where,
    )
