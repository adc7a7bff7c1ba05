"""One question as every surface hands it to the question workflow, and what comes back.

Surfaces (Slack, the CLI, the web) build a `Question` — who asks, where, the text, the earlier
turns — call `bot.assist.Assist.ask`, deliver the `Outcome` as it says (public, private or
ephemeral), then call `Assist.record` with the `Delivery`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from bot.core.channels import ChannelPolicy
from bot.core.principals import Principals
from bot.core.results import AnswerResult, Turn

PlaceKind = Literal["dm", "channel", "terminal"]
Visibility = Literal["public", "private", "ephemeral"]
Decision = Literal["answered", "abstained", "private", "refused", "error"]


@dataclass(frozen=True)
class Asker:
    """Who asks: a Slack user id (or a CLI label) and the principals they hold."""

    user: str
    principals: Principals  # what the asker may see
    guest: bool = False
    workspace: str = ""  # Slack team id (part of the experiment assignment hash; one workspace: "")


@dataclass(frozen=True)
class Place:
    """Where the question was asked and who else reads the answer there.

    `readers` are the principals every reader of the place holds; in a DM or a terminal the only
    reader is the asker, so the place is private and `readers` equals the asker's principals.
    """

    kind: PlaceKind
    channel: str  # Slack channel id; "cli" for the terminal
    readers: Principals
    policy: ChannelPolicy = field(default_factory=ChannelPolicy)

    @property
    def private(self) -> bool:
        return self.kind != "channel"


@dataclass(frozen=True)
class Question:
    """A person's question as the workflow receives it (text as typed; the workflow cleans it)."""

    text: str
    asker: Asker
    place: Place
    history: Sequence[Turn] = ()
    surface: str = "mention"  # how it arrived (mention, dm, followup, assistant, shortcut, cli), for records


@dataclass(frozen=True)
class Outcome:
    """What to deliver and how; built by `Assist.ask`.

    `visibility`: "public" — reply where asked; "ephemeral" — only the asker sees it, in place;
    "private" — the asker alone, by DM when the place is a channel (with `private_note` left in
    the thread). `stored_question` is the cleaned, PII-masked question for records and audit.
    """

    result: AnswerResult
    decision: Decision
    visibility: Visibility
    principals: Principals  # the principals the delivered answer was computed with
    stored_question: str
    contacts: str | None = None  # confidential contacts to show (sensitive questions)
    private_note: str | None = None  # what the channel sees when the answer went privately
    sensitive_topic: str | None = None
    variant: str = "control"  # the experiment variant that answered (bot/variants)


@dataclass(frozen=True)
class Delivery:
    """Where the answer was posted: the message that reactions and `/policy-sources` refer to."""

    channel: str
    ts: str
    thread_ts: str | None = None
