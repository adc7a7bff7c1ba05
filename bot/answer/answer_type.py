"""What kind of fact a question asks for, and whether a sentence holds one.

"How many days…", "what's the stipend", "by when…" want a number, amount or date; "who do I
tell…" wants a contact; "$100,000 purchase" falls inside a table row's "$50,000.01 to $250,000"
range. A unit holding the kind of fact asked for gets a bonus when quotes are chosen.
"""

from __future__ import annotations

import re

_WANTS_NUMBER = re.compile(
    r"\b(how (many|much|long|often|soon|quickly|far)|when|by when|deadline|within|what time|what date|"
    r"maximum|minimum|max|min|limit|cap|rate|stipend|allowance|budget|cost|price|amount|percent|match|per diem|"
    r"reimburs\w*|notice|days?|weeks?|months?|hours?|years?|length|number of)\b",
    re.IGNORECASE,
)
_WANTS_CONTACT = re.compile(r"\b(who|whom|contact|call|email|phone|number|tell|report (it )?to|reach|ask)\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d")
_CONTACT = re.compile(
    r"@[\w.-]+\.\w+|#[\w-]+|\+?\d[\d ]{6,}\d|\b(desk|team|hotline|line|manager|people ops|hr|finance|it service)\b", re.IGNORECASE
)
_AMOUNT = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)\s*(k|m)?\b", re.IGNORECASE)
_RANGE = re.compile(r"\$?(\d[\d,]*(?:\.\d+)?)\s*(?:to|-|–)\s*\$?(\d[\d,]*(?:\.\d+)?)")
_ABOVE = re.compile(r"(?:over|above|more than|from)\s*\$?(\d[\d,]*(?:\.\d+)?)", re.IGNORECASE)


def _num(text: str, suffix: str | None = None) -> float:
    value = float(text.replace(",", ""))
    return value * {"k": 1e3, "m": 1e6}.get((suffix or "").lower(), 1)


def type_bonus(question: str, unit: str) -> float:
    """0..1: how well the unit holds the kind of fact the question asks for."""
    bonus = 0.0
    if _WANTS_NUMBER.search(question) and _NUMBER.search(unit):
        bonus += 0.5
    if _WANTS_CONTACT.search(question) and _CONTACT.search(unit):
        bonus += 0.5
    amounts = [_num(v, s) for v, s in _AMOUNT.findall(question)]
    if amounts and _in_range(amounts, unit):
        bonus += 1.0
    return min(bonus, 1.0)


def _in_range(amounts: list[float], unit: str) -> bool:
    for low, high in _RANGE.findall(unit):
        if any(_num(low) <= a <= _num(high) for a in amounts):
            return True
    return any(any(a > _num(low) for a in amounts) and not _RANGE.search(unit) for low in _ABOVE.findall(unit))
