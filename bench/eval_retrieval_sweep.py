"""Sweep hybrid-retrieval knobs (candidate_k, rrf_k, dense/BM25 weights) on an eval set's cached index.

Run `policybot eval DATASET` once first (it builds `{POLICYBOT_DATA_DIR}/eval-cache/<name>-<hash>`);
this script then re-ranks with the real HybridSearcher fusion code for each configuration, without
changing any default. Dense and BM25 candidates are fetched once per query at the largest
candidate_k and truncated per configuration (top-n of a longer exact list is the same list), so
the sweep costs one embedding + one search per query.

    PII_ENABLED=false POLICYBOT_DATA_DIR=/tmp/evalwork .venv/bin/python bench/eval_retrieval_sweep.py \
        /work/shared/eval/scifact [--limit N] [--k 10]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.company import load_company
from bot.config import get_settings
from bot.eval import metrics as m
from bot.eval.dataset import load_dataset
from bot.eval.runner import COLLECTION, SEARCH_CHUNKS, cache_dir, eval_settings
from bot.retrieval.hybrid import HybridSearcher
from bot.retrieval.synonyms import expand_query

CANDIDATE_KS = [30, 50, 100]
RRF_KS = [10, 30, 60]
WEIGHTS = [(1.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, 0.5), (0.5, 1.0), (1.0, 0.7), (0.7, 1.0)]  # (dense, bm25)


class _CachedBm25:
    """Bm25Index stand-in returning a memoised deep candidate list, truncated to k."""

    def __init__(self, inner, depth: int) -> None:
        self.inner, self.depth, self.cache = inner, depth, {}

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def __len__(self) -> int:
        return len(self.inner)

    def search(self, query, k, weight_mask=None):
        key = (query, id(weight_mask))
        if key not in self.cache:
            self.cache[key] = self.inner.search(query, self.depth, weight_mask=weight_mask)
        return self.cache[key][:k]


class _CachedSearcher(HybridSearcher):
    """The real fusion; the dense candidates are memoised at the deepest candidate_k."""

    dense_cache: dict = {}
    depth = max(CANDIDATE_KS)

    def _dense(self, embedding, principals, filters):
        key = (tuple(embedding[:8]), principals, tuple(sorted(filters.items())))
        if key not in self.dense_cache:
            saved, self.candidate_k = self.candidate_k, self.depth
            try:
                self.dense_cache[key] = super()._dense(embedding, principals, filters)
            finally:
                self.candidate_k = saved
        return self.dense_cache[key][: self.candidate_k]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset", type=Path)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--k", type=int, default=10)
    args = ap.parse_args()

    from bot.answer.service import PolicyService

    base = get_settings()
    dataset = load_dataset(args.dataset).limited(args.limit)
    settings = eval_settings(base, cache_dir(base, dataset))
    service = PolicyService(settings, collection=COLLECTION)
    real = service._searcher()
    if real is None:
        sys.exit(f"no eval index under {settings.data_dir}: run `policybot eval {args.dataset}` first")
    bm25 = _CachedBm25(real.bm25, max(CANDIDATE_KS))
    judged = [q for q in dataset.queries if dataset.qrels.get(q.id)]
    t0 = time.perf_counter()
    queries = {q.id: expand_query(q.text, load_company(settings.company_path).synonyms) for q in judged}  # as PolicyService does
    embeddings = {q.id: service.embeddings.embed_query(queries[q.id]) for q in judged}
    print(f"{dataset.name}: {len(judged)} judged queries, embedded in {time.perf_counter() - t0:.1f}s", flush=True)

    rows = []
    for cand, rrf, (dw, bw) in itertools.product(CANDIDATE_KS, RRF_KS, WEIGHTS):
        searcher = _CachedSearcher(
            real.collection,
            bm25,
            service.embeddings,
            candidate_k=cand,
            rrf_k=rrf,
            dense_weight=dw,
            bm25_weight=bw,
            max_per_section=settings.max_chunks_per_section,
        )
        ndcg, r1, r5, r10, mrr = [], [], [], [], []
        for q in judged:
            principals, filters = dataset.restrictions(q)
            hits = searcher.search(
                queries[q.id], SEARCH_CHUNKS, principals=principals, filters=filters, query_embedding=embeddings[q.id]
            ).hits
            ranked = m.dedupe(str(h.doc.metadata.get("doc_id")) for h in hits)
            qrels = dataset.qrels[q.id]
            ndcg.append(m.ndcg_at_k(ranked, qrels, args.k))
            r1.append(m.recall_at_k(ranked, qrels, 1))
            r5.append(m.recall_at_k(ranked, qrels, 5))
            r10.append(m.recall_at_k(ranked, qrels, args.k))
            mrr.append(m.mrr_at_k(ranked, qrels, args.k))
        row = (cand, rrf, dw, bw, m.mean(ndcg), m.mean(r1), m.mean(r5), m.mean(r10), m.mean(mrr))
        rows.append(row)
        default = cand == settings.candidate_k and rrf == settings.rrf_k and (dw, bw) == (1.0, 1.0)
        print(
            f"cand={cand:<4} rrf={rrf:<3} dense={dw:<4} bm25={bw:<4} nDCG@{args.k}={row[4]:.4f} "
            f"R@1={row[5]:.3f} R@5={row[6]:.3f} R@{args.k}={row[7]:.3f} MRR={row[8]:.4f}"
            + ("   <- current defaults" if default else ""),
            flush=True,
        )
    best = max(rows, key=lambda r: r[4])
    print(
        f"\nbest nDCG@{args.k}: {best[4]:.4f} with candidate_k={best[0]} rrf_k={best[1]} dense_weight={best[2]} bm25_weight={best[3]}"
    )
    print(f"sweep took {time.perf_counter() - t0:.1f}s")


if __name__ == "__main__":
    main()
