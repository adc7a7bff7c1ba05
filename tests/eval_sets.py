"""Small BEIR-layout datasets written on the fly for evaluation and tuning tests."""

from __future__ import annotations

import json
from pathlib import Path


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def tiny_dataset(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    write_jsonl(
        root / "corpus.jsonl",
        [
            {
                "_id": "leave",
                "title": "Annual leave",
                "text": "Full-time employees accrue 25 days of paid annual leave per calendar year. Unused days may be carried over up to a maximum of 5 days.",
                "metadata": {"policy": "hr"},
            },
            {
                "_id": "hotel",
                "title": "Travel expenses",
                "text": "The nightly hotel limit in London is $260 including taxes. Meals are reimbursed up to $75 per day when travelling.",
                "metadata": {"policy": "finance"},
            },
            {
                "_id": "laptop",
                "title": "Laptop security",
                "text": "Laptops must use full-disk encryption and lock the screen after 5 minutes of inactivity. Report a lost laptop to security within 24 hours.",
                "metadata": {"policy": "it"},
            },
            {
                "_id": "pension",
                "title": "Pension plan",
                "text": "The company matches pension contributions up to 4% of base salary. Employees join the pension plan automatically after three months.",
                "metadata": {"policy": "hr"},
            },
        ],
    )
    write_jsonl(
        root / "queries.jsonl",
        [
            {"_id": "q1", "text": "How many days of annual leave do full-time employees accrue?", "metadata": {"policy": "hr"}},
            {
                "_id": "q2",
                "text": "What is the hotel limit per night in London?",
                "metadata": {"policy": "finance", "ignored": [1, 2]},
            },
            {"_id": "q3", "text": "Can I bring my dog to the office on Fridays?"},
        ],
    )
    (root / "qrels").mkdir(exist_ok=True)
    (root / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\tleave\t1\nq2\thotel\t1\n", encoding="utf-8")
    write_jsonl(
        root / "answers.jsonl",
        [
            {
                "query-id": "q1",
                "answerable": True,
                "answers": [],
                "must_contain": ["25"],
                "evidence": ["accrue 25 days of paid annual leave"],
            },
            {"query-id": "q2", "answerable": True, "answers": ["$260", "260"], "must_contain": [], "evidence": []},
            {"query-id": "q3", "answerable": False, "answers": [], "must_contain": [], "evidence": []},
        ],
    )
    return root
