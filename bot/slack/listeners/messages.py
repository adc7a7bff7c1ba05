"""Plain messages: DMs, follow-ups in a thread the bot answered in, and every top-level message in
an "ask-policies" channel (the channel policy's `answer_without_mention`).

A mention outside a DM arrives twice, as `app_mention` and as `message`; the mention listener
answers it, so this one skips messages that mention the bot there. In a DM there is no
`app_mention`, so every DM is answered here. The question-message claim (`question_key`)
makes either path answer at most once even if Slack sends both. In a thread, replies meant for
someone else or that only say thanks are left alone (`etiquette`).
"""

from __future__ import annotations

from slack_bolt import App

from bot.slack.deps import SlackDeps
from bot.slack.etiquette import is_followup_for_bot
from bot.slack.handler import submit_question
from bot.slack.request import from_person, mentions, question_from

EVENTS = ("message.im", "message.channels", "message.groups", "message.mpim")


def register(app: App, deps: SlackDeps) -> None:
    @app.event("message")
    def on_message(event: dict, body: dict) -> None:
        if not from_person(event, deps.bot):
            return  # own and other bots' posts, edits, deletions, joins, ...
        policy = deps.channels.policy(event["channel"])
        in_thread = event.get("thread_ts") not in (None, event["ts"])
        if event.get("channel_type") == "im":
            submit_question(deps, question_from(event, body, deps.bot, "dm", policy))
        elif mentions(event.get("text", ""), deps.bot.user_id) or not policy.enabled:
            return  # the app_mention listener answers it (or notes the bot is off here)
        elif in_thread and policy.answer_followups and is_followup_for_bot(event.get("text") or "", deps.bot.user_id):
            submit_question(deps, question_from(event, body, deps.bot, "followup", policy))
        elif not in_thread and policy.answer_without_mention:
            submit_question(deps, question_from(event, body, deps.bot, "channel", policy))
