"""Per-channel policy: how the bot behaves in one Slack channel (see `bot.channels` for the file)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

AnswerVisibility = Literal["thread", "ephemeral"]


class ChannelPolicy(BaseModel):
    """The effective settings of one channel: the file's `default` block with that channel's overrides.

    Looked up once per question by the surface and passed down with it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True  # False: the bot does not answer there (a mention gets a one-line note)
    audiences: list[str] = Field(default_factory=list)  # every member counts as these principals here
    answer_followups: bool = True  # answer replies in a thread the bot answered in, without a mention
    answer_without_mention: bool = False  # an "ask-policies" channel: every top-level message is a question
    visibility: AnswerVisibility = "thread"  # thread reply everyone sees, or ephemeral to the asker
    contact_channel: str | None = None  # named when the bot abstains; None: the company's fallback channel
    review_channel: str | None = None  # channel id for review cards of answers given here (after the documents' own)
