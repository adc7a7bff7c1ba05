"""The message shortcut "Ask policybot about this message": the message's text is answered as a
question, privately, to whoever used the shortcut (in their DM with the bot, so they can rate it)."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack import ids
from bot.slack.blocks import text_message
from bot.slack.deps import SlackDeps
from bot.slack.handler import send, submit_question
from bot.slack.request import SlackQuestion, strip_mentions

EVENTS: tuple[str, ...] = ()  # shortcuts are interactivity, not Events API subscriptions


def register(app: App, deps: SlackDeps) -> None:
    @app.shortcut(ids.ASK_SHORTCUT)
    def on_ask_shortcut(ack: Ack, shortcut: dict, client: WebClient) -> None:
        ack()
        user, channel = shortcut["user"]["id"], shortcut["channel"]["id"]
        text = strip_mentions((shortcut.get("message") or {}).get("text") or "", deps.bot.user_id)
        dm = client.conversations_open(users=user)["channel"]["id"]
        intro = send(client, dm, None, text_message(f"You asked about a message in <#{channel}>: “{text[:200]}”"))
        question = SlackQuestion(
            channel=dm, channel_type="im", user=user, text=text, ts=intro, thread_ts=None,
            surface="shortcut", policy=deps.channels.policy(channel),
        )  # fmt: skip
        submit_question(deps, question)
