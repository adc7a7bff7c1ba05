"""Tables in answers: which row a question names, and when a whole table is the answer.

A table row is one quotable unit: its table's header line, the separator and its own line
(bot/answer/text_units.py). Our own code, not a library's: choosing what answers is the core.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.answer.answer_type import holds_amount, in_its_range
from bot.answer.candidates import Scored, overlap, own_heading
from bot.answer.lexical import QUESTION_SHAPE, content_terms, content_words
from bot.answer.text_units import Unit, table_headers
from bot.retrieval.hybrid import Hit

WHOLE_TABLE_ROWS = 8  # a table this small is quoted whole when the question names none of its rows
WHOLE_KEY_COLUMN_ROWS = 16  # or this small, when the question asks for all of it (see whole_table)


def whole_table(question: str, q_terms: frozenset[str], chosen: list[Scored], scored: list[Scored]) -> list[Scored]:
    """All rows of the leading table, in the document's order, when the question names no row of it ("how much
    notice do I have to give?" is answered by every length of service, not the first one): no row has a question
    word in its own cells ("salary data" names the Confidential row by its examples), no amount or length of
    service in the question falls in a row's range, and the lead is not the "Other…" row of an entity the table
    lacks (Denver). A quoted table whose own heading the question names ("what are the approval thresholds?"), or
    whose key column an open question asks for ("what holidays do we get?"), leads even when a sentence scored above
    it; asked for "all"/"each" of them, every row is quoted whatever the question names. When a sentence introduces
    the table, it is quoted with it (its "lead" unit). The quotes from elsewhere follow."""
    lead: Scored | None = chosen[0]
    if chosen[0].unit.kind != "row":
        lead = next(
            (c for c in chosen if c.unit.kind == "row" and (_heading_named(c.hit, q_terms) or _asks_for_keys(question, c))),
            next((c for c in scored if c.unit.kind == "row" and _asks_for_keys(question, c)), None),
        )
    if lead is None or "\n" not in lead.unit.text or _answers_for_the_rest(question, lead):
        return chosen
    header = lead.unit.text.split("\n", 1)[0]
    rows = [c for c in scored if c.hit is lead.hit and c.unit.kind == "row" and c.unit.text.split("\n", 1)[0] == header]
    # a question naming the key column ("what holidays do we get?") or the table's own heading asks for all of it
    asks_all = bool(content_terms(row_key(header)) & q_terms) or _heading_named(lead.hit, q_terms)
    if not 2 <= len(rows) <= (WHOLE_KEY_COLUMN_ROWS if asks_all else WHOLE_TABLE_ROWS):
        return chosen
    if _CLOSED_QUESTION.match(question) and not asks_all:
        return chosen  # "can my learning budget pay for an MBA?" asks about one thing: the row that scored for it
    intro = next((c for c in scored if c.hit is lead.hit and c.unit.kind == "lead" and overlap(c.unit, lead.unit)), None)
    # "the per diem rates for all the cities", "the limits for each type of cardholder": every row, whatever it names
    every = asks_all and bool(_EVERY.search(question))
    names = _row_names(q_terms, rows, intro)
    named = (names & content_terms(row_cells(r.unit.text)) or row_in_range(question, r.unit.text) for r in rows)
    if not every and any(named):
        return chosen
    if intro is not None:
        return [intro, *(c for c in chosen if c not in rows and not overlap(c.unit, intro.unit))]
    body = lead.hit.doc.page_content
    rows.sort(key=lambda r: body.find(r.unit.text.rsplit("\n", 1)[-1]))
    return rows + [c for c in chosen if c not in rows]


_EVERY = re.compile(r"\b(all|every|each|list)\b", re.IGNORECASE)
_CLOSED_QUESTION = re.compile(r"\s*(can|could|may|is|are|am|do|does|did|will|would|should|must|has|have)\b", re.IGNORECASE)


def _answers_for_the_rest(question: str, row: Scored) -> bool:
    """Whether the row is the "Other…" row standing in for a place or thing the question names and its chunk lacks
    ("the per diem rate in Denver" is "Other US cities", not the whole table)."""
    if row.row <= 0 or not _DEFAULT_ROW.match(row_key(row.unit.text)):
        return False
    return bool(content_terms(_EVERY.sub(" ", question)) - QUESTION_SHAPE - content_terms(row.hit.doc.page_content))


# "what holidays do we get?", "which public holidays are there", "what are the data classification levels?", "list
# the stages": the words right after an open question word, where the thing whose values are wanted is named
_OPEN_LIST = re.compile(r"\b(?:what|which|list)\b((?:\s+[\w-]+){1,5})", re.IGNORECASE)


def _asks_for_keys(question: str, row: Scored) -> bool:
    """Whether an open question asks for the values of the row's key column ("what holidays…" of "| Holiday | Date |")."""
    return asks_for_key_column(question, row.unit.text.split("\n", 1)[0])


def asks_for_key_column(question: str, header: str) -> bool:
    """Whether an open question ("what holidays…", "which levels…", "list the…") asks for the values of the key
    column (the first cell) of the table with this header line."""
    return bool(_asked_plurals(question) & content_terms(row_key(header)))


def asks_for_a_list(question: str) -> bool:
    """Whether the question is an open one that asks for many of something ("what holidays…", "list the levels")."""
    return bool(_asked_plurals(question))


def asks_for_a_table_of(question: str, text: str) -> bool:
    """Whether `text` (a chunk) holds a table whose key column the open question asks for (see
    `asks_for_key_column`); False at once for a question that asks for no list."""
    return asks_for_a_list(question) and any(asks_for_key_column(question, header) for header in table_headers(text))


@lru_cache(maxsize=1024)
def _asked_plurals(question: str) -> frozenset[str]:
    """The stems of the plurals right after an open question word: a plural asks for many ("what holidays…");
    "what do I need…" and "what pin length…" ask for one thing. Cached: every chunk's tables are asked about."""
    found = (content_words(m.group(1)).items() for m in _OPEN_LIST.finditer(question))
    return frozenset(stem for words in found for stem, word in words if word.lower().endswith("s"))


def _heading_named(hit: Hit, q_terms: frozenset[str]) -> bool:
    """Whether the question holds every word of the chunk's own heading but its number ("4. Per-diem rates")."""
    heading = frozenset(t for t in content_terms(own_heading(hit)) if not t.isdigit())
    return bool(heading) and heading <= q_terms


def _row_names(q_terms: frozenset[str], rows: list[Scored], intro: Scored | None) -> frozenset[str]:
    """The question's words that name a row of the table `rows` when its own cells hold them (a row is also named
    by an amount or length of service in its range: `row_in_range`).

    The words of the sentence introducing the table, of its headings and of its column names are its topic, not a
    row's name, when the question asks about that topic (two words of it) and no row's key holds them: "which
    learning expenses are eligible?" names no row although "learning" is in the Degree row's notes ("Not covered by
    the learning budget"), nor does "what are the data classification levels?" ("data" is in two rows' examples);
    "can my wife come on the trip…" shares only "trip" (short words such as "per" and "day" name no topic)."""
    lead = rows[0]
    meta = lead.hit.doc.metadata
    about = " ".join([str(meta.get("title", "")), str(meta.get("section", ""))])
    if intro is not None:
        about += " " + intro.unit.text.split("\n", 1)[0]
    # a column name is a row's name too when a key holds it ("Premium PPO" under "Employee premium")
    keys = frozenset().union(*(content_terms(row_key(r.unit.text)) for r in rows))
    header = content_terms(lead.unit.text.split("\n", 1)[0]) - keys
    topic = frozenset(t for t in (content_terms(about) | header) & q_terms if len(t) > 3)
    return q_terms - topic if len(topic) >= 2 else q_terms


def row_bonuses(question: str, q_terms: frozenset[str], units: list[Unit]) -> list[float]:
    """Per unit: a bonus for the table row whose key cell names the question's entity (a city, a benefit, a level;
    an amount asked in the key's range counts as all of it when the table shares a word with the question: "an $8k
    tool, who approves it?" -> "$2,500.01 to $10,000" under "Approvals required"), or, when no
    row of that table does, for its "Other…"/"default" row (Denver -> "Other US cities").

    The key is the row's first cell; a table is identified by its header line. 0 for non-row units.
    """
    tables: dict[str, list[int]] = {}
    for i, unit in enumerate(units):
        if unit.kind == "row" and "\n" in unit.text:
            tables.setdefault(unit.text.split("\n", 1)[0], []).append(i)
    bonuses = [0.0] * len(units)
    # "this year" says when, it names no row ("New Year's Day" for "what day is the 4th of July holiday this year?")
    q_terms = q_terms - content_terms(" ".join(_WHEN_ASKED.findall(question)))
    for header, indexes in tables.items():
        # words only: amounts are matched by range (answer_type), and "$250" is a prefix term of "$250,000"; a word
        # of the column names is the table's topic ("trip" of "Maximum per person per trip" names no "Trip
        # cancellation" row when "if I die on a business trip" is asked)
        columns = content_terms(header)
        keys = {
            i: frozenset(t for t in content_terms(row_key(units[i].text)) if not any(c.isdigit() for c in t)) - columns
            for i in indexes
        }
        # an amount names a row only of a table about what is asked: "$250 concert tickets" is no contract value
        in_range = {
            i for i in indexes if holds_amount(question, row_key(units[i].text)) and content_terms(units[i].text) & q_terms
        }
        matched = [i for i in indexes if keys[i] & q_terms or i in in_range]
        for i in matched:
            bonuses[i] = 0.15 if i in in_range else 0.1 + 0.05 * len(keys[i] & q_terms) / len(keys[i])
        table_terms = frozenset().union(*(content_terms(units[i].text) for i in indexes))
        unknown_entity = bool(q_terms - table_terms)
        if not matched and unknown_entity:
            for i in indexes:
                if _DEFAULT_ROW.match(row_key(units[i].text)):
                    bonuses[i] = 0.08
    return bonuses


_WHEN_ASKED = re.compile(r"\b(?:this|next|last|every|each|per|a) (year|month|week|quarter)\b", re.IGNORECASE)
_DEFAULT_ROW = re.compile(r"\s*(other|all other|any other|default|everyone else|rest of)\b", re.IGNORECASE)


def row_in_range(question: str, row: str) -> bool:
    """Whether the row holds the amount or length of service asked ("Up to $2,500" holds "$800" as a key)."""
    return in_its_range(question, row) or holds_amount(question, row_key(row))


def row_key(row: str) -> str:
    return row_cells(row).split("|")[0].strip()


def row_cells(row: str) -> str:
    """A row unit's own line (without the header it is quoted with)."""
    return row.splitlines()[-1].strip().strip("|")


def named_row_before_its_table(scored: list[Scored]) -> None:
    """A table quoted whole with its lead-in scores below its row that the question names (by its key, or by an
    amount or length of service in its range: "if I quit after 4 yrs how much notice" is the "2 years to less
    than 5 years" row, not every row). Scores are lowered in place."""
    for table in (c for c in scored if c.unit.kind == "lead" and "\n|" in c.unit.text):
        named = [c.score for c in scored if c.hit is table.hit and c.row > 0 and overlap(c.unit, table.unit)]
        if named:
            table.score = min(table.score, max(named) - 0.01)
