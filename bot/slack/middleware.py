"""Global Bolt middleware: handle each Slack event at most once across all app processes."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import BoltResponse

from bot.slack.deps import SlackDeps

log = logging.getLogger(__name__)


def claim_events(deps: SlackDeps) -> Callable[..., BoltResponse | None]:
    """Claim `event_id` in Redis before any listener runs; a duplicate is acked and dropped.

    Slack retries (`X-Slack-Retry-Num`) reuse the event id, so a retry of an event another
    process is handling, or has answered, stops here; a retry of an event whose claim was
    released (nothing was posted) is claimed again and answered.
    """

    def claim(body: dict, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        event_id = body.get("event_id")
        if not event_id or deps.stores.claims.claim(event_id):
            return next()
        log.info("event %s already claimed; dropped", event_id)
        return BoltResponse(status=200, body="")

    return claim
