"""Review tests: real Redis (DB 14) under a key prefix per test, removed afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

from bot.core.results import Source
from bot.store.reviews import ReviewItem
from bot.store.stores import Stores
from tests.slack.index import REDIS_URL

LEAVE = Source(n=1, chunk_id="annual-leave-3", doc_id="hr/annual-leave.md", title="Annual Leave Policy", section="3. Entitlement")
COMP = Source(
    n=1, chunk_id="comp-2", doc_id="hr/manager-compensation-guidelines.md", title="Manager Compensation", audience=["managers"]
)


@pytest.fixture
def prefix() -> Iterator[str]:
    name = f"test-review-{uuid.uuid4().hex[:10]}"
    yield name
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{name}:*", count=500))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def stores(prefix: str) -> Stores:
    from bot.config import Settings

    return Stores.from_settings(Settings(redis_url=REDIS_URL, redis_prefix=prefix))


def review_item(question: str = "How many days of annual leave do I get?", sources: list[Source] | None = None) -> ReviewItem:
    return ReviewItem(
        ref=f"CPOLICIES:{uuid.uuid4().int % 10**6}.000100",
        question=question,
        answer="You get 20 days.",
        sources=[LEAVE] if sources is None else sources,
    )
