"""The work the Slack listeners hand off after the ack: answering, source look-ups, the review loop.

A job is a name (`bot.slack.ids.JOB_*`) and a JSON payload. The same job runs on a Celery worker
(`bot.tasks`: `policybot serve` queues, `policybot worker` runs) or on this process's thread pool
(`InlineJobs`: the in-process app the Slack tests drive). `run_job` is the one body both call; it
builds the Slack client and the `respond` / status helpers a listener would have had.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from slack_bolt.context.respond import Respond
from slack_bolt.context.say import Say
from slack_bolt.context.set_status import SetStatus
from slack_bolt.context.set_suggested_prompts import SetSuggestedPrompts
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack import ids
from bot.slack.blocks import home_view, text_message
from bot.slack.credentials import web_client
from bot.slack.deps import AnswerDeps, SlackDeps
from bot.slack.handler import answer_question, answered_already, finish, send
from bot.slack.handoff import hand_off
from bot.slack.related import accept_paraphrase, confirm_related, related_button
from bot.slack.request import SlackQuestion
from bot.slack.review import (
    after_vote,
    fill_verify_modal,
    on_card_action,
    on_reason,
    on_reason_text,
    on_verify,
    scheduled_gap_digest,
)
from bot.slack.sources import sources_button, sources_command
from bot.slack.status import clear_eyes
from bot.slack.wire import question_from_json
from bot.slack.workers import Workers

log = logging.getLogger(__name__)

Retry = Callable[[BaseException], bool]


@dataclass(frozen=True)
class Attempt:
    """How this run of a job came about: `retry_on` (errors to raise, before anything was posted,
    so the queue retries) and `again` (a retry or a redelivery: an earlier run may have posted)."""

    retry_on: Retry | None = None
    again: bool = False


class Jobs(Protocol):
    """Where listeners send work: `submit` returns once the job is safely queued (raises if it is not)."""

    def submit(self, deps: SlackDeps, name: str, payload: dict) -> None: ...

    @property
    def in_flight(self) -> int: ...

    def shutdown(self) -> None: ...


def transient(exc: BaseException) -> bool:
    """Worth retrying later: Slack 5xx / 429 (after the client's own Retry-After waits) or a network error."""
    if isinstance(exc, SlackApiError):
        status = getattr(exc.response, "status_code", 200)
        return status >= 500 or status == 429
    return isinstance(exc, OSError)  # urllib's URLError, refused / reset connections, timeouts


def run_job(deps: AnswerDeps, name: str, payload: dict, attempt: Attempt = Attempt()) -> None:
    """Run one job (see `Attempt`). Raises ValueError for an unknown job name."""
    job = JOBS.get(name)
    if job is None:
        raise ValueError(f"unknown job {name!r}")
    job(deps, web_client(deps.settings, deps.settings.slack_bot_token), payload, attempt)


def _answer(deps: AnswerDeps, client: WebClient, payload: dict, attempt: Attempt) -> None:
    req = question_from_json(payload)
    if deps.stores.claims.is_done(req.question_key) or (attempt.again and answered_already(client, deps.bot, req)):
        log.info("question %s:%s already answered; job run again dropped", req.channel, req.ts)
        finish(deps, req.event_id, True, req.question_key)
        if attempt.again:  # the run that answered may have died before taking its 👀 off
            clear_eyes(client, req.channel, req.ts)
        return
    status = SetStatus(client, req.channel, req.thread_ts) if req.surface == "assistant" and req.thread_ts else None
    answer_question(deps, req, client, status, retry_on=attempt.retry_on)


def _shortcut(deps: AnswerDeps, client: WebClient, p: dict, attempt: Attempt) -> None:
    """The message shortcut: the answer goes to the user's DM with the bot, after a line saying what was asked."""
    key = f"shortcut:{p['trigger_id']}"
    if deps.stores.claims.is_done(key):
        return
    dm = client.conversations_open(users=p["user"])["channel"]["id"]
    intro = send(client, dm, None, text_message(f"You asked about a message in <#{p['channel']}>: “{p['text'][:200]}”"))
    question = SlackQuestion(
        channel=dm, channel_type="im", user=p["user"], text=p["text"], ts=intro, thread_ts=None,
        surface="shortcut", policy=deps.channels.policy(p["channel"]),
    )  # fmt: skip
    deps.stores.claims.claim(question.question_key)
    answer_question(deps, question, client)  # no retry: the intro is posted already
    finish(deps, key, True)


def _greeting(deps: AnswerDeps, client: WebClient, p: dict, attempt: Attempt) -> None:
    replies = deps.company.replies
    Say(client, p["channel"], p["thread_ts"])(replies.assistant_greeting)
    if replies.suggested_prompts:
        prompts = [prompt.model_dump() for prompt in replies.suggested_prompts]
        SetSuggestedPrompts(client, p["channel"], p["thread_ts"])(prompts=prompts)


def _respond(payload: dict) -> Respond:
    return Respond(response_url=payload["response_url"])


JOBS: dict[str, Callable[[AnswerDeps, WebClient, dict, Attempt], object]] = {
    ids.JOB_ANSWER: _answer,
    ids.JOB_SHORTCUT: _shortcut,
    ids.JOB_NOTICE: lambda deps, client, p, _: client.chat_postEphemeral(channel=p["channel"], user=p["user"], text=p["text"]),
    ids.JOB_HOME: lambda deps, client, p, _: client.views_publish(user_id=p["user"], view=home_view()),
    ids.JOB_GREETING: _greeting,
    ids.JOB_SOURCES_COMMAND: lambda deps, client, p, _: sources_command(
        deps, user=p["user"], channel=p["channel"], text=p["text"], respond=_respond(p)
    ),
    ids.JOB_SOURCES_BUTTON: lambda deps, client, p, _: sources_button(deps, client, **p),
    ids.JOB_HANDOFF: lambda deps, client, p, _: hand_off(deps, client, **p),
    ids.JOB_RELATED_BUTTON: lambda deps, client, p, _: related_button(deps, client, **p),
    ids.JOB_RELATED_CONFIRM: lambda deps, client, p, _: confirm_related(deps, client, p["body"], p["action"]),
    ids.JOB_PARAPHRASE_ACCEPT: lambda deps, client, p, _: accept_paraphrase(deps, client, p["body"], p["action"]),
    ids.JOB_AFTER_VOTE: lambda deps, client, p, _: after_vote(deps, client, p["channel"], p["ts"], p["user"], p["value"]),
    ids.JOB_REASON: lambda deps, client, p, _: on_reason(deps, client, p["body"], p["action"], _respond(p["body"])),
    ids.JOB_REASON_TEXT: lambda deps, client, p, _: on_reason_text(deps, client, p["body"], p["view"]),
    ids.JOB_CARD_ACTION: lambda deps, client, p, _: on_card_action(deps, client, p["body"], p["action"]),
    ids.JOB_VERIFY_MODAL: lambda deps, client, p, _: fill_verify_modal(deps, client, p["body"], p["action"], p["view_id"]),
    ids.JOB_VERIFY: lambda deps, client, p, _: on_verify(deps, client, p["body"], p["view"]),
    ids.JOB_GAP_DIGEST: lambda deps, client, p, _: scheduled_gap_digest(deps, client, p["days"]),
}


class InlineJobs:
    """Jobs run on this process's thread pool (no broker): the in-process app of the Slack tests.

    Payloads go through JSON as they would through the broker, so these tests also prove every
    job is serialisable.
    """

    def __init__(self, size: int) -> None:
        self._pool = Workers(size)

    def submit(self, deps: SlackDeps, name: str, payload: dict) -> None:
        if not isinstance(deps, AnswerDeps):
            raise TypeError("InlineJobs runs jobs in this process: it needs AnswerDeps")
        if name not in JOBS:
            raise ValueError(f"unknown job {name!r}")
        self._pool.submit(run_job, deps, name, json.loads(json.dumps(payload)))

    @property
    def in_flight(self) -> int:
        return self._pool.in_flight

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
