"""Where an index's local state lives: the record manager, the BM25 twin and the ingest registry."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings


def bm25_dir(settings: Settings, collection: str) -> Path:
    return settings.data_dir / "bm25" / collection


def index_location(settings: Settings, collection: str) -> str:
    """Where the index is looked for (the Chroma server, or the data folder), for messages."""
    return str(settings.chroma_host or bm25_dir(settings, collection).parent.parent)


def registry_path(settings: Settings, collection: str) -> Path:
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    return settings.state_dir / f"registry-{collection}.json"


def open_record_manager(settings: Settings, collection: str, *, reset: bool = False):
    """LangChain's SQL record manager (SQLite) remembering which chunk hashes are indexed."""
    from langchain_classic.indexes import SQLRecordManager

    settings.state_dir.mkdir(parents=True, exist_ok=True)
    manager = SQLRecordManager(namespace=f"chroma/{collection}", db_url=f"sqlite:///{settings.state_dir / 'records.sqlite'}")
    manager.create_schema()
    if reset:
        keys = manager.list_keys()
        if keys:
            manager.delete_keys(keys)
    return manager
