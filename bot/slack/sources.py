"""`/policy-sources` and the "Sources" button: full citations, shown only to the person asking."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient

from bot.governance.access import principals_of
from bot.slack.blocks import NOT_ANSWERED_YET, SOURCES_GONE, Message, citations_message, text_message
from bot.slack.deps import SlackDeps

log = logging.getLogger(__name__)

Respond = Callable[..., object]


def sources_command(deps: SlackDeps, *, user: str, channel: str, text: str, respond: Respond) -> None:
    """No text: the sources of my latest answer to `user` here; text: the best-matching sections."""
    try:
        message = _matching(deps, text) if text.strip() else _latest(deps, user, channel)
        respond(text=message.text, blocks=message.blocks, response_type="ephemeral", replace_original=False)
    except Exception:
        log.exception("/policy-sources failed: user=%s channel=%s", user, channel)
        respond(text=f"Sorry — I couldn't look that up. Please try again or ask in {deps.settings.fallback_channel}",
                response_type="ephemeral")


def sources_button(deps: SlackDeps, client: WebClient, *, user: str, channel: str, message_ts: str, thread_ts: str | None) -> None:
    """Post the full citations of the answer at `message_ts`, visible to the clicker only."""
    record = deps.stores.answers.get(channel, message_ts)
    message = citations_message(record.sources, heading="Sources") if record and record.sources else text_message(SOURCES_GONE)
    client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, text=message.text, blocks=message.blocks)


def _latest(deps: SlackDeps, user: str, channel: str) -> Message:
    record = deps.stores.answers.latest_for(user, channel)
    if record is None:
        return text_message(NOT_ANSWERED_YET)
    if not record.sources:
        return text_message("My last answer to you here didn't cite any policy.")
    return citations_message(record.sources, heading="Sources of my last answer to you here")


def _matching(deps: SlackDeps, text: str) -> Message:
    # A slash-command reply is ephemeral but may be run in any channel: only open documents.
    sources = deps.service.find_sources(text.strip(), principals=principals_of(), k=5)
    if not sources:
        return text_message(f"I found no policy section matching that. Try other words, or ask in {deps.settings.fallback_channel}.")
    return citations_message(sources, heading="Best-matching policy sections")
