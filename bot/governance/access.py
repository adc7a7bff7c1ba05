"""Who is asking, and who will see the answer: principals for a question, a command or a click.

Two sets matter for every question:

* `full` — what the asker may see: `everyone`, the audiences of the Slack user groups they are in
  (`GROUP_MAP`: audience -> user group handle or id) and the audiences of the channel they asked in
  (the channel policy's `audiences`: every member of, say, a private #managers channel counts as `managers`);
* `public` — what everyone who can read the channel may see: `everyone` plus that channel's
  configured audiences. In a DM the reader is the asker, so `public == full`.

An answer is computed with `full`; when it cites a document outside `public` the Slack layer
delivers it privately. Guests (single- and multi-channel) get `everyone` and nothing else.

A user's group audiences are cached in Redis for `PRINCIPALS_CACHE_TTL_S` (shared by every app
process); Redis being down only means resolving live. Slack itself is reached through the small
`Directory` port, so this module stays plain and testable.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from bot.core.principals import Principals, principals_of

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


class GroupCache(Protocol):
    """Where resolved group audiences are cached (Redis: `bot.store.groups.RedisGroupCache`)."""

    def get(self, user: str) -> tuple[frozenset[str], bool] | None: ...

    def put(self, user: str, groups: Iterable[str], guest: bool) -> None: ...


class PrincipalResolver:
    """Resolves `Access` for (user, channel); build once per process."""

    def __init__(self, group_map: Mapping[str, str], cache: GroupCache | None = None) -> None:
        self.group_map = {audience: group.strip().lstrip("@") for audience, group in group_map.items() if group.strip()}
        self.cache = cache

    def access(
        self, user: str, channel: str, directory: Directory, *, is_dm: bool, channel_audiences: Iterable[str] = ()
    ) -> Access:
        """`channel_audiences`: the audiences the channel's policy grants its members (ignored in DMs)."""
        groups, guest = self.groups_of(user, directory)
        if guest:
            everyone = principals_of()
            return Access(user, channel, everyone, everyone, guest=True)
        here = [] if is_dm else list(channel_audiences)
        full = principals_of([*groups, *here])
        public = full if is_dm else principals_of(here)
        return Access(user, channel, full, public, guest=False)

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
