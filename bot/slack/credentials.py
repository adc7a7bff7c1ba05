"""Slack credentials checked before anything heavy loads: a missing or rejected token, or an
unreachable Slack, stops `policybot serve` in a second with the variable to fix."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.config import Settings


class SlackConfigError(RuntimeError):
    """A missing or rejected Slack credential; the message names the variable to fix."""


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


def verify_token(settings: Settings) -> dict:
    """`auth.test` with the bot token: the bot's identity; raises SlackConfigError naming what to fix."""
    require(settings, "slack_bot_token", "slack_signing_secret")
    try:
        return dict(web_client(settings, settings.slack_bot_token).auth_test().data)  # type: ignore[arg-type]
    except SlackApiError as exc:
        raise SlackConfigError(f"SLACK_BOT_TOKEN was rejected by Slack ({exc.response.get('error')})") from None
    except OSError as exc:  # DNS, refused connection, TLS: slack_sdk raises urllib's URLError
        raise SlackConfigError(f"cannot reach Slack at SLACK_API_URL={settings.slack_api_url} ({exc})") from None
