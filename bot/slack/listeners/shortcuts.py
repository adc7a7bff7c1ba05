"""The message shortcut "Ask policybot about this message": the message's text is answered as a
question, privately, to whoever used the shortcut (in their DM with the bot, so they can rate it)."""

from __future__ import annotations

from slack_bolt import Ack, App

from bot.slack import ids
from bot.slack.deps import SlackDeps
from bot.slack.request import strip_mentions

EVENTS: tuple[str, ...] = ()  # shortcuts are interactivity, not Events API subscriptions


def register(app: App, deps: SlackDeps) -> None:
    @app.shortcut(ids.ASK_SHORTCUT)
    def on_ask_shortcut(ack: Ack, shortcut: dict) -> None:
        ack()
        text = strip_mentions((shortcut.get("message") or {}).get("text") or "", deps.bot.user_id)
        payload = {"user": shortcut["user"]["id"], "channel": shortcut["channel"]["id"], "text": text}
        deps.jobs.submit(deps, ids.JOB_SHORTCUT, {**payload, "trigger_id": shortcut["trigger_id"]})
