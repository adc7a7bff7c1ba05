"""Must-contain on a real multi-page handbook PDF, with our own labels (bench/hr_procedures_labels*.jsonl).

    python bench/handbook_eval.py [../shared/eval/hr-procedures] [--details OUT.jsonl]

The dataset (H2O's HR policy & procedure PDF, 148 questions with free-text reference answers) lives
outside the project and is never copied in. Two label sets, both kept as data here:
- automatic (`hr_procedures_labels.jsonl`): for each question, the most specific phrase of its reference answer
  (2-4 words, numbers first, words not in the question) that also appears verbatim in the PDF text. Noisy: the
  phrase is often a secondary detail of a long reference answer, or occurs in another clause than the answering one.
- reviewed (`hr_procedures_labels_reviewed.jsonl`): every automatic label checked by hand against the PDF, without
  seeing any system's answer: 1 phrase (2 when the question asks two things) copied from the clause that answers
  the question as worded, stating the primary fact asked; 60 kept, 84 changed, 3 questions excluded (the reference
  answers another question, or the PDF leaves the fact blank). Each line's `note` says why.
A question counts when the answer contains every phrase (whole words, case-insensitive, as `policybot eval`'s
must_contain); "context" is the same test on the top 4 retrieved chunks — what an answer could have quoted.
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
REVIEWED = Path(__file__).with_name("hr_procedures_labels_reviewed.jsonl")
DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "hr-procedures"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--details", type=Path, help="write per-question answers and verdicts here")
    args = parser.parse_args()
    labels = {qid: must for qid, must in _labels(LABELS).items() if must}
    reviewed = {qid: must for qid, must in _labels(REVIEWED).items() if must}  # null: excluded (see its note)
    result = run_eval(load_dataset(args.dataset), get_settings())
    rows = [r for r in records_jsonl(result) if r["id"] in labels]
    answered = [m.contains_all(r["policybot"]["answer"], labels[r["id"]]) for r in rows]
    latency = [r["policybot"]["latency_ms"] for r in rows]
    report = {"questions": len(rows), **_scores(rows, labels, ""), **_scores(rows, reviewed, "reviewed_")}
    report["abstained"] = round(m.mean(r["policybot"]["abstained"] for r in rows), 3)
    report["latency_ms_p50"] = round(m.percentile(latency, 50), 1)
    print(json.dumps(report))
    if args.details:
        with args.details.open("w", encoding="utf-8") as fh:
            for r, ok in zip(rows, answered):
                must = reviewed.get(r["id"])
                reviewed_ok = m.contains_all(r["policybot"]["answer"], must) if must else None
                record = {"id": r["id"], "must_contain": labels[r["id"]], "ok": ok, "reviewed": must, "reviewed_ok": reviewed_ok}
                fh.write(json.dumps({**record, "answer": r["policybot"]["answer"]}) + "\n")


def _labels(path: Path) -> dict[str, list[str] | None]:
    return {row["query-id"]: row["must_contain"] for row in map(json.loads, path.read_text().splitlines())}


def _scores(rows: list[dict], labels: dict, prefix: str) -> dict[str, float | int]:
    """Must-contain of the answers and of their top 4 chunks on the questions `labels` has."""
    rows = [r for r in rows if r["id"] in labels]
    answer = [m.contains_all(r["policybot"]["answer"], labels[r["id"]]) for r in rows]
    context = [m.contains_all("\n".join(r["policybot"]["top_chunks"][:4]), labels[r["id"]]) for r in rows]
    return {
        f"{prefix}labelled": len(rows),
        f"{prefix}answer_must_contain": round(m.mean(answer), 3),
        f"{prefix}top4_chunks_must_contain": round(m.mean(context), 3),
    }


if __name__ == "__main__":
    main()
