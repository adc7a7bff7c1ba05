"""👍/👎 reactions on the bot's answers become votes in the FeedbackStore."""

from __future__ import annotations

import logging

from bot import metrics
from bot.slack import ids
from bot.slack.deps import SlackDeps

log = logging.getLogger(__name__)


def vote_value(reaction: str) -> int | None:
    """+1 / -1 for thumbs reactions (any skin tone, e.g. `+1::skin-tone-3`), None otherwise."""
    return ids.VOTE_REACTIONS.get(reaction.split("::", 1)[0])


def on_reaction(deps: SlackDeps, event: dict, *, added: bool) -> None:
    """Record or withdraw a vote; reactions on anything but a bot answer are ignored by the store.

    A vote on a message of ours whose answer record is not stored yet (the reaction raced the
    save) is kept pending and counted when the record lands. A counted change goes on to the
    review loop (a job: the 👎 reason prompt, the review card; `bot.slack.review.after_vote`).
    """
    value = vote_value(event.get("reaction", ""))
    item = event.get("item") or {}
    user = event.get("user")
    if value is None or item.get("type") != "message" or not user or user == deps.bot.user_id:
        return
    feedback = deps.stores.feedback
    if added:
        ours = event.get("item_user") == deps.bot.user_id
        counted = feedback.vote(item["channel"], item["ts"], user, value, keep_pending=ours)
    else:
        counted = feedback.unvote(item["channel"], item["ts"], user, value)
    if counted:
        metrics.VOTES.labels("up" if value > 0 else "down", "added" if added else "removed").inc()
    # a 👎 goes on to the review loop even when it was counted before: Slack's retry of a 👎 whose
    # job could not be queued (broker down) must still reach it (the job asks once per person)
    if counted or (added and value < 0):
        payload = {"channel": item["channel"], "ts": item["ts"], "user": user, "value": value if added else None}
        deps.jobs.submit(deps, ids.JOB_AFTER_VOTE, payload)
    log.info("reaction %s on %s:%s by %s counted=%s", "added" if added else "removed", item["channel"], item["ts"], user, counted)
