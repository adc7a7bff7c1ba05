"""`SlackQuestion` as JSON, the form a question travels in from the web tier to a worker.

JSON (not pickle) so any worker version can read it and nothing executable crosses the broker.
"""

from __future__ import annotations

import dataclasses

from bot.core.channels import ChannelPolicy
from bot.slack.request import SlackQuestion


def question_to_json(req: SlackQuestion) -> dict:
    """A JSON-serialisable dict of `req` (its channel policy included)."""
    return {**dataclasses.asdict(req), "policy": req.policy.model_dump(mode="json")}


def question_from_json(data: dict) -> SlackQuestion:
    """The `SlackQuestion` back from `question_to_json`; raises TypeError / ValidationError on a bad payload."""
    return SlackQuestion(**{**data, "policy": ChannelPolicy.model_validate(data["policy"])})
