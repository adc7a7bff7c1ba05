"""The "Show the verified answer" button: a reviewer's answer to a similar question, to the clicker only.

An answer offers it when the question is close to a verified answer's question without the evidence
confirming that it asks the same (bot/review/verified.py); the clicker decides. It is checked for the
person clicking, never for the original asker: a verified answer resting on a source outside their
audiences is refused, and a suspended one (its source changed since) is no longer shown.
"""

from __future__ import annotations

from slack_sdk import WebClient

from bot.slack.blocks import RELATED_GONE, SOURCES_REFUSED, text_message, verified_message
from bot.slack.deps import AnswerDeps
from bot.slack.sources import clicker_principals


def related_button(
    deps: AnswerDeps, client: WebClient, *, user: str, channel: str, message_ts: str, thread_ts: str | None
) -> None:
    """Post the verified answer offered under the answer at `message_ts` to `user` only."""
    record = deps.stores.answers.get(channel, message_ts)
    offered = deps.stores.verified.get(record.related) if record and record.related else None
    if offered is None or offered.state != "active":
        message = text_message(RELATED_GONE)
    elif not offered.visible_to(clicker_principals(deps, user, channel)):
        message = text_message(SOURCES_REFUSED)
    else:
        message = verified_message(offered.result(offered.questions[0], 1.0))
    client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, text=message.text, blocks=message.blocks)
