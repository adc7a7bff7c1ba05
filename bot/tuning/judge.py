"""Judge an answer scorer (or none) on the deployment's labelled questions, each at its own calibrated threshold.

A scorer changes what a confidence means, so two models are compared each at the threshold
`policybot calibrate` would choose for it (bot/eval/calibrate.py: the most abstention on uncovered
questions with false abstention within `max_false_abstention`). Every question is asked once with
abstention by threshold off; the threshold is then applied to the recorded confidences.

`correct` is the one number promotion compares: the share of labelled questions handled right — an
answerable question (with must-contain facts) answered with all of them, an uncovered one abstained on.
`better` asks more than a higher share: on a set of a few hundred questions one question is ~0.4
points, so the difference must also pass McNemar's exact test on the paired outcomes (McNemar 1947;
statsmodels), at PROMOTE_P.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

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
    outcomes: dict[str, bool] = field(default_factory=dict)  # question id -> handled right

    def as_dict(self) -> dict:
        """The figures (not the table or the outcomes), floats rounded to 4 places."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("calibration", "outcomes")}
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in values.items()}


PROMOTE_P = 0.1  # McNemar exact p-value a higher `correct` must reach to count as better (not one lucky question)


def better(candidate: Judgement, current: Judgement) -> tuple[bool, float]:
    """Whether `candidate` handles more of the same questions right, beyond chance; and McNemar's exact p.

    The test counts only the questions the two disagree on (b: only the candidate right, c: only the
    current one right); p is the two-sided binomial probability of a split at least as uneven as b:c.
    """
    from statsmodels.stats.contingency_tables import mcnemar

    shared = candidate.outcomes.keys() & current.outcomes.keys()
    b = sum(candidate.outcomes[q] and not current.outcomes[q] for q in shared)
    c = sum(current.outcomes[q] and not candidate.outcomes[q] for q in shared)
    if b + c == 0:
        return False, 1.0
    p = float(mcnemar([[0, b], [c, 0]], exact=True).pvalue)
    return b > c and p <= PROMOTE_P, p


def labelled_ids(dataset: Dataset) -> tuple[list[str], list[str]]:
    """The ids of the answerable and of the uncovered labelled questions.

    Raises ValueError unless the dataset labels both (nothing to calibrate or judge otherwise)."""
    expected = dataset.expected
    answerable = [q.id for q in dataset.queries if q.id in expected and expected[q.id].answerable]
    uncovered = [q.id for q in dataset.queries if q.id in expected and not expected[q.id].answerable]
    if not answerable or not uncovered:
        raise ValueError(f"{dataset.root}/answers.jsonl must label both answerable and unanswerable questions")
    return answerable, uncovered


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
    answerable, uncovered = labelled_ids(dataset)
    expected = dataset.expected
    run = run_eval(dataset, settings.model_copy(update={"answer_scorer": scorer, "abstain_threshold": 0.0}), progress=progress)
    records = run.policybot.records

    def confidence(qid: str) -> float:
        record = records[qid]
        return -1.0 if record.abstained else record.confidence or 0.0  # abstained anyway (nothing to quote)

    table = sweep([confidence(q) for q in answerable], [confidence(q) for q in uncovered])
    threshold = choose(table, max_false_abstention)
    scorer_id = run.policybot.notes.get("answer_scorer")
    with_facts = [q for q in answerable if expected[q].must_contain]
    outcomes = {q: confidence(q) >= threshold and m.contains_all(records[q].answer, expected[q].must_contain) for q in with_facts}
    outcomes |= {q: confidence(q) < threshold for q in uncovered}
    right = [outcomes[q] for q in with_facts]
    abstained = [outcomes[q] for q in uncovered]
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
        outcomes=outcomes,
    )
