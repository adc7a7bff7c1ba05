"""Fixtures: one real index of knowledge/ per session, a fake Slack per test, the real bot over HTTP.

The bot under test is built by the same factory `policybot serve` uses and served by uvicorn on
a random port; Slack's side is `FakeSlack`. Redis is the real one (DB 14, a key prefix per test).
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import redis

from bot.answer.service import PolicyService, build_service
from bot.config import Settings
from bot.governance.pii import get_masker
from bot.slack.app import SlackApp, create_slack_app
from bot.slack.web import create_web_app
from bot.store.stores import Stores
from tests.slack.fake_slack import FakeSlack
from tests.slack.index import REDIS_URL, ingest_once
from tests.slack.slack_http import SlackSender, Uvicorn


@pytest.fixture(scope="session", autouse=True)
def no_proxy() -> Iterator[None]:
    """slack_sdk honours HTTP(S)_PROXY and ignores NO_PROXY: keep localhost calls local."""
    names = [k for k in os.environ if k.lower() in ("http_proxy", "https_proxy", "all_proxy")]
    saved = {k: os.environ.pop(k) for k in names}
    yield
    os.environ.update(saved)


@pytest.fixture(scope="session")
def base_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """knowledge/ plus one announcement that contains `<!channel>` & co, ingested once per session."""
    return ingest_once(tmp_path_factory)


@pytest.fixture(scope="session")
def service(base_settings: Settings) -> PolicyService:
    return build_service(base_settings)


@pytest.fixture(scope="session")
def masker(base_settings: Settings):
    return get_masker(base_settings)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture
def settings(base_settings: Settings, fake_slack: FakeSlack) -> Iterator[Settings]:
    """Per-test settings: this test's fake Slack and its own Redis key prefix (cleaned up after)."""
    prefix = f"test-slack-{uuid.uuid4().hex[:10]}"
    yield base_settings.model_copy(update={"slack_api_url": fake_slack.api_url, "redis_prefix": prefix})
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}:*", count=500))
    if keys:
        client.delete(*keys)
    client.close()


@dataclass
class RunningBot:
    slack: SlackApp
    server: Uvicorn
    send: SlackSender

    @property
    def stores(self) -> Stores:
        return self.slack.deps.stores

    def settle(self, timeout: float = 30.0) -> None:
        """Wait until every event delivered so far is fully handled (listeners and answers)."""
        deadline = time.monotonic() + timeout
        while self.slack.in_flight:
            assert time.monotonic() < deadline, "the bot is still busy"
            time.sleep(0.01)

    def stop(self) -> None:
        self.send.close()
        self.server.stop()


@pytest.fixture
def start_bot(settings: Settings, service: PolicyService, masker) -> Iterator[Callable[..., RunningBot]]:
    """Start (another) bot process-alike: own Bolt app, HTTP server and pools; shared Redis."""
    running: list[RunningBot] = []

    def start(*, service: PolicyService = service, **overrides: object) -> RunningBot:
        bot_settings = settings.model_copy(update=overrides)
        slack = create_slack_app(bot_settings, service=service, masker=masker)
        server = Uvicorn(create_web_app(slack))
        running.append(RunningBot(slack, server, SlackSender(server.url)))
        return running[-1]

    yield start
    for bot in running:
        bot.stop()


@pytest.fixture
def bot(start_bot: Callable[..., RunningBot]) -> RunningBot:
    return start_bot()
