"""Slack as the workspace directory: profiles (`users.info`) and user-group members (`usergroups.list`).

The resolution rules live in `bot.governance.access`; this is only the Slack adapter. Profiles
are cached in process memory for `PRINCIPALS_CACHE_TTL_S` (they hold names, which never go to
Redis); each person's names are handed to the PII masker the first time they are fetched, so their
name is masked in everything stored or logged from then on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.governance.access import Profile

log = logging.getLogger(__name__)

AddNames = Callable[[Iterable[str]], object]


class SlackDirectory:
    """`Directory` over the Slack Web API."""

    def __init__(self, client: WebClient, ttl_s: int, add_names: AddNames | None = None) -> None:
        self.client, self.ttl_s, self.add_names = client, ttl_s, add_names
        self._lock = threading.Lock()
        self._profiles: dict[str, tuple[float, Profile]] = {}
        self.names_loaded = threading.Event()

    def load_all_names(self, page_size: int = 200) -> int:
        """Every member's full names (`users.list`, paginated) to the masker, so a colleague named in a
        question is masked too, not only the asker. Returns how many names; failures are logged."""
        count = 0
        try:
            cursor = None
            while True:
                page = self.client.users_list(limit=page_size, cursor=cursor)
                names = [
                    n for m in page.get("members") or [] if not m.get("is_bot") and not m.get("deleted") for n in person_names(m)
                ]
                if names and self.add_names is not None:
                    self.add_names(names)
                count += len(names)
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
        except (SlackApiError, OSError) as exc:
            log.warning("users.list failed after %d names: %s", count, _error(exc))
        finally:
            self.names_loaded.set()
        log.info("loaded %d names from the Slack directory for PII masking", count)
        return count

    def profile(self, user: str) -> Profile | None:
        with self._lock:
            cached = self._profiles.get(user)
        if cached and time.monotonic() - cached[0] < self.ttl_s:
            return cached[1]
        try:
            info = self.client.users_info(user=user).get("user") or {}
        except (SlackApiError, OSError) as exc:
            log.warning("users.info failed for %s: %s", user, _error(exc))
            return None
        profile = Profile(
            user=user,
            guest=bool(info.get("is_restricted") or info.get("is_ultra_restricted")),
            names=person_names(info),
        )
        if profile.names and self.add_names is not None:
            self.add_names(profile.names)
        with self._lock:
            self._profiles[user] = (time.monotonic(), profile)
        return profile

    def group_members(self, groups: Iterable[str]) -> dict[str, set[str]] | None:
        """One `usergroups.list` with members for all groups (by id and by handle)."""
        wanted = set(groups)
        try:
            listed = self.client.usergroups_list(include_users=True).get("usergroups") or []
        except (SlackApiError, OSError) as exc:
            log.warning("usergroups.list failed: %s", _error(exc))
            return None
        members: dict[str, set[str]] = {}
        for group in listed:
            for key in (group.get("id"), group.get("handle")):
                if key in wanted:
                    members[key] = set(group.get("users") or [])
        return members


def person_names(user: dict) -> tuple[str, ...]:
    """Full names from a `users.info` user: real and display names of two words or more.

    One-word names are left out: masking every "Sam" or "Ops" display name in every text would
    blank ordinary words; a full name is specific enough to mask wherever it appears.
    """
    profile = user.get("profile") or {}
    first_last = " ".join(x for x in (profile.get("first_name"), profile.get("last_name")) if x)
    candidates = (
        user.get("real_name"),
        profile.get("real_name"),
        profile.get("real_name_normalized"),
        profile.get("display_name"),
        profile.get("display_name_normalized"),
        first_last,
    )
    names: list[str] = []
    for name in candidates:
        name = " ".join(str(name or "").split())
        if len(name.split()) >= 2 and name not in names:
            names.append(name)
    return tuple(names)


def _error(exc: Exception) -> object:
    return exc.response.get("error") if isinstance(exc, SlackApiError) else exc
