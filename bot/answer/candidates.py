"""A quotable unit as the extractive answerer scored it, and what two units share (bot/answer/extractive.py,
bot/answer/tables.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.answer.text_units import Unit
from bot.retrieval.hybrid import Hit


@dataclass
class Scored:
    """A unit of a retrieved chunk with its score (higher answers better; about 0..1.3)."""

    unit: Unit
    hit: Hit
    score: float
    row: float = 0.0  # the table-row key bonus it got (see tables.row_bonuses)
    answers: float | None = None  # the answer scorer's probability (the units it re-ranked)
    context: list[str] = field(default_factory=list)  # the sentences quoted after it that continue it (_context)
    before: str | None = None  # the sentence quoted before it, that it points back to (_antecedent)


def own_heading(hit: Hit) -> str:
    """The chunk's innermost heading ("5.2 Working from abroad" of "5. Working… › 5.2 Working from abroad")."""
    return str(hit.doc.metadata.get("section", "")).split("›")[-1]


def overlap(a: Unit, b: Unit) -> bool:
    """Whether one unit quotes the other: a sentence in a sentence, an item in its list, a row in its table."""
    if a.text in b.text or b.text in a.text:
        return True
    row, lead = (a, b) if a.kind == "row" else (b, a)
    return row.kind == "row" and lead.kind == "lead" and row.text.rsplit("\n", 1)[-1] in lead.text.split("\n")
