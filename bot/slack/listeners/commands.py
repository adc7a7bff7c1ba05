"""`/policy-sources [topic]`: acked at once, looked up on the worker pool, answered ephemerally."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond

from bot.slack import ids
from bot.slack.deps import SlackDeps
from bot.slack.sources import sources_command

EVENTS: tuple[str, ...] = ()  # slash commands are not Events API subscriptions


def register(app: App, deps: SlackDeps) -> None:
    @app.command(ids.SOURCES_COMMAND)
    def on_sources(ack: Ack, command: dict, respond: Respond) -> None:
        ack()
        deps.pool.submit(
            sources_command,
            deps,
            user=command["user_id"],
            channel=command["channel_id"],
            text=command.get("text") or "",
            respond=respond,
        )
