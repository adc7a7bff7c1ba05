"""Slack's assistant panel: a greeting with suggested prompts, then answers with a status line.

Bolt's `Assistant` middleware takes every message in a DM thread, so DM thread replies come
through here too; where the thread is not an assistant thread, setting the status fails and
the progress indicator falls back to 👀.
"""

from __future__ import annotations

from slack_bolt import App, Assistant

from bot.slack import ids
from bot.slack.deps import SlackDeps
from bot.slack.handler import submit_question
from bot.slack.request import from_person, question_from

EVENTS = ("assistant_thread_started", "assistant_thread_context_changed")


def register(app: App, deps: SlackDeps) -> None:
    assistant = Assistant()

    @assistant.thread_started
    def on_thread_started(payload: dict) -> None:
        thread = payload["assistant_thread"]
        deps.jobs.submit(deps, ids.JOB_GREETING, {"channel": thread["channel_id"], "thread_ts": thread["thread_ts"]})

    @assistant.user_message
    def on_user_message(payload: dict, body: dict) -> None:
        if from_person(payload, deps.bot):
            question = question_from(payload, body, deps.bot, "assistant", deps.channels.policy(payload["channel"]))
            submit_question(deps, question)

    app.assistant(assistant)
