"""Everything a listener needs, built once per process and passed explicitly (no globals)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.answer.service import PolicyService
from bot.config import Settings
from bot.slack.principals import PrincipalResolver
from bot.slack.request import BotIdentity
from bot.slack.workers import Workers
from bot.store.stores import Stores


class Masker(Protocol):
    def mask(self, text: str) -> str: ...


@dataclass(frozen=True)
class SlackDeps:
    settings: Settings
    service: PolicyService
    stores: Stores
    masker: Masker
    bot: BotIdentity
    pool: Workers  # answers run here, after the HTTP ack
    principals: PrincipalResolver
