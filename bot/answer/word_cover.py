"""How closely a text's words cover a question's words in meaning, for words the text lacks.

Exact word overlap misses everyday wording: "gym" against "fitness", "bag" against "baggage" (their
stems differ). Single words are embedded with the embedding model and a question word the text lacks
counts in part when the text holds a word of close meaning: linearly from 0 at cosine `FLOOR` to 1 at
cosine 1. The extractive answerer uses it to choose the unit that answers. `FLOOR`: with all-MiniLM-L6-v2,
words of one meaning score 0.5–0.9 ("looks"/"appearance" 0.49, "bag"/"baggage" 0.77, "wife"/"spouse"
0.86) and unrelated ones about 0.3 ("dog"/"office" 0.32, "parking"/"allowance" 0.29).
Our own code, not a library's: it is part of judging whether a quote answers a question (the core).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

FLOOR = 0.4  # word-embedding cosine at which a word starts to cover another
WordVectors = Callable[[list[str]], np.ndarray]  # words -> unit-length embeddings, one row per word


def closeness(asked: list[str], offered: list[str], words: WordVectors) -> np.ndarray:
    """(len(asked), len(offered)) array in 0..1: how far each offered word covers each asked word in
    meaning (see the module docstring). Both lists are embedded in one call of `words`."""
    if not asked or not offered:
        return np.zeros((len(asked), len(offered)), dtype=np.float32)
    vectors = words(asked + offered)  # one call: the words not cached yet are embedded in one batch
    sims = vectors[: len(asked)] @ vectors[len(asked) :].T
    return np.clip((sims - FLOOR) / (1 - FLOOR), 0.0, 1.0)
