"""Knowledge gaps: what people asked that no policy answers, grouped by topic.

The questions are the abstentions of the last days plus the answers rated 👎 "Didn't answer my
question", leaving out those a reviewer settled (not a policy question, or a verified answer was
written). They are grouped by agglomerative clustering of their embeddings (scikit-learn, cosine
distance, average linkage, cut at `distance` — calibrated by bench/gap_clustering.py), each
group named by its highest TF-IDF terms and counted in distinct askers. A group that contains a
question a reviewer marked "not a policy question" is left out whole.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.store.keys import Keys
from bot.store.reasons import UNANSWERED
from bot.store.stores import Stores

DAY_S = 86_400
SETTLED = {"verified", "not_policy"}
SAMPLES = 3


@dataclass(frozen=True)
class GapQuestion:
    ref: str  # the answer's CHANNEL:TS
    question: str  # PII-masked
    user: str
    at: float
    why: str  # "abstained" or "unanswered" (a 👎 reason)


@dataclass(frozen=True)
class Gap:
    topic: str  # its highest TF-IDF terms, e.g. "pet insurance"
    people: int  # distinct askers
    questions: list[GapQuestion]

    @property
    def samples(self) -> list[str]:
        return list(dict.fromkeys(q.question for q in self.questions))[:SAMPLES]

    @property
    def representative(self) -> GapQuestion:
        return self.questions[0]


def gap_questions(stores: Stores, days: float, now: float | None = None) -> tuple[list[GapQuestion], set[str]]:
    """(candidate questions of the last `days`, refs a reviewer dismissed as not policy questions)."""
    since = (now or time.time()) - days * DAY_S
    refs = [str(r) for r in stores.redis.zrangebyscore(Keys(stores.prefix).answers, since, "+inf")]
    records = stores.answers.load(refs)
    found, dismissed = [], set()
    for ref, record in records.items():
        review = stores.reviews.get(ref)
        if review is not None and review.state in SETTLED:
            if review.state == "not_policy":
                dismissed.add(ref)
            continue
        unanswered = any(r.code == UNANSWERED for r in stores.reasons.of(ref).values())
        if record.kind == "abstain" or unanswered:
            why = "abstained" if record.kind == "abstain" else "unanswered"
            found.append(GapQuestion(ref, record.question, record.user, record.created_at, why))
    dismissed_questions = {records[r].question for r in dismissed}
    return found, dismissed_questions


def cluster(texts: Sequence[str], embeddings: Embeddings, distance: float) -> list[int]:
    """A cluster label per text: average-linkage agglomerative clustering on cosine distance, cut at `distance`."""
    if len(texts) < 2:
        return [0] * len(texts)
    vectors = np.asarray(embeddings.embed_documents(list(texts)), dtype=np.float32)
    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average", distance_threshold=distance)
    return model.fit_predict(vectors).tolist()


def find_gaps(stores: Stores, embeddings: Embeddings, *, days: float = 7, distance: float, min_people: int = 1) -> list[Gap]:
    """The knowledge gaps of the last `days`, most people first."""
    questions, dismissed = gap_questions(stores, days)
    texts = [q.question for q in questions] + sorted(dismissed)
    labels = cluster(texts, embeddings, distance)
    groups: dict[int, list[GapQuestion]] = {}
    for label, q in zip(labels, questions, strict=False):
        groups.setdefault(label, []).append(q)
    excluded = set(labels[len(questions) :])  # clusters holding a dismissed question
    gaps = [
        Gap(topic=topic_of([q.question for q in group], texts), people=len({q.user for q in group}), questions=group)
        for label, group in groups.items()
        if label not in excluded
    ]
    return sorted((g for g in gaps if g.people >= min_people), key=lambda g: (-g.people, g.topic))


def topic_of(group: Sequence[str], corpus: Sequence[str], terms: int = 2) -> str:
    """The `terms` words (or two-word phrases) that most set `group` apart within `corpus` (TF-IDF)."""
    vectorizer = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True)
    try:
        vectorizer.fit(corpus)
    except ValueError:  # nothing but stop words
        return group[0]
    weights = np.asarray(vectorizer.transform([" ".join(group)]).todense()).ravel()
    names = vectorizer.get_feature_names_out()
    best = [names[i] for i in np.argsort(-weights)[: terms * 2] if weights[i] > 0]
    picked: list[str] = []
    for term in best:  # prefer a phrase over its own words
        if not any(term in p or p in term for p in picked):
            picked.append(term)
        if len(picked) == terms:
            break
    return ", ".join(picked) or group[0]
