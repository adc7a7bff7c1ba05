"""Answering a question from Slack: the plain functions every question listener calls.

Listeners ack Slack and hand a `SlackQuestion` to `submit_question`; the answer is computed
and posted on the worker pool so a slow answer never delays an HTTP ack or another answer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk import WebClient

from bot.answer.result import AnswerKind, AnswerResult
from bot.governance.access import Principals
from bot.slack.blocks import Message, answer_message, apology
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
    try:
        history = thread_history(client, deps.bot, req.channel, req.thread_ts, req.ts) if req.thread_ts else []
        if req.surface == "followup" and not any(t.role == "assistant" for t in history):
            handled = True  # a thread we never answered in: not ours to join
            return
        with Progress(client, req.channel, req.ts, set_status):
            principals = deps.principals.for_question(req, client)
            result = deps.service.ask(req.text, history=history, principals=principals)  # it sanitises
            ts = post(client, req, answer_message(result, fallback_channel=deps.settings.fallback_channel))
            handled = True
        remember(deps, req, result, ts, started)
        audit(deps, req, DECISIONS[result.kind], principals, result)
        log.info(
            "answered %s:%s surface=%s kind=%s sources=%d chars=%d in %.0f ms",
            req.channel, req.ts, req.surface, result.kind, len(result.sources), len(req.text), _ms(started),
        )
    except Exception:
        log.exception("answering failed: event=%s channel=%s ts=%s user=%s", req.event_id, req.channel, req.ts, req.user)
        handled = handled or apologise(deps, req, client)
        audit(deps, req, "error")
    finally:
        finish(deps, req.event_id, handled, req.question_key)


def post(client: WebClient, req: SlackQuestion, message: Message) -> str:
    """Post `message` in reply to `req`; returns the posted message's ts."""
    reply = client.chat_postMessage(
        channel=req.channel,
        thread_ts=req.reply_thread_ts,
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


def remember(deps: SlackDeps, req: SlackQuestion, result: AnswerResult, ts: str, started: float) -> None:
    """Save the posted answer (masked) so reactions and `/policy-sources` can find it."""
    deps.stores.answers.save(
        AnswerRecord(
            channel=req.channel,
            ts=ts,
            thread_ts=req.reply_thread_ts,
            user=req.user,
            question=deps.masker.mask(req.text),
            answer=deps.masker.mask(result.answer),
            kind=result.kind,
            sources=result.sources,
            confidence=result.confidence,
            answerer=result.answerer,
            fallback_reason=result.fallback_reason,
            latency_ms=_ms(started),
            private=req.is_dm,
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
            question=deps.masker.mask(req.text),
            decision=decision,
            sources=[s.chunk_id for s in result.sources] if result else [],
            principals=sorted(principals),
            answerer=result.answerer if result else "",
        )
    )


def finish(deps: SlackDeps, event_id: str | None, handled: bool, *keys: str) -> None:
    """Mark the event (and question) done, or release them when nothing was posted."""
    for key in (event_id, *keys):
        if key:
            (deps.stores.dedup.done if handled else deps.stores.dedup.release)(key)


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
