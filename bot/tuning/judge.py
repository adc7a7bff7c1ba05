"""Judge an answer scorer (or none) on the deployment's labelled questions, each at its own calibrated threshold.

A scorer changes what a confidence means, so two models are compared each at the threshold
`policybot calibrate` would choose for it (bot/eval/calibrate.py: the most abstention on uncovered
questions with false abstention within `max_false_abstention`). Every question is asked once with
abstention by threshold off; the threshold is then applied to the recorded confidences.

`correct` is the one number promotion compares: the share of labelled questions handled right — an
answerable question (with must-contain facts) answered with all of them, an uncovered one abstained on.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from bot.answer.calibration import confidence_version
from bot.config import Settings
from bot.core.progress import ProgressCallback
from bot.eval import metrics as m
from bot.eval.calibrate import Calibration, choose, sweep
from bot.eval.dataset import Dataset
from bot.eval.runner import run_eval


@dataclass(frozen=True)
class Judgement:
    scorer: str  # the version judged, or "none"
    threshold: float
    correct: float
    must_contain: float  # answerable questions with must-contain facts: answered with all of them
    abstention_uncovered: float
    false_abstention: float
    ask_p50_ms: float
    ask_p95_ms: float
    calibration: Calibration  # the trade-off table the threshold was chosen from (calibration.json if promoted)

    def as_dict(self) -> dict:
        """The figures (not the table), floats rounded to 4 places."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "calibration"}
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in values.items()}


def judge(
    dataset: Dataset,
    settings: Settings,
    scorer: str,
    *,
    max_false_abstention: float = 0.05,
    progress: ProgressCallback | None = None,
) -> Judgement:
    """Ask every question of `dataset` with ANSWER_SCORER=`scorer` ("off" or a model folder) and judge it.

    Raises ValueError when the dataset does not label both answerable and uncovered questions.
    """
    expected = dataset.expected
    answerable = [q.id for q in dataset.queries if q.id in expected and expected[q.id].answerable]
    uncovered = [q.id for q in dataset.queries if q.id in expected and not expected[q.id].answerable]
    if not answerable or not uncovered:
        raise ValueError(f"{dataset.root}/answers.jsonl must label both answerable and unanswerable questions")
    run = run_eval(dataset, settings.model_copy(update={"answer_scorer": scorer, "abstain_threshold": 0.0}), progress=progress)
    records = run.policybot.records

    def confidence(qid: str) -> float:
        record = records[qid]
        return -1.0 if record.abstained else record.confidence or 0.0  # abstained anyway (nothing to quote)

    table = sweep([confidence(q) for q in answerable], [confidence(q) for q in uncovered])
    threshold = choose(table, max_false_abstention)
    scorer_id = run.policybot.notes.get("answer_scorer")
    with_facts = [q for q in answerable if expected[q].must_contain]
    right = [confidence(q) >= threshold and m.contains_all(records[q].answer, expected[q].must_contain) for q in with_facts]
    abstained = [confidence(q) < threshold for q in uncovered]
    latencies = [r.latency_ms for r in records.values()]
    return Judgement(
        scorer=str(scorer_id or "none"),
        threshold=threshold,
        correct=(sum(right) + sum(abstained)) / (len(right) + len(abstained)),
        must_contain=m.mean(right),
        abstention_uncovered=m.mean(abstained),
        false_abstention=m.mean(confidence(q) < threshold for q in answerable),
        ask_p50_ms=m.percentile(latencies, 50),
        ask_p95_ms=m.percentile(latencies, 95),
        calibration=Calibration(
            threshold,
            max_false_abstention,
            len(answerable),
            len(uncovered),
            table,
            confidence_version(str(scorer_id or "") or None),
        ),
    )
