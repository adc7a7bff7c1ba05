"""Principal resolution: Slack groups -> audiences, channel audiences, guests, the Redis cache."""

import uuid
from collections.abc import Iterable, Iterator

import pytest
import redis

from bot.config import Settings
from bot.core.principals import can_see, principals_of
from bot.governance.access import PrincipalResolver, Profile
from bot.store.groups import RedisGroupCache
from bot.store.redis_conn import connect

REDIS_URL = "redis://127.0.0.1:6379/13"
GROUP_MAP = {"managers": "people-managers", "people-ops": "S0PEOPLEOPS"}
CHANNELS = {"CMANAGERS": ["managers"]}


class FakeDirectory:
    def __init__(self, profiles: dict[str, Profile], groups: dict[str, set[str]], *, groups_fail: bool = False) -> None:
        self.profiles, self.groups, self.groups_fail = profiles, groups, groups_fail
        self.calls: list[str] = []

    def profile(self, user: str) -> Profile | None:
        self.calls.append("profile")
        return self.profiles.get(user)

    def group_members(self, groups: Iterable[str]) -> dict[str, set[str]] | None:
        self.calls.append("groups")
        return None if self.groups_fail else {g: self.groups.get(g, set()) for g in groups}


@pytest.fixture
def cache() -> Iterator[RedisGroupCache]:
    prefix = f"test-gov-{uuid.uuid4().hex[:10]}"
    client = connect(Settings(redis_url=REDIS_URL))
    yield RedisGroupCache(client, prefix, ttl_s=600)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def directory() -> FakeDirectory:
    return FakeDirectory(
        {
            "UMGR": Profile("UMGR", guest=False, names=("Maria Gomez",)),
            "UHR": Profile("UHR", guest=False),
            "UIC": Profile("UIC", guest=False),
            "UGUEST": Profile("UGUEST", guest=True),
        },
        {"people-managers": {"UMGR", "UGUEST"}, "S0PEOPLEOPS": {"UHR"}},
    )


def test_groups_map_to_audiences_and_dms_see_them(cache: RedisGroupCache, directory: FakeDirectory) -> None:
    resolver = PrincipalResolver(GROUP_MAP, cache)
    dm = resolver.access("UMGR", "DUMGR", directory, is_dm=True)
    assert dm.full == dm.public == principals_of(["managers"])
    assert resolver.access("UHR", "DUHR", directory, is_dm=True).full == principals_of(["people-ops"])
    assert resolver.access("UIC", "DUIC", directory, is_dm=True).full == principals_of()


def test_in_a_channel_readers_only_get_the_channel_audiences(cache: RedisGroupCache, directory: FakeDirectory) -> None:
    resolver = PrincipalResolver(GROUP_MAP, cache)
    general = resolver.access("UMGR", "CGENERAL", directory, is_dm=False, channel_audiences=CHANNELS.get("CGENERAL", []))
    assert general.full == principals_of(["managers"]) and general.public == principals_of()
    assert not can_see(["managers"], general.public) and can_see(["managers"], general.full)
    managers_channel = resolver.access(
        "UIC", "CMANAGERS", directory, is_dm=False, channel_audiences=CHANNELS.get("CMANAGERS", [])
    )  # a member of #managers
    assert managers_channel.full == managers_channel.public == principals_of(["managers"])


def test_guests_get_only_everyone_even_in_groups_and_channels(cache: RedisGroupCache, directory: FakeDirectory) -> None:
    resolver = PrincipalResolver(GROUP_MAP, cache)
    for channel, is_dm in (("DUGUEST", True), ("CMANAGERS", False)):
        access = resolver.access("UGUEST", channel, directory, is_dm=is_dm, channel_audiences=CHANNELS.get(channel, []))
        assert access.guest and access.full == access.public == principals_of()


def test_resolved_groups_are_cached_in_redis_with_a_ttl(cache: RedisGroupCache, directory: FakeDirectory) -> None:
    resolver = PrincipalResolver(GROUP_MAP, cache)
    resolver.access("UMGR", "DUMGR", directory, is_dm=True)
    assert directory.calls == ["profile", "groups"]
    assert 0 < cache.redis.ttl(cache.key("UMGR")) <= 600
    assert "Maria" not in cache.redis.get(cache.key("UMGR"))  # names never go to Redis

    other_process = PrincipalResolver(GROUP_MAP, RedisGroupCache(cache.redis, cache.prefix, 600))
    again = FakeDirectory({}, {})  # would resolve nobody: the answer must come from the cache
    assert other_process.access("UMGR", "DUMGR", again, is_dm=True).full == principals_of(["managers"])
    assert again.calls == []


def test_redis_down_resolves_live(directory: FakeDirectory) -> None:
    down = RedisGroupCache(connect(Settings(redis_url="redis://127.0.0.1:1/0")), "x", 600)
    resolver = PrincipalResolver(GROUP_MAP, down)
    for _ in range(2):
        assert resolver.access("UMGR", "DUMGR", directory, is_dm=True).full == principals_of(["managers"])
    assert directory.calls == ["profile", "groups"] * 2


def test_slack_failures_grant_nothing_and_are_not_cached(cache: RedisGroupCache, directory: FakeDirectory) -> None:
    resolver = PrincipalResolver(GROUP_MAP, cache)
    assert resolver.access("UNKNOWN", "DUNKNOWN", directory, is_dm=True).full == principals_of()  # users.info failed
    failing = FakeDirectory(directory.profiles, directory.groups, groups_fail=True)
    assert resolver.access("UMGR", "DUMGR", failing, is_dm=True).full == principals_of()
    assert cache.redis.get(cache.key("UMGR")) is None and cache.redis.get(cache.key("UNKNOWN")) is None
    assert resolver.access("UMGR", "DUMGR", directory, is_dm=True).full == principals_of(["managers"])


def test_no_group_map_needs_no_group_lookups(cache: RedisGroupCache, directory: FakeDirectory) -> None:
    resolver = PrincipalResolver({}, cache)
    assert resolver.access("UMGR", "DUMGR", directory, is_dm=True).full == principals_of()
    assert directory.calls == ["profile"]


def test_cache_key_lives_under_the_prefix(cache: RedisGroupCache) -> None:
    cache.put("U1", ["managers"], False)
    assert cache.get("U1") == (frozenset({"managers"}), False)
    assert list(redis.Redis.from_url(REDIS_URL).scan_iter(f"{cache.prefix}:*")) == [f"{cache.prefix}:principals:U1".encode()]
