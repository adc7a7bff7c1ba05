"""A Slack thread as conversation history for the answering chain."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.core.results import Turn
from bot.slack.request import BotIdentity, from_person, strip_mentions

MAX_TURNS = 20


def thread_history(client: WebClient, bot: BotIdentity, channel: str, thread_ts: str, before_ts: str) -> list[Turn]:
    """The thread's messages before `before_ts`: ours are assistant turns, people's are user turns.

    Other bots' posts and system messages are left out; so are empty turns (a bare mention).
    """
    reply = client.conversations_replies(channel=channel, ts=thread_ts, limit=200)
    turns: list[Turn] = []
    for message in reply.get("messages") or []:
        if float(message.get("ts", 0)) >= float(before_ts):
            continue
        if is_ours(message, bot):
            turns.append(Turn(role="assistant", text=message.get("text") or ""))
        elif from_person(message, bot):
            text = strip_mentions(message.get("text") or "", bot.user_id)
            if text:
                turns.append(Turn(role="user", text=text))
    return turns[-MAX_TURNS:]


def is_ours(message: dict, bot: BotIdentity) -> bool:
    return message.get("user") == bot.user_id or bool(bot.bot_id and message.get("bot_id") == bot.bot_id)
