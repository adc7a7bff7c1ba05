"""Build the Bolt app and its dependencies: the one factory `policybot serve` and the tests use."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.answer.service import PolicyService
from bot.assist.factory import build_assist
from bot.channels import ChannelPolicies
from bot.config import Settings
from bot.core.masking import Masker
from bot.governance.access import PrincipalResolver
from bot.slack.deps import SlackDeps
from bot.slack.directory import SlackDirectory
from bot.slack.listeners import register
from bot.slack.middleware import claim_events
from bot.slack.request import BotIdentity
from bot.slack.workers import Workers
from bot.store.groups import RedisGroupCache
from bot.store.stores import Stores

LISTENER_THREADS = 8  # listeners only normalise and queue; answering happens on `slack_workers`


class SlackConfigError(RuntimeError):
    """A missing or rejected Slack credential; the message names the variable to fix."""


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


def require(settings: Settings, *fields: str) -> None:
    """Fail with the environment variable's name when a required Slack setting is missing."""
    for name in fields:
        if not getattr(settings, name):
            raise SlackConfigError(
                f"{name.upper()} is not set: add it to the environment or .env (see the README section 'Create the Slack app')"
            )


def web_client(settings: Settings, token: str | None) -> WebClient:
    """A client that waits out 429s (Retry-After) and retries dropped connections."""
    base_url = settings.slack_api_url if settings.slack_api_url.endswith("/") else settings.slack_api_url + "/"
    return WebClient(
        token=token,
        base_url=base_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2), ConnectionErrorRetryHandler(max_retry_count=2)],
    )


def create_slack_app(
    settings: Settings,
    *,
    service: PolicyService | None = None,
    stores: Stores | None = None,
    masker: Masker | None = None,
) -> SlackApp:
    """Verify the token (one `auth.test`, at startup), build the dependencies, register listeners.

    `process_before_response` stays False: Bolt acks events before running a listener, and our
    listeners only normalise the event and queue the answer on `Workers`, so the HTTP response
    returns in milliseconds however long answers take.
    """
    require(settings, "slack_bot_token", "slack_signing_secret")
    try:
        identity = web_client(settings, settings.slack_bot_token).auth_test()
    except SlackApiError as exc:
        raise SlackConfigError(f"SLACK_BOT_TOKEN was rejected by Slack ({exc.response.get('error')})") from None
    except OSError as exc:  # DNS, refused connection, TLS: slack_sdk raises urllib's URLError
        raise SlackConfigError(f"cannot reach Slack at SLACK_API_URL={settings.slack_api_url} ({exc})") from None
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
