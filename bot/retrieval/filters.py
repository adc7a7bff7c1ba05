"""The access filter expressed for Chroma (`where`); the BM25 twin applies the same rule as a
candidate mask in `bot.retrieval.hybrid`."""

from __future__ import annotations

from bot.core.principals import Principals


def chroma_where(principals: Principals) -> dict:
    """A Chroma `where` clause that keeps the documents this asker may see (validity on the day
    asked is added by `bot.retrieval.validity.valid_where`)."""
    clauses = [{"audience": {"$contains": p}} for p in sorted(principals)]
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}
