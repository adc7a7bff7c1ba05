"""Index health for the dashboard: documents, chunks, last ingest and documents past their review date.

Read from the BM25 twin (`chunks.jsonl`), which every ingest rewrites with every chunk's metadata:
no Chroma call is needed and the file's mtime is the time of the last ingest that changed it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from bot.config import Settings
from bot.core.chunks import is_overdue
from bot.retrieval.index_files import bm25_dir


@dataclass(frozen=True)
class IndexHealth:
    documents: int = 0
    chunks: int = 0
    last_ingest: str | None = None  # ISO UTC time of the last change, None: nothing ingested
    past_review: list[tuple[str, str]] = field(default_factory=list)  # (title, review_by), by date


def index_health(settings: Settings, collection: str | None = None) -> IndexHealth:
    """The health of `collection` (default CHROMA_COLLECTION); empty when nothing was ingested."""
    path = bm25_dir(settings, collection or settings.chroma_collection) / "chunks.jsonl"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        mtime = path.stat().st_mtime
    except OSError:
        return IndexHealth()
    docs: dict[str, dict] = {}
    for line in lines:
        meta = json.loads(line).get("metadata", {})
        docs.setdefault(str(meta.get("doc_id", "")), meta)
    overdue = sorted(
        ((str(m.get("title") or d), str(m["review_by"])) for d, m in docs.items() if is_overdue(m.get("review_by"))),
        key=lambda item: item[1],
    )
    when = dt.datetime.fromtimestamp(mtime, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return IndexHealth(documents=len(docs), chunks=len(lines), last_ingest=when, past_review=overdue)
