"""The company's own labelled questions for `tune`, from the review loop, and the search that gives them
hard negatives.

From Redis: every active verified answer (each of its questions, with the answer's sentences), every
review item a reviewer closed as "answer is right" (with its quotes) and every one marked "not a policy
question" (no answer). These grow as people vote and reviewers act: each `tune` run learns from them.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.answer.extractive import embed_text, not_an_answer
from bot.answer.service import PolicyService
from bot.answer.text_units import split_units
from bot.core.chunks import chunk_body
from bot.retrieval.synonyms import expand_query
from bot.store.stores import Stores
from bot.tuning.pairs import Labelled


def review_loop_labels(stores: Stores) -> list[Labelled]:
    """Labelled questions from verified answers and closed review items (see the module docstring)."""
    labelled = [
        Labelled(question, [u.text for u in split_units(answer.answer)])
        for answer in stores.verified.all()
        if answer.state == "active"
        for question in answer.questions
    ]
    for item in stores.reviews.list({"right", "not_policy"}, limit=100_000):
        if item.state == "not_policy":
            labelled.append(Labelled(item.question, None))
        elif item.kind == "answer":
            labelled.append(Labelled(item.question, [q for s in item.sources for q in s.quote.splitlines() if q.strip()]))
    return labelled


def top_units(service: PolicyService) -> Callable[[str], list[str]]:
    """question -> the quotable units of the chunks the (everyone-visible) search ranks first; [] with no index."""

    def units(question: str) -> list[str]:
        retriever = service.retriever(k=service.extractive.chunks)  # the chunks the answerer quotes from
        if retriever is None:
            return []
        docs = retriever.invoke(expand_query(question, service.company.synonyms))
        found = (u for doc in docs for u in split_units(chunk_body(doc.page_content)) if not not_an_answer(u))
        return list(dict.fromkeys(embed_text(u) for u in found))

    return units
