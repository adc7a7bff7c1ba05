"""The answerer seam: what every answerer implements, and the registry that builds them by name.

An answerer turns the access-filtered search hits into a `Draft` (text with [n] markers and the
chunks it cites). It does not decide whether to answer: confidence (`bot.answer.confidence`) is
computed from the best quotable evidence and the search, and the service abstains below the
threshold before any answerer is asked. To add an answerer: write a module with a class that
has `name`, `quotes_only` and `draft()`, and add one line to `ANSWERERS` with its factory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.answer.scorer import AnswerScorer
from bot.core.results import Turn
from bot.retrieval.hybrid import Hit


@dataclass
class Draft:
    """An answer before numbering: text with [n] markers and the chunks cited, in order.

    An empty `text` means the answerer declined: `declined` says why when it is a fault (a timeout,
    a failed check) rather than "the sources don't answer it".
    """

    text: str
    cited: list[tuple[Hit, list[str]]] = field(default_factory=list)  # (chunk, quotes from it)
    declined: str | None = None
    answers: float | None = None  # the answer scorer's probability that the lead quote answers (when one scored it)


@dataclass(frozen=True)
class DraftRequest:
    """What an answerer gets for one question."""

    question: str  # the cleaned question as asked
    query: str  # what was searched (a follow-up folded into its thread's question)
    history: Sequence[Turn]
    hits: list[Hit]  # the access-filtered chunks, best first
    query_embedding: list[float]
    scorer: AnswerScorer | None = None  # the answer scorer for this question (bot/answer/scorer.py), if any


class Answerer(Protocol):
    """`name` is recorded with every answer; `quotes_only` declares that the text is verbatim
    quotes of the cited sources and nothing else, so an answer citing only documents every reader
    may see is safe to post publicly as it is (the question workflow relies on this)."""

    name: str
    quotes_only: bool

    def draft(self, request: DraftRequest) -> Draft: ...


@dataclass(frozen=True)
class AnswererContext:
    """What factories may use: settings, the shared embedding model, the company profile, a chat model."""

    settings: Any  # bot.config.Settings
    embeddings: Any  # the process's (cached) embedding model
    company: Any  # bot.company.CompanyProfile
    llm: Any = None  # an injected chat model (tests), else LLM_MODEL decides


def _extractive(ctx: AnswererContext) -> Answerer:
    from bot.answer.extractive import ExtractiveAnswerer, UnitEmbeddingCache

    units, words = UnitEmbeddingCache(ctx.embeddings), UnitEmbeddingCache(ctx.embeddings)
    return ExtractiveAnswerer(units, words.get, synonyms=ctx.company.synonyms, max_quotes=ctx.settings.max_answer_quotes)


def _llm(ctx: AnswererContext) -> Answerer:
    from bot.answer.llm import LlmAnswerer

    return LlmAnswerer.from_settings(ctx.settings, ctx.llm)


ANSWERERS: dict[str, Callable[[AnswererContext], Answerer]] = {
    "extractive": _extractive,
    "llm": _llm,
}


def build_answerer(name: str, ctx: AnswererContext) -> Answerer:
    """The answerer registered as `name`; raises ValueError naming the known ones."""
    try:
        factory = ANSWERERS[name]
    except KeyError:
        raise ValueError(f"ANSWERER={name!r} is not a known answerer (known: {', '.join(sorted(ANSWERERS))})") from None
    return factory(ctx)
