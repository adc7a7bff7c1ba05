"""Pure Block Kit builders of the review loop: the 👎 reason prompt and modal, review cards, and
the "Write the correct answer" modal. Data in, payloads out; Slack's limits respected (a modal
title is at most 24 characters, a button's text 75, an option's text 75, a checkbox group 10 options).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.core.results import Source
from bot.slack import ids
from bot.slack.blocks import Message, _context, button, fit, sections, source_line, source_title
from bot.slack.mrkdwn import escape, person, to_mrkdwn, truncate
from bot.store.reasons import REASONS
from bot.store.reviews import ReviewItem

if TYPE_CHECKING:  # clustering's libraries (scikit-learn): not in the web tier, which only builds modals
    from bot.review.gaps import Gap

ANSWER_MISSING = "Write the answer people should get."
VERIFY_TITLE = "Correct answer"  # the "Write the correct answer" modal's title
REASON_QUESTION = "Thanks for the 👎 — what was wrong with this answer?"
REASON_THANKS = "Thanks — noted: {label}. The policy owners will review this answer."
PARAPHRASE_LABEL = "Add as a paraphrase"
MAX_OPTIONS = 10  # checkboxes element limit
MAX_OPTION_CHARS = 75
MAX_REASON_CHARS = 500
MAX_ANSWER_CHARS = 2900  # a verified answer must fit one section of the answer message
MAX_DIGEST_GAPS = 20  # 2 blocks each, within a message's 50
CARD_ANSWER_CHARS = 1500  # the card quotes the answer; the full text is in `policybot review show`

STATE_LINES = {
    "open": "🟠 Open — waiting for a reviewer",
    "right": "✅ Closed — the answer is right",
    "verified": "✅ Closed — a verified answer was written",
    "policy_update": "📝 Policy needs an update — the document's owners were told",
    "not_policy": "🚫 Closed — not a policy question",
    "suspended": "⏸️ Verified answer suspended — a source document changed",
}
ACTION_WORDS = {
    "right": "said the answer is right",
    "verify": "wrote the correct answer",
    "policy_update": "asked for a policy update",
    "not_policy": "marked it not a policy question",
    "suspend": "suspended the verified answer",
}


def reason_prompt(answer_ref: str) -> Message:
    """The ephemeral "why the 👎?" prompt: one button per reason, each carrying the answer's ref."""
    buttons = [
        {
            "type": "button",
            "action_id": ids.REASON_ACTION_PREFIX + code,
            "text": {"type": "plain_text", "text": label},
            "value": answer_ref,
        }
        for code, label in REASONS.items()
    ]
    return Message(text=REASON_QUESTION, blocks=[*sections(REASON_QUESTION), {"type": "actions", "elements": buttons}])


def reason_thanks(label: str) -> Message:
    text = REASON_THANKS.format(label=label)
    return Message(text=text, blocks=sections(escape(text)))


def reason_modal(answer_ref: str) -> dict:
    """The "Other…" modal: one free-text field; `private_metadata` is the answer's ref."""
    return {
        "type": "modal",
        "callback_id": ids.REASON_MODAL,
        "private_metadata": answer_ref,
        "title": {"type": "plain_text", "text": "Why the 👎?"},
        "submit": {"type": "plain_text", "text": "Send"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": "reason",
                "label": {"type": "plain_text", "text": "What was wrong with the answer?"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "text",
                    "multiline": True,
                    "max_length": MAX_REASON_CHARS,
                },
            }
        ],
    }


def review_card(item: ReviewItem, *, up: int, down: int, reasons: Sequence[str], owner_note: str = "") -> Message:
    """The card in a review channel: question, answer, sources, votes and reasons, state and who did
    what when, and the four review buttons (value: the answer's ref). State and buttons always
    show; a very long body loses its last blocks first."""
    head = "Abstained" if item.kind == "abstain" else "Answer"
    body = sections(f"*👎 on an answer — review needed*\n*Question:* {escape(item.question)}")
    body += sections(f"*{head}:*\n{truncate(to_mrkdwn(item.answer), CARD_ANSWER_CHARS)}")
    if item.sources:
        body += sections("*Sources*\n" + "\n".join(source_line(s) for s in item.sources))
    votes = f"👍 {up} · 👎 {down}"
    if reasons:
        votes += " — " + "; ".join(escape(r) for r in reasons)
    body.append(_context(votes))
    if owner_note:
        body.append(_context(escape(owner_note)))
    status = [STATE_LINES[item.state]] + [
        f"{person(e.who)} {ACTION_WORDS[e.action]} on {_day(e.at)}" + (f": {escape(e.note)}" if e.note else "")
        for e in item.history[-5:]
    ]
    tail = [_context("\n".join(status)), {"type": "actions", "block_id": "review", "elements": _review_buttons(item.ref)}]
    return Message(text=f"Review needed: {truncate(item.question, 150)}", blocks=fit(body, tail))


def _review_buttons(answer_ref: str) -> list[dict]:
    labels = (
        (ids.REVIEW_RIGHT, "Answer is right", None),
        (ids.REVIEW_WRITE, "Write the correct answer", "primary"),
        (ids.REVIEW_POLICY_UPDATE, "Policy needs an update", None),
        (ids.REVIEW_NOT_POLICY, "Not a policy question", None),
    )
    return [button(action_id, label, answer_ref, style) for action_id, label, style in labels]


def verify_modal(item: ReviewItem, choices: Sequence[Source]) -> dict:
    """ "Write the correct answer": the answer text and the policy sections it rests on (checkboxes,
    from the search results the reviewer may see; those the answer cited are ticked)."""
    options = [_option(s) for s in choices[:MAX_OPTIONS]]
    cited = {s.chunk_id for s in item.sources}
    initial = [o for o, s in zip(options, choices, strict=False) if s.chunk_id in cited]
    blocks: list[dict] = [
        *sections(f"*Question:* {escape(item.question)}"),
        {
            "type": "input",
            "block_id": "answer",
            "label": {"type": "plain_text", "text": "The correct answer"},
            "element": {"type": "plain_text_input", "action_id": "text", "multiline": True, "max_length": MAX_ANSWER_CHARS},
        },
    ]
    if options:
        checkboxes = {"type": "checkboxes", "action_id": "chunks", "options": options}
        if initial:
            checkboxes["initial_options"] = initial
        blocks.append(
            {
                "type": "input",
                "block_id": "sources",
                "label": {"type": "plain_text", "text": "Policy sections it rests on"},
                "element": checkboxes,
            }
        )
    return {
        "type": "modal",
        "callback_id": ids.VERIFY_MODAL,
        "private_metadata": item.ref,
        "title": {"type": "plain_text", "text": VERIFY_TITLE},
        "submit": {"type": "plain_text", "text": "Verify"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def gap_digest(gaps: Sequence[Gap], days: float) -> Message:
    """The knowledge-gap digest: per gap, how many people asked, sample questions (masked), and
    buttons to write a verified answer or mark it out of scope (value: a representative answer's ref)."""
    period = f"the last {days:g} day{'s' * (days != 1)}"
    blocks = sections(f"*Knowledge gaps — {period}*\nQuestions no policy answered, grouped by topic.")
    for i, gap in enumerate(gaps[:MAX_DIGEST_GAPS]):
        who = f"{gap.people} {'person' if gap.people == 1 else 'people'}"
        samples = "\n".join(f"&gt; {escape(q)}" for q in gap.samples)
        blocks += sections(f"*{who}* asked about *{escape(gap.topic)}* in {period}; no policy covers it.\n{samples}")
        ref = gap.representative.ref
        blocks.append(
            {
                "type": "actions",
                "block_id": f"gap-{i}",
                "elements": [
                    button(ids.REVIEW_WRITE, "Write a verified answer", ref, "primary"),
                    button(ids.REVIEW_NOT_POLICY, "Out of scope", ref),
                ],
            }
        )
    text = f"Knowledge gaps: {len(gaps)} topic{'s' * (len(gaps) != 1)} no policy covers ({period})"
    return Message(text=text, blocks=fit(blocks))


def _option(source: Source) -> dict:
    return {"text": {"type": "plain_text", "text": truncate(source_title(source), MAX_OPTION_CHARS)}, "value": source.chunk_id}


def _day(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d")


def notice_modal(title: str, text: str) -> dict:
    """A modal that only says something (no submit): "looking that up…" while a job fills the real
    modal in (`views.update`), or why the reviewer can't act. `title` at most 24 characters."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title[:24]},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": sections(escape(text)),
    }


def verify_errors(view: dict) -> dict[str, str]:
    """The modal's field errors as Slack shows them (`response_action: errors`); empty when valid."""
    text = (view["state"]["values"].get("answer", {}).get("text", {}).get("value") or "").strip()
    return {} if text else {"answer": ANSWER_MISSING}


def suggestion_message(verified_question: str, question: str, value: str) -> Message:
    """To the reviewers: an asker says a verified answer answers their (differently worded) question, with an
    "Add as a paraphrase" button (`value`: "verified id|suggestion key")."""
    text = f"💡 Someone who asked “{question}” says the verified answer to “{verified_question}” answers it."
    blocks = [
        *sections(escape(text)),
        _context("Added as a paraphrase, that question gets the verified answer directly from now on."),
        {"type": "actions", "elements": [button(ids.PARAPHRASE_ACCEPT, PARAPHRASE_LABEL, value, "primary")]},
    ]
    return Message(text=truncate(escape(text), 3000), blocks=fit(blocks))


def paraphrase_added(reviewer: str, verified_question: str, question: str) -> Message:
    """The suggestion, updated in place once a reviewer accepted it."""
    text = f"✅ {person(reviewer)} added “{escape(question)}” as a paraphrase of “{escape(verified_question)}”."
    return Message(text=truncate(text, 3000), blocks=sections(text))
