"""Build the Bolt app and its dependencies: the one factory `policybot serve` and the tests use."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult

from bot.answer.service import PolicyService
from bot.assist.factory import build_assist
from bot.channels import ChannelPolicies
from bot.config import Settings
from bot.core.masking import Masker
from bot.governance.access import PrincipalResolver
from bot.slack.credentials import verify_token, web_client
from bot.slack.deps import SlackDeps
from bot.slack.directory import SlackDirectory
from bot.slack.listeners import register
from bot.slack.middleware import claim_events
from bot.slack.request import BotIdentity
from bot.slack.workers import Workers
from bot.store.groups import RedisGroupCache
from bot.store.stores import Stores

LISTENER_THREADS = 8  # listeners only normalise and queue; answering happens on `slack_workers`


@dataclass(frozen=True)
class SlackApp:
    bolt: App
    deps: SlackDeps
    listeners: Workers  # Bolt's listener executor: normalise, claim, queue (milliseconds each)

    @property
    def in_flight(self) -> int:
        """Accepted events whose handling (listener or answer) has not finished yet."""
        return self.listeners.in_flight + self.deps.pool.in_flight

    def shutdown(self) -> None:
        """Stop taking work and let what was accepted finish (listeners first: they queue answers)."""
        self.listeners.shutdown(wait=True)
        self.deps.pool.shutdown(wait=True)


def create_slack_app(
    settings: Settings,
    *,
    service: PolicyService | None = None,
    stores: Stores | None = None,
    masker: Masker | None = None,
    identity: dict | None = None,
) -> SlackApp:
    """Verify the token (one `auth.test`, at startup, unless `identity` is its result already),
    build the dependencies, register listeners.

    `process_before_response` stays False: Bolt acks events before running a listener, and our
    listeners only normalise the event and queue the answer on `Workers`, so the HTTP response
    returns in milliseconds however long answers take.
    """
    identity = identity or verify_token(settings)
    bot = BotIdentity(user_id=identity["user_id"], bot_id=identity.get("bot_id"))
    channels = ChannelPolicies.load(settings.channels_file, settings.channel_audiences)
    assist = build_assist(settings, service=service, stores=stores, masker=masker)
    deps = SlackDeps(
        settings=settings,
        company=assist.company,
        channels=channels,
        assist=assist,
        service=assist.service,
        stores=assist.stores,
        masker=assist.masker,
        bot=bot,
        pool=Workers(settings.slack_workers),
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
    authorization = AuthorizeResult.from_auth_test_response(
        auth_test_response=identity, bot_token=settings.slack_bot_token, user_token=None
    )
    listeners = Workers(LISTENER_THREADS, name="slack-listener")
    bolt = App(
        name="policybot",
        client=web_client(settings, token=None),  # the template of per-request clients; `authorize` adds the token
        signing_secret=settings.slack_signing_secret,
        authorize=lambda: authorization,  # auth.test already ran above; not once per event
        process_before_response=False,
        listener_executor=listeners,
    )
    bolt.use(claim_events(deps))
    register(bolt, deps)
    return SlackApp(bolt=bolt, deps=deps, listeners=listeners)
