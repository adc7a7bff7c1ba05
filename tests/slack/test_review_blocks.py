"""The review loop's Block Kit stays within Slack's limits (checked by the fake Slack's own rules)."""

from __future__ import annotations

from bot.core.results import Source
from bot.review.gaps import Gap, GapQuestion
from bot.slack.review_blocks import gap_digest, reason_modal, reason_prompt, review_card, verify_modal
from bot.store.reviews import ReviewEvent, ReviewItem
from tests.slack.fake_slack import _invalid_message, _invalid_view


def _sources(n: int) -> list[Source]:
    return [
        Source(n=i, chunk_id=f"chunk-{i}-" + "x" * 60, doc_id=f"d{i}", title="A very long policy title " * 4, section="Section")
        for i in range(1, n + 1)
    ]


def test_cards_prompts_and_digests_are_valid_messages() -> None:
    item = ReviewItem(ref="C1:1.2", question="q? " * 2000, answer="long answer " * 2000, sources=_sources(12))
    item.history = [ReviewEvent(who="U123", action="right"), ReviewEvent(who="alice", action="policy_update", note="n" * 500)]
    card = review_card(item, up=3, down=40, reasons=["Other: " + "r" * 300] * 40)
    gaps = [Gap(topic="pets", people=9, questions=[GapQuestion("C1:1.2", "q" * 3000, "U1", 0.0, "abstained")] * 3)] * 30
    for message in (card, reason_prompt("C1:1.2"), gap_digest(gaps, 7)):
        assert _invalid_message({"text": message.text, "blocks": message.blocks}) is None
    assert "<@U123>" in str(card.blocks) and "<@alice>" not in str(card.blocks)


def test_modals_are_valid_views() -> None:
    item = ReviewItem(ref="C1:1.2", question="q " * 3000, answer="a", sources=_sources(2))
    assert _invalid_view(verify_modal(item, _sources(15))) == []
    assert _invalid_view(verify_modal(item, [])) == []
    assert _invalid_view(reason_modal("C1:1.2")) == []
    bad = {**reason_modal("C1:1.2"), "title": {"type": "plain_text", "text": "A title far too long for a modal"}}
    assert _invalid_view({**bad, "submit": None}) == [
        "[ERROR] title must be 1-24 characters",
        "[ERROR] a view with input blocks needs a submit button",
    ]
