"""Everything a listener needs, built once per process and passed explicitly (no globals)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from bot.answer.service import PolicyService
from bot.config import Settings
from bot.governance.principals import PrincipalResolver
from bot.governance.sensitive import SensitiveDetector
from bot.slack.principals import SlackDirectory
from bot.slack.request import BotIdentity
from bot.slack.workers import Workers
from bot.store.stores import Stores


class Masker(Protocol):
    def mask(self, text: str) -> str: ...

    def add_names(self, names: Iterable[str]) -> None: ...


@dataclass(frozen=True)
class SlackDeps:
    settings: Settings
    service: PolicyService
    stores: Stores
    masker: Masker
    bot: BotIdentity
    pool: Workers  # answers run here, after the HTTP ack
    principals: PrincipalResolver  # who may see what (bot.governance.principals)
    directory: SlackDirectory  # Slack profiles, user groups and names (bot.slack.principals)
    sensitive: SensitiveDetector
