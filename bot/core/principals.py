"""Principals and audiences: who may see which documents.

A document's `audience` front matter becomes the chunk metadata `audience` (a list of principals).
An asker holds a set of principals (always including `everyone`); a chunk is visible when the two
intersect.
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
    items = value.split(",") if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    cleaned = sorted({str(i).strip().lower().lstrip("@") for i in items if str(i).strip()})
    return cleaned or [EVERYONE]


def can_see(audience: Iterable[str], principals: Principals) -> bool:
    """True when any of the audience's principals is held."""
    return bool(set(audience) & principals)
