"""Ingestion: sources -> load -> clean -> mask PII -> chunk -> index (Chroma + BM25), incrementally.

Only documents whose bytes (or derived state such as being superseded) changed are loaded; the
LangChain indexing API with a SQL record manager then embeds only chunks it has not seen, and
cleans up a changed document's old chunks. The registry (state/registry-<collection>.json) is
written last, so an interrupted run is simply redone next time and never loses the old index.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.indexing import index

from bot.company import load_company
from bot.config import Settings
from bot.core.progress import ProgressCallback
from bot.governance.pii_documents import NoNamesSource, names_source_problem
from bot.ingest.chunking import chunk_document
from bot.ingest.cleaning import (
    join_cut_sentences,
    join_wrapped_lines,
    mark_pdf_headings,
    normalise_text,
    paragraphs_and_tables,
    strip_page_furniture,
)
from bot.ingest.duplicates import doc_signature, find_duplicates
from bot.ingest.loaders import LoadedDocument, SkipDocument
from bot.ingest.metadata import document_metadata, validity_windows
from bot.ingest.report import IngestReport
from bot.ingest.sources import DocumentSource, folder_sources
from bot.retrieval.embeddings import LazyEmbeddings, model_path, token_counter
from bot.retrieval.index_files import bm25_dir, open_record_manager, registry_path
from bot.retrieval.vectorstore import VectorStore, open_vectorstore

log = logging.getLogger(__name__)
PIPELINE_VERSION = "7"  # bump when chunking, cleaning or masking changes, to re-chunk everything once
# Masks a batch of texts: each masked text with the spans masked in it (objects with entity_type,
# start, end; offsets into the text before masking), e.g. `PiiMasker.mask_documents`.
Transform = Callable[[list[str]], list[tuple[str, list]]]


class CountingEmbeddings(Embeddings):
    """Delegates to the real model, counting texts embedded and reporting progress."""

    def __init__(self, inner: Embeddings, on_batch: Callable[[int], None] | None = None) -> None:
        self.inner, self.on_batch, self.texts_embedded = inner, on_batch, 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = self.inner.embed_documents(texts)
        self.texts_embedded += len(texts)
        if self.on_batch:
            self.on_batch(len(texts))
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


class Ingestor:
    """Keeps one Chroma collection (and its BM25 twin) in step with a set of document sources."""

    def __init__(
        self,
        settings: Settings,
        *,
        embeddings: Embeddings | None = None,
        transform: Transform | None = None,
        progress: ProgressCallback | None = None,
        collection: str | None = None,
        skip_exact_duplicates: bool = True,
        batch_chunks: int = 512,
    ) -> None:
        """`batch_chunks`: chunks per indexing call (one encode call; whole documents, so a larger
        document gets a batch of its own)."""
        self.settings = settings
        self.batch_chunks = batch_chunks
        self.collection = collection or settings.chroma_collection
        self.embeddings = embeddings or LazyEmbeddings(
            settings.embedding_model, settings.embedding_threads, settings.embedding_batch_size
        )
        self.transform = transform if transform is not None else _default_transform(settings)
        self.progress = progress or (lambda stage, done, total: None)
        self.skip_exact_duplicates = skip_exact_duplicates
        self.count_tokens = lambda text: token_counter(settings.embedding_model)(text)

    # --- public ------------------------------------------------------------------------
    def ingest_folder(self, root: Path | None = None, *, rebuild: bool = False) -> IngestReport:
        root = Path(root or self.settings.knowledge_dir)
        if not root.exists():
            raise FileNotFoundError(f"knowledge folder not found: {root}")
        sources, skipped = folder_sources(
            root,
            exclude=self.settings.ingest_exclude,
            max_file_bytes=int(self.settings.max_file_mb * 1e6),
            max_line_chars=self.settings.max_line_chars,
        )
        return self.ingest(sources, skipped=skipped, rebuild=rebuild, partial=root.is_file())

    def ingest(
        self,
        sources: Iterable[DocumentSource],
        *,
        skipped: list[tuple[str, str]] | None = None,
        rebuild: bool = False,
        partial: bool = False,
    ) -> IngestReport:
        """Bring the index in line with `sources`; `partial` (one file) never deletes others."""
        started = time.perf_counter()
        report = IngestReport(skipped=list(skipped or []))
        registry, known = self._registry(rebuild)
        sources = list(sources)
        present = {s.doc_id for s in sources} | {doc_id for doc_id, _ in report.skipped}

        loaded = self._load_all([s for s in sources if known.get(s.doc_id, {}).get("sha") != s.sha], report)
        entries = _entries(sources, known, loaded, report)
        derived = self._derive(entries, report)
        loaded.update(self._load_all(_restated(sources, known, entries, loaded, derived), report))
        report.stage_seconds["load+clean+mask"] = time.perf_counter() - started

        t_chunk = time.perf_counter()
        chunks = self._chunk(loaded, entries, derived)
        report.stage_seconds["chunk"] = time.perf_counter() - t_chunk

        t_index = time.perf_counter()
        counting = CountingEmbeddings(self.embeddings, self._embedding_progress(len(chunks)))
        vectorstore, record_manager = self._open(counting)  # the store embeds through our counter
        result = _index_whole_documents(chunks, record_manager, vectorstore.langchain, self.batch_chunks)
        gone = set() if partial else set(known) - present
        gone |= {d for d in derived.duplicates_of if known.get(d, {}).get("chunks")}
        report.chunks_deleted = result["num_deleted"] + self._delete_sources(gone, vectorstore, record_manager)
        for doc_id in gone - set(derived.duplicates_of):
            entries.pop(doc_id, None)
        if partial:
            entries = {**known, **entries}
        report.stage_seconds["index (embed+write)"] = time.perf_counter() - t_index

        _count(report, result, counting, known, loaded, entries, gone - set(derived.duplicates_of))
        changed_index = bool(result["num_added"] or report.chunks_deleted or result["num_updated"])
        if changed_index or not (bm25_dir(self.settings, self.collection) / "chunks.jsonl").exists():
            t_bm25 = time.perf_counter()
            self._rebuild_bm25(vectorstore)
            report.stage_seconds["bm25"] = time.perf_counter() - t_bm25
        report.chunks_total = vectorstore.collection.count()
        registry["docs"] = entries
        self._write_registry(registry)
        report.seconds = time.perf_counter() - started
        return report

    def _registry(self, rebuild: bool) -> tuple[dict, dict[str, dict]]:
        """The ingest registry and its documents; empty after `rebuild` or a settings change."""
        if rebuild:
            self._drop()
        registry = self._read_registry()
        fingerprint = self._fingerprint()
        if registry.get("fingerprint") != fingerprint:
            registry = {"fingerprint": fingerprint, "docs": {}}
        return registry, registry["docs"]

    def _derive(self, entries: dict[str, dict], report: IngestReport) -> _Derived:
        """Validity windows (decided against the day at question time) and exact duplicates (kept
        out of the index), reported."""
        superseded_by = {old: doc_id for doc_id, e in entries.items() for old in e["supersedes"] if old in entries}
        windows = validity_windows(entries, superseded_by)
        exact, near = find_duplicates(
            {d: tuple(e["signature"]) for d, e in entries.items()}, self.settings.near_duplicate_threshold
        )
        duplicates_of = {dup: kept for kept, dup in exact} if self.skip_exact_duplicates else {}
        report.superseded = sorted(superseded_by.items())
        report.duplicates = [{"kept": k, "duplicate": d, "similarity": 1.0} for k, d in exact]
        report.near_duplicates = [{"a": a, "b": b, "similarity": s} for a, b, s in near]
        return _Derived(superseded_by, windows, duplicates_of)

    def _chunk(self, loaded: dict[str, tuple[dict, dict, list]], entries: dict[str, dict], derived: _Derived) -> list[Document]:
        """Chunks of the loaded documents (duplicates left out), with their derived metadata; the
        registry entries learn their chunk counts and derived state."""
        chunks: list[Document] = []
        for doc_id, (_, meta, segments) in loaded.items():
            if doc_id in derived.duplicates_of:
                continue
            meta["valid_from"], meta["valid_until"] = derived.windows[doc_id]
            if doc_id in derived.superseded_by:
                meta["superseded_by"] = derived.superseded_by[doc_id]
                meta["successor_title"] = entries[derived.superseded_by[doc_id]]["title"]
            doc_chunks = chunk_document(segments, meta, count_tokens=self.count_tokens, max_tokens=self.settings.chunk_max_tokens)
            entries[doc_id]["chunks"] = len(doc_chunks)
            chunks.extend(doc_chunks)
        for doc_id, entry in entries.items():
            entry["superseded_by"] = derived.superseded_by.get(doc_id)
            entry["window"] = derived.windows[doc_id]
            entry["duplicate_of"] = derived.duplicates_of.get(doc_id)
        return chunks

    # --- steps -------------------------------------------------------------------------
    def _load_all(self, sources: list[DocumentSource], report: IngestReport) -> dict[str, tuple[dict, dict, list]]:
        """Load, clean and mask each source; failures are reported and skipped."""
        out: dict[str, tuple[dict, dict, list]] = {}
        for i, source in enumerate(sources):
            self.progress("load", i, len(sources))
            try:
                doc = source.load()
                segments = self._clean(doc)
                if not any(text.strip() for _, text in segments):
                    raise SkipDocument("no text left after cleaning")
            except SkipDocument as exc:
                report.skipped.append((source.doc_id, str(exc)))
                continue
            meta = document_metadata(doc.metadata, doc.doc_id, "\n".join(t for _, t in segments))
            out[source.doc_id] = ({"sha": source.sha, "signature": list(doc_signature(doc.text))}, meta, segments)
        if sources:
            self.progress("load", len(sources), len(sources))
        if out and self.transform is not None:
            self._mask(out)
        return out

    def _clean(self, doc: LoadedDocument) -> list[tuple[int | None, str]]:
        segments = doc.segments
        if doc.fmt == "pdf":
            segments = strip_page_furniture(segments)
            segments = join_cut_sentences(mark_pdf_headings([(p, normalise_text(t)) for p, t in segments]))
            segments = [(p, paragraphs_and_tables(join_wrapped_lines(t))) for p, t in segments]
            title = str(doc.metadata.get("title") or "")
            if title and segments:
                page, text = segments[0]
                first, _, rest = text.partition("\n\n")
                segments[0] = (page, f"# {title}\n\n" + (rest if first.lstrip("# ").strip() == title else text))
        return [(p, normalise_text(t)) for p, t in segments]

    def _mask(self, loaded: dict[str, tuple[dict, dict, list]]) -> None:
        """PII is masked here, before chunking and indexing: the one transform point.

        Each masked span is recorded on the document (type, page, offsets; never the value) and
        logged the same way, so an admin can review what was masked (`policybot ingest --show-masked`).
        """
        flat = [(doc_id, i) for doc_id, (_, _, segs) in loaded.items() for i in range(len(segs))]
        masked = self.transform([loaded[d][2][i][1] for d, i in flat])  # type: ignore[misc]
        for doc, _, _ in loaded.values():
            doc["masked"] = []
        for (doc_id, i), (text, spans) in zip(flat, masked, strict=True):
            doc, _, segs = loaded[doc_id]
            page = segs[i][0]
            for span in spans:
                doc["masked"].append([span.entity_type, page, span.start, span.end])
                log.info("masked %s in %s (page %s) at %d-%d", span.entity_type, doc_id, page, span.start, span.end)
            segs[i] = (page, text)

    def _embedding_progress(self, total: int) -> Callable[[int], None]:
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            self.progress("embed", done, total)

        return advance

    def _delete_sources(self, doc_ids: set[str], vectorstore, record_manager) -> int:
        if not doc_ids:
            return 0
        keys = record_manager.list_keys(group_ids=sorted(doc_ids))
        if keys:
            vectorstore.collection.delete(ids=keys)
            record_manager.delete_keys(keys)
        return len(keys)

    def _rebuild_bm25(self, vectorstore) -> None:
        from bot.retrieval.bm25 import Bm25Index

        data = vectorstore.collection.get(include=["documents", "metadatas"])
        Bm25Index.build(data["ids"], data["documents"], data["metadatas"]).save(bm25_dir(self.settings, self.collection))

    # --- state -------------------------------------------------------------------------
    def _open(self, embeddings: Embeddings) -> tuple[VectorStore, Any]:
        vectorstore = open_vectorstore(self.settings, embeddings, self.collection)
        return vectorstore, open_record_manager(self.settings, self.collection)

    def _drop(self) -> None:
        vectorstore, _ = self._open(self.embeddings)
        vectorstore.langchain.delete_collection()
        open_record_manager(self.settings, self.collection, reset=True)
        registry_path(self.settings, self.collection).unlink(missing_ok=True)
        shutil.rmtree(bm25_dir(self.settings, self.collection), ignore_errors=True)

    def _fingerprint(self) -> str:
        s = self.settings
        names = s.pii_names_file.read_text(encoding="utf-8") if s.pii_names_file and s.pii_names_file.exists() else ""
        pii = hashlib.sha256(
            json.dumps([s.pii_enabled, load_company(s.company_path).pii_allowlist, names, s.spacy_model]).encode()
        ).hexdigest()[:12]
        return f"v{PIPELINE_VERSION}|{model_path(s.embedding_model)}|{s.chunk_max_tokens}|pii={pii}"

    def _read_registry(self) -> dict:
        path = registry_path(self.settings, self.collection)
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _write_registry(self, registry: dict) -> None:
        path = registry_path(self.settings, self.collection)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(registry, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(path)


@dataclass(frozen=True)
class _Derived:
    """State derived from all documents together, decided anew on every run."""

    superseded_by: dict[str, str]  # old doc id -> its successor
    windows: dict[str, list[int]]  # doc id -> [valid_from, valid_until) as yyyymmdd
    duplicates_of: dict[str, str]  # exact duplicate -> the document kept


def _entries(
    sources: list[DocumentSource], known: dict[str, dict], loaded: dict[str, tuple[dict, dict, list]], report: IngestReport
) -> dict[str, dict]:
    """Registry entries of every present document: unchanged ones as known, loaded ones anew;
    a document skipped this run keeps what was indexed."""
    entries = {s.doc_id: known[s.doc_id] for s in sources if s.doc_id in known and s.doc_id not in loaded}
    entries.update({d: known[d] for d, _ in report.skipped if d in known})
    for doc_id, (doc, meta, _) in loaded.items():
        entries[doc_id] = {
            "sha": doc["sha"],
            "supersedes": meta["supersedes"],
            "title": meta["title"],
            "signature": doc["signature"],
            "effective_date": meta["effective_date"],
            "expires": meta["expires"],
            "masked": doc.get("masked", []),
        }
    return entries


def _restated(
    sources: list[DocumentSource],
    known: dict[str, dict],
    entries: dict[str, dict],
    loaded: dict[str, tuple[dict, dict, list]],
    derived: _Derived,
) -> list[DocumentSource]:
    """Unchanged documents whose derived state changed (a new successor, window or duplicate)."""
    return [
        s
        for s in sources
        if s.doc_id in entries
        and s.doc_id not in loaded
        and (
            known[s.doc_id].get("superseded_by") != derived.superseded_by.get(s.doc_id)
            or known[s.doc_id].get("window") != derived.windows[s.doc_id]
            or known[s.doc_id].get("duplicate_of") != derived.duplicates_of.get(s.doc_id)
        )
    ]


def _count(
    report: IngestReport,
    result: dict[str, int],
    counting: CountingEmbeddings,
    known: dict[str, dict],
    loaded: dict[str, tuple[dict, dict, list]],
    entries: dict[str, dict],
    deleted: set[str],
) -> None:
    """The report's document and chunk counts, and the spans masked in what was loaded."""
    report.chunks_embedded = counting.texts_embedded
    report.chunks_added, report.chunks_unchanged = result["num_added"], result["num_skipped"]
    report.deleted = sorted(deleted)
    for doc_id in sorted(loaded):
        (report.updated if doc_id in known else report.added).append(doc_id)
    report.unchanged = sorted(d for d in entries if d not in loaded and d not in report.deleted)
    report.masked = [span for doc_id in sorted(loaded) for span in masked_spans_of(doc_id, entries.get(doc_id, {}))]


def _index_whole_documents(chunks: list[Document], record_manager, vectorstore, batch_chunks: int) -> dict[str, int]:
    """LangChain `index()` over batches of whole documents, summing its counts.

    Incremental cleanup runs after every batch and deletes the batch's sources' chunks not seen in
    that batch, so a document split across batches would lose (and re-embed) its later chunks, and
    a crash between batches would leave it half-indexed. Whole-document batches avoid both.
    """
    totals = {"num_added": 0, "num_updated": 0, "num_skipped": 0, "num_deleted": 0}
    for batch in _document_batches(chunks, batch_chunks):
        result = index(
            batch,
            record_manager,
            vectorstore,
            cleanup="incremental",
            source_id_key="source",
            batch_size=len(batch),  # the whole batch in one call: documents are never split
            key_encoder="sha256",
        )
        for key in totals:
            totals[key] += result[key]  # type: ignore[literal-required]
    return totals


def _document_batches(chunks: list[Document], limit: int) -> Iterator[list[Document]]:
    """Consecutive chunks grouped into batches of at most `limit` chunks, never splitting a document."""
    batch: list[Document] = []
    for _, group in groupby(chunks, key=lambda chunk: chunk.metadata["source"]):
        doc_chunks = list(group)
        if batch and len(batch) + len(doc_chunks) > limit:
            yield batch
            batch = []
        batch.extend(doc_chunks)
    if batch:
        yield batch


def _default_transform(settings: Settings) -> Transform | None:
    if not settings.pii_enabled:
        return None
    problem = names_source_problem(settings)
    if problem:
        raise NoNamesSource(problem)

    def mask_documents(texts: list[str]) -> list[tuple[str, list]]:
        from bot.governance.pii import get_masker  # built on first use: warm runs never need it

        return get_masker(settings).mask_documents(texts)

    return mask_documents


def masked_spans_of(doc_id: str, entry: dict) -> list[dict]:
    """A registry entry's masked spans as rows: type, document, page, start, end (no values)."""
    return [{"type": t, "doc": doc_id, "page": page, "start": a, "end": b} for t, page, a, b in entry.get("masked", [])]


def masked_spans(settings: Settings, collection: str | None = None) -> list[dict]:
    """Every span masked in the indexed documents, as recorded by the last ingest of each."""
    path = registry_path(settings, collection or settings.chroma_collection)
    try:
        docs = json.loads(path.read_text(encoding="utf-8")).get("docs", {})
    except (OSError, ValueError):
        return []
    return [row for doc_id in sorted(docs) for row in masked_spans_of(doc_id, docs[doc_id])]


def run_ingest(settings: Settings, path: Path | None = None, *, rebuild: bool = False, **kwargs) -> IngestReport:
    """Ingest a folder (default: KNOWLEDGE_DIR) into the configured index."""
    return Ingestor(settings, **kwargs).ingest_folder(path, rebuild=rebuild)
