"""Markdown (from documents or an LLM) to Slack mrkdwn that can never ping anyone.

The Markdown is parsed by markdown-it-py (CommonMark, plus `~~strikethrough~~`) and the syntax
tree is rendered for Slack: links become `<url|label>`, bold `*…*`, italics `_…_`, headings a
bold line, bullets `•`, quotes `&gt; `. A parser gets nested brackets and parentheses right
(`[form](https://x.example/Mileage_(UK))`), which regular expressions cannot.

Slack parses `<…>` sequences in message text as links and mentions (`<!channel>`, `<@U…>`,
`<!subteam^…>`), and with some clients bare `@channel`/`@here` too. Everything we post comes
from documents or a model, so all text is escaped (`& < >`), only the links we build are
emitted as `<…>`, and a zero-width space goes after any broadcast `@` word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

ZWSP = "\u200b"

_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_WEB_URL = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
# HTML off: tags in answers are text, escaped like any other text.
_PARSER = MarkdownIt("commonmark", {"html": False}).enable("strikethrough")
_MARKS = {"strong": "*", "em": "_", "s": "~"}


def escape(text: str) -> str:
    """Escape the three characters Slack treats as control characters, and defang `@channel`."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub(lambda m: f"@{ZWSP}{m.group(1)}", text)


_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


def person(who: str) -> str:
    """A Slack user id as a mention (`<@U123>`); anything else (a CLI reviewer's name) escaped as text."""
    return f"<@{who}>" if _USER_ID.match(who) else escape(who)


def link(url: str | None, label: str) -> str:
    """`label` linked to `url` (escaped; a bare label when there is no http(s)/mailto url).

    Inside `<url|label>` the first `|` ends the URL and `>` ends the link, so a `|` in the URL is
    percent-encoded and one in the label becomes `¦`; `& < >` are escaped in both.
    """
    label = escape(label).replace("|", "¦")
    if not url or not _WEB_URL.match(url):
        return label
    return f"<{escape(url).replace('|', '%7C')}|{label}>"


def to_mrkdwn(markdown: str) -> str:
    """Convert the answer chain's Markdown to Slack mrkdwn (bold, italics, links, headings, lists, quotes)."""
    return _Renderer(plain=False).blocks(_parse(markdown))


def to_plain(markdown: str, limit: int = 4000) -> str:
    """Notification text for the `text` fallback: markup removed (links as their label), escaped,
    at most `limit` chars."""
    return truncate(_Renderer(plain=True).blocks(_parse(markdown)), limit)


def truncate(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    # never leave half an escape entity (`&am`) or half a link (`<http…`) at the end
    cut = re.sub(r"&[a-z]{0,4}$|<[^>]*$", "", cut)
    return cut.rstrip() + "…"


def _parse(markdown: str) -> list[SyntaxTreeNode]:
    return SyntaxTreeNode(_PARSER.parse(markdown)).children


class _Renderer:
    """Renders markdown-it's syntax tree as mrkdwn, or as plain text (`plain`)."""

    def __init__(self, *, plain: bool) -> None:
        self.plain = plain

    # --- blocks: each returns its text without a trailing newline ------------------------
    def blocks(self, nodes: Sequence[SyntaxTreeNode], separator: str = "\n\n") -> str:
        return separator.join(text for node in nodes if (text := self.block(node)))

    def block(self, node: SyntaxTreeNode) -> str:
        kind = node.type
        if kind == "paragraph":
            return self.inline(node.children)
        if kind == "heading":
            text = self.inline(node.children, marks=False)
            return text if self.plain else f"*{text}*"
        if kind == "blockquote":
            return "\n".join(f"&gt; {line}" if line else "&gt;" for line in self.blocks(node.children).splitlines())
        if kind in ("bullet_list", "ordered_list"):
            return self.list(node)
        if kind in ("code_block", "fence"):
            code = escape(node.content.rstrip("\n"))
            return code if self.plain else f"```\n{code}\n```"
        if kind == "hr":
            return "───"
        return escape(node.content) if node.content else self.blocks(node.children)

    def list(self, node: SyntaxTreeNode) -> str:
        tight = all(p.hidden for item in node.children for p in item.children if p.type == "paragraph")
        start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else None
        items = []
        for i, item in enumerate(node.children):
            marker = f"{start + i}{item.markup} " if start is not None else "• "
            body = self.blocks(item.children, "\n" if tight else "\n\n")
            first, *rest = body.split("\n") if body else [""]
            items.append("\n".join([marker + first, *("    " + line if line else line for line in rest)]))
        return ("\n" if tight else "\n\n").join(items)

    # --- inline ------------------------------------------------------------------------
    def inline(self, nodes: Sequence[SyntaxTreeNode], *, marks: bool = True) -> str:
        return "".join(self.span(node, marks) for node in nodes)

    def span(self, node: SyntaxTreeNode, marks: bool) -> str:
        kind = node.type
        if kind == "inline":
            return self.inline(node.children, marks=marks)
        if kind == "text":
            return escape(node.content)
        if kind in ("softbreak", "hardbreak"):
            return "\n"
        if kind == "code_inline":
            return escape(node.content) if self.plain else f"`{escape(node.content)}`"
        if kind in _MARKS:
            inner = self.inline(node.children, marks=marks)
            return inner if self.plain or not marks or not inner.strip() else f"{_MARKS[kind]}{inner}{_MARKS[kind]}"
        if kind in ("link", "image"):
            label = _text(node) or str(node.attrs.get("src") or node.attrs.get("href") or "")
            return escape(label) if self.plain else link(str(node.attrs.get("href") or node.attrs.get("src") or ""), label)
        return escape(node.content) if node.content else self.inline(node.children, marks=marks)


def _text(node: SyntaxTreeNode) -> str:
    """The unformatted text of a node (a link's label, an image's alt text)."""
    if node.type in ("text", "code_inline"):
        return node.content
    if node.type in ("softbreak", "hardbreak"):
        return " "
    return "".join(_text(child) for child in node.children)
