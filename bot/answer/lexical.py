"""Content-word overlap between a question and a text (stemmed, stopwords removed)."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

_STEMMER = Stemmer.Stemmer("english")
_WORD = re.compile(r"[a-z0-9$%][a-z0-9$%.'-]*[a-z0-9%]|[a-z0-9]", re.IGNORECASE)
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "get",
        "got",
        "go",
        "may",
        "might",
        "must",
        "shall",
        "also",
        "please",
        "thanks",
        "thank",
        "hi",
        "hello",
        "hey",
        "policy",
        "policies",
        "company",
        "our",
        "us",
    ]
)


# Words that shape a question without naming its topic ("how many", "am I allowed to"): a paraphrase
# swaps them freely and a quote need not contain them: the verified-answer match (bot/review/verified.py),
# confidence's word cover, the answerer's cover in meaning and the rare-word pick (bot/answer/service.py)
# leave them out.
QUESTION_SHAPE = frozenset(
    _STEMMER.stemWords(
        [
            "allowed",
            "allow",
            "need",
            "needed",
            "use",
            "get",
            "much",
            "many",
            "long",
            "often",
            "process",
            "required",
            "require",
            "mandatory",
            "must",
            "possible",
            "ok",
            "okay",
            "find",
            "give",
            "take",
            "provide",
            "want",
            "able",
            "permitted",
            "permit",
            "do",
            "work",
            "company",
            "employee",
            "employees",
            "happen",
            "happens",
            "rules",
            "rule",
        ]
    )
)

# "what's", "I'm", "don't", "haven't": the word before the clitic is what counts ("what", "I", "do": stop words);
# kept whole they were content words no document contains, with the largest IDF of the question.
_CLITIC = re.compile(r"(?:n't|['’](?:s|m|re|ve|ll|d))$")
_IRREGULAR = {"can't": "can", "won't": "will", "shan't": "shall", "ain't": "is"}


@lru_cache(maxsize=50_000)
def content_terms(text: str) -> frozenset[str]:
    """Stemmed content words; numbers kept (they are what policy questions hinge on)."""
    return frozenset(content_words(text))


def content_words(text: str) -> dict[str, str]:
    """stem -> the (first) word it came from, for the content words of `text` (see `content_terms`)."""
    words = (w.strip(".'-").lower() for w in _WORD.findall(text.replace("’", "'")))
    words = (_IRREGULAR.get(w) or _CLITIC.sub("", w) for w in words)
    # a two-word compound counts as itself and as its parts: "home-office stipend" covers "home office stipend";
    # longer ones are names of their own ("lunch-and-learn" is not about lunch)
    words = (part for w in words for part in ([w, *w.split("-")] if w.count("-") == 1 else [w]))
    found: dict[str, str] = {}
    for word in words:
        if word and word not in STOPWORDS:
            found.setdefault(_STEMMER.stemWord(word), word)
    return found


# an email address or a link in a question says who asks or where they saw it, not what they ask
_ADDRESS = re.compile(r"\S+@\S+|https?://\S+")


def question_words(question: str) -> dict[str, str]:
    """`content_words` of a question without its email addresses and links."""
    return content_words(_ADDRESS.sub(" ", question))


_NEGATION = re.compile(r"\b(not|no|nor|never|without|don't|doesn't|isn't|aren't|none)\b", re.IGNORECASE)


def negated(text: str) -> bool:
    """Whether the text says "not", "no", "never", "without"… (dropped as stop words by `content_terms`).

    "haven't", "can't", "won't" are left out: in a question they describe the asker ("days I haven't used"),
    not the rule asked about.
    """
    return bool(_NEGATION.search(text))


def coverage(question_terms: frozenset[str], text: str) -> float:
    """Share of the question's content terms found in `text` (0 when the question has none)."""
    if not question_terms:
        return 0.0
    return len(question_terms & content_terms(text)) / len(question_terms)


_NOT_VERB = re.compile(
    r"\b(?:not|never|haven't|hasn't|hadn't|didn't|don't|doesn't|wasn't|weren't|isn't|aren't)\s+(?:been\s+|yet\s+|)([a-z]+(?:ed|en|id|nt))\b",
    re.IGNORECASE,
)


def un_forms(text: str) -> frozenset[str]:
    """Stems of the "un-" adjectives a negated participle means: "days I haven't used" -> "unused",
    "not approved" -> "unapproved", "hasn't been paid" -> "unpaid" (policies write the adjective)."""
    return frozenset(_STEMMER.stemWord("un" + m.group(1).lower()) for m in _NOT_VERB.finditer(text.replace("’", "'")))
