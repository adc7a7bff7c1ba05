"""Helpers on indexed chunk text and document dates that every layer reads."""

from __future__ import annotations

import datetime as dt
import re

# a list item's line: "- ", "• ", "● " (PDF bullets), "1. ", "2) ", "A. ", "b) "
LIST_ITEM = re.compile(r"^\s*([-*•●○■▪◦‣–]|\d+[.)]|[A-Za-z][.)])\s+")


def chunk_body(chunk_text: str) -> str:
    """The chunk's text without its "Title › Section" context line."""
    return chunk_text.split("\n", 1)[1] if "\n" in chunk_text else chunk_text


def is_overdue(review_by: str | None, today: dt.date | None = None) -> bool:
    """A document past its review date (ISO `YYYY-MM-DD`) is still used but flagged to the reader."""
    if not review_by:
        return False
    try:
        return dt.date.fromisoformat(review_by) < (today or dt.date.today())
    except ValueError:
        return False
