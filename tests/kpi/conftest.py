"""Fixtures for the KPI, variants and dashboard tests: real Redis (DB 15), a key prefix per test."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator

import pytest

from bot.config import Settings, get_settings
from bot.core.results import Source
from bot.store.answers import AnswerRecord
from bot.store.redis_conn import connect
from bot.store.stores import Stores

REDIS_URL = os.environ.get("POLICYBOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def settings() -> Iterator[Settings]:
    s = Settings(redis_url=REDIS_URL, redis_prefix=f"test-{uuid.uuid4().hex}")
    yield s
    r = connect(s)
    keys = list(r.scan_iter(match=f"{s.redis_prefix}:*", count=10_000))
    for i in range(0, len(keys), 10_000):
        r.delete(*keys[i : i + 10_000])


@pytest.fixture
def stores(settings: Settings) -> Stores:
    return Stores.from_settings(settings)


@pytest.fixture
def cli_settings(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`get_settings()` (what CLI commands read) pointing at the test's Redis prefix."""
    monkeypatch.setenv("REDIS_URL", settings.redis_url)
    monkeypatch.setenv("REDIS_PREFIX", settings.redis_prefix)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def seed_answer(
    stores: Stores, ts: str, *, channel: str = "C1", variant: str = "control", created_at: float | None = None
) -> AnswerRecord:
    """Store an answer record as `Assist.record` would (votes need one)."""
    rec = AnswerRecord(
        channel=channel,
        ts=ts,
        user="U1",
        question="masked question",
        answer="20 days",
        sources=[Source(n=1, chunk_id="leave#1", doc_id="leave", title="Leave policy", quote="20 days")],
        variant=variant,
        created_at=created_at or time.time(),
    )
    stores.answers.save(rec)
    return rec
