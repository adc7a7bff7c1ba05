"""The gate in front of Bolt: a request that is not a signed, well-formed Slack request gets a 4xx.

Bolt parses the body before it checks the signature, and raises on bodies it cannot parse
(invalid JSON or UTF-8, deep nesting, a JSON array, an `event` that is a string), which the
server turns into a 500 with a traceback. This gate checks, in order:

1. the signature (Slack's v0 scheme: HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the
   signing secret, timestamp within 5 minutes; https://api.slack.com/authentication/verifying-requests-from-slack),
   computed over the raw bytes so an unsigned request is a 401 whatever its body;
2. the body, parsed exactly as Bolt will parse it (`slack_bolt.request.internals.parse_body`):
   a JSON object with a string `type` (and an object `event`, when present), or a form
   carrying a slash `command` or an interactivity `payload` object;
3. the ids and parts Bolt extracts from every payload (`build_context`, `payload_utils`),
   which raise on fields of the wrong type.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass

from slack_bolt.context import BoltContext
from slack_bolt.request.internals import build_context, parse_body
from slack_bolt.request.payload_utils import (
    to_action,
    to_command,
    to_event,
    to_message,
    to_options,
    to_shortcut,
    to_step,
    to_view,
)

MAX_CLOCK_SKEW_S = 300  # Slack's documented replay window


@dataclass(frozen=True)
class Rejection:
    """Why a request is refused: an HTTP status and a one-line reason (safe to log and return)."""

    status: int
    reason: str


def check(body: bytes, headers: Mapping[str, str], signing_secret: str, now: float | None = None) -> Rejection | None:
    """None when Bolt may handle the request; otherwise the `Rejection` to answer with."""
    if not signature_ok(body, headers, signing_secret, time.time() if now is None else now):
        return Rejection(401, "invalid or missing Slack signature")
    reason = malformed(body, headers.get("content-type"))
    return Rejection(400, reason) if reason else None


def signature_ok(body: bytes, headers: Mapping[str, str], signing_secret: str, now: float) -> bool:
    """Slack's v0 request signature, checked over the raw bytes (non-numeric timestamps fail)."""
    timestamp, signature = headers.get("x-slack-request-timestamp", ""), headers.get("x-slack-signature", "")
    if not timestamp.isascii() or not timestamp.isdigit() or abs(now - int(timestamp)) > MAX_CLOCK_SKEW_S:
        return False
    digest = hmac.new(signing_secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"v0={digest}", signature)


def malformed(body: bytes, content_type: str | None) -> str | None:
    """What is wrong with a (signed) body, or None when it has a shape Bolt can dispatch."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"body is not UTF-8 (byte {exc.start})"
    mime = content_type.split(";")[0].strip() if content_type else None
    try:
        parsed = parse_body(text, mime)
    except RecursionError:
        return "body is nested too deeply"
    except ValueError as exc:  # json.JSONDecodeError included
        return f"body is not valid JSON ({type(exc).__name__})"
    if not isinstance(parsed, dict):
        return f"body is JSON {type(parsed).__name__}, not an object"
    if "command" in parsed or "ssl_check" in parsed:
        return None  # a slash command form
    if not isinstance(parsed.get("type"), str):
        return "not a Slack event, command or interaction (no string `type`)"
    if "event" in parsed and not isinstance(parsed["event"], dict):
        return f"`event` is {type(parsed['event']).__name__}, not an object"
    return _event_error(parsed.get("event")) or _shape_error(parsed)


# Fields our listeners read from these events, which Slack always sends (a message without a
# channel can only be forged by someone holding the signing secret).
_EVENT_FIELDS = {"app_mention": ("channel", "ts"), "message": ("channel", "ts")}


def _event_error(event: object) -> str | None:
    if not isinstance(event, dict):
        return None
    for field in _EVENT_FIELDS.get(str(event.get("type")), ()):
        if not isinstance(event.get(field), str):
            return f"`{event['type']}` event has no string `{field}`"
    return None


# What Bolt extracts from every payload while dispatching it (its kwargs injection).
_EXTRACTORS = (to_options, to_shortcut, to_action, to_view, to_command, to_event, to_message, to_step)


def _shape_error(payload: dict) -> str | None:
    """Bolt reads ids (team, user, channel, ...) and the action/view/event out of every payload
    while dispatching; a field of the wrong type (`"channel": 5`, `"actions": null`) makes that
    raise and Bolt answer 500. Run the same extraction here."""
    try:
        build_context(BoltContext({}), payload)
        for extract in _EXTRACTORS:
            extract(payload)
        # the listener matchers then read the action's `action_id` and the view's `callback_id`
        for part, key in ((to_action(payload), "action_id"), (to_view(payload), "callback_id")):
            if part is not None and not isinstance(part.get(key), str):
                return f"payload has no string `{key}`"
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        return f"payload fields have the wrong shape ({type(exc).__name__}: {exc})"
    return None
