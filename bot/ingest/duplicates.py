"""Exact and near-duplicate documents: MinHash over word 5-shingles with LSH banding.

Exact duplicates (same normalised text) are reported and only the first is indexed; near
duplicates (estimated Jaccard >= threshold) are reported so an owner can merge them.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from itertools import combinations

import numpy as np

_WORD = re.compile(r"\w+")
_PERMS = 64
_BANDS = 16
_MERSENNE = (1 << 61) - 1
_rng = np.random.default_rng(20261128)
_A = _rng.integers(1, _MERSENNE, _PERMS, dtype=np.uint64)
_B = _rng.integers(0, _MERSENNE, _PERMS, dtype=np.uint64)


def text_fingerprint(text: str) -> str:
    return hashlib.sha256(" ".join(_WORD.findall(text.lower())).encode()).hexdigest()


def _signature(text: str) -> np.ndarray | None:
    words = _WORD.findall(text.lower())
    shingles = {" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))}
    if not shingles:
        return None
    hashes = np.array(
        [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little") >> 3 for s in shingles], dtype=np.uint64
    )
    return ((np.outer(hashes, _A) + _B) % np.uint64(_MERSENNE)).min(axis=0)


def doc_signature(text: str) -> tuple[str, str]:
    """(exact fingerprint, MinHash signature as hex): small enough to keep in the ingest registry."""
    sig = _signature(text)
    return text_fingerprint(text), (sig.tobytes().hex() if sig is not None else "")


def find_duplicates(
    signatures: dict[str, tuple[str, str]], threshold: float
) -> tuple[list[tuple[str, str]], list[tuple[str, str, float]]]:
    """(exact pairs (kept, duplicate), near pairs (a, b, similarity)) among documents' signatures."""
    exact: list[tuple[str, str]] = []
    first_by_print: dict[str, str] = {}
    minhashes: dict[str, np.ndarray] = {}
    for doc_id in sorted(signatures):
        fp, sig_hex = signatures[doc_id]
        if fp in first_by_print:
            exact.append((first_by_print[fp], doc_id))
            continue
        first_by_print[fp] = doc_id
        if sig_hex:
            minhashes[doc_id] = np.frombuffer(bytes.fromhex(sig_hex), dtype=np.uint64)
    buckets: dict[tuple, list[str]] = defaultdict(list)
    rows = _PERMS // _BANDS
    for doc_id, sig in minhashes.items():
        for band in range(_BANDS):
            buckets[(band, sig[band * rows : (band + 1) * rows].tobytes())].append(doc_id)
    candidates = {pair for ids in buckets.values() if 1 < len(ids) < 50 for pair in combinations(sorted(ids), 2)}
    near = []
    for a, b in sorted(candidates):
        similarity = float(np.mean(minhashes[a] == minhashes[b]))
        if similarity >= threshold:
            near.append((a, b, round(similarity, 3)))
    return exact, near
