"""Buttons under an answer: "Sources" posts the full citations to the clicker only; "Still need
help?" hands the question to the owning team (bot/slack/handoff.py); "Show the verified answer"
posts a reviewer's answer to a similar question to the clicker only (bot/slack/related.py)."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, App

from bot.slack import ids
from bot.slack.deps import SlackDeps

EVENTS: tuple[str, ...] = ()  # interactivity, not Events API subscriptions

# action id -> the job it queues, with payload {user, channel, message_ts, thread_ts}
BUTTONS: dict[str, str] = {
    ids.SOURCES_BUTTON: ids.JOB_SOURCES_BUTTON,
    ids.HANDOFF_BUTTON: ids.JOB_HANDOFF,
    ids.RELATED_BUTTON: ids.JOB_RELATED_BUTTON,
}


def register(app: App, deps: SlackDeps) -> None:
    for action_id, job in BUTTONS.items():
        app.action(action_id)(_listener(deps, job))


def _listener(deps: SlackDeps, job: str) -> Callable[..., None]:
    def on_click(ack: Ack, body: dict) -> None:
        ack()
        message = body.get("message") or {}
        payload = {
            "user": body["user"]["id"],
            "channel": body["channel"]["id"],
            "message_ts": body["container"]["message_ts"],
            "thread_ts": message.get("thread_ts"),
        }
        deps.jobs.submit(deps, job, payload)

    return on_click
