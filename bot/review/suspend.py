"""Suspend verified answers whose documents changed under them (run after every ingest)."""

from __future__ import annotations

from bot.store.stores import Stores
from bot.store.verified import VerifiedAnswer, stale_reason


def suspend_stale(stores: Stores, registry_docs: dict[str, dict]) -> list[VerifiedAnswer]:
    """Suspend each active verified answer resting on a document that was changed, superseded or
    deleted since it was verified (`registry_docs`: the ingest registry's documents); the newly
    suspended answers, each with its `suspended_reason`."""
    suspended = []
    for answer in stores.verified.all():
        if answer.state == "active" and (reason := stale_reason(answer, registry_docs)):
            answer.state, answer.suspended_reason = "suspended", reason
            stores.verified.save(answer)
            suspended.append(answer)
    return suspended
