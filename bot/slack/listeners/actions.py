"""Buttons: "Sources" under an answer posts the full citations to the clicker only."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack import ids
from bot.slack.deps import SlackDeps
from bot.slack.sources import sources_button

EVENTS: tuple[str, ...] = ()  # interactivity, not Events API subscriptions


def register(app: App, deps: SlackDeps) -> None:
    @app.action(ids.SOURCES_BUTTON)
    def on_sources(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        message = body.get("message") or {}
        deps.pool.submit(
            sources_button,
            deps,
            client,
            user=body["user"]["id"],
            channel=body["channel"]["id"],
            message_ts=body["container"]["message_ts"],
            thread_ts=message.get("thread_ts"),
        )
