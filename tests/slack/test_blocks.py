"""The pure Block Kit builders stay within Slack's limits and say what they should."""

import json

from bot.core.results import AnswerResult, Source
from bot.slack import ids
from bot.slack.blocks import (
    MAX_BLOCKS,
    MAX_SECTION_CHARS,
    RATING_HINT,
    answer_message,
    citations_message,
    home_view,
    sections,
)


def _source(n: int = 1, **kw) -> Source:
    base = dict(
        n=n,
        chunk_id=f"c{n}",
        doc_id=f"d{n}",
        title="Annual Leave Policy",
        section="3.1 Standard allowance",
        url="https://intranet.example/leave",
        effective_date="2026-01-01",
        review_by="2027-01-01",
        owner="People Ops",
        owner_channel="#ask-people-ops",
        quote="Full-time employees accrue 25 days.",
    )
    return Source(**(base | kw))


def _texts(blocks: list[dict]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def _section_texts(blocks: list[dict]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


def test_answer_has_sources_button_and_rating() -> None:
    result = AnswerResult(question="q", answer="You accrue **25 days** [1].", sources=[_source()])
    msg = answer_message(result, fallback_channel="#ask-people-ops")
    assert msg.blocks[0]["text"]["text"] == "You accrue *25 days* [1]."
    assert "[1] <https://intranet.example/leave|Annual Leave Policy › 3.1 Standard allowance> — effective 2026-01-01" in _texts(
        msg.blocks
    )
    actions = [b for b in msg.blocks if b["type"] == "actions"]
    assert actions[0]["elements"][0]["action_id"] == ids.SOURCES_BUTTON
    assert msg.blocks[-1]["elements"][0]["text"] == RATING_HINT
    assert msg.text == "You accrue 25 days [1]."


def test_overdue_policy_gets_a_review_note_once_per_document() -> None:
    sources = [_source(1, overdue=True, review_by="2025-01-01"), _source(2, overdue=True, review_by="2025-01-01", doc_id="d1")]
    msg = answer_message(AnswerResult(question="q", answer="a", sources=sources), fallback_channel="#x")
    notes = [b for b in msg.blocks if "was due for review" in _texts([b])]
    assert len(notes) == 1
    assert "⚠️ Annual Leave Policy was due for review on 2025-01-01; check with #ask-people-ops" in _texts(notes)


def test_abstention_says_where_to_ask_without_sources() -> None:
    result = AnswerResult(
        question="q",
        answer="I couldn't find this.",
        kind="abstain",
        abstained=True,
        ask_instead="#ask-people-ops",
        sources=[_source()],
    )
    msg = answer_message(result, fallback_channel="#x")
    text = _texts(msg.blocks)
    assert "Ask in #ask-people-ops" in text and "Sources" not in text
    assert RATING_HINT in text


def test_greeting_has_no_rating_line() -> None:
    msg = answer_message(AnswerResult(question="hi", answer="Hello!", kind="greeting"), fallback_channel="#x")
    assert RATING_HINT not in _texts(msg.blocks)


def test_huge_answer_fits_slack_limits() -> None:
    answer = "\n\n".join(f"Paragraph {i} " + "x" * 2500 for i in range(80)) + "\n" + "y" * 7000
    result = AnswerResult(question="q", answer=answer, sources=[_source(n) for n in range(1, 7)])
    msg = answer_message(result, fallback_channel="#x")
    assert len(msg.blocks) <= MAX_BLOCKS
    assert all(len(t) <= MAX_SECTION_CHARS for t in _section_texts(msg.blocks))
    assert len(msg.text) <= 4000
    assert msg.blocks[-1]["elements"][0]["text"] == RATING_HINT  # the tail survives truncation
    assert any(b["type"] == "actions" for b in msg.blocks)


def test_sections_split_at_lines_and_hard_split_long_lines() -> None:
    text = "a" * 2000 + "\n" + "b" * 2000 + "\n" + "c" * 7000
    blocks = sections(text)
    assert all(len(t) <= MAX_SECTION_CHARS for t in _section_texts(blocks))
    assert "".join(t.replace("\n", "") for t in _section_texts(blocks)) == text.replace("\n", "")


def test_citations_show_quote_owner_dates_and_escape() -> None:
    msg = citations_message([_source(quote="<!channel> accrue 25 days\nsecond line", overdue=True)], heading="Sources")
    text = _texts(msg.blocks)
    assert "&gt; &lt;!channel&gt; accrue 25 days" in text and "&gt; second line" in text
    assert "Owner: People Ops (#ask-people-ops)" in text
    assert "Effective 2026-01-01" in text and "Review by 2027-01-01 ⚠️ overdue" in text
    assert "<!channel>" not in text


def test_many_citations_fit() -> None:
    msg = citations_message([_source(n, quote="q " * 2000) for n in range(1, 80)], heading="Sources")
    assert len(msg.blocks) <= MAX_BLOCKS
    assert all(len(t) <= MAX_SECTION_CHARS for t in _section_texts(msg.blocks))


def test_home_view_is_a_home_view() -> None:
    view = home_view()
    assert view["type"] == "home" and view["callback_id"] == ids.HOME_VIEW
    assert ids.SOURCES_COMMAND in _texts(view["blocks"])
