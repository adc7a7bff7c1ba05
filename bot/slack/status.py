"""Show that the bot is working on a question, and stop showing it when done.

In channels and DMs that is a 👀 reaction on the question; in the assistant panel it is the
thread status ("is looking through the policies…"). Both are best-effort: failing to show
progress must never stop the answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import TracebackType

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack import ids

log = logging.getLogger(__name__)


class WorkingIndicator:
    """A context manager: 👀 on enter, removed on exit; or the assistant status when given."""

    def __init__(self, client: WebClient, channel: str, ts: str, set_status: Callable[[str], object] | None = None):
        self._client, self._channel, self._ts = client, channel, ts
        self._set_status = set_status
        self._reacted = False

    def __enter__(self) -> WorkingIndicator:
        if self._set_status is not None and _try(self._set_status, ids.ASSISTANT_STATUS):
            return self
        self._set_status = None  # not an assistant thread after all: fall back to the reaction
        self._reacted = _try(
            self._client.reactions_add, channel=self._channel, timestamp=self._ts, name=ids.EYES, ok_errors=("already_reacted",)
        )  # already there: an earlier run of this job died before taking it off, so take it off now
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._set_status is not None:
            _try(self._set_status, "")
        elif self._reacted:
            _try(self._client.reactions_remove, channel=self._channel, timestamp=self._ts, name=ids.EYES)


def clear_eyes(client: WebClient, channel: str, ts: str) -> None:
    """Take the 👀 off a question, if it is there (best-effort)."""
    _try(client.reactions_remove, channel=channel, timestamp=ts, name=ids.EYES, ok_errors=("no_reaction",))


def _try(call: Callable[..., object], *args: object, ok_errors: tuple[str, ...] = (), **kwargs: object) -> bool:
    """Call; False (logged) on a Slack or network error, except Slack errors in `ok_errors`."""
    try:
        call(*args, **kwargs)
        return True
    except (SlackApiError, OSError) as exc:
        if isinstance(exc, SlackApiError) and exc.response.get("error") in ok_errors:
            return True
        error = exc.response.get("error") if isinstance(exc, SlackApiError) else exc
        log.warning("progress indicator %s failed: %s", getattr(call, "__name__", call), error)
        return False
