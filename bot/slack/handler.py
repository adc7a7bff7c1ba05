"""Answering a question from Slack: the plain functions every question listener calls.

Listeners ack Slack and hand a `SlackQuestion` to `submit_question`; the answer is computed
and posted on the worker pool so a slow answer never delays an HTTP ack or another answer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answer.result import AnswerKind, AnswerResult, Turn
from bot.governance.access import Principals
from bot.governance.principals import Access
from bot.governance.sanitize import sanitize_question
from bot.governance.sensitive import SensitiveMatch
from bot.slack.blocks import (
    PRIVATE_RESTRICTED_NOTE,
    PRIVATE_SENSITIVE_NOTE,
    TOO_LONG,
    Message,
    answer_message,
    apology,
    text_message,
)
from bot.slack.deps import SlackDeps
from bot.slack.history import thread_history
from bot.slack.request import SlackQuestion
from bot.slack.status import Progress
from bot.store.answers import AnswerRecord
from bot.store.audit import AuditEntry, Decision

log = logging.getLogger(__name__)

SetStatus = Callable[[str], object]

DECISIONS: dict[AnswerKind, Decision] = {
    "answer": "answered",
    "greeting": "answered",
    "abstain": "abstained",
    "invalid": "refused",
    "no_index": "error",
}


def submit_question(deps: SlackDeps, req: SlackQuestion, client: WebClient, set_status: SetStatus | None = None) -> None:
    """Claim the question message (once across `app_mention` + `message` and across processes),
    then answer it on the worker pool."""
    if not deps.stores.dedup.claim(req.question_key):
        log.info("question %s:%s already claimed (event %s)", req.channel, req.ts, req.event_id)
        finish(deps, req.event_id, handled=True)
        return
    deps.pool.submit(answer_question, deps, req, client, set_status)


def answer_question(deps: SlackDeps, req: SlackQuestion, client: WebClient, set_status: SetStatus | None = None) -> None:
    """Answer `req` in Slack. Never silent: any failure becomes an apology in the thread."""
    started = time.perf_counter()
    handled = False
    access: Access | None = None
    try:
        history = thread_history(client, deps.bot, req.channel, req.thread_ts, req.ts) if req.thread_ts else []
        if req.surface == "followup" and not any(t.role == "assistant" for t in history):
            handled = True  # a thread we never answered in: not ours to join
            return
        deps.directory.profile(req.user)  # before any masking: the asker's names join the masker
        with Progress(client, req.channel, req.ts, set_status):
            if len(req.text) > deps.settings.question_refuse_chars:
                handled = refuse_too_long(deps, req, client)
                return
            access = deps.principals.access(req.user, req.channel, deps.directory, is_dm=req.is_dm)
            plan = plan_answer(deps, req, history, access)
            ts, channel = deliver(deps, req, client, plan)
            remember(deps, req, plan, channel, ts, started)  # first: votes on it may already be arriving
            handled = True
        audit(deps, req, plan.decision, plan.principals, plan.result)
        log.info(
            "answered %s:%s surface=%s kind=%s decision=%s sensitive=%s sources=%d chars=%d in %.0f ms",
            req.channel,
            req.ts,
            req.surface,
            plan.result.kind,
            plan.decision,
            plan.sensitive is not None,
            len(plan.result.sources),
            len(req.text),
            _ms(started),
        )
    except Exception:
        log.exception("answering failed: event=%s channel=%s ts=%s user=%s", req.event_id, req.channel, req.ts, req.user)
        handled = handled or apologise(deps, req, client)
        audit(deps, req, "error", access.full if access else frozenset())
    finally:
        finish(deps, req.event_id, handled, req.question_key)


@dataclass
class Plan:
    """What to answer, with which principals, and whether only the asker may see it."""

    result: AnswerResult
    principals: Principals
    private: bool = False
    sensitive: SensitiveMatch | None = None

    @property
    def decision(self) -> Decision:
        return "private" if self.private else DECISIONS[self.result.kind]


def plan_answer(deps: SlackDeps, req: SlackQuestion, history: list[Turn], access: Access) -> Plan:
    """Answer with everything the asker may see; go private when the channel may not see it all.

    In a DM the reader is the asker: answer with `access.full`. In a channel, an answer citing a
    document outside the channel's audiences (`access.public`), or a sensitive question, is
    delivered privately. Otherwise the reply is public and must rest on public documents only:
    extractive quotes come from the cited (public) sources alone, but an LLM answer saw every
    retrieved chunk and an abstention names the closest document's owner, so when the asker holds
    extra principals those are recomputed with `access.public`.
    """
    result = deps.service.ask(req.text, history=history, principals=access.full)  # it sanitises
    answered = result.kind in ("answer", "abstain")
    sensitive = deps.sensitive.check(result.question) if answered else None
    if req.is_dm:
        return Plan(result, access.full, sensitive=sensitive)
    if sensitive or any(not access.visible_to_readers(s.audience) for s in result.sources):
        return Plan(result, access.full, private=True, sensitive=sensitive)
    if access.full == access.public or not answered or (result.kind == "answer" and result.answerer == "extractive"):
        return Plan(result, access.full)
    return Plan(deps.service.ask(req.text, history=history, principals=access.public), access.public)


def deliver(deps: SlackDeps, req: SlackQuestion, client: WebClient, plan: Plan) -> tuple[str, str]:
    """Post the answer (in the thread, or privately plus a neutral note); (ts, channel) of the answer."""
    contacts = deps.settings.confidential_contacts if plan.sensitive else None
    fallback = deps.settings.fallback_channel
    if not plan.private:
        return post(client, req, answer_message(plan.result, fallback_channel=fallback, contacts=contacts)), req.channel
    message = answer_message(plan.result, fallback_channel=fallback, contacts=contacts, asked_in=req.channel)
    ts, channel = post_privately(client, req, message)
    note = PRIVATE_SENSITIVE_NOTE if plan.sensitive else PRIVATE_RESTRICTED_NOTE
    post(client, req, text_message(note))
    return ts, channel


def post_privately(client: WebClient, req: SlackQuestion, message: Message) -> tuple[str, str]:
    """A DM to the asker (kept, can be rated and reopened); an ephemeral in the thread if DMs fail."""
    try:
        dm = client.conversations_open(users=req.user)["channel"]["id"]
        return send(client, dm, None, message), dm
    except SlackApiError as exc:
        log.warning("private answer by DM failed (%s); answering ephemerally in %s", exc.response.get("error"), req.channel)
    reply = client.chat_postEphemeral(
        channel=req.channel, user=req.user, thread_ts=req.reply_thread_ts, text=message.text, blocks=message.blocks
    )
    return reply["message_ts"], req.channel


def refuse_too_long(deps: SlackDeps, req: SlackQuestion, client: WebClient) -> bool:
    limit = deps.settings.max_question_chars
    post(client, req, text_message(TOO_LONG.format(chars=len(req.text), limit=limit)))
    audit(deps, req, "refused")
    return True


def post(client: WebClient, req: SlackQuestion, message: Message) -> str:
    """Post `message` in reply to `req`; returns the posted message's ts."""
    return send(client, req.channel, req.reply_thread_ts, message)


def send(client: WebClient, channel: str, thread_ts: str | None, message: Message) -> str:
    """chat.postMessage without link previews (sources are listed, not unfurled); returns the ts."""
    reply = client.chat_postMessage(
        channel=channel,
        thread_ts=thread_ts,
        text=message.text,
        blocks=message.blocks,
        unfurl_links=False,
        unfurl_media=False,
    )
    return reply["ts"]


def apologise(deps: SlackDeps, req: SlackQuestion, client: WebClient) -> bool:
    """Post the apology; False when even that failed (so Slack's retry may still answer)."""
    try:
        post(client, req, apology(deps.settings.fallback_channel))
        return True
    except Exception:
        log.exception("apology failed: channel=%s ts=%s", req.channel, req.ts)
        return False


def remember(deps: SlackDeps, req: SlackQuestion, plan: Plan, channel: str, ts: str, started: float) -> None:
    """Save the posted answer (masked) so reactions and `/policy-sources` can find it."""
    result = plan.result
    deps.stores.answers.save(
        AnswerRecord(
            channel=channel,
            ts=ts,
            thread_ts=req.reply_thread_ts if channel == req.channel else None,
            user=req.user,
            question=stored_question(deps, req),
            answer=deps.masker.mask(result.answer),
            kind=result.kind,
            sources=result.sources,
            confidence=result.confidence,
            answerer=result.answerer,
            fallback_reason=result.fallback_reason,
            latency_ms=_ms(started),
            private=req.is_dm or plan.private,
        )
    )


def audit(
    deps: SlackDeps,
    req: SlackQuestion,
    decision: Decision,
    principals: Principals = frozenset(),
    result: AnswerResult | None = None,
) -> None:
    deps.stores.audit.record(
        AuditEntry(
            user=req.user,
            channel=req.channel,
            question=stored_question(deps, req),
            decision=decision,
            sources=[s.chunk_id for s in result.sources] if result else [],
            principals=sorted(principals),
            answerer=result.answerer if result else "",
        )
    )


def stored_question(deps: SlackDeps, req: SlackQuestion) -> str:
    """The question as stored and audited: sanitised, capped, then PII-masked."""
    clean, _ = sanitize_question(req.text, deps.settings.max_question_chars)
    return deps.masker.mask(clean)


def finish(deps: SlackDeps, event_id: str | None, handled: bool, *keys: str) -> None:
    """Mark the event (and question) done, or release them when nothing was posted."""
    for key in (event_id, *keys):
        if key:
            (deps.stores.dedup.done if handled else deps.stores.dedup.release)(key)


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
