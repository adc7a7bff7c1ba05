"""What kind of fact a question asks for, and whether a quotable unit carries one.

"How many days…", "what's the stipend", "by when…" want a number, amount, duration or date;
"who do I tell…", "what's the emergency number" want a contact. A unit that carries the kind of
fact asked for gets a bonus when quotes are chosen; the first kind found is the one the question
leads with. (Permission and procedure kinds were tried and dropped: "may", "must", "request",
"submit" are in most policy sentences, so their bonus only added noise on the golden set.)
"$100,000 purchase" falls inside a table row's "$50,000.01 to $250,000" range.
"""

from __future__ import annotations

import re

_KINDS: list[tuple[str, re.Pattern[str]]] = [
    (
        "contact",
        re.compile(
            r"\b(who (do|should|can) i|whom|contact|call|e-?mail address|phone|number to call|hotline|helpdesk|help desk|"
            r"talk to|report (it |this )?to|reach|(emergency|phone|contact) number)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "number",
        re.compile(
            r"\b(how (many|much|long|often|soon|quickly|far|early)|by when|deadline|within|what time|what date|when is|"
            r"maximum|minimum|max|min|limit|cap|rate|stipend|allowance|budget|cost|price|amount|percent|match|per diem|"
            r"reimburs\w*|notice|length|number of|pay|paid|per (day|night|month|year|person|head))\b",
            re.IGNORECASE,
        ),
    ),
]
_CARRIES: dict[str, re.Pattern[str]] = {
    "number": re.compile(r"\d"),
    "contact": re.compile(
        r"@[\w.-]+\.\w+|#[\w-]+|\+?\d[\d ]{6,}\d|\b(desk|hotline|line|manager|people ops|hr|finance|advisor|service desk)\b",
        re.IGNORECASE,
    ),
}
_AMOUNT = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)\s*(k|m)?\b", re.IGNORECASE)
_RANGE = re.compile(r"\$?(\d[\d,]*(?:\.\d+)?)\s*(?:to|-|–)\s*\$?(\d[\d,]*(?:\.\d+)?)")
_ABOVE = re.compile(r"(?:over|above|more than|from)\s*\$?(\d[\d,]*(?:\.\d+)?)", re.IGNORECASE)


def asked_kinds(question: str) -> list[str]:
    """The kinds of fact the question asks for, most specific first: "contact", "number"."""
    return [kind for kind, pattern in _KINDS if pattern.search(question)]


def carries(kind: str, unit: str) -> bool:
    """Whether the unit holds a fact of this kind (a digit for "number", a mailbox/phone/channel for "contact")."""
    return bool(_CARRIES[kind].search(unit))


def _num(text: str, suffix: str | None = None) -> float:
    value = float(text.replace(",", ""))
    return value * {"k": 1e3, "m": 1e6}.get((suffix or "").lower(), 1)


def type_bonus(question: str, unit: str) -> float:
    """0..1: how well the unit holds the kind of fact the question asks for (the leading kind counts most)."""
    kinds = asked_kinds(question)
    bonus = sum(weight for kind, weight in zip(kinds, (0.6, 0.4)) if carries(kind, unit))
    amounts = [_num(v, s) for v, s in _AMOUNT.findall(question)]
    if amounts and _in_range(amounts, unit):
        bonus += 1.0
    return min(bonus, 1.0)


def _in_range(amounts: list[float], unit: str) -> bool:
    for low, high in _RANGE.findall(unit):
        if any(_num(low) <= a <= _num(high) for a in amounts):
            return True
    return any(any(a > _num(low) for a in amounts) and not _RANGE.search(unit) for low in _ABOVE.findall(unit))
