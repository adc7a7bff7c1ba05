"""Cleans a Slack question before it is searched, sent to an LLM, logged or echoed back.

Slack control sequences become plain words (`<@U123|maria>` -> "maria", `<http://x|label>` -> "label") or
go (`<!channel>`, `<!here>`, `<!subteam^S1|@people-ops>`: they address people, not the bot, and ask
nothing), so that a question quoted in an answer can never ping a channel or smuggle a disguised link,
and its confidence is not judged on a ping's words; invisible and control characters are dropped so
logs and prompts see what the person saw.
"""

from __future__ import annotations

import html
import re
import unicodedata

# <!here>, <!channel>, <!everyone>, <!subteam^S123|@team>, <!date^...|fallback>
_SPECIAL = re.compile(r"<!([a-z]+)(?:\^[^|>]*)?(?:\|([^>]*))?>", re.IGNORECASE)
# <@U123>, <@U123|name>, <#C123|general>
_MENTION = re.compile(r"<([@#])[A-Z0-9]+(?:\|([^>]*))?>", re.IGNORECASE)
# <https://x>, <https://x|label>, <mailto:a@b.c|a@b.c>
_LINK = re.compile(r"<((?:https?|mailto|ftp|tel):[^|>\s]*)(?:\|([^>]*))?>", re.IGNORECASE)
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_SIGILS = "@#!"
_BROADCASTS = frozenset({"channel", "here", "everyone", "subteam"})  # pings; <!date^…|fallback> keeps its text


def _plain_special(m: re.Match[str]) -> str:
    if m.group(1).lower() in _BROADCASTS:
        return ""
    label = (m.group(2) or "").lstrip(_SIGILS)
    return label or m.group(1).lower()


def _plain_mention(m: re.Match[str]) -> str:
    label = (m.group(2) or "").lstrip(_SIGILS)
    if m.group(1) == "#":
        return f"#{label}" if label else "a channel"
    return label or "a colleague"


def _plain_link(m: re.Match[str]) -> str:
    return (m.group(2) or "").strip() or m.group(1)


def sanitize_question(text: str, max_chars: int) -> tuple[str, bool]:
    """Return the cleaned question and whether it had to be cut to `max_chars`.

    A long message (a pasted email, a log) usually ends with the actual question, so the cut keeps
    the last `max_chars` characters, starting at a word boundary when one is near.
    """
    text = unicodedata.normalize("NFKC", text)  # first, so full-width "＜!channel＞" is caught too
    text = html.unescape(text)  # Slack sends &lt; &gt; &amp;
    text = _SPECIAL.sub(_plain_special, text)
    text = _MENTION.sub(_plain_mention, text)
    text = _LINK.sub(_plain_link, text)
    text = "".join(" " if ch.isspace() else ch for ch in text if ch.isspace() or unicodedata.category(ch) not in _INVISIBLE)
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text, False
    cut = text[-max_chars:]
    space = cut.find(" ")
    if 0 <= space <= max_chars * 0.2:  # start on a word boundary when one is near
        cut = cut[space + 1 :]
    return cut.lstrip(), True
