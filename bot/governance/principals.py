"""Who is asking, and who will see the answer: principals for a question, a command or a click.

Two sets matter for every question:

* `full` — what the asker may see: `everyone`, the audiences of the Slack user groups they are in
  (`GROUP_MAP`: audience -> user group handle or id) and the audiences of the channel they asked in
  (`CHANNEL_AUDIENCES`: every member of, say, a private #managers channel counts as `managers`);
* `public` — what everyone who can read the channel may see: `everyone` plus that channel's
  configured audiences. In a DM the reader is the asker, so `public == full`.

An answer is computed with `full`; when it cites a document outside `public` the Slack layer
delivers it privately. Guests (single- and multi-channel) get `everyone` and nothing else.

A user's group audiences are cached in Redis for `PRINCIPALS_CACHE_TTL_S` (shared by every app
process); Redis being down only means resolving live. Slack itself is reached through the small
`Directory` port, so this module stays plain and testable.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from redis import Redis

from bot.governance.access import Principals, can_see, principals_of
from bot.store.keys import Keys
from bot.store.redis_conn import degrade

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Profile:
    """What the directory says about a person (names stay in process memory, never in Redis)."""

    user: str
    guest: bool
    names: tuple[str, ...] = ()


class Directory(Protocol):
    """The workspace directory (Slack): None means the lookup failed."""

    def profile(self, user: str) -> Profile | None: ...

    def group_members(self, groups: Iterable[str]) -> dict[str, set[str]] | None:
        """Members of each of the given user groups (by handle or id, as given)."""
        ...


@dataclass(frozen=True)
class Access:
    """The principals of one asker in one place."""

    user: str
    channel: str
    full: Principals  # what the asker may see
    public: Principals  # what every reader of the channel may see (== full in a DM)
    guest: bool = False
    groups: frozenset[str] = field(default_factory=frozenset)  # audiences from Slack user groups

    def visible_to_readers(self, audience: Iterable[str]) -> bool:
        return can_see(audience, self.public)

    def visible_to_asker(self, audience: Iterable[str]) -> bool:
        return can_see(audience, self.full)


class GroupCache:
    """`{prefix}:principals:{user}` -> {"groups": [...], "guest": bool} with a TTL; degrades to a miss."""

    def __init__(self, redis: Redis, prefix: str, ttl_s: int) -> None:
        self.redis, self.prefix, self.ttl_s = redis, prefix, ttl_s

    def key(self, user: str) -> str:
        return Keys(self.prefix).principals(user)

    @degrade(None)
    def get(self, user: str) -> tuple[frozenset[str], bool] | None:
        raw = self.redis.get(self.key(user))
        if not raw:
            return None
        data = json.loads(raw)
        return frozenset(data.get("groups") or ()), bool(data.get("guest"))

    @degrade(None)
    def put(self, user: str, groups: Iterable[str], guest: bool) -> None:
        if self.ttl_s > 0:
            self.redis.set(self.key(user), json.dumps({"groups": sorted(groups), "guest": guest}), ex=self.ttl_s)


class PrincipalResolver:
    """Resolves `Access` for (user, channel); build once per process."""

    def __init__(
        self,
        group_map: Mapping[str, str],
        channel_audiences: Mapping[str, Iterable[str]],
        cache: GroupCache | None = None,
    ) -> None:
        self.group_map = {audience: group.strip().lstrip("@") for audience, group in group_map.items() if group.strip()}
        self.channel_audiences = {c: list(a) for c, a in channel_audiences.items()}
        self.cache = cache

    def access(self, user: str, channel: str, directory: Directory, *, is_dm: bool) -> Access:
        groups, guest = self.groups_of(user, directory)
        if guest:
            everyone = principals_of()
            return Access(user, channel, everyone, everyone, guest=True)
        here = [] if is_dm else self.channel_audiences.get(channel, [])
        full = principals_of([*groups, *here])
        public = full if is_dm else principals_of(here)
        return Access(user, channel, full, public, guest=False, groups=groups)

    def groups_of(self, user: str, directory: Directory) -> tuple[frozenset[str], bool]:
        """(audiences from the user's Slack groups, is a guest); cached in Redis when resolved."""
        if self.cache is not None and (cached := self.cache.get(user)) is not None:
            return cached
        profile = directory.profile(user)
        if profile is None:
            return frozenset(), True  # unknown person: grant nothing beyond everyone; don't cache
        if profile.guest or not self.group_map:
            groups: frozenset[str] = frozenset()
        else:
            members = directory.group_members(self.group_map.values())
            if members is None:
                return frozenset(), False  # Slack failed: everyone for now, try again next time
            groups = frozenset(a for a, g in self.group_map.items() if user in members.get(g, set()))
        if self.cache is not None:
            self.cache.put(user, groups, profile.guest)
        return groups, profile.guest
