"""Must-contain on a real multi-page handbook PDF, with our own labels (bench/hr_procedures_labels.jsonl).

    python bench/handbook_eval.py [../shared/eval/hr-procedures] [--details OUT.jsonl]

The dataset (H2O's HR policy & procedure PDF, 148 questions with free-text reference answers) lives
outside the project and is never copied in. Our labels: for each question, the most specific
phrase of its reference answer (2-4 words, numbers first, words not in the question) that also
appears verbatim in the PDF text, chosen automatically and kept as data here. Automatic labels are
noisy (the phrase may occur elsewhere in the PDF than in the answering clause), so read the number
as a proxy and compare systems on the same labels. A question counts when the
answer contains every phrase (whole words, case-insensitive, as `policybot eval`'s must_contain);
"context" is the same test on the top 4 retrieved chunks — what an answer could have quoted.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bot.config import get_settings
from bot.eval import metrics as m
from bot.eval.dataset import load_dataset
from bot.eval.failures import records_jsonl
from bot.eval.runner import run_eval

LABELS = Path(__file__).with_name("hr_procedures_labels.jsonl")
DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "hr-procedures"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--details", type=Path, help="write per-question answers and verdicts here")
    args = parser.parse_args()
    labels = {row["query-id"]: row["must_contain"] for row in map(json.loads, LABELS.read_text().splitlines())}
    result = run_eval(load_dataset(args.dataset), get_settings())
    rows = [r for r in records_jsonl(result) if r["id"] in labels]
    answered = [m.contains_all(r["policybot"]["answer"], labels[r["id"]]) for r in rows]
    context = [m.contains_all("\n".join(r["policybot"]["top_chunks"][:4]), labels[r["id"]]) for r in rows]
    latency = [r["policybot"]["latency_ms"] for r in rows]
    print(
        json.dumps(
            {
                "questions": len(rows),
                "answer_must_contain": round(m.mean(answered), 3),
                "top4_chunks_must_contain": round(m.mean(context), 3),
                "abstained": round(m.mean(r["policybot"]["abstained"] for r in rows), 3),
                "latency_ms_p50": round(m.percentile(latency, 50), 1),
            }
        )
    )
    if args.details:
        with args.details.open("w", encoding="utf-8") as fh:
            for r, ok in zip(rows, answered):
                fh.write(
                    json.dumps({"id": r["id"], "must_contain": labels[r["id"]], "ok": ok, "answer": r["policybot"]["answer"]})
                    + "\n"
                )


if __name__ == "__main__":
    main()
