"""Question hygiene before anything else sees it: control characters, Slack markup, length."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SPECIAL = re.compile(r"<!(channel|here|everyone)(\|[^>]*)?>", re.IGNORECASE)
_SUBTEAM = re.compile(r"<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>", re.IGNORECASE)
_USER = re.compile(r"<[@#]([A-Z0-9]+)(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>", re.IGNORECASE)
_OTHER = re.compile(r"<!([^>]*)>")
_SPACES = re.compile(r"\s+")


def sanitize_question(text: str, max_chars: int) -> tuple[str, bool]:
    """(clean text, was it truncated): plain text, no pings, no links with hidden targets."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _CONTROL.sub(" ", text)
    text = _SPECIAL.sub(lambda m: m.group(1).lower(), text)
    text = _SUBTEAM.sub(lambda m: (m.group(1) or "a group").lstrip("@"), text)
    text = _USER.sub(lambda m: m.group(2) or "someone", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _OTHER.sub(lambda m: m.group(1).split("|")[-1], text)
    text = _SPACES.sub(" ", text).strip()
    if len(text) > max_chars:
        return text[:max_chars].rsplit(" ", 1)[0], True
    return text, False
