"""A persisted BM25 index (bm25s) over the same chunks as Chroma, with filter masks.

Ingestion rebuilds it from the Chroma collection whenever the collection changed, so the two
searches always see the same chunks; questions only load and query it.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from langchain_core.documents import Document

_STEMMER = Stemmer.Stemmer("english")
_META = "chunks.jsonl"


def _tokenize(texts: list[str]) -> list[list[str]]:
    return bm25s.tokenize(texts, stopwords="en", stemmer=_STEMMER, return_ids=False, show_progress=False)


class Bm25Index:
    """BM25 (Lucene variant, k1=0.9, b=0.4 as in Anserini's BEIR runs) over chunk texts."""

    def __init__(self, model: bm25s.BM25, ids: list[str], texts: list[str], metadatas: list[dict]) -> None:
        self.model, self.ids, self.texts, self.metadatas = model, ids, texts, metadatas
        self._masks: dict[object, np.ndarray] = {}
        self._lock = threading.Lock()

    @classmethod
    def build(cls, ids: list[str], texts: list[str], metadatas: list[dict]) -> Bm25Index:
        model = bm25s.BM25(method="lucene", k1=0.9, b=0.4)
        if texts:
            model.index(_tokenize(texts), show_progress=False)
        return cls(model, ids, texts, metadatas)

    def save(self, directory: Path) -> None:
        """Write to a sibling folder, then swap it in, so a crash never leaves a half index."""
        tmp = directory.with_name(directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.texts:
            self.model.save(str(tmp), show_progress=False)
        with (tmp / _META).open("w", encoding="utf-8") as fh:
            for cid, text, meta in zip(self.ids, self.texts, self.metadatas):
                fh.write(json.dumps({"id": cid, "text": text, "metadata": meta}) + "\n")
        old = directory.with_name(directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if directory.exists():
            directory.rename(old)
        tmp.rename(directory)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> Bm25Index | None:
        meta_file = directory / _META
        if not meta_file.exists():
            return None
        rows = [json.loads(line) for line in meta_file.read_text(encoding="utf-8").splitlines() if line]
        model = bm25s.BM25.load(str(directory), show_progress=False) if rows else bm25s.BM25()
        return cls(model, [r["id"] for r in rows], [r["text"] for r in rows], [r["metadata"] for r in rows])

    def __len__(self) -> int:
        return len(self.ids)

    def mask(self, key: object, allowed: Callable[[dict], bool]) -> np.ndarray:
        """A 0/1 weight per chunk; cached per filter key (principals and equality filters)."""
        with self._lock:
            if key not in self._masks:
                self._masks[key] = np.array([1.0 if allowed(m) else 0.0 for m in self.metadatas], dtype=np.float32)
            return self._masks[key]

    def search(self, query: str, k: int, weight_mask: np.ndarray | None = None) -> list[tuple[Document, float]]:
        """Top-k chunks with a positive score; the mask applies inside the search."""
        if not self.ids or k <= 0:
            return []
        tokens = _tokenize([query])
        if not tokens[0]:
            return []
        k = min(k, len(self.ids))
        idx, scores = self.model.retrieve(tokens, k=k, weight_mask=weight_mask, show_progress=False, n_threads=1)
        out = []
        for i, score in zip(idx[0], scores[0]):
            if score <= 0:
                continue
            meta = dict(self.metadatas[i])
            out.append((Document(page_content=self.texts[i], metadata=meta, id=self.ids[i]), float(score)))
        return out
