"""Ingest a dataset into its own index, ask every question through the real pipeline, score it.

The dataset gets its own data directory (`{data_dir}/eval-cache/<name>-<hash of its path>`, or a
temporary one) and collection, so the production index is never touched; ingestion is
incremental, so a second run over the same dataset embeds nothing.

Per question, one call: `PolicyService.ask_with_search` -- the answer, abstention, confidence and
latency we report, and the search behind it. The evaluation service is built with
`search_depth=SEARCH_CHUNKS`, so its one search ranks that many chunks while the answerer is still
handed only the first `retrieval_k`; fusion and diversification are prefix-stable, so the answer is
the one production would give, and documents are ranked from the very search it used (its query:
follow-up context and synonyms included). A document ranks by its best chunk (for nDCG / recall /
MRR); "context recall" is measured on the `retrieval_k` chunks handed to the answerer. Reports of
a run (per-question JSONL, the failures digest) are in `bot.eval.failures`.
"""

from __future__ import annotations

import hashlib
import math
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.answer.scorer import resolve_scorer
from bot.config import Settings
from bot.core.progress import ProgressCallback
from bot.eval import metrics as m
from bot.eval.dataset import Dataset
from bot.ingest.report import IngestReport
from bot.ingest.sources import DocumentSource, corpus_sources, folder_sources

COLLECTION = "eval"
SEARCH_CHUNKS = 50  # chunks fetched to rank documents (>= k documents in practice)
EVIDENCE_CHUNKS = 5


@dataclass
class Record:
    """One question's outcome for one system."""

    id: str
    question: str
    ranked: list[str]  # document ids, best first
    context_docs: list[str]  # documents of the chunks handed to the answerer
    top_chunks: list[str]  # texts of the first EVIDENCE_CHUNKS chunks
    answer: str = ""
    kind: str = "answer"
    abstained: bool = False
    confidence: float | None = None
    latency_ms: float = 0.0
    cited: list[str] = field(default_factory=list)


@dataclass
class SystemRun:
    name: str
    records: dict[str, Record]
    notes: dict[str, object] = field(default_factory=dict)


@dataclass
class EvalResult:
    dataset: Dataset
    k: int
    settings: Settings
    ingest: IngestReport
    policybot: SystemRun
    baseline: SystemRun | None = None
    timings_s: dict[str, float] = field(default_factory=dict)
    data_dir: Path | None = None

    def summary(self) -> dict:
        s = self.settings
        out: dict = {
            "dataset": {
                "name": self.dataset.name,
                "path": str(self.dataset.root),
                "corpus": str(self.dataset.corpus_file or self.dataset.docs_dir),
                "queries": len(self.dataset.queries),
                "queries_with_qrels": sum(1 for q in self.dataset.queries if self.dataset.qrels.get(q.id)),
                "with_answers_file": self.dataset.has_answers,
            },
            "config": {
                "k": self.k,
                "search_chunks": SEARCH_CHUNKS,
                "retrieval_k": s.retrieval_k,
                "candidate_k": s.candidate_k,
                "rrf_k": s.rrf_k,
                "max_chunks_per_section": s.max_chunks_per_section,
                "abstain_threshold": s.abstain_threshold,
                "chunk_max_tokens": s.chunk_max_tokens,
                "embedding_model": s.embedding_model or "all-MiniLM-L6-v2 (bundled)",
                "llm_model": s.llm_model,
                "pii_masking": s.pii_enabled,
            },
            "index": {
                "data_dir": str(self.data_dir),
                "documents": len(self.ingest.added) + len(self.ingest.updated) + len(self.ingest.unchanged),
                "skipped": len(self.ingest.skipped),
                "superseded": len(self.ingest.superseded),
                "chunks": self.ingest.chunks_total,
                "chunks_embedded": self.ingest.chunks_embedded,
            },
            "policybot": summarise(self.dataset, self.policybot, self.k),
            "timings_s": {k: round(v, 2) for k, v in self.timings_s.items()},
        }
        if self.baseline is not None:
            out["baseline"] = summarise(self.dataset, self.baseline, self.k)
        return json_safe(out)


# --- settings and index -------------------------------------------------------------------
def cache_dir(settings: Settings, dataset: Dataset) -> Path:
    key = hashlib.sha256(str(dataset.root).encode()).hexdigest()[:10]
    return settings.data_dir / "eval-cache" / f"{dataset.name}-{key}"


def eval_settings(settings: Settings, data_dir: Path) -> Settings:
    """A copy pointing at the eval index: local Chroma, own collection.

    PII masking follows PII_ENABLED, so the golden set measures the bot as deployed; set
    PII_ENABLED=false for large public sets to skip masking their corpus.
    """
    scorer = resolve_scorer(settings.answer_scorer, settings.data_dir)  # "auto": the deployment's promoted scorer
    return settings.model_copy(
        update={
            "data_dir": data_dir,
            "chroma_collection": COLLECTION,
            "chroma_host": None,
            "answer_scorer": str(scorer.resolve()) if scorer else "off",
        }
    )


def dataset_sources(dataset: Dataset, settings: Settings) -> tuple[list[DocumentSource], list[tuple[str, str]]]:
    if dataset.corpus_file is not None:
        return list(corpus_sources(dataset.corpus_file)), []
    assert dataset.docs_dir is not None
    return folder_sources(
        dataset.docs_dir,
        exclude=settings.ingest_exclude,
        max_file_bytes=int(settings.max_file_mb * 1e6),
        max_line_chars=settings.max_line_chars,
    )


# --- the run ------------------------------------------------------------------------------
def run_eval(
    dataset: Dataset,
    settings: Settings,
    *,
    k: int = 10,
    baseline: bool = False,
    fresh: bool = False,
    progress: ProgressCallback | None = None,
) -> EvalResult:
    progress = progress or (lambda stage, done, total: None)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    tmp = tempfile.TemporaryDirectory(prefix="policybot-eval-") if fresh else None
    data_dir = Path(tmp.name) if tmp else cache_dir(settings, dataset)
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        s = eval_settings(settings, data_dir)
        result = _run(dataset, s, k, baseline, progress, timings)
        result.data_dir = data_dir if not fresh else None
    finally:
        if tmp is not None:
            tmp.cleanup()
    timings["total"] = time.perf_counter() - started
    return result


def _run(dataset: Dataset, s: Settings, k: int, baseline: bool, progress: ProgressCallback, timings: dict) -> EvalResult:
    from bot.answer.service import PolicyService
    from bot.ingest.pipeline import Ingestor

    t0 = time.perf_counter()
    sources, skipped = dataset_sources(dataset, s)
    ingestor = Ingestor(
        s,
        collection=COLLECTION,
        skip_exact_duplicates=False,
        progress=lambda stage, done, total: progress(f"ingest {stage}", done, total),
    )
    report = ingestor.ingest(sources, skipped=skipped)
    timings["ingest"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    service = PolicyService(s, collection=COLLECTION, search_depth=SEARCH_CHUNKS)
    if service._searcher() is None:
        raise RuntimeError("the evaluation index is empty: no document of the dataset could be ingested")
    service.ask("How many days of annual leave do I get?")  # warm-up: model, BM25 load, caches
    timings["service_start"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = _run_policybot(service, dataset, s, progress)
    timings["queries"] = time.perf_counter() - t0

    result = EvalResult(dataset=dataset, k=k, settings=s, ingest=report, policybot=ours, timings_s=timings)
    if baseline:
        from bot.eval.baseline import ANSWER_CHUNKS, BaselineRag

        t0 = time.perf_counter()
        rag = BaselineRag(s, service.embeddings)
        rag.build(sources, progress)
        timings["baseline_ingest"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        result.baseline = _run_baseline(rag, dataset, k, ANSWER_CHUNKS, progress)
        result.baseline.notes.update({"chunks": rag.chunks_total, "chunks_embedded": rag.chunks_embedded})
        timings["baseline_queries"] = time.perf_counter() - t0
    return result


def _run_policybot(service, dataset: Dataset, s: Settings, progress: ProgressCallback) -> SystemRun:
    records: dict[str, Record] = {}
    total = len(dataset.queries)
    for i, q in enumerate(dataset.queries):
        progress("queries", i, total)
        principals, filters = dataset.restrictions(q)
        t0 = time.perf_counter()
        result, search = service.ask_with_search(q.text, principals=principals, filters=filters)
        latency = (time.perf_counter() - t0) * 1000
        hits = search.hits if search is not None else []
        docs = [str(h.doc.metadata.get("doc_id", "")) for h in hits]
        records[q.id] = Record(
            id=q.id,
            question=q.text,
            ranked=m.dedupe(docs),
            context_docs=m.dedupe(docs[: s.retrieval_k]),
            top_chunks=[h.doc.page_content for h in hits[:EVIDENCE_CHUNKS]],
            answer=result.answer,
            kind=result.kind,
            abstained=result.abstained,
            confidence=result.confidence,
            latency_ms=latency,
            cited=m.dedupe(src.doc_id for src in result.sources),
        )
    progress("queries", total, total)
    notes = {"context_chunks": s.retrieval_k, "answer_scorer": service.scorer.model_id if service.scorer else None}
    return SystemRun("policybot", records, notes)


def _run_baseline(rag, dataset: Dataset, k: int, answer_chunks: int, progress: ProgressCallback) -> SystemRun:
    records: dict[str, Record] = {}
    total = len(dataset.queries)
    depth = max(answer_chunks, k)
    for i, q in enumerate(dataset.queries):
        progress("baseline queries", i, total)
        _, filters = dataset.restrictions(q)
        t0 = time.perf_counter()
        docs = rag.search(q.text, depth, filters)
        latency = (time.perf_counter() - t0) * 1000
        ids = [str(d.metadata.get("doc_id", "")) for d in docs]
        records[q.id] = Record(
            id=q.id,
            question=q.text,
            ranked=m.dedupe(ids),
            context_docs=m.dedupe(ids[:answer_chunks]),
            top_chunks=[d.page_content for d in docs[:EVIDENCE_CHUNKS]],
            answer="\n\n".join(d.page_content for d in docs[:answer_chunks]),
            latency_ms=latency,
            confidence=None,
            cited=m.dedupe(ids[:answer_chunks]),
        )
    progress("baseline queries", total, total)
    return SystemRun(
        "baseline",
        records,
        {
            "context_chunks": answer_chunks,
            "search_chunks": depth,
            "answer": f"the top-{answer_chunks} chunk texts concatenated (no answer composition, never abstains)",
            "ranking": f"documents by first appearance in the top-{depth} chunks (may rank fewer than {k} documents)",
            "latency": "similarity_search only (no answer step)",
        },
    )


# --- scoring ------------------------------------------------------------------------------
def summarise(dataset: Dataset, run: SystemRun, k: int) -> dict:
    recs = [run.records[q.id] for q in dataset.queries if q.id in run.records]
    judged = [r for r in recs if dataset.qrels.get(r.id)]
    cutoffs = sorted({1, 5, k})
    retrieval: dict[str, float | int] = {"n": len(judged)}
    if judged:
        retrieval[f"ndcg@{k}"] = m.mean(m.ndcg_at_k(r.ranked, dataset.qrels[r.id], k) for r in judged)
        for c in cutoffs:
            retrieval[f"recall@{c}"] = m.mean(m.recall_at_k(r.ranked, dataset.qrels[r.id], c) for r in judged)
        retrieval[f"mrr@{k}"] = m.mean(m.mrr_at_k(r.ranked, dataset.qrels[r.id], k) for r in judged)
        ctx = run.notes.get("context_chunks")
        retrieval["context_recall"] = m.mean(
            m.recall_at_k(r.context_docs, dataset.qrels[r.id], len(r.context_docs)) for r in judged
        )
        retrieval["context_chunks"] = ctx  # type: ignore[assignment]
        retrieval["docs_ranked_mean"] = m.mean(len(r.ranked) for r in judged)

    out: dict = {"retrieval": retrieval}
    exp = dataset.expected
    with_evidence = [r for r in recs if exp.get(r.id) and exp[r.id].evidence]
    out["evidence"] = {
        "n": len(with_evidence),
        f"hit@{EVIDENCE_CHUNKS}": m.mean(m.evidence_hit(r.top_chunks, exp[r.id].evidence) for r in with_evidence),
    }
    if exp:
        answerable = [r for r in recs if r.id in exp and exp[r.id].answerable]
        unanswerable = [r for r in recs if r.id in exp and not exp[r.id].answerable]
        with_any = [r for r in answerable if exp[r.id].answers]
        with_all = [r for r in answerable if exp[r.id].must_contain]
        cited = [r for r in answerable if not r.abstained and r.cited and dataset.qrels.get(r.id)]
        out["answers"] = {
            "answerable": len(answerable),
            "unanswerable": len(unanswerable),
            "answers_any": m.mean(m.contains_any(r.answer, exp[r.id].answers) for r in with_any),
            "answers_any_n": len(with_any),
            "must_contain_all": m.mean(m.contains_all(r.answer, exp[r.id].must_contain) for r in with_all),
            "must_contain_all_n": len(with_all),
            "abstention_unanswerable": m.mean(r.abstained for r in unanswerable),
            "false_abstention_answerable": m.mean(r.abstained for r in answerable),
            "first_citation_relevant": m.mean(dataset.qrels[r.id].get(r.cited[0], 0) > 0 for r in cited),
            "first_citation_relevant_n": len(cited),
        }
        conf_a = [r.confidence for r in answerable if r.confidence is not None]
        conf_u = [r.confidence for r in unanswerable if r.confidence is not None]
        if conf_a or conf_u:
            out["confidence"] = {"answerable": m.distribution(conf_a), "unanswerable": m.distribution(conf_u)}
    latencies = [r.latency_ms for r in recs]
    out["latency_ms"] = {
        "n": len(latencies),
        "p50": m.percentile(latencies, 50),
        "p95": m.percentile(latencies, 95),
        "mean": m.mean(latencies),
        "max": max(latencies, default=float("nan")),
    }
    if run.notes:
        out["notes"] = run.notes
    return _round(out)


def _round(value):
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    return value


def json_safe(value):
    """`value` with NaN as None, recursively (JSON has no NaN)."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value
