"""The "Still need help?" button: hand the question to the team that owns the answer's policy.

Only the asker can hand over. A public answer's question (already PII-masked when it was stored)
is posted in the owner's channel — the first cited document's owner channel, else the channel
policy's contact channel, else the company's fallback channel — with a link to the thread, so a
person can pick it up there. A private answer's question is never posted: the asker is told whom
to contact instead. Either way the answer is marked escalated and counted once as a hand-off KPI.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.blocks import MAX_TEXT_CHARS, SOURCES_GONE, Message, sections, text_message
from bot.slack.deps import SlackDeps
from bot.slack.mrkdwn import escape, truncate
from bot.store.answers import AnswerRecord

log = logging.getLogger(__name__)

NOT_YOURS = "Only the person who asked can hand this question to a person. You can ask your own question, or ask in {owner}."
ALREADY = "This question has already been passed to {owner}."
HANDED_OVER = "I've passed your question to {owner}; someone there will follow up in this thread."
PRIVATE = "This answer was private, so I haven't posted your question anywhere. Please contact {owner} directly."
NOT_DELIVERED = "I couldn't reach {owner}. Please ask there directly."


def owner_channel(deps: SlackDeps, record: AnswerRecord) -> str:
    """Where a person can help with the answer's topic."""
    cited = next((s.owner_channel for s in record.sources if s.owner_channel), None)
    return cited or deps.channels.policy(record.channel).contact_channel or deps.company.contacts.fallback_channel


def hand_off(deps: SlackDeps, client: WebClient, *, user: str, channel: str, message_ts: str, thread_ts: str | None) -> None:
    """Handle a click on "Still need help?" under the answer at `message_ts` (see the module docstring)."""

    def tell(text: str) -> None:
        message = text_message(text)
        client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, text=message.text, blocks=message.blocks)

    record = deps.stores.answers.get(channel, message_ts)
    if record is None:
        return tell(SOURCES_GONE)
    owner = owner_channel(deps, record)
    if record.user != user:
        return tell(NOT_YOURS.format(owner=owner))
    record, escalated = deps.stores.handoffs.escalate(channel, message_ts)
    if record is None:
        return tell(SOURCES_GONE)
    if not escalated:
        return tell(ALREADY.format(owner=owner))
    if record.private:
        return tell(PRIVATE.format(owner=deps.company.contacts.confidential or owner))
    try:
        link = client.chat_getPermalink(channel=channel, message_ts=message_ts)["permalink"]
        message = handoff_message(record, link)
        client.chat_postMessage(channel=owner, text=message.text, blocks=message.blocks, unfurl_links=False)
    except SlackApiError as exc:
        log.warning("hand-off to %s failed for %s: %s", owner, record.ref, exc.response.get("error"))
        return tell(NOT_DELIVERED.format(owner=owner))
    tell(HANDED_OVER.format(owner=owner))


def handoff_message(record: AnswerRecord, link: str) -> Message:
    """What the owner's channel sees: who, where, the masked question and the thread link."""
    head = f"<@{record.user}> still needs help after my answer in <#{record.channel}>:"
    quote = "\n".join(f"&gt; {line}" for line in escape(record.question).splitlines() if line.strip())
    body = f"{head}\n{quote}\n<{link}|Open the thread>"
    return Message(text=truncate(escape(f"Someone still needs help: {record.question}"), MAX_TEXT_CHARS), blocks=sections(body))
