"""The work the Slack listeners hand off after acking: answering a question, looking up sources.

A job is a name and a JSON payload, so the same job runs on a Celery worker (`bot.tasks`, the
production path: `policybot serve` + `policybot worker`) or on this process's thread pool
(`InlineJobs`: the in-process app the Slack tests drive). `run_job` is the one body both call.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Protocol

from slack_bolt.context.respond import Respond
from slack_bolt.context.set_status import SetStatus
from slack_sdk.errors import SlackApiError

from bot.slack.client import web_client
from bot.slack.deps import AnswerDeps, SlackDeps
from bot.slack.handler import answer_question
from bot.slack.sources import sources_button, sources_command
from bot.slack.wire import question_from_json
from bot.slack.workers import Workers

log = logging.getLogger(__name__)

ANSWER, SOURCES_COMMAND, SOURCES_BUTTON = "answer", "sources_command", "sources_button"


class Jobs(Protocol):
    """Where listeners send work: `submit` returns once the job is safely queued."""

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


def run_job(deps: AnswerDeps, name: str, payload: dict, *, retry_on: Callable[[BaseException], bool] | None = None) -> None:
    """Run one job. `retry_on`: errors to raise (before anything was posted) instead of apologising."""
    client = web_client(deps.settings, deps.settings.slack_bot_token)
    if name == ANSWER:
        req = question_from_json(payload)
        if deps.stores.claims.is_done(req.question_key):  # redelivered after it was answered
            log.info("question %s:%s already answered; redelivery dropped", req.channel, req.ts)
            return
        status = SetStatus(client, req.channel, req.thread_ts) if req.surface == "assistant" and req.thread_ts else None
        answer_question(deps, req, client, status, retry_on=retry_on)
    elif name == SOURCES_COMMAND:
        fields = {k: v for k, v in payload.items() if k != "response_url"}
        sources_command(deps, respond=Respond(response_url=payload["response_url"]), **fields)
    elif name == SOURCES_BUTTON:
        sources_button(deps, client, **payload)
    else:
        raise ValueError(f"unknown job {name!r}")


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
        self._pool.submit(run_job, deps, name, json.loads(json.dumps(payload)))

    @property
    def in_flight(self) -> int:
        return self._pool.in_flight

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
