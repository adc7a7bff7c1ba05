"""Split a chunk body into quotable units: sentences, list items, table rows (with their header)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from bot.core.chunks import LIST_ITEM

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_ABBREV = re.compile(r"\b(e\.g|i\.e|etc|vs|approx|no|incl)\.$", re.IGNORECASE)
# a lead-in that ends with a full stop: "…prohibits its employees from the following activities …, while driving."
_FOLLOWING = re.compile(r"\b(the following|as follows)\b", re.IGNORECASE)
# a sentence that introduces the table after it ("The table below shows the maximum benefit per person per trip.")
_TABLE_POINTER = re.compile(r"\b(table (below|that follows)|following table|below table)\b", re.IGNORECASE)
# an item is one step or condition of a list: quoted whole ("The supervisor will conduct interviews. There may be
# instances where a second individual participates…") unless it is long enough to be a paragraph of its own
ITEM_WHOLE_WORDS = 60


@dataclass(frozen=True)
class Unit:
    text: str  # verbatim from the source (a table row is quoted with its header)
    kind: str  # "sentence" | "item" | "row" | "lead" (a lead-in line with its list items)
    follow: str | None = None  # the next sentence of its paragraph or of the next plain one, for context
    lead: str | None = None  # for a list item: the sentence introducing its list ("Report the following:")
    follow_is_new_paragraph: bool = False  # `follow` opens the next paragraph (a new point, more often than not)


def split_units(body: str) -> list[Unit]:
    units: list[Unit] = []
    lines = _unwrapped(body.splitlines())
    lead: str | None = None  # the lead-in of the list being read (a line ending with ":")
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if line.startswith("|"):
            table = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                table.append(lines[i].strip())
                i += 1
            units.extend(_table_rows(table))
            continue
        if line:
            kind = "item" if LIST_ITEM.match(line) else "sentence"
            sentences = [line] if kind == "item" and len(line.split()) <= ITEM_WHOLE_WORDS else _sentences(line)
            found = _table_lead(sentences, lines, i + 1) if kind == "sentence" else None
            table_lead = None  # (its lead-in, the table): quoted together, never alone ("The table below shows…")
            if found is not None:
                at, table = found
                table_lead, sentences = (" ".join(sentences[at:]), table), sentences[:at]
            intro = line.endswith(":") and table_lead is None
            following = kind == "sentence" and bool(sentences) and bool(_FOLLOWING.search(sentences[-1]))
            items = _following_items(lines, i + 1) if sentences and (intro or following) else []
            if kind == "sentence":
                lead = _lead_in(sentences) if items or (sentences and intro) else None
            of = lead if kind == "item" and lead and not _bare_label(lead) else None
            # a lead-in is quoted with its list, never alone ("…any of the following channels:" says nothing)
            standalone = [s for s in sentences if not (items and s == sentences[-1])]
            after = _next_paragraph(lines, i + 1) if kind == "sentence" and not items else None
            follows = [*sentences[1:], after]
            units.extend(
                Unit(s, kind, nxt, of, follow_is_new_paragraph=after is not None and j == len(sentences) - 1)
                for j, (s, nxt) in enumerate(zip(standalone, follows))
            )
            if items:
                units.append(Unit("\n".join([_lead_in(sentences), *items]), "lead"))
            if table_lead is not None and len(table_lead[1]) - 2 <= TABLE_LEAD_ROWS:
                units.append(Unit("\n".join([table_lead[0], *table_lead[1]]), "lead"))
        i += 1
    return units


_TITLE_WORD = re.compile(r"^[A-Z0-9(&/]|^(a|an|and|the|of|for|on|in|to|or|with|by|at)$")
_ENDS = (".", ":", ";", "!", "?")  # a line ending so ends its sentence (or introduces a list)
_NUMBERED = re.compile(r"^(#+\s|\d+(\.\d+)*\.?\s+[A-Z])")


def heading_like(text: str, numbered: bool = True) -> bool:
    """Whether an unpunctuated line reads as a heading left in a PDF's text: at most 5 words, at most 8 in title
    case ("Solicitation on Foundation property"), or, with `numbered`, numbered ("2.1 Personal days added to a
    business trip"; a numbered list item may be unpunctuated too)."""
    text = text.strip()
    if text.endswith(_ENDS):
        return False
    words = text.split()
    if len(words) <= 5 or (len(words) <= 8 and all(_TITLE_WORD.match(w) for w in words)):
        return True
    return numbered and bool(_NUMBERED.match(text)) and len(words) <= 12


def _unwrapped(lines: list[str]) -> list[str]:
    """The lines with a sentence wrapped onto the next line joined again: a line that does not end a sentence and
    is no heading goes on in the next one unless that is a list item or a table row (a PDF's text: "…tell your
    manager and People" / "Ops at hr@northwind.example…"; in Markdown, too, such lines are one paragraph)."""
    out: list[str] = []
    for line in lines:
        text = line.strip()
        prev = out[-1] if out else ""
        wrapped = prev and not prev.startswith("|") and not prev.endswith(_ENDS)
        if wrapped and text and not heading_like(prev) and not LIST_ITEM.match(text) and not text.startswith(("|", "#")):
            out[-1] = f"{prev} {text}"
        else:
            out.append(text)
    return out


def _next_paragraph(lines: list[str], start: int) -> str | None:
    """The first sentence of the next line when it is a paragraph of plain sentences (no list item, table row or
    lead-in): a PDF's clause often goes on in its next line ("…no later than the starting time of the work day." /
    "Employees must notify their supervisor on each day of absence…")."""
    line = next((ln.strip() for ln in lines[start:] if ln.strip()), "")
    if not line or LIST_ITEM.match(line) or line.startswith("|") or line.endswith(":"):
        return None
    first = _sentences(line)
    if not first or not first[0].endswith((".", "!")) or _FOLLOWING.search(first[0]):
        return None  # a heading left in a PDF's text, or a list's lead-in (quoted with its list only)
    return first[0]


TABLE_LEAD_ROWS = 8  # a table this long is quoted whole with the sentence introducing it; a longer one row by row


def _table_lead(sentences: list[str], lines: list[str], start: int) -> tuple[int, list[str]] | None:
    """(where the sentences introducing the table right after this paragraph begin: the first that points to it,
    else the last one when it ends with ":"; the table's lines), or None when no table follows or nothing
    introduces it."""
    at = next((j for j, s in enumerate(sentences) if _TABLE_POINTER.search(s)), None)
    if at is None and not (sentences and sentences[-1].endswith(":")):
        return None
    rest = list(itertools.dropwhile(lambda ln: not ln.strip(), lines[start:]))
    table = [ln.strip() for ln in itertools.takewhile(lambda ln: ln.strip().startswith("|"), rest)]
    if not table:
        return None
    return (len(sentences) - 1 if at is None else at), table


# a short lead-in that carries the rule of its list: without "You must not:" an item reads as a permission
_RULE_WORDS = re.compile(r"\b(must|may|not|never|shall|should|cannot|can't|do|don't|required|prohibited|allowed)\b", re.I)


def _bare_label(text: str) -> bool:
    """A label that says nothing on its own ("Procedures:", "CODE OF ETHICS:"): at most 4 words ending with ":",
    none of them a rule's ("You must not:" says what its items are)."""
    return text.endswith(":") and len(text.split()) <= 4 and not _RULE_WORDS.search(text)


def _lead_in(sentences: list[str]) -> str:
    """The sentence that introduces a list; with the one before it when it is a mere label ("Examples:")."""
    if len(sentences) > 1 and len(sentences[-1].split()) < 4:
        return " ".join(sentences[-2:])
    return sentences[-1]


def _following_items(lines: list[str], start: int, limit: int = 8) -> list[str]:
    """The list items right after a lead-in line ("…any of the following channels:")."""
    items: list[str] = []
    for line in lines[start:]:
        if not items and not line.strip():
            continue  # a blank line between the lead-in and its list
        if not LIST_ITEM.match(line) or len(items) >= limit:
            break
        items.append(line.strip())
    return items


def _sentences(text: str) -> list[str]:
    parts = [piece for part in _SENTENCE.split(text) for piece in _aside_apart(part)]
    merged: list[str] = []
    for part in parts:
        if merged and _ABBREV.search(merged[-1]):
            merged[-1] += " " + part
        else:
            merged.append(part)
    return [p.strip() for p in merged if len(p.strip()) > 2]


def _aside_apart(part: str) -> list[str]:
    """A sentence opening with a whole parenthesis is two: "(adjust to align with your current practice) If an
    employee is required to leave…" is an aside (a template's note) and then the clause; the split keeps the aside
    from standing in for the clause."""
    if not part.startswith("("):
        return [part]
    depth = 0
    for i, ch in enumerate(part):
        depth += (ch == "(") - (ch == ")")
        if depth == 0:
            rest = part[i + 1 :]
            return [part[: i + 1], rest.strip()] if re.match(r"\s+[A-Z]", rest) else [part]
    return [part]


_SEPARATOR = re.compile(r"\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*\|?")  # "|---|:--:|", under a table's header line


def table_headers(body: str) -> list[str]:
    """The header lines of the Markdown tables in `body` (a line of cells followed by a separator line)."""
    lines = [ln.strip() for ln in body.splitlines()]
    return [ln for ln, nxt in itertools.pairwise(lines) if ln.startswith("|") and _SEPARATOR.fullmatch(nxt)]


def _table_rows(table: list[str]) -> list[Unit]:
    if len(table) < 3 or not _SEPARATOR.fullmatch(table[1]):
        return [Unit(row, "row") for row in table]
    header = table[0]
    return [Unit(f"{header}\n{table[1]}\n{row}", "row") for row in table[2:]]
