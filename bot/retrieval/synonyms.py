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
    lowered = query.lower()
    extra = [target for phrase, target in synonyms.items() if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", lowered)]
    return f"{query} ({'; '.join(dict.fromkeys(extra))})" if extra else query
