"""Markdown (from documents or an LLM) to Slack mrkdwn that can never ping anyone.

Slack parses `<…>` sequences in message text as links and mentions (`<!channel>`, `<@U…>`,
`<!subteam^…>`), and with some clients bare `@channel`/`@here` too. Everything we post comes
from documents or a model, so we escape `& < >` first, then re-create only the links we built
ourselves, and put a zero-width space after any broadcast `@` word.
"""

from __future__ import annotations

import re

ZWSP = "\u200b"

_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_LINK = re.compile(r"\[([^\]\n]+)\]\(((?:https?://|mailto:)[^)\s]+)\)")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_BULLET = re.compile(r"^(\s*)[*+-]\s+", re.MULTILINE)
_BOLD_MARK = "\x00"  # stands in for a converted bold `*` so the italic pass leaves it alone


def escape(text: str) -> str:
    """Escape the three characters Slack treats as control characters, and defang `@channel`."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub(lambda m: f"@{ZWSP}{m.group(1)}", text)


def link(url: str | None, label: str) -> str:
    """`label` linked to `url` (escaped; a bare label when there is no http(s) url)."""
    label = escape(label).replace("|", "¦")
    if not url or not re.match(r"^(https?://|mailto:)", url):
        return label
    return f"<{escape(url).replace('|', '%7C')}|{label}>"


def to_mrkdwn(markdown: str) -> str:
    """Convert the answer chain's markdown to Slack mrkdwn (bold, italics, links, headings, bullets)."""
    links: list[str] = []

    def keep_link(m: re.Match[str]) -> str:
        links.append(link(m.group(2), m.group(1)))
        return f"\x01{len(links) - 1}\x01"

    text = _LINK.sub(keep_link, markdown)
    text = escape(text)
    text = _HEADING.sub(lambda m: f"{_BOLD_MARK}{_strip_bold(m.group(1))}{_BOLD_MARK}", text)
    text = _BULLET.sub(lambda m: f"{m.group(1)}• ", text)
    text = _BOLD.sub(lambda m: f"{_BOLD_MARK}{m.group(2)}{_BOLD_MARK}", text)
    text = _ITALIC.sub(lambda m: f"_{m.group(1)}_", text)
    text = text.replace(_BOLD_MARK, "*")
    return re.sub("\x01(\\d+)\x01", lambda m: links[int(m.group(1))], text)


def to_plain(markdown: str, limit: int = 4000) -> str:
    """Notification text for the `text` fallback: markup removed, escaped, at most `limit` chars."""
    text = _LINK.sub(lambda m: m.group(1), markdown)
    text = _HEADING.sub(lambda m: m.group(1), text)
    text = _BOLD.sub(lambda m: m.group(2), text)
    return truncate(escape(text), limit)


def truncate(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    # never leave half an escape entity (`&am`) or half a link (`<http…`) at the end
    cut = re.sub(r"&[a-z]{0,4}$|<[^>]*$", "", cut)
    return cut.rstrip() + "…"


def _strip_bold(text: str) -> str:
    return _BOLD.sub(lambda m: m.group(2), text)
