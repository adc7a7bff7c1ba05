"""Everything a listener needs, built once per process and passed explicitly (no globals)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.answer.service import PolicyService
from bot.assist.workflow import Assist
from bot.channels import ChannelPolicies
from bot.company import CompanyProfile
from bot.config import Settings
from bot.core.masking import Masker
from bot.governance.access import PrincipalResolver
from bot.slack.directory import SlackDirectory
from bot.slack.request import BotIdentity
from bot.slack.workers import Workers
from bot.store.stores import Stores


@dataclass(frozen=True)
class SlackDeps:
    settings: Settings
    company: CompanyProfile
    channels: ChannelPolicies  # per-channel policy (CHANNELS_FILE), looked up once per question
    assist: Assist  # the question workflow: ask, then record
    service: PolicyService  # source lookups (/policy-sources)
    stores: Stores
    masker: Masker
    bot: BotIdentity
    pool: Workers  # answers run here, after the HTTP ack
    principals: PrincipalResolver  # who may see what (bot.governance.access)
    directory: SlackDirectory  # Slack profiles, user groups and names (bot.slack.directory)
