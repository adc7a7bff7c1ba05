"""Hybrid retrieval: dense (Chroma) and BM25 fused by reciprocal rank, filters inside both.

The access filter and the validity filter (documents that apply on the day asked, see
bot/retrieval/validity.py) are part of the Chroma `where` clause and of the BM25 weight mask, so a
chunk a person may not see, or that does not apply today, is never a candidate, not merely dropped later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from bot.core.principals import Principals, can_see, principals_of
from bot.retrieval.bm25 import Bm25Index
from bot.retrieval.filters import chroma_where
from bot.retrieval.validity import applies_on, valid_where


@dataclass
class Hit:
    """A candidate chunk with the evidence behind its rank."""

    doc: Document
    fused: float = 0.0
    dense_sim: float | None = None  # cosine similarity, when the dense search found it
    dense_rank: int | None = None
    bm25_score: float | None = None
    bm25_rank: int | None = None

    @property
    def chunk_id(self) -> str:
        return str(self.doc.id)


@dataclass
class SearchResult:
    hits: list[Hit]
    query_embedding: list[float]
    best_dense_sim: float = 0.0  # over all dense candidates, before diversification
    timings_ms: dict[str, float] = field(default_factory=dict)


class HybridSearcher:
    """Shared, thread-safe search over one Chroma collection and its BM25 twin."""

    def __init__(
        self,
        collection,
        bm25: Bm25Index,
        embeddings: Embeddings,
        *,
        candidate_k: int = 30,
        rrf_k: int = 60,
        dense_weight: float = 1.0,
        bm25_weight: float = 1.0,
        max_per_section: int = 1,
    ) -> None:
        self.collection, self.bm25, self.embeddings = collection, bm25, embeddings
        self.candidate_k, self.rrf_k = candidate_k, rrf_k
        self.dense_weight, self.bm25_weight = dense_weight, bm25_weight
        self.max_per_section = max_per_section

    def search(
        self,
        query: str,
        k: int,
        *,
        principals: Principals = principals_of(),
        filters: Mapping[str, object] | None = None,
        query_embedding: list[float] | None = None,
        today: dt.date | None = None,
    ) -> SearchResult:
        """The `k` best chunks this asker may see among documents that apply on `today` (default: the real day)."""
        import time

        filters = dict(filters or {})
        today = today or dt.date.today()
        t0 = time.perf_counter()
        embedding = query_embedding or self.embeddings.embed_query(query)
        t1 = time.perf_counter()
        dense = self._dense(embedding, principals, filters, today)
        t2 = time.perf_counter()
        lexical = self.bm25.search(query, self.candidate_k, weight_mask=self._mask(principals, filters, today))
        t3 = time.perf_counter()
        hits: dict[str, Hit] = {}
        for rank, (doc, sim) in enumerate(dense, 1):
            hit = hits.setdefault(str(doc.id), Hit(doc))
            hit.dense_sim, hit.dense_rank = sim, rank
            hit.fused += self.dense_weight / (self.rrf_k + rank)
        for rank, (doc, score) in enumerate(lexical, 1):
            hit = hits.setdefault(str(doc.id), Hit(doc))
            hit.bm25_score, hit.bm25_rank = score, rank
            hit.fused += self.bm25_weight / (self.rrf_k + rank)
        ranked = _diversify(sorted(hits.values(), key=lambda h: h.fused, reverse=True), k, self.max_per_section)
        timings = {"embed": (t1 - t0) * 1000, "dense": (t2 - t1) * 1000, "bm25": (t3 - t2) * 1000}
        best = max((sim for _, sim in dense), default=0.0)
        return SearchResult(ranked, embedding, best, timings)

    def lexical_hit(
        self,
        text: str,
        *,
        principals: Principals = principals_of(),
        filters: Mapping[str, object] | None = None,
        today: dt.date | None = None,
        among: Callable[[str], bool] | None = None,
    ) -> Hit | None:
        """The chunk this asker may see that BM25 ranks first for `text` alone (None: no chunk has a word of it);
        the same access and validity filters as `search`. `among`: only chunks whose text it accepts (it reads
        every chunk's text: use it for rare questions)."""
        mask = self._mask(principals, dict(filters or {}), today or dt.date.today())
        if among is not None:
            mask = mask * np.fromiter((among(t) for t in self.bm25.texts), dtype=np.float32, count=len(self.bm25.texts))
        found = self.bm25.search(text, 1, weight_mask=mask)
        return Hit(found[0][0], bm25_score=found[0][1], bm25_rank=1) if found else None

    def _mask(self, principals: Principals, filters: dict, today: dt.date) -> np.ndarray:
        """The BM25 weight mask of the chunks `principals` may see that match `filters` and apply on `today`."""
        key = (principals, tuple(sorted((k_, str(v)) for k_, v in filters.items())), today)
        return self.bm25.mask(key, lambda m: _allowed(m, principals, filters, today))

    def _dense(
        self, embedding: list[float], principals: Principals, filters: dict, today: dt.date
    ) -> list[tuple[Document, float]]:
        where = {"$and": [chroma_where(principals), *valid_where(today), *({key: value} for key, value in filters.items())]}
        n = min(self.candidate_k, max(1, len(self.bm25)))
        res = self.collection.query(
            query_embeddings=[embedding], n_results=n, where=where, include=["documents", "metadatas", "distances"]
        )
        return [
            (Document(page_content=text, metadata=meta, id=cid), 1.0 - dist)
            for cid, text, meta, dist in zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0])
        ]


def _allowed(meta: dict, principals: Principals, filters: Mapping[str, object], today: dt.date) -> bool:
    if not applies_on(meta, today):
        return False
    if not can_see(meta.get("audience") or ["everyone"], principals):
        return False
    return all(meta.get(key) == value for key, value in filters.items())


def _diversify(hits: list[Hit], k: int, max_per_section: int) -> list[Hit]:
    """No repeated text and at most `max_per_section` chunks of one section, best first."""
    out: list[Hit] = []
    per_section: dict[tuple, int] = {}
    seen_text: set[str] = set()
    for hit in hits:
        meta = hit.doc.metadata
        section = (meta.get("doc_id"), meta.get("section"), meta.get("page"))
        body = hit.doc.page_content.strip()
        if body in seen_text or per_section.get(section, 0) >= max_per_section:
            continue
        seen_text.add(body)
        per_section[section] = per_section.get(section, 0) + 1
        out.append(hit)
        if len(out) >= k:
            break
    return out


class HybridRetriever(BaseRetriever):
    """The searcher as a LangChain retriever (for LCEL chains and tools)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: HybridSearcher
    k: int = 6
    principals: Principals = principals_of()
    filters: dict = {}

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        result = self.searcher.search(query, self.k, principals=self.principals, filters=self.filters)
        docs = []
        for hit in result.hits:
            meta = {**hit.doc.metadata, "fused_score": hit.fused, "dense_sim": hit.dense_sim, "bm25_rank": hit.bm25_rank}
            docs.append(Document(page_content=hit.doc.page_content, metadata=meta, id=hit.chunk_id))
        return docs
