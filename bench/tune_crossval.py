"""What the company's own labelled questions would buy the answer scorer: 2-fold cross-validation on the golden set.

    python bench/tune_crossval.py [--minutes 5] [--policyqa ../shared/eval/policyqa-dev]

`policybot tune` trains on public QA data plus verified answers; a fresh deployment has none of the
latter. This bench stands the golden set's labelled questions in for them, honestly: the questions
are split in two folds (even / odd position), a scorer is trained on one fold's pairs (optionally with
PolicyQA's) and judged on the other fold against no scorer, each at its own calibrated threshold
(bot/tuning/judge.py), then the folds swap. A golden question stands in for a verified answer (its
evidence sentences are the answer) and an uncovered one for a "not a policy question" label: the
pairs are built exactly as `tune` builds them from the review loop (bot/tuning/pairs.labelled_pairs).
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import tempfile
from pathlib import Path

from bot.answer.service import PolicyService
from bot.config import get_settings
from bot.eval.dataset import load_dataset
from bot.eval.runner import COLLECTION, SEARCH_CHUNKS, cache_dir, eval_settings, run_eval
from bot.tuning.company import top_units
from bot.tuning.judge import judge
from bot.tuning.pairs import Labelled, labelled_pairs, span_pairs
from bot.tuning.train import train_scorer

_SPACE = re.compile(r"\s+")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--policyqa", type=Path, default=None)
    args = parser.parse_args()
    settings = get_settings().model_copy(update={"answer_scorer": "off"})
    golden = load_dataset(Path("knowledge/eval"))
    run_eval(golden, settings)  # builds (or reuses) the golden index
    service = PolicyService(
        eval_settings(settings, cache_dir(settings, golden)), collection=COLLECTION, search_depth=SEARCH_CHUNKS
    )
    public = span_pairs(load_dataset(args.policyqa)) if args.policyqa else []
    folds = [[q for i, q in enumerate(golden.queries) if i % 2 == k] for k in (0, 1)]
    for k in (0, 1):
        train_set = dataclasses.replace(golden, queries=folds[k])
        test_set = dataclasses.replace(golden, queries=folds[1 - k])
        labels = [
            Labelled(q.text, train_set.expected[q.id].evidence if train_set.expected[q.id].answerable else None) for q in folds[k]
        ]
        pairs = labelled_pairs(labels, top_units(service)) + public
        with tempfile.TemporaryDirectory() as tmp:
            report = train_scorer(pairs, Path(tmp) / "model", budget_s=args.minutes * 60, threads=2)
            base = judge(test_set, settings, "off")
            tuned = judge(test_set, settings, str(Path(tmp) / "model"))
        print(f"fold {k}: trained on {report.pairs_seen}/{len(pairs)} pairs in {report.seconds:.0f} s, loss {report.final_loss}")
        for name, j in (("no scorer", base), ("scorer", tuned)):
            print(
                f"  {name:<10} correct {j.correct:.3f}  must-contain {j.must_contain:.3f}  abstention {j.abstention_uncovered:.3f}"
                f"  false abstention {j.false_abstention:.3f}  threshold {j.threshold:.3f}  p50 {j.ask_p50_ms:.0f} ms"
            )


if __name__ == "__main__":
    main()
