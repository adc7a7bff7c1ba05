"""The App Home tab: a short how-to, published (by a job) when someone opens it."""

from __future__ import annotations

from slack_bolt import App

from bot.slack import ids
from bot.slack.deps import SlackDeps

EVENTS = ("app_home_opened",)


def register(app: App, deps: SlackDeps) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict) -> None:
        if event.get("tab", "home") == "home":
            deps.jobs.submit(deps, ids.JOB_HOME, {"user": event["user"]})
