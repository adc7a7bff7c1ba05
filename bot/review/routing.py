"""Which review channel an answer's card goes to, and whether that channel may see it.

Candidates, first that qualifies: the `owner.review_channel` of the cited documents (for an
abstention: the closest document's), the `review_channel` of the channel policy where the
question was asked (its file's default applies to every channel), then `REVIEW_CHANNEL`.
A channel qualifies only when its readers (everyone plus the audiences its channel policy
grants) may see every source, so a restricted document's question and answer never reach a
channel outside its audience.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.channels import ChannelPolicies
from bot.core.principals import Principals, can_see, principals_of
from bot.core.results import Source


def readers_of(channels: ChannelPolicies, channel: str) -> Principals:
    """What every member of `channel` may see."""
    return principals_of(channels.policy(channel).audiences)


def may_see_all(sources: list[Source], principals: Principals) -> bool:
    return all(can_see(s.audience, principals) for s in sources)


def review_channel(sources: list[Source], asked_in: str, channels: ChannelPolicies, default: str | None) -> str | None:
    """The review channel for an answer with `sources` asked in channel `asked_in`; None if no
    candidate channel may see all of its sources."""
    for channel in _candidates(sources, asked_in, channels, default):
        if may_see_all(sources, readers_of(channels, channel)):
            return channel
    return None


def _candidates(sources: list[Source], asked_in: str, channels: ChannelPolicies, default: str | None) -> Iterator[str]:
    seen: set[str] = set()
    for channel in (*(s.review_channel for s in sources), channels.policy(asked_in).review_channel, default):
        if channel and channel not in seen:
            seen.add(channel)
            yield channel
