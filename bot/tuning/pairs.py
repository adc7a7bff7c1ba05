"""Training pairs for the answer scorer: (question, unit, label) with label 1 when the unit answers.

Two sources:
- a public question/answer-span dataset in BEIR layout with `answers.jsonl` and a `corpus.jsonl`
  of paragraphs (e.g. ../shared/eval/policyqa-dev): each relevant paragraph is split into the units the
  answerer quotes; the unit holding a gold span is a positive, the paragraph's other units are hard
  negatives (same topic, same words, not the answer), and a unit of another paragraph of the same
  document an easy one;
- the company's own labelled questions (`Labelled`): verified answers (each question and paraphrase
  with the answer's sentences), answers a reviewer judged right (with their quotes) and questions a
  reviewer marked "not a policy question"; hard negatives are the other units the search finds for them.
Questions and answers of the deployment's own labelled set are never used: that set judges the model.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.answer.extractive import embed_text
from bot.answer.text_units import split_units
from bot.eval.dataset import Dataset, read_jsonl

HARD_NEGATIVES = 3  # per positive: more teaches little and makes the epoch longer on 2 cores
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Pair:
    question: str
    text: str
    label: float  # 1.0 answers, 0.0 does not


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def span_pairs(dataset: Dataset, *, seed: int = 13, negatives: int = HARD_NEGATIVES) -> list[Pair]:
    """Pairs from a dataset whose answers are spans of corpus paragraphs (see the module docstring).

    Raises ValueError when the dataset has no corpus.jsonl or no answer spans (nothing to learn from).
    """
    if dataset.corpus_file is None:
        raise ValueError(f"{dataset.root}: training needs a corpus.jsonl of paragraphs")
    if not any(e.answers for e in dataset.expected.values()):
        raise ValueError(f"{dataset.root}: training needs answers.jsonl with answer spans ('answers'); it has none")
    corpus = {str(row["_id"]): row for row in read_jsonl(dataset.corpus_file)}
    by_title: dict[str, list[str]] = defaultdict(list)
    for doc_id, row in corpus.items():
        by_title[str(row.get("title", ""))].append(doc_id)
    rng = random.Random(seed)
    pairs: list[Pair] = []
    for query in dataset.queries:
        expected = dataset.expected.get(query.id)
        spans = [_norm(a) for a in expected.answers if a.strip()] if expected else []
        if not spans:
            continue
        for doc_id in dataset.qrels.get(query.id, {}):
            if doc_id not in corpus:
                continue
            row = corpus[doc_id]
            units = [embed_text(u) for u in split_units(str(row.get("text", "")))]
            positive = [u for u in units if _holds_span(_norm(u), spans)]
            if not positive:
                continue
            hard = [u for u in units if u not in positive]
            rng.shuffle(hard)
            others = [d for d in by_title[str(row.get("title", ""))] if d not in dataset.qrels.get(query.id, {})]
            easy = _random_unit(corpus[rng.choice(others)], rng) if others else None
            pairs.extend(Pair(query.text, u, 1.0) for u in positive)
            pairs.extend(Pair(query.text, u, 0.0) for u in hard[: negatives * len(positive)])
            if easy:
                pairs.append(Pair(query.text, easy, 0.0))
    if not pairs:
        raise ValueError(f"{dataset.root}: no answer span was found in its corpus paragraphs (answers.jsonl 'answers')")
    return pairs


def _holds_span(unit: str, spans: list[str]) -> bool:
    """The unit contains a gold span, or (a span running over several sentences) is contained in one."""
    return any(span in unit or (len(unit) > 20 and unit in span) for span in spans)


def _random_unit(row: dict, rng: random.Random) -> str | None:
    units = [embed_text(u) for u in split_units(str(row.get("text", "")))]
    return rng.choice(units) if units else None


@dataclass(frozen=True)
class Labelled:
    """A question the company has labelled: the texts that answer it (a verified answer's sentences, the
    quotes of an answer a reviewer judged right), or None when no policy answers it ("not a policy question")."""

    question: str
    answers: Sequence[str] | None


def labelled_pairs(items: Iterable[Labelled], top_units: Callable[[str], list[str]], *, negatives: int = 4) -> list[Pair]:
    """Pairs from labelled questions, with hard negatives from what the search finds for each.

    `top_units(question)`: the quotable units of the chunks the search ranks first for it. A unit holding
    one of the answer texts (or held by one) is a positive, and so is every answer text itself (a reviewer's
    own words); the other units are negatives, up to `negatives` per positive. For a question no policy
    answers, its top units are all negatives: they are what a wrong answer would quote.
    """
    pairs: list[Pair] = []
    for item in items:
        units = top_units(item.question)
        answers = [_norm(a) for a in item.answers or [] if a.strip()]
        positive = [u for u in units if any(a in _norm(u) or _norm(u) in a for a in answers)]
        own = [a for a in item.answers or [] if a.strip() and not any(_norm(a) in _norm(u) for u in positive)]
        pairs += [Pair(item.question, text, 1.0) for text in positive + own]
        wrong = [u for u in units if u not in positive]
        pairs += [Pair(item.question, u, 0.0) for u in wrong[: negatives * max(1, len(positive) + len(own))]]
    return pairs


def data_hash(pairs: Sequence[Pair]) -> str:
    """sha256 (first 16 hex digits) of the pairs in order: a model's training data, recorded with it."""
    digest = hashlib.sha256()
    for p in pairs:
        digest.update(f"{p.question}\t{p.text}\t{p.label}\n".encode())
    return digest.hexdigest()[:16]
