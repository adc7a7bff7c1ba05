"""👍/👎 on an answer: a vote for human review."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.deps import SlackDeps
from bot.slack.feedback import on_reaction

EVENTS = ("reaction_added", "reaction_removed")


def register(app: App, deps: SlackDeps) -> None:
    @app.event("reaction_added")
    def on_added(event: dict) -> None:
        on_reaction(deps, event, added=True)

    @app.event("reaction_removed")
    def on_removed(event: dict) -> None:
        on_reaction(deps, event, added=False)
