"""Everything a listener or a job needs, built once per process and passed explicitly (no globals).

`SlackDeps` is what the web tier needs to turn a Slack request into a job: no embedding model, no
index, no PII masker. `AnswerDeps` adds what running jobs needs; it is built only in the processes
that answer (`policybot worker`, or the in-process app of the Slack tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the answering side's types import the model's libraries: not in the web tier
    from bot.answer.service import PolicyService
    from bot.assist.workflow import Assist
    from bot.channels import ChannelPolicies
    from bot.company import CompanyProfile
    from bot.config import Settings
    from bot.core.masking import Masker
    from bot.governance.access import PrincipalResolver
    from bot.slack.directory import SlackDirectory
    from bot.slack.jobs import Jobs
    from bot.slack.request import BotIdentity
    from bot.store.stores import Stores


class NotQueued(RuntimeError):
    """A job the queue would not take (broker unreachable): the request gets a 500 (Slack retries events)."""


@dataclass(frozen=True, kw_only=True)
class SlackDeps:
    settings: Settings
    company: CompanyProfile
    channels: ChannelPolicies  # per-channel policy (CHANNELS_FILE), looked up once per question
    stores: Stores
    bot: BotIdentity
    jobs: Jobs  # where answers and every Slack call after the ack run: the task queue, or this process's threads


@dataclass(frozen=True, kw_only=True)
class AnswerDeps(SlackDeps):
    assist: Assist  # the question workflow: ask, then record
    service: PolicyService  # source lookups (/policy-sources, review modals)
    masker: Masker
    principals: PrincipalResolver  # who may see what (bot.governance.access)
    directory: SlackDirectory  # Slack profiles, user groups and names (bot.slack.directory)
