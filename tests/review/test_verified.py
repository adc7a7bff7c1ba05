"""Verified-answer lookup with the real model and Redis: a rewording hits, a neighbouring question
does not, an asker outside the audience is not served, suspended answers are not served, and a
change made by another process is seen at once (the version counter). Over a real index: a freely
worded paraphrase the cosine alone misses is served once its own search confirms it, and a question
about the neighbouring section, more similar by cosine, is not."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.core.principals import principals_of
from bot.retrieval.embeddings import load_embeddings
from bot.review.suspend import suspend_stale
from bot.review.verified import VerifiedLookup
from bot.store.stores import Stores
from bot.store.verified import VerifiedAnswer
from tests.review.conftest import COMP, LEAVE

QUESTION = "How many days of annual leave do I get per year?"


@pytest.fixture(scope="module")
def embeddings():
    s = Settings()
    return load_embeddings(s.embedding_model, s.embedding_threads, s.embedding_batch_size)


def test_rewording_hits_neighbouring_question_does_not(stores: Stores, embeddings) -> None:
    answer = VerifiedAnswer(questions=[QUESTION], answer="25 days.", sources=[LEAVE], reviewer="U1")
    stores.verified.save(answer)
    lookup = VerifiedLookup(stores.verified, embeddings, Settings().verified_threshold)
    hit = lookup.match("How many annual leave days do I get per year?", principals_of())
    assert hit is not None and hit[0].id == answer.id
    assert lookup.match("How many days of annual leave can I carry over?", principals_of()) is None
    result = hit[0].result("q", hit[1])
    assert (result.answerer, result.verified_by, result.sources[0].chunk_id) == ("verified", "U1", LEAVE.chunk_id)


def test_audience_suspension_and_other_processes_changes(stores: Stores, embeddings) -> None:
    lookup = VerifiedLookup(stores.verified, embeddings, Settings().verified_threshold)
    question = "What is the merit increase budget for the 2027 cycle?"
    assert lookup.match(question, principals_of(["managers"])) is None
    answer = VerifiedAnswer(
        questions=[question], answer="3.5%.", sources=[COMP], reviewer="U1", doc_versions={COMP.doc_id: "sha1"}
    )
    stores.verified.save(answer)  # as another process would: the lookup reloads on its next question
    assert lookup.match(question, principals_of()) is None  # outside the audience
    assert lookup.match(question, principals_of(["managers"])) is not None

    assert suspend_stale(stores, {COMP.doc_id: {"sha": "sha1"}}) == []
    [suspended] = suspend_stale(stores, {COMP.doc_id: {"sha": "sha2"}})
    assert suspended.suspended_reason == f"{COMP.doc_id} changed"
    assert lookup.match(question, principals_of(["managers"])) is None
    answer2 = answer.model_copy(update={"id": "x2", "state": "active"})
    stores.verified.save(answer2)
    [gone] = suspend_stale(stores, {})
    assert gone.suspended_reason == f"{COMP.doc_id} was deleted"
    answer3 = answer.model_copy(update={"id": "x3", "state": "active"})
    stores.verified.save(answer3)
    [superseded] = suspend_stale(stores, {COMP.doc_id: {"sha": "sha1", "superseded_by": "hr/new.md"}})
    assert superseded.suspended_reason == f"{COMP.doc_id} was superseded by hr/new.md"


def test_free_paraphrase_hits_on_its_search_and_neighbouring_section_does_not(stores: Stores, kb_settings: Settings) -> None:
    from bot.answer.service import PolicyService

    service = PolicyService(kb_settings)
    s = Settings()
    everyone = principals_of()
    question = "Can I work remotely from another country?"
    reviewed = service.ask(question, principals=everyone)  # the reviewer keeps its answer and sections
    answer = VerifiedAnswer(questions=[question], answer=reviewed.answer, sources=reviewed.sources, reviewer="U1")
    stores.verified.save(answer)
    lookup = VerifiedLookup.for_service(stores.verified, service, s)

    def served(text: str):
        """What `Assist` does: the cosine alone first, else the pipeline's search confirms."""
        if hit := lookup.match(text, everyone):
            return hit
        near = lookup.near(text, everyone)
        search = service.ask_with_search(text, principals=everyone)[1]
        return lookup.confirm(text, near, search) if near and search is not None else None

    paraphrase = "Am I allowed to work from abroad for a while?"
    assert lookup.match(paraphrase, everyone) is None  # the cosine alone (~0.72) misses it
    hit = served(paraphrase)
    assert hit is not None and hit[0].id == answer.id

    neighbour = "Can I work remotely from another city in my country?"  # cosine ~0.93: closer than the paraphrase
    assert [c.answer.id for c in lookup.near(neighbour, everyone)] == [answer.id]
    assert served(neighbour) is None  # its search leads to "within your country", not "abroad"
    assert served("Do I need approval to buy hardware?") is None  # nowhere near: not even a candidate


def test_second_way_needs_sources_and_a_floor_below_the_threshold(stores: Stores, embeddings) -> None:
    sourced = VerifiedAnswer(questions=[QUESTION], answer="25 days.", sources=[LEAVE], reviewer="U1")
    bare = VerifiedAnswer(questions=["What is the dress code in the office?"], answer="Smart casual.", reviewer="U1")
    stores.verified.save(sourced)
    stores.verified.save(bare)
    everyone = principals_of()
    lookup = VerifiedLookup(stores.verified, embeddings, 0.94, floor=0.6)
    assert [c.answer.id for c in lookup.near("How much annual leave am I entitled to each year?", everyone)] == [sourced.id]
    # no sources: nothing for a search to confirm, so only the threshold serves it
    assert lookup.near("Is there a dress code at work?", everyone) == []
    assert lookup.match("Is there a dress code at work?", everyone) is None  # cosine ~0.84
    assert VerifiedLookup(stores.verified, embeddings, 0.94, floor=0.94).near(QUESTION, everyone) == []  # off
    assert VerifiedLookup(stores.verified, embeddings, 0.94).near(QUESTION, everyone) == []  # no floor: off
