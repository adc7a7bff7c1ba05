"""Employees' words for policy terms: "PTO", "vacation", "WFH", "amex" -> what the documents say.

The list is company data (`synonyms` in the company profile, `bot/company.py`).
The expansion is appended to the search query (dense and BM25), never shown or quoted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping


def expand_query(query: str, synonyms: Mapping[str, str]) -> str:
    """The query plus the policy terms for any employee phrasing it contains.

    `synonyms`: employee phrase -> policy terms (the company profile's `synonyms`), matched as whole words.
    """
    extra = [target for _, target in matched(query, synonyms)]
    return f"{query} ({'; '.join(dict.fromkeys(extra))})" if extra else query


def matched(query: str, synonyms: Mapping[str, str]) -> list[tuple[str, str]]:
    """The (employee phrase, policy terms) pairs of `synonyms` whose phrase the query contains as whole words."""
    lowered = query.lower()
    return [(p, t) for p, t in synonyms.items() if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", lowered)]


def idioms(query: str, synonyms: Mapping[str, str]) -> list[tuple[str, str]]:
    """The (phrase, policy terms) pairs of the idioms the query contains: phrases of several words that share none
    with their policy terms ("used up" -> "exhausted", "let go" -> "termination", "in one go" -> "consecutive").
    Taken literally they mislead ("Sick leave may also be used to care for…" is no answer to "my sick leave is used
    up"). A single word ("PTO") may be the documents' word too, and "sick days" -> "sick leave" is a variant of the
    term, no idiom."""
    return [
        (phrase, target)
        for phrase, target in matched(query, synonyms)
        if len(phrase.split()) > 1 and not set(phrase.split()) & set(re.findall(r"\w+", target.lower()))
    ]


def idiom_words(query: str, synonyms: Mapping[str, str]) -> set[str]:
    """The words of the idioms (`idioms`) the query contains: {"used", "up"} for "my sick leave is used up"."""
    return {word for phrase, _ in idioms(query, synonyms) for word in phrase.split()}
