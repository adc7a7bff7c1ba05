"""The review loop's labels that `policybot tune` learns from (real Redis)."""

from __future__ import annotations

from bot.core.results import Source
from bot.store.reviews import ReviewItem
from bot.store.verified import VerifiedAnswer
from bot.tuning.company import review_loop_labels


def test_review_loop_labels_come_from_verified_answers_and_closed_reviews(stores):
    stores.verified.save(
        VerifiedAnswer(questions=["Is a gym covered?", "gym paid?"], answer="Yes. The stipend covers it.", reviewer="U1")
    )
    stores.verified.save(VerifiedAnswer(questions=["Old?"], answer="Old.", reviewer="U1", state="suspended"))
    quote = Source(n=1, chunk_id="c1", doc_id="d", title="t", section="s", source="x", quote="Quote one.\nQuote two.")
    for ref, state in (("C:1", "right"), ("C:2", "not_policy"), ("C:3", "open")):
        stores.reviews.open(ReviewItem(ref=ref, question=f"question {ref}", answer="a", sources=[quote]))
        if state != "open":
            stores.reviews.act(ref, "right" if state == "right" else "not_policy", "U2")
    labels = {(item.question, tuple(item.answers) if item.answers is not None else None) for item in review_loop_labels(stores)}
    assert labels == {
        ("Is a gym covered?", ("Yes.", "The stipend covers it.")),
        ("gym paid?", ("Yes.", "The stipend covers it.")),
        ("question C:1", ("Quote one.", "Quote two.")),
        ("question C:2", None),
    }
