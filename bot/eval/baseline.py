"""The plain LangChain tutorial RAG recipe, as a yardstick for our pipeline.

RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200) over the same loaded document
texts (the same loaders, `LoadedDocument.text`, no cleaning, no headings, no PII masking), the
same embedding model, its own Chroma collection, and `similarity_search(query, k)`. No access
control, no supersession, no BM25, no abstention: its "answer" is the top-4 chunk texts joined.
Dataset metadata filters (PolicyQA's `policy`) are applied, since they are part of the task.

The collection is kept between runs: a chunk's id is a hash of its document id, position and
text, so only chunks not already stored are embedded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from bot.config import Settings
from bot.core.progress import ProgressCallback
from bot.ingest.loaders import SkipDocument
from bot.ingest.sources import DocumentSource
from bot.retrieval.vectorstore import open_vectorstore

COLLECTION = "eval-baseline"
ANSWER_CHUNKS = 4  # the tutorial's k


class BaselineRag:
    def __init__(self, settings: Settings, embeddings: Embeddings, collection: str = COLLECTION) -> None:
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        self.splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        self.store = open_vectorstore(settings, embeddings, collection)
        self.chunks_total = 0
        self.chunks_embedded = 0

    def build(self, sources: Iterable[DocumentSource], progress: ProgressCallback | None = None) -> None:
        """Load and split every source; embed only the chunks the collection does not hold yet."""
        progress = progress or (lambda stage, done, total: None)
        sources = list(sources)
        docs: list[Document] = []
        ids: list[str] = []
        for i, source in enumerate(sources):
            progress("baseline load", i, len(sources))
            try:
                loaded = source.load()
            except SkipDocument:
                continue
            extra = loaded.metadata.get("extra_metadata") or {}
            meta = {"doc_id": source.doc_id, "source": source.doc_id}
            meta.update({k: v for k, v in extra.items() if isinstance(v, (str, int, float, bool))})
            for n, piece in enumerate(self.splitter.split_text(loaded.text)):
                ids.append(hashlib.sha256(f"{source.doc_id}\x00{n}\x00{piece}".encode()).hexdigest())
                docs.append(Document(page_content=piece, metadata=dict(meta)))
        progress("baseline load", len(sources), len(sources))
        collection = self.store.collection
        existing: set[str] = set()
        for start in range(0, len(ids), 5000):
            existing.update(collection.get(ids=ids[start : start + 5000], include=[])["ids"])
        wanted = set(ids)
        stale = [i for i in collection.get(include=[])["ids"] if i not in wanted]
        for start in range(0, len(stale), 5000):
            collection.delete(ids=stale[start : start + 5000])
        todo = [(i, d) for i, d in zip(ids, docs) if i not in existing]
        batch = 256
        for start in range(0, len(todo), batch):
            progress("baseline embed", start, len(todo))
            part = todo[start : start + batch]
            self.store.langchain.add_documents([d for _, d in part], ids=[i for i, _ in part])
        progress("baseline embed", len(todo), len(todo))
        self.chunks_total = collection.count()
        self.chunks_embedded = len(todo)

    def search(self, query: str, k: int, filters: Mapping[str, object] | None = None) -> list[Document]:
        where = _where(filters or {})
        return self.store.langchain.similarity_search(query, k=k, filter=where)


def _where(filters: Mapping[str, object]) -> dict | None:
    if not filters:
        return None
    clauses = [{key: value} for key, value in filters.items()]
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
