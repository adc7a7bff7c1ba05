"""`/policy-sources` and the "Sources" button: full citations, shown only to the person asking.

Both are computed for the person running them, never for whoever the answer was for: sources
outside their audiences (their Slack groups plus the audiences of the channel they are in) are
left out, and when nothing is left the request is refused.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient

from bot.core.principals import Principals, can_see
from bot.core.results import Source
from bot.slack.blocks import (
    NOT_ANSWERED_YET,
    SOURCES_GONE,
    SOURCES_HIDDEN,
    SOURCES_REFUSED,
    Message,
    citations_message,
    text_message,
)
from bot.slack.deps import AnswerDeps

log = logging.getLogger(__name__)

Respond = Callable[..., object]


def sources_command(deps: AnswerDeps, *, user: str, channel: str, text: str, respond: Respond) -> None:
    """No text: the sources of my latest answer to `user` here; text: the best-matching sections."""
    try:
        principals = clicker_principals(deps, user, channel)
        message = _matching(deps, text, principals) if text.strip() else _latest(deps, user, channel, principals)
        respond(text=message.text, blocks=message.blocks, response_type="ephemeral", replace_original=False)
    except Exception:
        log.exception("/policy-sources failed: user=%s channel=%s", user, channel)
        respond(
            text=f"Sorry — I couldn't look that up. Please try again or ask in {deps.company.contacts.fallback_channel}",
            response_type="ephemeral",
        )


def sources_button(
    deps: AnswerDeps, client: WebClient, *, user: str, channel: str, message_ts: str, thread_ts: str | None
) -> None:
    """Post the full citations of the answer at `message_ts`, visible to the clicker only."""
    record = deps.stores.answers.get(channel, message_ts)
    if record and record.sources:
        message = _citations(record.sources, clicker_principals(deps, user, channel), heading="Sources")
    else:
        message = text_message(SOURCES_GONE)
    client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, text=message.text, blocks=message.blocks)


def clicker_principals(deps: AnswerDeps, user: str, channel: str) -> Principals:
    """What `user` may see in `channel` (the reply is ephemeral: only they read it)."""
    audiences = deps.channels.policy(channel).audiences
    access = deps.principals.access(user, channel, deps.directory, is_dm=channel.startswith("D"), channel_audiences=audiences)
    return access.full


def _citations(sources: list[Source], principals: Principals, *, heading: str) -> Message:
    visible = [s for s in sources if can_see(s.audience, principals)]
    if not visible:
        return text_message(SOURCES_REFUSED)
    message = citations_message(visible, heading=heading)
    hidden = len(sources) - len(visible)
    if hidden:
        note = text_message(SOURCES_HIDDEN.format(n=hidden))
        message = Message(text=message.text, blocks=message.blocks + note.blocks)
    return message


def _latest(deps: AnswerDeps, user: str, channel: str, principals: Principals) -> Message:
    record = deps.stores.answers.latest_for(user, channel)
    if record is None:
        return text_message(NOT_ANSWERED_YET)
    if not record.sources:
        return text_message("My last answer to you here didn't cite any policy.")
    return _citations(record.sources, principals, heading="Sources of my last answer to you here")


def _matching(deps: AnswerDeps, text: str, principals: Principals) -> Message:
    # the reply is ephemeral: what the person running the command may see, wherever they run it
    sources = deps.service.find_sources(text.strip(), principals=principals, k=5)
    if not sources:
        return text_message(
            f"I found no policy section matching that. Try other words, or ask in {deps.company.contacts.fallback_channel}."
        )
    return citations_message(sources, heading="Best-matching policy sections")
