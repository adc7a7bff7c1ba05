"""The Chroma collection: embedded and persistent by default, a Chroma server when CHROMA_HOST is set.

We own the chromadb client: searches and bulk reads use the collection's public API
(`open_collection`), and LangChain's `Chroma` wrapper over the same collection serves the indexing
API (`open_vectorstore`), so nothing reaches into a wrapper's private attributes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from bot.config import Settings

SPACE = {"hnsw:space": "cosine"}  # the model's vectors are normalised and tuned for cosine similarity


@dataclass(frozen=True)
class VectorStore:
    """One collection seen two ways: `collection` (chromadb's public API: get, count, query) and
    `langchain` (the `Chroma` vector store the LangChain indexing API writes through)."""

    collection: Any  # chromadb.api.models.Collection.Collection
    langchain: Chroma


def _client(settings: Settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


def open_collection(settings: Settings, name: str | None = None):
    """The chromadb collection (created, in cosine space, when missing)."""
    return _client(settings).get_or_create_collection(name or settings.chroma_collection, metadata=SPACE)


def open_vectorstore(settings: Settings, embeddings: Embeddings, name: str | None = None) -> VectorStore:
    """The collection and a LangChain `Chroma` over it that embeds with `embeddings`."""
    client = _client(settings)
    name = name or settings.chroma_collection
    store = Chroma(collection_name=name, embedding_function=embeddings, client=client, collection_metadata=SPACE)
    return VectorStore(collection=client.get_or_create_collection(name, metadata=SPACE), langchain=store)
