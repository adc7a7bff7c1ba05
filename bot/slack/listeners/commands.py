"""`/policy-sources [topic]`: queued as a job and acked (or told it could not be), answered ephemerally."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App

from bot.slack import ids
from bot.slack.deps import SlackDeps

EVENTS: tuple[str, ...] = ()  # slash commands are not Events API subscriptions
COULD_NOT_QUEUE = "Sorry — I can't look that up right now. Please try again in a minute."

log = logging.getLogger(__name__)


def register(app: App, deps: SlackDeps) -> None:
    @app.command(ids.SOURCES_COMMAND)
    def on_sources(ack: Ack, command: dict) -> None:
        payload = {
            "user": command["user_id"],
            "channel": command["channel_id"],
            "text": command.get("text") or "",
            "response_url": command["response_url"],
        }
        try:
            deps.jobs.submit(deps, ids.JOB_SOURCES_COMMAND, payload)
        except Exception as exc:  # Slack does not retry a slash command: say so in the ack
            log.warning("/policy-sources not queued: %s", exc)
            ack(text=COULD_NOT_QUEUE, response_type="ephemeral")
            return
        ack()
