"""Access and validity filters expressed for Chroma (`where`); the BM25 twin applies the same rules
as a candidate mask in `bot.retrieval.hybrid`."""

from __future__ import annotations

from bot.core.principals import Principals


def chroma_where(principals: Principals) -> dict:
    """A Chroma `where` clause that keeps current documents this asker may see."""
    clauses = [{"audience": {"$contains": p}} for p in sorted(principals)]
    access = clauses[0] if len(clauses) == 1 else {"$or": clauses}
    return {"$and": [{"superseded": False}, access]}
