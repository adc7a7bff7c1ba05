"""Slack event listeners, one module per kind; `register` wires them all onto a Bolt app.

`EVENTS` lists every event type subscribed to, the single source the manifest is checked against.
"""

from __future__ import annotations

from slack_bolt import App

from bot.slack.deps import SlackDeps
from bot.slack.listeners import actions, app_home, assistant, commands, mentions, messages, reactions, shortcuts

MODULES = (mentions, messages, assistant, reactions, commands, actions, app_home, shortcuts)

# The Events API subscriptions these listeners need (the manifest's `bot_events`).
EVENTS = sorted({event for module in MODULES for event in module.EVENTS})


def register(app: App, deps: SlackDeps) -> None:
    for module in MODULES:
        module.register(app, deps)
