"""Sensitive-question detection: lexical topics, others' pay, embedding similarity; ordinary questions pass."""

import json
import time
from pathlib import Path

import pytest

from bot.company import load_company
from bot.config import Settings
from bot.governance.pii import get_masker
from bot.governance.sensitive import SensitiveDetector
from bot.retrieval.embeddings import load_embeddings

REPO = Path(__file__).resolve().parents[2]

SENSITIVE = [
    "my manager keeps making comments about my body",
    "a coworker grabbed me at the party last week",
    "I think I'm being treated unfairly because of my age",
    "my colleague makes racist jokes in standups",
    "I'm being discriminated against because I'm gay",
    "I need time off for surgery and chemo",
    "I have depression and need time off",
    "I was let go yesterday, what happens to my final paycheck",
    "am I going to be fired for being late?",
    "I want to report fraud by my director anonymously",
    "how do I become a whistleblower?",
    "how much does Sarah earn?",
    "what is Tom's salary?",
    "can I see my coworker's salary",
    "what's my manager's bonus",
    "I was sexually harassed by a client",
    "is termination without notice legal?",
]
ORDINARY = [
    "how many sick days do I get",
    "what is the hotel cap",
    "what is the hotel cap in London?",
    "When do I need a doctor's note for sick leave?",
    "How much parental leave do I get?",
    "Can I work remotely from another country?",
    "how do I report a security incident",
    "what happens to my laptop when I leave the company",
    "what is the notice period if I resign",
    "How many days of annual leave do I get per year?",
    "how do I reset my password",
    "what is my salary band",
    "how are promotions decided",
    "I am pregnant, what leave can I take",
    "what should I do when I'm ill on a workday",
    "how do I get my pay slip",
    "can I expense a taxi after a late meeting",
    "what is the fire evacuation procedure",
    "what's the learning budget",
]


@pytest.fixture(scope="module")
def detector() -> SensitiveDetector:
    s = Settings()
    embeddings = load_embeddings(s.embedding_model, s.embedding_threads, s.embedding_batch_size)
    return SensitiveDetector.from_profile(load_company(s.company_path).sensitive, embeddings, s.sensitive_threshold)


@pytest.mark.parametrize("question", SENSITIVE)
def test_sensitive_questions_are_flagged(detector: SensitiveDetector, question: str) -> None:
    assert detector.check(question) is not None, detector.similarity(question)


@pytest.mark.parametrize("question", ORDINARY)
def test_ordinary_questions_are_not_flagged(detector: SensitiveDetector, question: str) -> None:
    assert detector.check(question) is None, detector.similarity(question)


def test_the_golden_question_set_only_flags_its_sensitive_questions(detector: SensitiveDetector) -> None:
    """241 policy questions: only harassment (named, or described: "comments about my looks") and anonymous reporting count."""
    queries = [json.loads(line)["text"] for line in (REPO / "knowledge/eval/queries.jsonl").read_text().splitlines()]
    flagged = [q for q in queries if detector.check(q)]
    assert all(any(w in q.lower() for w in ("harass", "anonymous", "comments about my looks")) for q in flagged), flagged
    assert len(flagged) <= 10


def test_lexical_matching_is_whole_words_with_inflections() -> None:
    d = SensitiveDetector(["harassment", "fired", "medical leave"], [], None, 0.6)
    assert d.check("I was harassed yesterday").how == "lexical"
    assert d.check("Is HARASSING a colleague a firing offence?") is not None
    assert d.check("they fired me") is not None
    assert d.check("can I take medical-leave?") is not None
    assert d.check("what do I do if there is a fire") is None  # "fired" is not a prefix
    assert d.check("how much sick leave") is None
    assert d.check("") is None


def test_topic_vectors_are_computed_once(detector: SensitiveDetector) -> None:
    calls = []

    class Counting:
        def embed_documents(self, texts):
            calls.append(len(texts))
            return [[1.0, 0.0]] * len(texts)

        def embed_query(self, text):
            return [0.0, 1.0]

    d = SensitiveDetector([], ["a", "b"], Counting(), 0.6)
    for _ in range(3):
        assert d.check("anything") is None
    assert calls == [2]


def test_latency_of_the_check(detector: SensitiveDetector) -> None:
    """Measured for the closing note: the whole sensitive check and masking one question."""
    masker = get_masker(Settings())
    question = "How many days of annual leave do I get if I joined in March? My email is ana.lopez@gmail.com"
    detector.check(question)
    masker.mask(question)
    n = 20
    t0 = time.perf_counter()
    for _ in range(n):
        detector.check(question)
    check_ms = (time.perf_counter() - t0) * 1000 / n
    t0 = time.perf_counter()
    for _ in range(n):
        masker.mask(question)
    mask_ms = (time.perf_counter() - t0) * 1000 / n
    print(f"\nsensitive check {check_ms:.1f} ms/question, masker.mask {mask_ms:.1f} ms/question")
    assert check_ms < 250 and mask_ms < 250
