"""The review loop in Slack: the 👎 reason prompt, review cards in owners' channels, reviewers' actions.

- the first 👎 of a person on an answer: an ephemeral "why?" prompt in the thread (once per answer
  per person); the answer's first 👎 overall: a review card in the review channel that may see it
  (`bot.review.routing`); later votes and reasons update the card in place (`chat.update`);
- a reviewer's button: checked against the card's sources (a reviewer who may not see them is
  refused), applied to the review item, audited, and the card updated in place.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from slack_sdk import WebClient

from bot.channels import ChannelPolicies
from bot.config import Settings
from bot.core.principals import Principals
from bot.core.results import Source
from bot.retrieval.index_files import registry_path
from bot.review import actions
from bot.review.gaps import Gap, find_gaps
from bot.review.routing import may_see_all, readers_of, review_channel
from bot.review.suspend import suspend_stale
from bot.slack import ids
from bot.slack.deps import AnswerDeps
from bot.slack.review_blocks import (
    VERIFY_TITLE,
    gap_digest,
    notice_modal,
    reason_prompt,
    reason_thanks,
    review_card,
    verify_modal,
)
from bot.store.reasons import OTHER, REASONS
from bot.store.reviews import Action, ReviewItem
from bot.store.stores import Stores
from bot.store.verified import VerifiedAnswer

log = logging.getLogger(__name__)


class Desk(Protocol):
    """What posting and updating cards needs (`AnswerDeps` is one; ingest builds its own)."""

    @property
    def stores(self) -> Stores: ...
    @property
    def channels(self) -> ChannelPolicies: ...
    @property
    def settings(self) -> Settings: ...


CARD_ACTIONS: dict[str, Action] = {
    ids.REVIEW_RIGHT: "right",
    ids.REVIEW_POLICY_UPDATE: "policy_update",
    ids.REVIEW_NOT_POLICY: "not_policy",
}
REVIEWER_REFUSED = "This review is about a policy with a limited audience you're not in, so you can't act on it."
REVIEW_GONE = "I can't find that review any more."
SUSPENDED_NOTE = "⏸️ The verified answer to this question is no longer served: {reason}. Please review it again."
POLICY_UPDATE_NOTE = "📝 <@{who}> says {title} needs an update. Question: “{question}” — document: {doc}"


def after_vote(deps: AnswerDeps, client: WebClient, channel: str, ts: str, user: str, value: int | None) -> None:
    """Run after a counted vote change (`value` None: a vote withdrawn): a 👎 asks why (once) and
    opens the review; any change refreshes an existing card."""
    record = deps.stores.answers.get(channel, ts)
    if record is None:
        return  # a vote parked before its answer was stored: counted, but no prompt
    if value is not None and value < 0:
        if deps.stores.reasons.claim_prompt(record.ref, user):
            prompt = reason_prompt(record.ref)
            client.chat_postEphemeral(
                channel=channel, user=user, thread_ts=record.thread_ts, text=prompt.text, blocks=prompt.blocks
            )
        if deps.stores.reviews.open(ReviewItem.of(record)):
            # an abstention cites nothing: its card goes to the owner of the closest public policy
            near = [] if record.sources else deps.service.find_sources(record.question, k=1)
            post_card(deps, client, record.ref, asked_in=record.channel, near=near)
            return
    refresh_card(deps, client, record.ref)


def post_card(deps: Desk, client: WebClient, answer_ref: str, *, asked_in: str, near: Sequence[Source] = ()) -> None:
    """Post the item's card in the review channel that may see all its sources (none: CLI only).
    `near`: for an item without sources (an abstention), the closest policy sections, whose owners'
    review channels come first."""
    item = deps.stores.reviews.get(answer_ref)
    if item is None:
        return
    route_by = list(item.sources or near)
    channel = review_channel(route_by, asked_in, deps.channels, deps.settings.review_channel)
    if channel is None:
        log.warning("review %s: no review channel may see its sources; left for `policybot review`", answer_ref)
        return
    card = _card(deps, item)
    ts = client.chat_postMessage(channel=channel, text=card.text, blocks=card.blocks, unfurl_links=False)["ts"]
    deps.stores.reviews.place_card(answer_ref, channel, ts)


def refresh_card(deps: Desk, client: WebClient, answer_ref: str, owner_note: str = "") -> None:
    """Update the item's card in place (no card: nothing to do)."""
    item = deps.stores.reviews.get(answer_ref)
    if item is None or not item.card_ts or not item.review_channel:
        return
    card = _card(deps, item, owner_note)
    client.chat_update(channel=item.review_channel, ts=item.card_ts, text=card.text, blocks=card.blocks)


def _card(deps: Desk, item: ReviewItem, owner_note: str = ""):
    votes = deps.stores.feedback.votes_of(item.ref)
    reasons = deps.stores.reasons.of(item.ref)
    labels = [reasons[u].label for u, v in sorted(votes.items()) if v < 0 and u in reasons]
    up, down = sum(v > 0 for v in votes.values()), sum(v < 0 for v in votes.values())
    return review_card(item, up=up, down=down, reasons=labels, owner_note=owner_note)


@dataclass(frozen=True)
class IngestDesk:
    """A `Desk` outside the Slack app (after `policybot ingest`)."""

    stores: Stores
    channels: ChannelPolicies
    settings: Settings


def review_after_ingest(settings: Settings, client: WebClient | None) -> list[VerifiedAnswer]:
    """Suspend the verified answers whose documents changed and, when Slack is configured
    (`client`), say why on their review cards; the suspended answers."""
    stores = Stores.from_settings(settings)
    suspended = suspend_stale(stores, registry_docs(settings))
    if client is not None:
        desk = IngestDesk(stores, ChannelPolicies.from_settings(settings), settings)
        for answer in suspended:
            announce_suspension(desk, client, answer)
    return suspended


def announce_suspension(desk: Desk, client: WebClient, answer: VerifiedAnswer) -> None:
    """Mark the answer's review item suspended and update its card (with a note in the card's
    thread, which notifies the channel); a card is posted if there was none."""
    answer_ref = answer.review_ref or f"verified:{answer.id}"
    desk.stores.reviews.open(
        ReviewItem(ref=answer_ref, question=answer.questions[0], answer=answer.answer, sources=answer.sources)
    )
    item = actions.apply(desk.stores, answer_ref, "suspend", "policybot", "ingest", note=answer.suspended_reason)
    if item is None:
        return
    if not (item.card_ts and item.review_channel):
        post_card(desk, client, answer_ref, asked_in="")
        return
    refresh_card(desk, client, answer_ref)
    note = SUSPENDED_NOTE.format(reason=answer.suspended_reason)
    client.chat_postMessage(channel=item.review_channel, thread_ts=item.card_ts, text=note, unfurl_links=False)


# --- 👎 reasons ----------------------------------------------------------------------------
def on_reason(deps: AnswerDeps, client: WebClient, body: dict, action: dict, respond) -> None:
    """A reason button in the prompt (not "Other…": its modal opens in the listener, before the
    trigger expires): store it, thank, refresh the card."""
    code = action["action_id"].removeprefix(ids.REASON_ACTION_PREFIX)
    if code not in REASONS or code == OTHER:
        log.warning("unexpected reason button %s", action["action_id"])
        return
    answer_ref, user = action["value"], body["user"]["id"]
    reason = deps.stores.reasons.set(answer_ref, user, code)
    thanks = reason_thanks(reason.label)
    respond(replace_original=True, text=thanks.text, blocks=thanks.blocks)
    refresh_card(deps, client, answer_ref)


def on_reason_text(deps: AnswerDeps, client: WebClient, body: dict, view: dict) -> None:
    """The "Other…" modal was submitted: store the text PII-masked, refresh the card."""
    text = view["state"]["values"]["reason"]["text"].get("value") or ""
    deps.stores.reasons.set(view["private_metadata"], body["user"]["id"], OTHER, deps.masker.mask(text))
    refresh_card(deps, client, view["private_metadata"])


# --- reviewers' actions --------------------------------------------------------------------
def reviewer_principals(deps: AnswerDeps, user: str, channel: str) -> Principals:
    """What a reviewer clicking in `channel` may see (their groups plus the channel's audiences)."""
    audiences = deps.channels.policy(channel).audiences
    return deps.principals.access(user, channel, deps.directory, is_dm=False, channel_audiences=audiences).full


def reviewer_refused(deps: AnswerDeps, client: WebClient, user: str, channel: str, sources: list[Source] | None) -> bool:
    """Whether a reviewer's click must be refused, having told them why: what they act on is gone (`sources`
    None) or rests on a source they may not see."""
    if sources is None:
        client.chat_postEphemeral(channel=channel, user=user, text=REVIEW_GONE)
        return True
    if not may_see_all(sources, reviewer_principals(deps, user, channel)):
        client.chat_postEphemeral(channel=channel, user=user, text=REVIEWER_REFUSED)
        return True
    return False


def on_card_action(deps: AnswerDeps, client: WebClient, body: dict, action: dict) -> None:
    """One of the card buttons that act at once ("Answer is right", "Policy needs an update", "Not
    a policy question"): checked against the card's sources, applied, audited, the card updated."""
    user, channel, answer_ref = body["user"]["id"], body["channel"]["id"], action["value"]
    item = deps.stores.reviews.get(answer_ref)
    if reviewer_refused(deps, client, user, channel, item.sources if item else None):
        return
    act = CARD_ACTIONS[action["action_id"]]
    updated = actions.apply(deps.stores, answer_ref, act, user, channel)
    if updated is None:
        return
    if act == "policy_update":
        notify_owners(deps, client, updated, user)
    refresh_card(deps, client, answer_ref)


def fill_verify_modal(deps: AnswerDeps, client: WebClient, body: dict, action: dict, view_id: str) -> None:
    """ "Write the correct answer": the listener opened a "looking up…" modal at once (trigger ids
    expire in 3 s); this fills it with the answer field and the sections the reviewer may pick, or
    says why they can't act."""
    user, channel, answer_ref = body["user"]["id"], body["channel"]["id"], action["value"]
    item = deps.stores.reviews.get(answer_ref)
    if item is None:
        client.views_update(view_id=view_id, view=notice_modal(VERIFY_TITLE, REVIEW_GONE))
        return
    principals = reviewer_principals(deps, user, channel)
    if not may_see_all(item.sources, principals):
        client.views_update(view_id=view_id, view=notice_modal(VERIFY_TITLE, REVIEWER_REFUSED))
        return
    client.views_update(view_id=view_id, view=verify_modal(item, section_choices(deps, item, principals)))


def section_choices(deps: AnswerDeps, item: ReviewItem, principals: Principals) -> list[Source]:
    """Sections a verified answer may rest on: the answer's own sources, then the search results
    for the question, all visible to the reviewer, without repeats."""
    found = deps.service.find_sources(item.question, principals=principals, k=8)
    seen: dict[str, Source] = {}
    for source in (*item.sources, *found):
        if may_see_all([source], principals):
            seen.setdefault(source.chunk_id, source)
    return list(seen.values())


def notify_owners(deps: AnswerDeps, client: WebClient, item: ReviewItem, who: str) -> None:
    """ "Policy needs an update": tell each cited document's own review channel (other than the card's)."""
    for source in {s.doc_id: s for s in item.sources}.values():
        channel = source.review_channel
        if not channel or channel == item.review_channel or not may_see_all([source], readers_of(deps.channels, channel)):
            continue
        doc = f"<{source.url}|{source.title}>" if source.url else source.source or source.title
        text = POLICY_UPDATE_NOTE.format(who=who, title=source.title, question=item.question, doc=doc)
        client.chat_postMessage(channel=channel, text=text, unfurl_links=False)


# --- "Write the correct answer" ------------------------------------------------------------
def on_verify(deps: AnswerDeps, client: WebClient, body: dict, view: dict) -> VerifiedAnswer | None:
    """Store the reviewer's answer as a verified answer resting on the sections they ticked (only
    sections they may see count), close the review, audit it, update the card."""
    user, answer_ref = body["user"]["id"], view["private_metadata"]
    item = deps.stores.reviews.get(answer_ref)
    if item is None or item.review_channel is None:
        return None
    channel = item.review_channel
    principals = reviewer_principals(deps, user, channel)
    if not may_see_all(item.sources, principals):
        return None
    values = view["state"]["values"]
    chosen = {o["value"] for o in values.get("sources", {}).get("chunks", {}).get("selected_options") or []}
    sources = [s for s in section_choices(deps, item, principals) if s.chunk_id in chosen]
    text = deps.masker.mask(values["answer"]["text"]["value"].strip())
    verified = actions.verify(
        deps.stores, item, text, sources, reviewer=user, where=channel, registry_docs=registry_docs(deps.settings)
    )
    refresh_card(deps, client, answer_ref)
    return verified


def registry_docs(settings: Settings) -> dict[str, dict]:
    """The ingest registry's documents (doc_id -> sha, superseded_by, ...); empty before any ingest."""
    path = registry_path(settings, settings.chroma_collection)
    return json.loads(path.read_text()).get("docs", {}) if path.exists() else {}


# --- knowledge-gap digests -----------------------------------------------------------------
def post_gap_digests(desk: Desk, client: WebClient, service, gaps: list[Gap], days: float) -> dict[str, int]:
    """Post one digest per review channel: each gap goes to the review channel of the document
    closest to its questions (public documents only), else `REVIEW_CHANNEL`. Each gap's
    representative answer gets a review item (no card), so the digest's buttons act on it.
    Returns channel -> gaps posted there; gaps with no channel are left out."""
    by_channel: dict[str, list[Gap]] = {}
    for gap in gaps:
        closest = service.find_sources(gap.representative.question, k=1)
        channel = review_channel(closest, "", desk.channels, desk.settings.review_channel)
        if channel is None:
            continue
        record = desk.stores.answers.get(*gap.representative.ref.split(":", 1))
        if record is not None and desk.stores.reviews.open(ReviewItem.of(record)):
            desk.stores.reviews.place_card(record.ref, channel, None)  # acted on from the digest
        by_channel.setdefault(channel, []).append(gap)
    for channel, posted in by_channel.items():
        digest = gap_digest(posted, days)
        client.chat_postMessage(channel=channel, text=digest.text, blocks=digest.blocks, unfurl_links=False)
    return {channel: len(posted) for channel, posted in by_channel.items()}


def scheduled_gap_digest(deps: AnswerDeps, client: WebClient, days: float) -> dict[str, int]:
    """The scheduled digest (a job Celery beat sends on GAP_DIGEST_SCHEDULE): find the gaps of the
    last `days` and post them to each owner's review channel. Once per scheduled hour however many
    beat schedulers fire (a claim in Redis), so a second `--beat` node never doubles a digest.
    Returns channel -> gaps posted there (empty when another node posted it)."""
    if not deps.stores.claims.claim(f"gap-digest:{datetime.now(UTC):%Y-%m-%dT%H}"):
        log.info("gap digest of this hour already posted by another node")
        return {}
    gaps = find_gaps(deps.stores, deps.service.embeddings, days=days, distance=deps.settings.gap_distance)
    posted = post_gap_digests(deps, client, deps.service, gaps, days)
    log.info("gap digest: %d gap(s) posted to %s", sum(posted.values()), ", ".join(posted) or "no channel")
    return posted
