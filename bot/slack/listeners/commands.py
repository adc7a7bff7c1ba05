"""`/policy-sources [topic]`: acked at once, looked up by a worker (it needs the index), answered ephemerally."""

from __future__ import annotations

from slack_bolt import Ack, App

from bot.slack import ids
from bot.slack.deps import SlackDeps
from bot.slack.jobs import SOURCES_COMMAND

EVENTS: tuple[str, ...] = ()  # slash commands are not Events API subscriptions


def register(app: App, deps: SlackDeps) -> None:
    @app.command(ids.SOURCES_COMMAND)
    def on_sources(ack: Ack, command: dict) -> None:
        payload = {
            "user": command["user_id"],
            "channel": command["channel_id"],
            "text": command.get("text") or "",
            "response_url": command["response_url"],
        }
        deps.jobs.submit(deps, SOURCES_COMMAND, payload)
        ack()  # after queueing: with the web tier's process_before_response, a failure to queue is no 200
