"""Employees' words for policy terms: "PTO", "vacation", "WFH", "amex" -> what the documents say.

The expansion is appended to the search query (dense and BM25), never shown or quoted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

DEFAULT_SYNONYMS: dict[str, str] = {
    "pto": "annual leave paid time off",
    "vacation": "annual leave",
    "vacations": "annual leave",
    "holiday allowance": "annual leave",
    "time off": "leave",
    "day off": "leave",
    "days off": "leave",
    "wfh": "remote work",
    "work from home": "remote work",
    "working from home": "remote work",
    "amex": "corporate card",
    "company card": "corporate card",
    "quit": "resign resignation",
    "quitting": "resign resignation",
    "fired": "termination",
    "laid off": "termination",
    "maternity": "parental leave",
    "paternity": "parental leave",
    "401k": "401(k) retirement",
    "hotel": "lodging",
    "nyc": "New York",
    "sf": "San Francisco",
    "hsa": "Health Savings Account",
    "per diem": "per-diem daily allowance",
    "2fa": "multi-factor authentication MFA",
    "sick day": "sick leave",
    "sick days": "sick leave",
    "therapy": "counseling employee assistance program",
    "counselling": "counseling",
}


def expand_query(query: str, synonyms: Mapping[str, str] = DEFAULT_SYNONYMS) -> str:
    """The query plus the policy terms for any employee phrasing it contains."""
    lowered = query.lower()
    extra = [target for phrase, target in synonyms.items() if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", lowered)]
    return f"{query} ({'; '.join(dict.fromkeys(extra))})" if extra else query
