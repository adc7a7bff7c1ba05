"""The Chroma collection: embedded and persistent by default, a Chroma server when CHROMA_HOST is set."""

from __future__ import annotations

from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from bot.config import Settings


def open_vectorstore(settings: Settings, embeddings: Embeddings, collection: str | None = None) -> Chroma:
    """Cosine space, because the model's vectors are normalised and tuned for cosine similarity."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
    else:
        settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
    return Chroma(
        collection_name=collection or settings.chroma_collection,
        embedding_function=embeddings,
        client=client,
        collection_metadata={"hnsw:space": "cosine"},
    )
