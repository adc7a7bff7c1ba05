"""How well the sensitive-question detector tells situations from routine questions (bot/governance/sensitive.py).

    python bench/sensitive_eval.py [--threshold P] [--c C]

Sets (all ours): bench/data/sensitive_heldout.yaml — 72 situations (12 per topic) and 72 ordinary questions
close in wording, written by a helper session that never saw the profile's examples (held out: report it,
do not tune on it); the golden questions (knowledge/eval, 241, of which only the harassment and anonymous
reporting ones are sensitive) and bench/data/verified_questions.yaml (231 routine questions) as ordinary
questions. Printed per detector — the classifier at the setting's threshold, and the cosine to the closest
description at 0.6 (the detector before it) — the share of situations flagged per topic and the ordinary
questions flagged. Only the semantic detector is compared; the lexical one (topic words) runs in both.
Last, the whole check (`SensitiveDetector.check`) per question, in ms, with the question's embedding cached
as the service has it.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import yaml

from bot.company import load_company
from bot.config import Settings
from bot.governance import sensitive as sens
from bot.retrieval.embeddings import load_embeddings

ROOT = Path(__file__).resolve().parents[1]
NAMED = ("harass", "anonymous")  # golden questions that are sensitive by their own words


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, help="probability threshold (default: SENSITIVE_THRESHOLD)")
    parser.add_argument("--c", type=float, help="the classifier's C (default: the module's)")
    args = parser.parse_args()
    settings = Settings()
    if args.c:
        sens._C = args.c
    profile = load_company(settings.company_path).sensitive
    embeddings = load_embeddings(settings.embedding_model, settings.embedding_threads, settings.embedding_batch_size)
    threshold = args.threshold if args.threshold is not None else settings.sensitive_threshold
    classifier = sens.SensitiveDetector(profile.topics, profile.examples, embeddings, threshold, profile.ordinary)
    held = yaml.safe_load((ROOT / "bench/data/sensitive_heldout.yaml").read_text())
    golden = [json.loads(line)["text"] for line in (ROOT / "knowledge/eval/queries.jsonl").read_text().splitlines()]
    verified = yaml.safe_load((ROOT / "bench/data/verified_questions.yaml").read_text())
    routine = [q for pair in verified["pairs"] + verified["holdout_pairs"] for q in pair] + verified["rewordings"]
    routine += [q for q, _ in verified["near_misses"] + verified["holdout_near_misses"]]
    ordinary = {
        "held-out ordinary": held["ordinary"],
        "golden, not sensitive": [q for q in golden if not any(w in q.lower() for w in NAMED)],
        "verified_questions": [q for q in routine if not any(w in q.lower() for w in NAMED)],
    }
    vectors = np.asarray(embeddings.embed_documents(list(profile.examples)), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)

    def cosine(text: str) -> bool:
        v = np.asarray(embeddings.embed_query(text), dtype=np.float32)
        return float((vectors @ (v / np.linalg.norm(v))).max()) >= 0.6

    detectors = {f"classifier >= {threshold}": lambda t: classifier.semantic(t) is not None, "closest cosine >= 0.6": cosine}
    for name, flags in detectors.items():
        by_topic: dict[str, list[bool]] = defaultdict(list)
        for item in held["sensitive"]:
            by_topic[item["topic"]].append(flags(item["text"]))
        every = [f for fs in by_topic.values() for f in fs]
        with_words = sum(flags(i["text"]) or classifier.lexical(i["text"]) is not None for i in held["sensitive"])
        print(
            f"{name}: held-out situations flagged {sum(every)}/{len(every)} ({sum(every) / len(every):.0%}), {with_words} with the topic words too"
        )
        print("   " + " · ".join(f"{topic} {sum(fs)}/{len(fs)}" for topic, fs in by_topic.items()))
        for label, questions in ordinary.items():
            flagged = [q for q in questions if flags(q)]
            print(f"   {label}: {len(flagged)}/{len(questions)} flagged {flagged[:6]}")
    questions = [i["text"] for i in held["sensitive"]] + held["ordinary"]
    for q in questions:  # the service has embedded the question for its search already
        embeddings.embed_query(q)
    started = time.perf_counter()
    for q in questions:
        classifier.check(q)
    print(f"check: {(time.perf_counter() - started) * 1000 / len(questions):.2f} ms per question")


if __name__ == "__main__":
    main()
