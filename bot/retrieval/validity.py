"""Which documents apply on a given day, decided at question time from dates stored at ingest.

Every chunk carries `valid_from` and `valid_until` as integer days `yyyymmdd` (Chroma compares
numbers, not dates): a chunk applies on day D when `valid_from <= D < valid_until`. Ingest sets
`valid_from` to the effective date of a document that replaces another (0 otherwise: a new policy
with a future date is still answered, with "takes effect on"), and `valid_until` to the earlier of
its `expires` date and its successor's effective date (FOREVER when neither is given).
"""

from __future__ import annotations

import datetime as dt

ALWAYS = 0
FOREVER = 99991231


def day_number(day: dt.date) -> int:
    """2027-03-01 -> 20270301."""
    return day.year * 10000 + day.month * 100 + day.day


def iso_day_number(iso: str | None, default: int) -> int:
    """An ISO date string as `yyyymmdd`, or `default` when empty or not a date."""
    try:
        return day_number(dt.date.fromisoformat(str(iso))) if iso else default
    except ValueError:
        return default


def from_day_number(number: int) -> dt.date:
    return dt.date(number // 10000, number // 100 % 100, number % 100)


def valid_where(today: dt.date) -> list[dict]:
    """Chroma `where` clauses keeping chunks that apply on `today`."""
    day = day_number(today)
    return [{"valid_from": {"$lte": day}}, {"valid_until": {"$gt": day}}]


def applies_on(meta: dict, today: dt.date) -> bool:
    """The same test as `valid_where`, for the BM25 mask."""
    day = day_number(today)
    return int(meta.get("valid_from", ALWAYS)) <= day < int(meta.get("valid_until", FOREVER))
