"""Answer notes about when the quoted documents apply (the day is the one the question was asked).

Retrieval already keeps out documents that do not apply on that day (bot/retrieval/validity.py);
these notes tell the asker about the rest: a quoted policy that takes effect later, and a quoted
policy that a successor replaces on a later day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bot.retrieval.hybrid import Hit
from bot.retrieval.validity import ALWAYS, FOREVER, from_day_number


def long_date(day: dt.date) -> str:
    """2027-03-01 -> "1 March 2027"."""
    return f"{day.day} {day:%B %Y}"


def validity_notes(cited: Iterable[Hit], today: dt.date) -> str:
    """Notes to append to an answer quoting `cited` on `today` ("" when none apply), one per document."""
    notes: list[str] = []
    seen: set[str] = set()
    for hit in cited:
        meta = hit.doc.metadata
        doc_id = str(meta.get("doc_id", ""))
        if doc_id in seen:
            continue
        seen.add(doc_id)
        title = meta.get("title") or doc_id
        effective = _date(meta.get("effective_date"))
        if int(meta.get("valid_from", ALWAYS)) == ALWAYS and effective and effective > today:
            notes.append(f"Note: {title} takes effect on {long_date(effective)}; it does not apply yet.")
        until = int(meta.get("valid_until", FOREVER))
        if meta.get("superseded_by") and until != FOREVER:
            successor = meta.get("successor_title") or meta["superseded_by"]
            notes.append(
                f"From {long_date(from_day_number(until))} this changes: {successor} ({meta['superseded_by']}) replaces {title}."
            )
    return "".join(f"\n\n{note}" for note in notes)


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
