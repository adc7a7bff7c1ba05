"""The answer scorer: a cross-encoder that reads a question and one quotable unit together and says how
likely the unit answers it (0..1), trained by `policybot tune` (bot/tuning/).

Embedding similarity scores "is about the same thing"; a cross-encoder attends across both texts, so
"can I bring my dog on Tuesdays?" against the Tuesday anchor-day sentence can score low although the
words overlap. It is optional: without a promoted model (a fresh install) nothing here loads.

Where it is used (bot/answer/extractive.py, bot/answer/confidence.py): the best `RESCORE_UNITS` units by
the usual score are re-ranked with `SCORER_WEIGHT` x its probability added, and the confidence of an
answer mixes in the probability of its lead quote (`CONFIDENCE_WEIGHT`).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MAX_PAIR_TOKENS = 128  # question + unit in word pieces: a question and a sentence, row or short list fit
RESCORE_UNITS = 8  # units re-ranked per question: one forward pass of this many pairs (~25 ms each on 1 thread)
SCORER_WEIGHT = 0.3  # added to a unit's score (0..~1.3) times the probability; chosen by `tune` on the eval set
CONFIDENCE_WEIGHT = 0.4  # share of the confidence that is the lead quote's probability


@dataclass(frozen=True)
class ScorerWeights:
    """How much the scorer counts (see the module docstring); `tune` records the ones it evaluated."""

    unit: float = SCORER_WEIGHT
    confidence: float = CONFIDENCE_WEIGHT


class AnswerScorer:
    """P(unit answers question) from a sentence-transformers `CrossEncoder` with one output logit.

    Thread-safe; results are cached by (question, unit) because a question is scored for its quotes
    and again for its confidence. `model_id` names the version (it is part of the confidence version,
    so a threshold calibrated with another model is not reused).
    """

    def __init__(
        self,
        path: Path,
        *,
        model_id: str,
        weights: ScorerWeights | None = None,
        threshold: float | None = None,
        threads: int = 1,
    ) -> None:
        """`threshold`: the abstention threshold `tune` judged this version at (used when a variant tries it)."""
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        import transformers
        from sentence_transformers import CrossEncoder

        transformers.utils.logging.disable_progress_bar()  # its "Loading weights" bar would stick to our output
        torch.set_num_threads(max(1, threads))
        self.model = CrossEncoder(str(path), device="cpu", max_length=MAX_PAIR_TOKENS, local_files_only=True)
        self.model_id = model_id
        self.weights = weights or ScorerWeights()
        self.threshold = threshold
        self._cache: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._lock = threading.Lock()

    def score(self, question: str, texts: list[str]) -> np.ndarray:
        """Probabilities, shape (len(texts),), in 0..1 (the sigmoid of the model's logit)."""
        with self._lock:
            known = {t: self._cache[(question, t)] for t in texts if (question, t) in self._cache}
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            probs = self.model.predict([(question, t) for t in missing], batch_size=32, show_progress_bar=False)
            known.update(zip(missing, (float(p) for p in np.atleast_1d(probs))))
            with self._lock:
                self._cache.update(((question, t), known[t]) for t in missing)
                while len(self._cache) > 20_000:
                    self._cache.popitem(last=False)
        return np.array([known[t] for t in texts], dtype=np.float32)

    def clear(self) -> None:
        """Forget cached scores (benchmarks measure a new question's cost)."""
        with self._lock:
            self._cache.clear()


def scorer_root(data_dir: Path) -> Path:
    """Where `tune` keeps the scorer's versions: {data_dir}/models/answer-scorer/vNNN/ and current.json."""
    return Path(data_dir) / "models" / "answer-scorer"


def version_folder(data_dir: Path, version: str) -> Path:
    """The model folder of a version ("v003") `tune` wrote."""
    return scorer_root(data_dir) / version / "model"


def promoted(data_dir: Path) -> Path | None:
    """The promoted version's model folder (current.json names it), or None: nothing promoted, or unreadable."""
    pointer = scorer_root(data_dir) / "current.json"
    if not pointer.is_file():
        return None
    try:
        folder = scorer_root(data_dir) / str(json.loads(pointer.read_text(encoding="utf-8"))["version"]) / "model"
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("%s is unreadable (%s): answering without the answer scorer", pointer, exc)
        return None
    if not folder.is_dir():
        log.warning("%s names %s, which does not exist: answering without the answer scorer", pointer, folder)
        return None
    return folder


def resolve_scorer(setting: str, data_dir: Path) -> Path | None:
    """The model folder ANSWER_SCORER asks for: "auto" (the promoted version in `data_dir`, if any), "off"
    (None) or a folder (the settings checked that it is one)."""
    if setting == "off":
        return None
    if setting == "auto":
        return promoted(data_dir)
    path = Path(setting)
    return path / "model" if (path / "model" / "config.json").is_file() else path  # a version folder, or its model


@lru_cache(maxsize=4)
def load_scorer(setting: str, data_dir: Path, threads: int) -> AnswerScorer | None:
    """The scorer ANSWER_SCORER asks for (see `resolve_scorer`), or None. Its id is its version folder's name
    (vNNN); its weights and judged threshold come from that folder's meta.json when it records them.
    Raises ValueError when the folder holds no model."""
    path = resolve_scorer(setting, data_dir)
    if path is None:
        return None
    if not (path / "config.json").is_file():
        raise ValueError(f"{path} holds no model")
    meta = path.parent / "meta.json"
    weights, threshold = ScorerWeights(), None
    if meta.is_file():
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            weights = ScorerWeights(**data.get("weights", {}))
            threshold = data.get("metrics", {}).get("candidate", {}).get("threshold")
        except (ValueError, TypeError, AttributeError) as exc:
            log.warning("%s is unreadable (%s): the scorer's default weights apply", meta, exc)
    return AnswerScorer(path, model_id=path.resolve().parent.name, weights=weights, threshold=threshold, threads=threads)
