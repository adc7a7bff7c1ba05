"""Calibrate GAP_DISTANCE: adjusted Rand index of `bot.review.gaps.cluster` on labelled questions.

    python bench/gap_clustering.py

bench/data/gap_questions.yaml holds questions the policies do not answer, grouped by topic; the
script clusters them with the service's embedding model at a sweep of distance thresholds and
prints the ARI (scikit-learn `adjusted_rand_score`) and the number of clusters found.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml
from sklearn.metrics import adjusted_rand_score

from bot.config import Settings
from bot.retrieval.embeddings import load_embeddings
from bot.review.gaps import cluster

DATA = Path(__file__).parent / "data" / "gap_questions.yaml"


def main() -> None:
    topics = yaml.safe_load(DATA.read_text())
    texts = [q for questions in topics.values() for q in questions]
    truth = [t for t, questions in topics.items() for _ in questions]
    settings = Settings()
    embeddings = load_embeddings(settings.embedding_model, settings.embedding_threads, settings.embedding_batch_size)
    print(f"{len(texts)} questions, {len(topics)} topics")
    print("distance  ARI    clusters")
    for distance in sorted({*np.round(np.arange(0.5, 0.96, 0.05), 2), settings.gap_distance}):
        labels = cluster(texts, embeddings, float(distance))
        mark = "  <- GAP_DISTANCE" if distance == settings.gap_distance else ""
        print(f"{distance:8.2f}  {adjusted_rand_score(truth, labels):.3f}  {len(set(labels)):8d}{mark}")


if __name__ == "__main__":
    main()
