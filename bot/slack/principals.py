"""Which audiences a question may draw on, given who asked and where the answer will be seen.

An answer posted in a channel is read by everyone in it, so there the asker's own groups do not
count: only `everyone` plus the audiences configured for that channel (`CHANNEL_AUDIENCES`).
In a DM or the assistant panel only the asker sees the answer, so their Slack user groups count
(mapped to audiences by `GROUP_MAP`). Guests never get more than `everyone`.
"""

from __future__ import annotations

import logging
import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.governance.access import Principals, principals_of
from bot.slack.request import SlackQuestion

log = logging.getLogger(__name__)


class PrincipalResolver:
    """Resolves principals with Slack's user-group memberships, cached for `principals_cache_ttl_s`."""

    def __init__(self, settings: Settings) -> None:
        self._group_map = settings.group_map
        self._channel_audiences = settings.channel_audiences
        self._ttl_s = settings.principals_cache_ttl_s
        self._lock = threading.Lock()
        self._members: dict[str, set[str]] = {}  # group id and handle -> member user ids
        self._loaded_at = float("-inf")
        self._guests: dict[str, tuple[float, bool]] = {}

    def for_question(self, req: SlackQuestion, client: WebClient) -> Principals:
        if not req.is_dm:
            return principals_of(self._channel_audiences.get(req.channel, []))
        if not self._group_map or self._is_guest(req.user, client):
            return principals_of()
        members = self._group_members(client)
        return principals_of(a for a, group in self._group_map.items() if req.user in members.get(group.lstrip("@"), set()))

    def _group_members(self, client: WebClient) -> dict[str, set[str]]:
        with self._lock:
            if time.monotonic() - self._loaded_at > self._ttl_s:
                try:
                    groups = client.usergroups_list(include_users=True).get("usergroups") or []
                    self._members = {
                        key: set(g.get("users") or []) for g in groups for key in (g["id"], g.get("handle", g["id"]))
                    }
                    self._loaded_at = time.monotonic()
                except SlackApiError as exc:  # keep the last known memberships; everyone still works
                    log.warning("usergroups.list failed: %s", exc.response.get("error"))
            return self._members

    def _is_guest(self, user: str, client: WebClient) -> bool:
        cached = self._guests.get(user)
        if cached and time.monotonic() - cached[0] < self._ttl_s:
            return cached[1]
        try:
            info = client.users_info(user=user).get("user") or {}
        except SlackApiError as exc:
            log.warning("users.info failed for %s: %s", user, exc.response.get("error"))
            return True  # unknown: grant nothing beyond everyone
        guest = bool(info.get("is_restricted") or info.get("is_ultra_restricted"))
        self._guests[user] = (time.monotonic(), guest)
        return guest
