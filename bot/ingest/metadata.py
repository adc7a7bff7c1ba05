"""Front matter to flat chunk metadata (Chroma takes str/int/float/bool and lists of them)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath

from bot.core.principals import normalise_audience
from bot.retrieval.validity import ALWAYS, FOREVER, iso_day_number

_OWNER = re.compile(r"^(?P<team>[^(#]*?)\s*\(?(?P<channel>#[\w.-]+)?\)?\s*$")
_HEADING = re.compile(r"^#{1,6}\s+(.+)$", re.MULTILINE)


def document_metadata(raw: dict, doc_id: str, text: str) -> dict:
    """Metadata every chunk of a document carries; sensible defaults when front matter is absent."""
    team, channel = _owner(raw.get("owner"), raw.get("owner_team"), raw.get("owner_channel"))
    first_heading = _HEADING.search(text)
    title = str(raw.get("title") or (first_heading.group(1) if first_heading else "") or _title_from_path(doc_id))
    meta = {
        "doc_id": doc_id,
        "source": doc_id,
        "title": title.strip(),
        "owner": team,
        "owner_channel": channel,
        "review_channel": str(raw["owner"].get("review_channel") or "").strip() if isinstance(raw.get("owner"), dict) else "",
        "effective_date": _iso(raw.get("effective_date")),
        "review_by": _iso(raw.get("review_by")),
        "expires": _iso(raw.get("expires")),
        "version": str(raw.get("version") or ""),
        "url": str(raw.get("url") or ""),
        "audience": normalise_audience(raw.get("audience")),
        "supersedes": _supersedes(raw.get("supersedes")),
    }
    extra = raw.get("extra_metadata") or {}
    meta.update({k: v for k, v in extra.items() if isinstance(v, (str, int, float, bool))})
    return meta


def validity_windows(entries: dict[str, dict], superseded_by: dict[str, str]) -> dict[str, list[int]]:
    """Per document, `[valid_from, valid_until)` as `yyyymmdd` days (see bot/retrieval/validity.py).

    `entries` maps doc id -> {"effective_date", "expires"} (ISO text or empty); `superseded_by`
    maps an old doc id -> its successor. A successor without an effective date replaces its
    predecessor at once; a document that replaces nothing applies from day 0 (a future one is
    answered with "takes effect on").
    """
    successors = set(superseded_by.values())
    windows: dict[str, list[int]] = {}
    for doc_id, entry in entries.items():
        start = iso_day_number(entry.get("effective_date"), ALWAYS) if doc_id in successors else ALWAYS
        end = iso_day_number(entry.get("expires"), FOREVER)
        if doc_id in superseded_by:
            end = min(end, iso_day_number(entries[superseded_by[doc_id]].get("effective_date"), ALWAYS))
        windows[doc_id] = [start, end]
    return windows


def _owner(owner: object, team: object, channel: object) -> tuple[str, str]:
    if isinstance(owner, dict):
        return str(owner.get("team") or "").strip(), str(owner.get("channel") or channel or "").strip()
    if isinstance(owner, str) and owner.strip():
        match = _OWNER.match(owner.strip())
        if match:
            return match.group("team").strip(), (match.group("channel") or str(channel or "")).strip()
    return str(team or "").strip(), str(channel or "").strip()


def _iso(value: object) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value or "").strip()


def _supersedes(value: object) -> list[str]:
    if not value:
        return []
    items = [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    return [str(PurePosixPath(str(i).strip())) for i in items if str(i).strip()]


def _title_from_path(doc_id: str) -> str:
    return PurePosixPath(doc_id).stem.replace("-", " ").replace("_", " ").strip().capitalize()
