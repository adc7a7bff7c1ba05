"""Pure Block Kit builders: data in, Slack message payloads out (no I/O, easy to unit test).

Slack rejects a message with more than 50 blocks or a section text over 3000 characters
(`invalid_blocks`), and truncates notification text; every builder here stays within those limits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.results import AnswerResult, RelatedVerified, Source
from bot.slack import ids
from bot.slack.mrkdwn import escape, link, person, to_mrkdwn, to_plain, truncate

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_TEXT_CHARS = 4000
MAX_CONTEXT_CHARS = 2000  # a context element's text limit

RATING_HINT = "React with 👍 or 👎 to rate this answer"
HANDOFF_LABEL = "Still need help?"
RELATED_LABEL = "Show the verified answer"
CONFIRM_LABEL = "It answers my question"
RELATED_GONE = "That verified answer is no longer available (a reviewer or an ingest changed it)."
NOT_ANSWERED_YET = "I haven't answered you in this channel yet."
SOURCES_GONE = "I can't find the sources of that answer any more (answers are kept for a limited time)."
SOURCES_HIDDEN = "{n} of the sources of that answer are limited to an audience you're not in, so I can't show them."
SOURCES_REFUSED = "The sources of that answer are limited to an audience you're not in, so I can't show them."


@dataclass(frozen=True)
class Message:
    """A postable message: notification `text` plus `blocks`."""

    text: str
    blocks: list[dict] = field(default_factory=list)


def sections(mrkdwn: str) -> list[dict]:
    """`mrkdwn` as section blocks of at most 3000 characters, split at paragraph or line breaks."""
    chunks: list[str] = []
    current = ""
    for line in mrkdwn.splitlines(keepends=True):
        while len(line) > MAX_SECTION_CHARS:  # one very long line: hard split
            chunks += [current, line[:MAX_SECTION_CHARS]]
            current, line = "", line[MAX_SECTION_CHARS:]
        if len(current) + len(line) > MAX_SECTION_CHARS:
            chunks.append(current)
            current = ""
        current += line
    chunks.append(current)
    return [_section(c.strip("\n")) for c in chunks if c.strip()]


def fit(blocks: list[dict], tail: Sequence[dict] = ()) -> list[dict]:
    """`blocks` followed by `tail`, dropping body blocks (with a "…" note) to stay within 50."""
    room = MAX_BLOCKS - len(tail)
    if len(blocks) > room:
        blocks = [*blocks[: room - 1], _context("…the answer was too long for one Slack message.")]
    return blocks + list(tail)


def answer_message(
    result: AnswerResult, *, fallback_channel: str, contacts: str | None = None, asked_in: str | None = None
) -> Message:
    """The answer, its numbered sources, review warnings, a Sources button and the rating hint.

    `contacts`: confidential contacts appended after the answer (sensitive questions);
    `asked_in`: the channel id a privately delivered answer was asked in (a context line on top).
    """
    body = sections(to_mrkdwn(result.answer))
    if result.verified_by:
        body.append(_badge(result))
    if asked_in:
        body.insert(0, _context(f"You asked in <#{asked_in}>. Only you can see this answer."))
    if contacts:
        body.extend(sections(f"*If you'd like to talk to someone confidentially:* {escape(contacts)}"))
    tail: list[dict] = []
    if result.abstained and result.ask_instead:
        tail.append(_context(f"Not sure? Ask in {escape(result.ask_instead)}"))
    if result.sources and not result.abstained:
        tail.append({"type": "divider"})
        tail.extend(sections("*Sources*\n" + "\n".join(source_line(s) for s in result.sources)))
        tail.extend(_context(overdue_note(s, fallback_channel)) for s in _unique_docs(result.overdue_sources))
        if result.restricted:
            tail.append(_context("🔒 This answer cites a policy with a limited audience — please don't forward it."))
        tail.append(sources_button())
    if result.related:
        tail.append(_context(related_note(result.related)))
        _add_button(tail, related_button())
    if result.kind in ("answer", "abstain"):
        _add_button(tail, handoff_button())
        tail.append(_context(RATING_HINT))
    text = result.answer + (f"\n\nIf you'd like to talk to someone confidentially: {contacts}" if contacts else "")
    return Message(text=to_plain(text, MAX_TEXT_CHARS), blocks=fit(body, tail))


def source_title(source: Source) -> str:
    return f"{source.title} › {source.section}" if source.section else source.title


def source_line(source: Source) -> str:
    """`[1] Title › Section — effective 2026-01-01`, the title linked to the document."""
    line = f"[{source.n}] {link(source.url, source_title(source))}"
    return line + (f" — effective {escape(source.effective_date)}" if source.effective_date else "")


def overdue_note(source: Source, fallback_channel: str) -> str:
    who = source.owner_channel or source.owner or fallback_channel
    return f"⚠️ {escape(source.title)} was due for review on {escape(source.review_by or 'an earlier date')}; check with {escape(who)}"


def sources_button() -> dict:
    return {"type": "actions", "elements": [button(ids.SOURCES_BUTTON, "Sources", "sources")]}


def handoff_button() -> dict:
    """ "Still need help?": hands the question to the owning team (bot/slack/handoff.py)."""
    return button(ids.HANDOFF_BUTTON, HANDOFF_LABEL, "handoff")


def button(action_id: str, label: str, value: str, style: str | None = None) -> dict:
    """A button element (`style`: "primary" or "danger", else Slack's default)."""
    element = {"type": "button", "action_id": action_id, "text": {"type": "plain_text", "text": label}, "value": value}
    return {**element, "style": style} if style else element


def related_note(related: RelatedVerified) -> str:
    """The line offering a reviewer's verified answer to a similar question (named, so the reader can judge)."""
    question = truncate(escape(related.question), 300)
    return f"✅ {person(related.verified_by)} verified the answer to a similar question: “{question}”"


def related_button() -> dict:
    """ "Show the verified answer": posts it to the clicker only (bot/slack/related.py)."""
    return button(ids.RELATED_BUTTON, RELATED_LABEL, "related")


def verified_message(result: AnswerResult, *, confirm: str | None = None) -> Message:
    """A verified answer shown on request (ephemeral): its text, the badge and its numbered sources; with
    `confirm` (the asker's answer ref), an "It answers my question" button (bot/review/paraphrases.py)."""
    body = sections(to_mrkdwn(result.answer))
    body.append(_badge(result))
    if result.sources:
        body.extend(sections("*Sources*\n" + "\n".join(source_line(s) for s in result.sources)))
    tail = [{"type": "actions", "elements": [button(ids.RELATED_CONFIRM, CONFIRM_LABEL, confirm)]}] if confirm else []
    return Message(text=to_plain(result.answer, MAX_TEXT_CHARS), blocks=fit(body, tail))


def _badge(result: AnswerResult) -> dict:
    return _context(f"✅ Verified by {person(result.verified_by or '')} on {escape(result.verified_on or '')}")


def _add_button(tail: list[dict], button: dict) -> None:
    """Put `button` in the actions block ending `tail`, or in a new one."""
    if tail and tail[-1]["type"] == "actions":
        tail[-1]["elements"].append(button)
    else:
        tail.append({"type": "actions", "elements": [button]})


def citations_message(sources: Sequence[Source], *, heading: str) -> Message:
    """Full citations (quote, owner, dates, link), one section each, for an ephemeral reply."""
    blocks = [_section(f"*{escape(heading)}*")]
    blocks += [b for s in sources for b in sections(citation(s))]
    text = f"{heading}: " + "; ".join(source_title(s) for s in sources)
    return Message(text=truncate(escape(text), MAX_TEXT_CHARS), blocks=fit(blocks))


def citation(source: Source) -> str:
    lines = [f"*[{source.n}] {link(source.url, source_title(source))}*"]
    if source.quote:
        lines += [f"&gt; {line}" for line in escape(source.quote).splitlines() if line.strip()]
    facts = []
    if source.owner or source.owner_channel:
        facts.append(
            "Owner: " + escape(" ".join(x for x in (source.owner, source.owner_channel and f"({source.owner_channel})") if x))
        )
    if source.effective_date:
        facts.append(f"Effective {escape(source.effective_date)}")
    if source.review_by:
        facts.append(f"Review by {escape(source.review_by)}" + (" ⚠️ overdue" if source.overdue else ""))
    if facts:
        lines.append(" · ".join(facts))
    return "\n".join(lines)


def text_message(text: str) -> Message:
    """A one-paragraph plain message (apologies, notices)."""
    return Message(text=truncate(escape(text), MAX_TEXT_CHARS), blocks=sections(escape(text)))


def home_view() -> dict:
    """The App Home tab: what the bot does and how to use it."""
    how_to = (
        "*How to ask*\n"
        "• Mention me in a channel: `@policybot how much parental leave do I get?` — I answer in a thread.\n"
        "• Send me a direct message, or open me from the assistant panel.\n"
        "• Reply in my thread to ask a follow-up; I read the thread.\n"
        f"• `{ids.SOURCES_COMMAND}` shows the full sources of my last answer to you in a channel; "
        f"`{ids.SOURCES_COMMAND} expenses` lists the policy sections matching a topic."
    )
    rating = f"*Help me improve*\n{RATING_HINT}. People Ops reviews the 👎 answers."
    return {
        "type": "home",
        "callback_id": ids.HOME_VIEW,
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Policy answers, with citations"}},
            _section(
                "I answer questions about company policies from the published policy documents and "
                "cite the clauses I used. When I'm not sure, I say so and tell you where to ask."
            ),
            {"type": "divider"},
            _section(how_to),
            _section(rating),
        ],
    }


def _unique_docs(sources: Sequence[Source]) -> list[Source]:
    seen: dict[str, Source] = {}
    for s in sources:
        seen.setdefault(s.doc_id, s)
    return list(seen.values())


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, MAX_SECTION_CHARS)}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(text, MAX_CONTEXT_CHARS)}]}
