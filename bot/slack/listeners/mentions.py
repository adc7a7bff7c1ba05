"""@policybot in a channel: answer in a thread under the question (unless the channel's policy
disables the bot there: then a one-line note only the asker sees)."""

from __future__ import annotations

from slack_bolt import App

from bot.slack import ids
from bot.slack.deps import SlackDeps
from bot.slack.handler import submit_question
from bot.slack.request import Surface, from_person, question_from

EVENTS = ("app_mention",)


def register(app: App, deps: SlackDeps) -> None:
    @app.event("app_mention")
    def on_mention(event: dict, body: dict) -> None:
        if not from_person(event, deps.bot):
            return
        policy = deps.channels.policy(event["channel"])
        if not policy.enabled:
            notice = {"channel": event["channel"], "user": event["user"], "text": deps.company.replies.channel_disabled}
            deps.jobs.submit(deps, ids.JOB_NOTICE, notice)
            return
        surface: Surface = "dm" if str(event.get("channel", "")).startswith("D") else "mention"
        submit_question(deps, question_from(event, body, deps.bot, surface, policy))
