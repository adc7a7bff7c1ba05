"""Follow-up questions: make a question in a conversation searchable on its own.

With an LLM, it rewrites the question into a standalone one. Without, a question that leans on
the conversation ("what about London?", "and for managers?", "does that apply to contractors?")
is searched together with the previous question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from bot.answer.answer_type import names_amount, without_amounts
from bot.answer.lexical import content_terms
from bot.core.results import Turn

_LEANING = re.compile(
    r"^\s*(and|also|what about|how about|same for|but|or|ok(ay)?,? (and|what|how)|so)\b"
    r"|\b(it|that|this|those|these|they|them|there|then|he|she|same)\b",
    re.IGNORECASE,
)


def previous_question(history: Sequence[Turn]) -> str | None:
    return next((t.text for t in reversed(history) if t.role == "user" and t.text.strip()), None)


def is_follow_up(question: str) -> bool:
    return len(content_terms(question)) <= 2 or bool(_LEANING.search(question))


@runtime_checkable
class Condenser(Protocol):
    """An answerer that can rewrite a follow-up as a standalone question (the LLM answerer)."""

    def condense(self, question: str, history: Sequence[Turn]) -> str | None: ...


def retrieval_query(question: str, history: Sequence[Turn], answerer: object = None) -> str:
    """What to search for `question`: itself, its condensed form (when the answerer can condense),
    or the previous question plus this one when it leans on it ("and for part-timers?"), without the previous
    question's amount of money when this one names its own."""
    previous = previous_question(history)
    if previous is None:
        return question
    if isinstance(answerer, Condenser):
        condensed = answerer.condense(question, history)
        if condensed:
            return condensed
    if not is_follow_up(question):
        return question
    # "and what about above $50k?" after "who approves an $8k tool?" asks about $50k only
    return f"{without_amounts(previous) if names_amount(question) else previous} {question}"
