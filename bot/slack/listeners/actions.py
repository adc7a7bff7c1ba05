"""Buttons under an answer: "Sources" posts the full citations to the clicker only; "Still need
help?" hands the question to the owning team (bot/slack/handoff.py)."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack import ids
from bot.slack.deps import SlackDeps
from bot.slack.handoff import hand_off
from bot.slack.sources import sources_button

EVENTS: tuple[str, ...] = ()  # interactivity, not Events API subscriptions

# action id -> handler(deps, client, *, user, channel, message_ts, thread_ts), run on the worker pool
BUTTONS: dict[str, Callable[..., None]] = {ids.SOURCES_BUTTON: sources_button, ids.HANDOFF_BUTTON: hand_off}


def register(app: App, deps: SlackDeps) -> None:
    for action_id, handler in BUTTONS.items():
        app.action(action_id)(_listener(deps, handler))


def _listener(deps: SlackDeps, handler: Callable[..., None]) -> Callable[..., None]:
    def on_click(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        message = body.get("message") or {}
        deps.pool.submit(
            handler,
            deps,
            client,
            user=body["user"]["id"],
            channel=body["channel"]["id"],
            message_ts=body["container"]["message_ts"],
            thread_ts=message.get("thread_ts"),
        )

    return on_click
