"""`/policy-sources [topic]`: acked at once, looked up by a job, answered ephemerally."""

from __future__ import annotations

from slack_bolt import Ack, App

from bot.slack import ids
from bot.slack.deps import SlackDeps

EVENTS: tuple[str, ...] = ()  # slash commands are not Events API subscriptions


def register(app: App, deps: SlackDeps) -> None:
    @app.command(ids.SOURCES_COMMAND)
    def on_sources(ack: Ack, command: dict) -> None:
        ack()
        payload = {
            "user": command["user_id"],
            "channel": command["channel_id"],
            "text": command.get("text") or "",
            "response_url": command["response_url"],
        }
        deps.jobs.submit(deps, ids.JOB_SOURCES_COMMAND, payload)
