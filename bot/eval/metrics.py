"""Pure metric functions: ranking (nDCG, recall, MRR), answer containment, evidence, percentiles.

Ranking metrics follow trec_eval / BEIR: relevance is the qrels grade (> 0 counts as relevant),
nDCG uses linear gain (grade / log2(rank + 1)) and an ideal ranking of the judged documents,
recall@k is the share of the relevant documents found in the top k.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence


def dedupe(items: Iterable[str]) -> list[str]:
    """Items in first-appearance order without repeats (chunks -> a document ranking)."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def ndcg_at_k(ranked: Sequence[str], qrels: Mapping[str, int], k: int) -> float:
    gains = [max(0, qrels.get(doc, 0)) for doc in ranked[:k]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted((g for g in qrels.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at_k(ranked: Sequence[str], qrels: Mapping[str, int], k: int) -> float:
    relevant = {doc for doc, g in qrels.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


def mrr_at_k(ranked: Sequence[str], qrels: Mapping[str, int], k: int) -> float:
    for i, doc in enumerate(ranked[:k], 1):
        if qrels.get(doc, 0) > 0:
            return 1.0 / i
    return 0.0


_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case, whitespace collapsed (for evidence and containment comparisons)."""
    return _SPACE.sub(" ", text).strip().lower()


def contains_token(text: str, token: str) -> bool:
    """Whole-word, case-insensitive; look-arounds instead of \\b so "$500", "4%" and "GBP" all work."""
    needle = normalise(token)
    if not needle:
        return True
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(part) for part in needle.split(" ")) + r"(?!\w)"
    return re.search(pattern, normalise(text)) is not None


def contains_any(text: str, tokens: Sequence[str]) -> bool:
    return any(contains_token(text, t) for t in tokens)


def contains_all(text: str, tokens: Sequence[str]) -> bool:
    return all(contains_token(text, t) for t in tokens)


def missing_tokens(text: str, tokens: Sequence[str]) -> list[str]:
    return [t for t in tokens if not contains_token(text, t)]


def evidence_hit(chunks: Sequence[str], evidence: Sequence[str]) -> bool:
    """Some chunk contains some evidence passage (whitespace-normalised, case-insensitive)."""
    wanted = [normalise(e) for e in evidence if e.strip()]
    texts = [normalise(c) for c in chunks]
    return any(e in t for e in wanted for t in texts)


def percentile(values: Sequence[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default); nan for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else float("nan")


def distribution(values: Sequence[float]) -> dict[str, float | int]:
    """n, min, p10, p25, p50, p75, p90, max, mean (for confidence scores)."""
    if not values:
        return {"n": 0}
    out: dict[str, float | int] = {"n": len(values), "min": min(values)}
    for p in (10, 25, 50, 75, 90):
        out[f"p{p}"] = percentile(values, p)
    out["max"] = max(values)
    out["mean"] = mean(values)
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in out.items()}
