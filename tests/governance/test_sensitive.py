"""Sensitive-question detection: lexical topics, others' pay, a classifier over embeddings; ordinary questions pass."""

import json
from pathlib import Path

import pytest

from bot.company import load_company
from bot.config import Settings
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
    # situations in words no description has (the closest description's cosine is 0.4-0.55)
    "my supervisor rubbed my back during a 1:1",
    "a colleague keeps sending me kissy emojis late at night",
    "my manager called me a stupid idiot in standup",
    "someone in engineering made a joke about my hijab",
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
    assert detector.check(question) is not None, detector.judge(question)


@pytest.mark.parametrize("question", ORDINARY)
def test_ordinary_questions_are_not_flagged(detector: SensitiveDetector, question: str) -> None:
    assert detector.check(question) is None, detector.judge(question)


def test_the_golden_question_set_flags_its_sensitive_questions_and_few_others(detector: SensitiveDetector) -> None:
    """241 policy questions: those naming harassment, the situation described in its place ("comments
    about my looks"), and at most 4% of the rest (bench/sensitive_eval.py: the rest flagged are near the
    line — counselling, a relationship with a report, severance — where a private answer does no harm)."""
    queries = [json.loads(line)["text"] for line in (REPO / "knowledge/eval/queries.jsonl").read_text().splitlines()]
    named = [q for q in queries if "harass" in q.lower()]
    rest = [q for q in queries if q not in named]
    assert all(detector.check(q) for q in named), [q for q in named if not detector.check(q)]
    assert detector.check("someone on my team keeps making comments about my looks, who do I talk to")
    flagged = [q for q in rest if detector.check(q)]
    assert len(flagged) <= 0.04 * len(rest), flagged


def test_lexical_matching_is_whole_words_with_inflections() -> None:
    d = SensitiveDetector(["harassment", "fired", "medical leave"], [], None, 0.6)
    assert d.check("I was harassed yesterday").how == "lexical"
    assert d.check("Is HARASSING a colleague a firing offence?") is not None
    assert d.check("they fired me") is not None
    assert d.check("can I take medical-leave?") is not None
    assert d.check("what do I do if there is a fire") is None  # "fired" is not a prefix
    assert d.check("how much sick leave") is None
    assert d.check("") is None


def test_the_classifier_is_fitted_once_per_process_and_profile() -> None:
    calls = []

    class Counting:
        def embed_documents(self, texts):
            calls.append(len(texts))
            return [[1.0, 0.0] if t.startswith("bad") else [0.0, 1.0] for t in texts]

        def embed_query(self, text):
            return [1.0, 0.1] if "bad" in text else [0.1, 1.0]

    embeddings = Counting()
    for _ in range(2):  # two services of one process share the fitted model
        d = SensitiveDetector([], ["bad thing a", "bad thing b"], embeddings, 0.5, ["fine c", "fine d", "fine e"])
        assert d.check("a bad thing happened to me") is not None
        assert d.check("an ordinary question") is None
    assert calls == [5]
    # without ordinary questions to learn from there is no semantic detector: only the lexical one
    assert SensitiveDetector(["harassment"], ["bad thing a"], embeddings, 0.5).check("a bad thing") is None
