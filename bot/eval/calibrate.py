"""Calibrate the abstention threshold on a deployment's own labelled questions.

Every question of the dataset (answerable and not) is asked through the real pipeline
(`run_eval`); its confidence is recorded whatever the threshold. A sweep over thresholds gives,
for each, the share of uncovered questions that would abstain and the share of answerable ones
that would wrongly abstain. The chosen threshold abstains on the most uncovered questions while
keeping false abstention within `max_false_abstention`; among equally good thresholds the middle
one is taken, to leave a margin on both sides.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.answer.calibration import calibration_file, confidence_version
from bot.config import Settings
from bot.core.progress import ProgressCallback
from bot.eval.dataset import Dataset
from bot.eval.runner import run_eval


@dataclass(frozen=True)
class SweepRow:
    threshold: float
    abstention_uncovered: float  # share of unanswerable questions that abstain
    false_abstention: float  # share of answerable questions that abstain


@dataclass(frozen=True)
class Calibration:
    abstain_threshold: float
    max_false_abstention: float
    answerable: int
    uncovered: int
    table: list[SweepRow]
    confidence_version: str  # what the confidences meant (formula and answer scorer version)


def sweep(answerable: list[float], uncovered: list[float], step: float = 0.005) -> list[SweepRow]:
    """Abstain iff confidence < t, for t from 0 to 1 in `step`s (confidences are 0..1)."""
    rows = []
    for i in range(round(1 / step) + 1):
        t = round(i * step, 4)
        rows.append(
            SweepRow(
                t,
                sum(c < t for c in uncovered) / len(uncovered) if uncovered else 0.0,
                sum(c < t for c in answerable) / len(answerable) if answerable else 0.0,
            )
        )
    return rows


def choose(table: list[SweepRow], max_false_abstention: float) -> float:
    """The middle of the best run of thresholds: most uncovered abstentions, then fewest false ones."""
    allowed = [r for r in table if r.false_abstention <= max_false_abstention]
    if not allowed:
        return table[0].threshold
    best = max(allowed, key=lambda r: (r.abstention_uncovered, -r.false_abstention))
    tied = [
        r.threshold
        for r in allowed
        if (r.abstention_uncovered, r.false_abstention) == (best.abstention_uncovered, best.false_abstention)
    ]
    return tied[len(tied) // 2]


def calibrate(
    dataset: Dataset, settings: Settings, *, max_false_abstention: float = 0.05, progress: ProgressCallback | None = None
) -> Calibration:
    """Run the dataset through the pipeline and pick the threshold; raises ValueError without labels."""
    labelled = [q for q in dataset.queries if q.id in dataset.expected]
    answerable_ids = {q.id for q in labelled if dataset.expected[q.id].answerable}
    if not answerable_ids or len(answerable_ids) == len(labelled):
        raise ValueError(f"{dataset.root}/answers.jsonl must label both answerable and unanswerable questions")
    run = run_eval(dataset, settings, progress=progress).policybot
    conf = {q.id: run.records[q.id].confidence or 0.0 for q in labelled if q.id in run.records}
    answerable = [c for qid, c in conf.items() if qid in answerable_ids]
    uncovered = [c for qid, c in conf.items() if qid not in answerable_ids]
    table = sweep(answerable, uncovered)
    version = confidence_version(run.notes.get("answer_scorer"))  # type: ignore[arg-type]
    return Calibration(choose(table, max_false_abstention), max_false_abstention, len(answerable), len(uncovered), table, version)


def write_calibration(calibration: Calibration, settings: Settings, dataset: Dataset) -> Path:
    """Write `{data_dir}/calibration.json` (threshold, trade-off table, provenance); returns its path."""
    path = calibration_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        **asdict(calibration),
        "dataset": str(dataset.root),
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return path
