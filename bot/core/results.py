"""The result model every surface (CLI, Slack, eval) consumes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

AnswerKind = Literal["answer", "abstain", "greeting", "invalid", "no_index"]


class Turn(BaseModel):
    """One earlier turn of a conversation (a thread, a DM, a chat session)."""

    role: Literal["user", "assistant"]
    text: str


class Source(BaseModel):
    """A cited chunk, numbered as it is cited in the answer text ([1], [2], ...)."""

    n: int
    chunk_id: str
    doc_id: str
    title: str
    section: str = ""
    source: str = ""  # file path relative to the knowledge folder
    url: str | None = None
    page: int | None = None
    effective_date: str | None = None
    review_by: str | None = None
    overdue: bool = False  # the document is past its review_by date
    owner: str | None = None
    owner_channel: str | None = None
    review_channel: str | None = None  # Slack channel id for review cards (front matter owner.review_channel)
    audience: list[str] = Field(default_factory=lambda: ["everyone"])
    quote: str = ""
    score: float = 0.0


class RelatedVerified(BaseModel):
    """A reviewer's verified answer to a similar question, offered beside an answer: the question is close to one
    of its questions but the evidence did not confirm it asks the same (bot/review/verified.py)."""

    id: str  # the verified answer's id
    question: str  # its question the asked one is closest to (PII-masked)
    answer: str  # its text (surfaces show it on request: Slack's button re-reads and re-checks it)
    verified_by: str  # the reviewer (Slack id or a CLI label)
    verified_on: str  # YYYY-MM-DD


class AnswerResult(BaseModel):
    """What the pipeline answered, why, and from where."""

    question: str
    answer: str
    kind: AnswerKind = "answer"
    abstained: bool = False
    confidence: float = 0.0
    sources: list[Source] = Field(default_factory=list)
    answerer: str = "extractive"  # or "llm:<model>"
    quotes_only: bool = True  # the text is verbatim quotes of the cited sources alone (the answerer declares it)
    fallback_reason: str | None = None
    ask_instead: str | None = None  # where to ask when we abstain
    restricted: bool = False  # cites a document not open to everyone
    timings_ms: dict[str, float] = Field(default_factory=dict)
    verified_by: str | None = None  # served from a verified answer: the reviewer (Slack id) ...
    verified_on: str | None = None  # ... and the day (YYYY-MM-DD) it was verified
    related: RelatedVerified | None = None  # a verified answer to a similar question, offered, not served

    @property
    def overdue_sources(self) -> list[Source]:
        return [s for s in self.sources if s.overdue]
