"""Buttons: "Sources" under an answer posts the full citations to the clicker only (looked up by a worker)."""

from __future__ import annotations

from slack_bolt import Ack, App

from bot.slack import ids
from bot.slack.deps import SlackDeps
from bot.slack.jobs import SOURCES_BUTTON

EVENTS: tuple[str, ...] = ()  # interactivity, not Events API subscriptions


def register(app: App, deps: SlackDeps) -> None:
    @app.action(ids.SOURCES_BUTTON)
    def on_sources(ack: Ack, body: dict) -> None:
        message = body.get("message") or {}
        payload = {
            "user": body["user"]["id"],
            "channel": body["channel"]["id"],
            "message_ts": body["container"]["message_ts"],
            "thread_ts": message.get("thread_ts"),
        }
        deps.jobs.submit(deps, SOURCES_BUTTON, payload)
        ack()
