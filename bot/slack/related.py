"""A reviewer's verified answer offered to a similar question, and the paraphrases it teaches.

An answer offers it ("Show the verified answer") when the question is close to a verified answer's
question without the evidence confirming that it asks the same (bot/review/verified.py). The button
posts it to the clicker only, checked for them (never for the original asker): a verified answer
resting on a source outside their audiences is refused, a suspended one is no longer shown. The asker
may answer "It answers my question": their question becomes a suggestion in the review channel, and
a reviewer's "Add as a paraphrase" makes it one of the verified answer's questions
(bot/review/paraphrases.py), served directly from then on.
"""

from __future__ import annotations

import time

from slack_sdk import WebClient

from bot.review.paraphrases import accept, suggest, suggestion_key
from bot.review.routing import review_channel
from bot.slack.blocks import RELATED_GONE, SOURCES_REFUSED, text_message, verified_message
from bot.slack.deps import AnswerDeps
from bot.slack.review import reviewer_refused
from bot.slack.review_blocks import paraphrase_added, suggestion_message
from bot.slack.sources import clicker_principals
from bot.store.kpis import OFFER_OPENED
from bot.store.verified import VerifiedAnswer

ASKERS_ONLY = "Only the person who asked can say it answers their question."
ALREADY_ADDED = "That wording is no longer waiting: it was already added as a paraphrase."
SUGGESTED = "Thanks — I've asked the policy owners to add your question to that verified answer."


def related_button(
    deps: AnswerDeps, client: WebClient, *, user: str, channel: str, message_ts: str, thread_ts: str | None
) -> None:
    """Post the verified answer offered under the answer at `message_ts` to `user` only (to its asker with
    an "It answers my question" button)."""
    record = deps.stores.answers.get(channel, message_ts)
    offered = deps.stores.verified.get(record.related) if record and record.related else None
    if record is None or offered is None or offered.state != "active":
        message = text_message(RELATED_GONE)
    elif not offered.visible_to(clicker_principals(deps, user, channel)):
        message = text_message(SOURCES_REFUSED)
    else:
        confirm = record.ref if user == record.user else None
        message = verified_message(offered.result(offered.questions[0], 1.0), confirm=confirm)
        deps.stores.kpis.record(OFFER_OPENED, at=time.time(), channel=record.channel, variant=record.variant)
    client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, text=message.text, blocks=message.blocks)


def confirm_related(deps: AnswerDeps, client: WebClient, body: dict, action: dict) -> None:
    """ "It answers my question": the asker's (masked) question is suggested as a paraphrase, and the
    reviewers are told where they work: in the thread of the verified answer's review card, else in the
    review channel that may see its sources."""
    user, channel = body["user"]["id"], body["channel"]["id"]
    answer_channel, _, answer_ts = action["value"].partition(":")
    record = deps.stores.answers.get(answer_channel, answer_ts)
    if record is None or record.user != user or not record.related:
        client.chat_postEphemeral(channel=channel, user=user, text=ASKERS_ONLY if record else RELATED_GONE)
        return
    updated = suggest(deps.stores, record.related, record.question)
    if updated is not None:
        _tell_reviewers(deps, client, updated, record.question, asked_in=record.channel)
    client.chat_postEphemeral(channel=channel, user=user, text=SUGGESTED)


def _tell_reviewers(deps: AnswerDeps, client: WebClient, verified: VerifiedAnswer, question: str, *, asked_in: str) -> None:
    item = deps.stores.reviews.get(verified.review_ref) if verified.review_ref else None
    message = suggestion_message(verified.questions[0], question, f"{verified.id}|{suggestion_key(question)}")
    if item is not None and item.card_ts and item.review_channel:
        client.chat_postMessage(
            channel=item.review_channel, thread_ts=item.card_ts, text=message.text, blocks=message.blocks, unfurl_links=False
        )
        return
    where = review_channel(verified.sources, asked_in, deps.channels, deps.settings.review_channel)
    if where is not None:  # none may see its sources: the suggestion waits in `policybot review paraphrases`
        client.chat_postMessage(channel=where, text=message.text, blocks=message.blocks, unfurl_links=False)


def accept_paraphrase(deps: AnswerDeps, client: WebClient, body: dict, action: dict) -> None:
    """ "Add as a paraphrase": checked against the verified answer's sources for the clicking reviewer,
    accepted, audited, and the suggestion updated in place to say who added it."""
    user, channel = body["user"]["id"], body["channel"]["id"]
    answer_id, _, key = action["value"].partition("|")
    verified = deps.stores.verified.get(answer_id)
    if reviewer_refused(deps, client, user, channel, verified.sources if verified else None) or verified is None:
        return
    done = accept(deps.stores, answer_id, key, reviewer=user, where=channel)
    if done is None:  # a second click, or another reviewer was first
        client.chat_postEphemeral(channel=channel, user=user, text=ALREADY_ADDED)
        return
    message = paraphrase_added(user, verified.questions[0], done[1])
    client.chat_update(channel=channel, ts=body["container"]["message_ts"], text=message.text, blocks=message.blocks)
