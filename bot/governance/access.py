"""Audience-based access: who may see which documents.

A document's `audience` front matter becomes the chunk metadata `audience` (a list of principals).
An asker holds a set of principals (always including `everyone`); a chunk is visible when the two
intersect. The filter is expressed for both searches (Chroma `where` and the BM25 candidate mask).
"""

from __future__ import annotations

from collections.abc import Iterable

EVERYONE = "everyone"

Principals = frozenset[str]


def principals_of(groups: Iterable[str] = ()) -> Principals:
    """The principals of an asker in the given groups (normalised; `everyone` always included)."""
    return frozenset({EVERYONE, *(g.strip().lower().lstrip("@") for g in groups if g.strip())})


def normalise_audience(value: object) -> list[str]:
    """Front matter `audience` (a string, a comma list or a YAML list) as a sorted principal list."""
    if value is None or value == "":
        return [EVERYONE]
    items = value.split(",") if isinstance(value, str) else list(value)  # type: ignore[arg-type]
    cleaned = sorted({str(i).strip().lower().lstrip("@") for i in items if str(i).strip()})
    return cleaned or [EVERYONE]


def can_see(audience: Iterable[str], principals: Principals) -> bool:
    return bool(set(audience) & principals)


def chroma_where(principals: Principals) -> dict:
    """A Chroma `where` clause that keeps the documents this asker may see."""
    clauses = [{"audience": {"$contains": p}} for p in sorted(principals)]
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}
