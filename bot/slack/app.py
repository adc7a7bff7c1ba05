"""Build the Bolt app and its dependencies: the factories `policybot serve`, `policybot worker` and the tests use.

- `create_web_tier`: the web tier of `policybot serve`: verifies, claims, queues and acks; it never
  loads the embedding model, the index or the PII masker (those imports stay in `build_answer_deps`).
- `build_answer_deps`: what a worker process runs jobs with (model, index, masker, directory).
- `create_slack_app`: both in one process, jobs on a thread pool (the Slack tests' app).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult

from bot.channels import ChannelPolicies
from bot.company import load_company
from bot.config import Settings
from bot.slack.credentials import verify_token, web_client
from bot.slack.deps import AnswerDeps, NotQueued, SlackDeps
from bot.slack.listeners import register
from bot.slack.middleware import claim_events
from bot.slack.request import BotIdentity
from bot.slack.workers import Workers
from bot.store.stores import Stores

if TYPE_CHECKING:
    from bot.answer.service import PolicyService
    from bot.core.masking import Masker
    from bot.slack.jobs import Jobs

log = logging.getLogger(__name__)

LISTENER_THREADS = 8  # listeners only normalise, claim and queue (milliseconds each)


@dataclass(frozen=True)
class SlackApp:
    bolt: App
    deps: SlackDeps
    listeners: Workers  # Bolt's listener executor (in-process app): normalise, claim, queue

    @property
    def in_flight(self) -> int:
        """Accepted events whose handling in this process (listener or in-process job) has not finished yet."""
        return self.listeners.in_flight + self.deps.jobs.in_flight

    def shutdown(self) -> None:
        """Stop taking work and let what was accepted finish (listeners first: they queue jobs)."""
        self.listeners.shutdown(wait=True)
        self.deps.jobs.shutdown()


def _identity(identity: dict) -> BotIdentity:
    return BotIdentity(user_id=identity["user_id"], bot_id=identity.get("bot_id"))


def build_answer_deps(
    settings: Settings,
    jobs: Jobs,
    *,
    identity: dict | None = None,
    service: PolicyService | None = None,
    stores: Stores | None = None,
    masker: Masker | None = None,
) -> AnswerDeps:
    """Everything running jobs needs; loads the embedding model, the index and the PII masker.

    `identity`: a prior `auth.test` result (else one is made, raising SlackConfigError).
    """
    from bot.assist.factory import build_assist  # the model's libraries: only where answers are computed
    from bot.governance.access import PrincipalResolver
    from bot.slack.directory import SlackDirectory
    from bot.store.groups import RedisGroupCache

    identity = identity or verify_token(settings)
    assist = build_assist(settings, service=service, stores=stores, masker=masker)
    deps = AnswerDeps(
        settings=settings,
        company=assist.company,
        channels=ChannelPolicies.from_settings(settings),
        stores=assist.stores,
        bot=_identity(identity),
        jobs=jobs,
        assist=assist,
        service=assist.service,
        masker=assist.masker,
        principals=PrincipalResolver(
            settings.group_map,
            RedisGroupCache(assist.stores.redis, settings.redis_prefix, settings.principals_cache_ttl_s),
        ),
        directory=SlackDirectory(
            web_client(settings, settings.slack_bot_token), settings.principals_cache_ttl_s, assist.masker.add_names
        ),
    )
    if settings.pii_enabled and settings.pii_slack_directory:
        threading.Thread(target=deps.directory.load_all_names, name="slack-directory-names", daemon=True).start()
    return deps


def create_web_tier(settings: Settings, jobs: Jobs, *, identity: dict | None = None) -> SlackApp:
    """The web tier: verify, claim, queue on `jobs`, ack. Loads no model, no index, no masker.

    `process_before_response=True`: the listener (normalise, claim, enqueue: milliseconds) runs
    before the HTTP response, so Slack gets its 200 only once the job is in the broker, and a
    failure to enqueue is a 500 that Slack retries.
    """
    identity = identity or verify_token(settings)
    deps = SlackDeps(
        settings=settings,
        company=load_company(settings.company_path),
        channels=ChannelPolicies.from_settings(settings),
        stores=Stores.from_settings(settings),
        bot=_identity(identity),
        jobs=jobs,
    )
    return _bolt_app(settings, identity, deps, process_before_response=True)


def create_slack_app(
    settings: Settings,
    *,
    service: PolicyService | None = None,
    stores: Stores | None = None,
    masker: Masker | None = None,
    identity: dict | None = None,
) -> SlackApp:
    """Web tier and answering in one process, jobs on a thread pool of SLACK_WORKERS (no broker).

    `process_before_response` stays False: Bolt acks before running a listener, and the listeners
    only normalise the event and queue the job, so the HTTP response returns in milliseconds.
    """
    from bot.slack.jobs import InlineJobs

    identity = identity or verify_token(settings)
    jobs = InlineJobs(settings.slack_workers)
    deps = build_answer_deps(settings, jobs, identity=identity, service=service, stores=stores, masker=masker)
    return _bolt_app(settings, identity, deps, process_before_response=False)


def _on_error(deps: SlackDeps) -> Callable[[Exception, dict], None]:
    """Bolt's error handler (the request gets a 500). When the queue would not take the job, the
    event's claim is released so that Slack's retry is handled, not dropped as a duplicate, and the
    log gets one line (the broker's state is on /healthz); anything else logs its traceback."""

    def on_error(error: Exception, body: dict) -> None:
        if not isinstance(error, NotQueued):
            log.error("listener failed", exc_info=error)
            return
        log.warning("%s; answered 500 so that Slack retries", error)
        if body.get("event_id"):
            deps.stores.claims.release(body["event_id"])

    return on_error


def _bolt_app(settings: Settings, identity: dict, deps: SlackDeps, *, process_before_response: bool) -> SlackApp:
    authorization = AuthorizeResult.from_auth_test_response(
        auth_test_response=identity, bot_token=settings.slack_bot_token, user_token=None
    )
    listeners = Workers(LISTENER_THREADS, name="slack-listener")
    bolt = App(
        name="policybot",
        client=web_client(settings, token=None),  # the template of per-request clients; `authorize` adds the token
        signing_secret=settings.slack_signing_secret,
        authorize=lambda: authorization,  # auth.test already ran at startup; not once per event
        process_before_response=process_before_response,
        listener_executor=listeners,
    )
    bolt.use(claim_events(deps))
    bolt.error(_on_error(deps))
    register(bolt, deps)
    return SlackApp(bolt=bolt, deps=deps, listeners=listeners)
