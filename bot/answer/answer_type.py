"""What kind of fact a question asks for, and whether a quotable unit carries one.

"How many days…", "what's the stipend", "by when…" want a number, amount, duration or date; "how much
notice…" a lead time ("3 weeks in advance");
"who do I tell…", "what's the emergency number" want a contact. A unit that carries the kind of
fact asked for gets a bonus when quotes are chosen; the first kind found is the one the question
leads with. (Permission and procedure kinds were tried and dropped: "may", "must", "request",
"submit" are in most policy sentences, so their bonus only added noise on the golden set.)
"$100,000 purchase" falls inside a table row's "$50,000.01 to $250,000" range, and "after 3 years"
inside "2 years to less than 5 years".
"""

from __future__ import annotations

import re

_KINDS: list[tuple[str, re.Pattern[str]]] = [
    # a lead time: "how much notice for working abroad" is answered by "…at least 3 weeks in advance", not by
    # the "20 working days per year" the same section also holds
    ("notice", re.compile(r"\b(notice|in advance|how far ahead|how early|ahead of time|beforehand)\b", re.IGNORECASE)),
    # "who do I call…": a number to call, not "tell your manager" (a contact of a kind, but nothing to dial)
    # "phone" as a verb or a number: "who do I phone", "the helpdesk phone number"; "I lost my phone" asks no number
    (
        "phone",
        re.compile(
            r"(?<!on-)(?<!on )\b(call|ring|dial|hotline|number to call|phone (?:number|line)|(?:i|to|we|should|can) phone)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "contact",
        re.compile(
            r"\b(who (do|should|can) i|whom|contact|call|e-?mail address|phone line|(?:i|to|we|should|can) phone|"
            r"number to call|hotline|helpdesk|help desk|"
            r"talk to|report (it |this )?to|reach|(emergency|phone|contact) number)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "number",
        re.compile(
            r"\b(how (many|much|long|often|soon|quickly|fast|far|early)|by when|deadline|within|what time|what date|when is|"
            r"maximum|minimum|max|min|limit|cap|rate|stipend|allowance|budget|cost|price|amount|percent|match|per diem|"
            r"reimburs\w*|notice|length|number of|pay|paid|per (day|night|month|year|person|head))\b",
            re.IGNORECASE,
        ),
    ),
]
_CARRIES: dict[str, re.Pattern[str]] = {
    # a table row names its lead time in its header ("| Notice period |"), lines above its figure
    "notice": re.compile(
        r"\d.*\b(in advance|notice|before|prior to|ahead)\b|\b(notice|prior to)\b.*\d", re.IGNORECASE | re.DOTALL
    ),
    # a time said in words is a value too: "how long till I'm paid back?" -> "…reimbursed in the next payroll run"
    "number": re.compile(
        r"\d|\bnext (regular )?(payroll|pay run|pay period|pay ?day|business day|working day)\b|\b(same|next) day\b|"
        r"\bimmediately\b",
        re.IGNORECASE,
    ),
    "phone": re.compile(r"\+?\d[\d ()-]{6,}\d"),
    "contact": re.compile(
        r"@[\w.-]+\.\w+|#[\w-]+|\+?\d[\d ]{6,}\d|\b(desk|hotline|line|manager|people ops|hr|finance|advisor|service desk)\b",
        re.IGNORECASE,
    ),
}
# an amount of money as people type it: "$8k", "$2,500", "USD 10,000", "10000 dollars", "10k USD", "5 grand"
_AMOUNT = re.compile(
    r"\$\s?(?P<a>\d[\d,]*(?:\.\d+)?)\s*(?P<a_x>k|m)?\b"
    r"|\busd\s?(?P<b>\d[\d,]*(?:\.\d+)?)\s*(?P<b_x>k|m)?\b"
    r"|\b(?P<c>\d[\d,]*(?:\.\d+)?)\s*(?P<c_x>k|m)?\s*(?P<unit>dollars?|usd|bucks|grand)\b"
    # "a 7k contract": thousands without a currency are money only before what is bought ("a 4k monitor" is not)
    r"|\b(?P<d>\d[\d,]*(?:\.\d+)?)\s*(?P<d_x>k|m)\s+(?=(?:contract|purchase|deal|order|invoice|spend|budget|"
    r"subscription|renewal|licen[cs]e|software|tool|saas|expense|bill)s?\b)",
    re.IGNORECASE,
)
_RANGE = re.compile(r"\$?(\d[\d,]*(?:\.\d+)?)\s*(?:to|-|–)\s*\$?(\d[\d,]*(?:\.\d+)?)")
_ABOVE = re.compile(r"(?:over|above|more than|from)\s*\$?(\d[\d,]*(?:\.\d+)?)", re.IGNORECASE)
_AT_LEAST = re.compile(r"\$(\d[\d,]*(?:\.\d+)?)\s*(?:or more|or above|and above|and over|or over)\b", re.IGNORECASE)
_UP_TO = re.compile(r"(?:up to|under|below|less than|at most|not exceeding)\s*\$?(\d[\d,]*(?:\.\d+)?)", re.IGNORECASE)

# "what's the mileage rate", "who do I call", "by when…": the question wants the value itself. A yes/no question
# ("do I get paid for unused days?") names an amount-like word without asking for a number.
_WANTS_VALUE = re.compile(
    r"^\W*(what|what's|whats|which|who|whom|where|when|how|by when)\b|\b(how (many|much|long|soon|early|often)|"
    r"what's|whats|what is|what are|who do|who should|who can|number to call|by when)\b",
    re.IGNORECASE,
)


# In a yes/no question "paid", "reimbursed", "cost", "notice" name the topic, not a number asked for ("If I quit,
# do I get paid for the days I haven't used?" is answered by "…paid out in your final pay", not "25 days of paid leave").
_TOPIC_WORDS = re.compile(r"\b(pay|paid|reimburs\w*|cost|price|match|notice|length|stipend|allowance)\b", re.IGNORECASE)


def asked_kinds(question: str) -> list[str]:
    """The kinds of fact the question asks for, most specific first: "notice", "phone", "contact", "number"."""
    plain = question if _WANTS_VALUE.search(question) else _TOPIC_WORDS.sub(" ", question)
    kinds = [kind for kind, pattern in _KINDS if pattern.search(plain)]
    # a lead time is a number already: counted twice, every row of a notice table would outweigh the one in range
    return [k for k in kinds if k != "number"] if "notice" in kinds else kinds


def wanted_kind(question: str) -> str | None:
    """The kind of fact the answer must carry to answer at all: the leading asked kind of a question that asks
    for a value ("how much…", "who do I call…", "what's the … rate"); None for yes/no questions."""
    kinds = asked_kinds(question)
    return kinds[0] if kinds and _WANTS_VALUE.search(question) else None


# digits that are not a quantity: a phone number, a mailbox, a cross-reference ("see 3.2"), a policy/version number,
# "24/7" (when a line is staffed, not how soon to call it)
_NOT_QUANTITY = re.compile(
    r"\+?\d[\d ()-]{6,}\d|[\w.+-]+@[\w.-]+|\b(?:see|section|§)\s*\d[\d.]*|\b[A-Z]{2,}-[\w-]*\d[\w-]*|\b24/7\b",
    re.IGNORECASE,
)


def carries(kind: str, unit: str) -> bool:
    """Whether the unit holds a fact of this kind (a quantity for "number", a mailbox/phone/channel for "contact").

    A phone number or "(see 3.2)" is not an answer to "how quickly…": the reporting-channels list must not pass
    for the sentence with "within 2 business days".
    """
    text = _NOT_QUANTITY.sub(" ", unit) if kind == "number" else unit
    return bool(_CARRIES[kind].search(text))


_DURATION = r"(\d+)\s*(years?|yrs?|months?|mos?|weeks?|wks?)\b"  # "after 4 yrs" as people type it
_Q_DURATION = re.compile(_DURATION, re.IGNORECASE)
_SPAN = re.compile(_DURATION + r"\s*(?:to less than|to under|to)\s*" + _DURATION, re.IGNORECASE)
_BELOW = re.compile(r"(?:less than|under)\s*" + _DURATION, re.IGNORECASE)
_OR_MORE = re.compile(_DURATION + r"\s*(?:or more|and over|\+)", re.IGNORECASE)
_WEEKS = {"week": 1.0, "wk": 1.0, "month": 52 / 12, "mo": 52 / 12, "year": 52.0, "yr": 52.0}


def _weeks(value: str, unit: str) -> float:
    return float(value) * _WEEKS[unit.lower().rstrip("s")]


def _in_span(question: str, unit: str) -> bool:
    """A length of service in the question ("after 3 years") inside a row's span ("2 years to less than 5 years")."""
    asked = [_weeks(v, u) for v, u in _Q_DURATION.findall(question)]
    if not asked:
        return False
    for v1, u1, v2, u2 in _SPAN.findall(unit):
        if any(_weeks(v1, u1) <= a < _weeks(v2, u2) for a in asked):
            return True
    if _SPAN.search(unit):
        return False
    below = any(any(a < _weeks(v, u) for a in asked) for v, u in _BELOW.findall(unit))
    above = any(any(a >= _weeks(v, u) for a in asked) for v, u in _OR_MORE.findall(unit))
    return below or above


def _num(text: str, suffix: str | None = None) -> float:
    value = float(text.replace(",", ""))
    return value * {"k": 1e3, "m": 1e6}.get((suffix or "").lower(), 1)


def type_bonus(question: str, unit: str) -> float:
    """0..1: how well the unit holds the kind of fact the question asks for (the leading kind counts most)."""
    kinds = asked_kinds(question)
    bonus = sum(weight for kind, weight in zip(kinds, (0.6, 0.4)) if carries(kind, unit))
    if in_its_range(question, unit):
        bonus += 1.0
    return min(bonus, 1.0)


def names_amount(question: str) -> bool:
    """Whether the question names an amount of money ("an $8k software tool", "a $100,000 purchase")."""
    return bool(_AMOUNT.search(question))


def without_amounts(text: str) -> str:
    """`text` with the amounts of money it names taken out (a follow-up's own amount replaces the one before)."""
    return re.sub(r"\s{2,}", " ", _AMOUNT.sub(" ", text)).strip()


def holds_amount(question: str, text: str) -> bool:
    """Whether `text` states an amount of money ("$2,500.01 to $10,000", "over $5,000") whose range holds an
    amount the question names; a bare "more than 12 hours" is no amount of money."""
    amounts = _asked_amounts(question)
    return bool(amounts) and "$" in text and _in_range(amounts, text, up_to=True)


def table_holds_amount(question: str, text: str) -> bool:
    """Whether a table row (a "|" line) of `text` states an amount of money whose range holds one the question
    names."""
    return any(line.lstrip().startswith("|") and holds_amount(question, line) for line in text.splitlines())


def in_its_range(question: str, unit: str) -> bool:
    """Whether an amount or a length of service in the question falls in the unit's range ("$100,000 purchase"
    in "$50,000.01 to $250,000", "after 3 years" in "2 years to less than 5 years")."""
    amounts = _asked_amounts(question)
    return bool(amounts and _in_range(amounts, unit)) or _in_span(question, unit)


# "a purchase above $250,000" asks for the row above it, not the one ending at it ("no more than $2,500" does not)
_ASKED_ABOVE = re.compile(
    r"(?<!\bno )(?<!\bnot )\b(?:over|above|more than|greater than|exceeding|exceeds?|north of)\s*$", re.IGNORECASE
)


def _asked_amounts(question: str) -> list[float]:
    """The amounts of money a question names, in dollars; one it asks "above" counts as a cent more."""
    return [_amount(m) + (0.01 if _ASKED_ABOVE.search(question[: m.start()]) else 0.0) for m in _AMOUNT.finditer(question)]


def _amount(match: re.Match[str]) -> float:
    """The dollars of an `_AMOUNT` match ("5 grand" is 5,000)."""
    for group in "abcd":
        if match.group(group):
            value = _num(match.group(group), match.group(f"{group}_x"))
            return value * 1000 if (match.group("unit") or "").lower() == "grand" and not match.group("c_x") else value
    raise ValueError(f"not an amount: {match.group(0)!r}")


def _in_range(amounts: list[float], unit: str, up_to: bool = False) -> bool:
    """`up_to`: "Up to $2,500" holds $800 too (a table row's key; in a sentence, "up to $100 per person" is a
    limit the amount may break, so it is not counted there)."""
    for low, high in _RANGE.findall(unit):
        if any(_num(low) <= a <= _num(high) for a in amounts):
            return True
    if _RANGE.search(unit):
        return False
    above = any(any(a > _num(low) for a in amounts) for low in _ABOVE.findall(unit))
    above = above or any(any(a >= _num(low) for a in amounts) for low in _AT_LEAST.findall(unit))  # "$25 or more"
    below = up_to and any(any(a <= _num(high) for a in amounts) for high in _UP_TO.findall(unit))
    return above or below
