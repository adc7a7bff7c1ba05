"""The "Still need help?" button under an answer hands the question to a person (bot/slack/handoff.py)."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack import ids
from bot.slack.deps import SlackDeps
from bot.slack.handoff import hand_off

EVENTS: tuple[str, ...] = ()  # interactivity, not Events API subscriptions


def register(app: App, deps: SlackDeps) -> None:
    @app.action(ids.HANDOFF_BUTTON)
    def on_handoff(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        deps.pool.submit(
            hand_off,
            deps,
            client,
            user=body["user"]["id"],
            channel=body["channel"]["id"],
            message_ts=body["container"]["message_ts"],
            thread_ts=(body.get("message") or {}).get("thread_ts"),
        )
