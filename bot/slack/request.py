"""One request model for every way a question reaches the bot (mention, DM, follow-up, assistant).

Listeners only translate Slack's event shapes into a `SlackQuestion`; everything after that
(answering, threading, dedup, feedback ties) works on this model alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.core.channels import ChannelPolicy

Surface = Literal["mention", "dm", "followup", "assistant", "channel", "shortcut"]

# Message subtypes that still carry a person's question; every other subtype is an edit,
# a deletion, a join notice, a bot post, ... and is ignored.
QUESTION_SUBTYPES = (None, "file_share", "thread_broadcast")

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


@dataclass(frozen=True)
class BotIdentity:
    """Who the bot is in this workspace (from `auth.test`, once at startup)."""

    user_id: str
    bot_id: str | None = None


@dataclass(frozen=True)
class SlackQuestion:
    """A person's question and where it was asked; `ts` identifies the question message."""

    channel: str
    channel_type: str  # "im", "mpim", "channel", "group"
    user: str
    text: str  # the bot's mention removed
    ts: str
    thread_ts: str | None  # the thread the question was asked in, None at top level
    surface: Surface
    policy: ChannelPolicy  # the channel's policy, looked up once by the listener
    event_id: str | None = None

    @property
    def is_dm(self) -> bool:
        return self.channel_type == "im"

    @property
    def reply_thread_ts(self) -> str | None:
        """Where the answer goes: a thread under the question, except for top-level DMs."""
        if self.is_dm and self.surface == "dm":
            return self.thread_ts
        return self.thread_ts or self.ts

    @property
    def question_key(self) -> str:
        """Dedup key of the question message itself: `app_mention` and `message` share it."""
        return f"question:{self.channel}:{self.ts}"


def strip_mentions(text: str, bot_user_id: str) -> str:
    """Remove mentions of the bot (anywhere in the text) and tidy the whitespace."""
    text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def mentioned_users(text: str) -> list[str]:
    """The user ids mentioned (`<@U…>`) in a message's text, in order."""
    return [m.group(1) for m in _MENTION.finditer(text or "")]


def mentions(text: str, user_id: str) -> bool:
    return user_id in mentioned_users(text)


def from_person(event: dict, bot: BotIdentity) -> bool:
    """True for a person's new message; False for bots (us included), edits, joins, deletions."""
    return (
        event.get("subtype") in QUESTION_SUBTYPES
        and not event.get("bot_id")
        and bool(event.get("user"))
        and event.get("user") != bot.user_id
    )


def question_from(event: dict, body: dict, bot: BotIdentity, surface: Surface, policy: ChannelPolicy) -> SlackQuestion:
    """A `SlackQuestion` from a `message` / `app_mention` event (already checked `from_person`)."""
    channel_type = event.get("channel_type") or ("im" if str(event.get("channel", "")).startswith("D") else "channel")
    thread_ts = event.get("thread_ts")
    return SlackQuestion(
        channel=event["channel"],
        channel_type=channel_type,
        user=event["user"],
        text=strip_mentions(event.get("text") or "", bot.user_id),
        ts=event["ts"],
        thread_ts=thread_ts if thread_ts and thread_ts != event["ts"] else None,
        surface=surface,
        policy=policy,
        event_id=body.get("event_id"),
    )
