"""Measures PII detection on public dev data (shared/eval/pii), for `policybot pii-eval`.

Matching is by character-span overlap. On presidio_synth_dev.json, per entity type we detect:

- recall: gold spans of that type overlapped by a prediction of the same type;
- precision: predictions of that type overlapping a gold span of the same type. A prediction
  overlapping only a gold span of another type counts against precision (wrong label) but is also
  reported as `masked_other_pii`, since it still hides personal data;
- types the dataset labels but we do not detect (STREET_ADDRESS, ...) are listed as not covered;
- types we detect but the dataset does not label (BANK_ACCOUNT) get no recall, and a prediction
  counts as a false positive only if it overlaps no gold span at all.

`synth_documents` scores the same sentences as documents are masked at ingest (NER names only when
certain, see pii_documents); `synth` is how questions are masked.

On wnut17_dev.conll (chat-like text, tokens joined by spaces) only `person` is scored: span-level
(overlap) and token-level recall/precision, without a names list (NER is the only name source).
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings
from bot.governance.pii import PLACEHOLDERS, PiiMasker, PiiSpan


@dataclass(frozen=True)
class Gold:
    entity_type: str
    start: int
    end: int


def _overlaps(a: Gold | PiiSpan, b: Gold | PiiSpan) -> bool:
    return a.start < b.end and b.start < a.end


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 3) if den else None


def load_synth(path: Path) -> list[tuple[str, list[Gold]]]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [(r["full_text"], [Gold(s["entity_type"], s["start_position"], s["end_position"]) for s in r["spans"]]) for r in rows]


def load_conll_persons(path: Path) -> list[tuple[str, list[Gold], list[tuple[int, int]]]]:
    """Sentences as (text, gold person spans, token offsets); tokens joined by single spaces."""
    sentences, tokens, tags = [], [], []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.strip():
            token, tag = line.rsplit("\t", 1)
            tokens.append(token)
            tags.append(tag)
            continue
        if not tokens:
            continue
        offsets: list[tuple[int, int]] = []
        gold: list[Gold] = []
        pos = 0
        for token, tag in zip(tokens, tags, strict=True):
            offsets.append((pos, pos + len(token)))
            if tag == "B-person" or (tag == "I-person" and not gold):
                gold.append(Gold("PERSON", pos, pos + len(token)))
            elif tag == "I-person":
                gold[-1] = Gold("PERSON", gold[-1].start, pos + len(token))
            pos += len(token) + 1
        sentences.append((" ".join(tokens), gold, offsets))
        tokens, tags = [], []
    return sentences


def eval_synth(masker: PiiMasker, data: list[tuple[str, list[Gold]]], *, documents: bool = False) -> dict:
    """Per-entity scores; `documents` scores the stricter ingest masking (`PiiMasker.find_documents`)."""
    t0 = time.perf_counter()
    find = masker.find_documents if documents else masker.find_many
    predictions = find([text for text, _ in data])
    seconds = time.perf_counter() - t0
    ours = set(PLACEHOLDERS)
    labelled = {g.entity_type for _, gold in data for g in gold}
    per_entity = {}
    for entity in sorted(ours):
        gold_n = hit = pred_n = tp = other = 0
        for (_, gold), preds in zip(data, predictions, strict=True):
            gold_t = [g for g in gold if g.entity_type == entity]
            pred_t = [p for p in preds if p.entity_type == entity]
            gold_n += len(gold_t)
            hit += sum(any(_overlaps(g, p) for p in pred_t) for g in gold_t)
            for p in pred_t:
                pred_n += 1
                if entity in labelled:
                    tp += any(_overlaps(g, p) for g in gold_t)
                    other += not any(_overlaps(g, p) for g in gold_t) and any(_overlaps(g, p) for g in gold)
                else:
                    tp += any(_overlaps(g, p) for g in gold)
        per_entity[entity] = {
            "gold": gold_n,
            "predicted": pred_n,
            "recall": _ratio(hit, gold_n) if entity in labelled else None,
            "precision": _ratio(tp, pred_n),
            "masked_other_pii": other,
        }
    return {
        "sentences": len(data),
        "sentences_per_s": round(len(data) / seconds, 1),
        "entities": per_entity,
        "not_covered": {t: sum(g.entity_type == t for _, gold in data for g in gold) for t in sorted(labelled - ours)},
    }


def eval_wnut_persons(masker: PiiMasker, data: list[tuple[str, list[Gold], list[tuple[int, int]]]]) -> dict:
    latencies = []
    span_gold = span_hit = span_pred = span_tp = tok_gold = tok_pred = tok_tp = 0
    for text, gold, offsets in data:
        t0 = time.perf_counter()
        preds = [p for p in masker.find(text) if p.entity_type == "PERSON"]
        latencies.append((time.perf_counter() - t0) * 1000)
        span_gold += len(gold)
        span_hit += sum(any(_overlaps(g, p) for p in preds) for g in gold)
        span_pred += len(preds)
        span_tp += sum(any(_overlaps(g, p) for g in gold) for p in preds)
        for start, end in offsets:
            in_gold = any(g.start <= start and end <= g.end for g in gold)
            in_pred = any(p.start < end and start < p.end for p in preds)
            tok_gold += in_gold
            tok_pred += in_pred
            tok_tp += in_gold and in_pred
    latencies.sort()
    return {
        "sentences": len(data),
        "person_spans": span_gold,
        "span_recall": _ratio(span_hit, span_gold),
        "span_precision": _ratio(span_tp, span_pred),
        "token_recall": _ratio(tok_tp, tok_gold),
        "token_precision": _ratio(tok_tp, tok_pred),
        "latency_ms_mean": round(statistics.fmean(latencies), 2),
        "latency_ms_p95": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
    }


def run(data_dir: Path, settings: Settings) -> dict[str, dict]:
    """Scores per configuration: patterns only, and patterns + spaCy NER when a model is set."""
    synth = load_synth(data_dir / "presidio_synth_dev.json")
    wnut = load_conll_persons(data_dir / "wnut17_dev.conll")
    configs: dict[str, str | None] = {"patterns": None}
    if settings.spacy_model:
        configs[f"ner:{settings.spacy_model}"] = settings.spacy_model
    report: dict[str, dict] = {}
    for name, model in configs.items():
        config = settings.model_copy(update={"pii_enabled": True, "pii_names_file": None, "spacy_model": model})
        t0 = time.perf_counter()
        masker = PiiMasker(config)
        build_s = round(time.perf_counter() - t0, 2)
        if model and not masker.ner_enabled:
            report[name] = {"error": f"spaCy model {model!r} is not installed"}
            continue
        report[name] = {
            "build_s": build_s,
            "synth": eval_synth(masker, synth),
            "synth_documents": eval_synth(masker, synth, documents=True),
            "wnut17_person": eval_wnut_persons(masker, wnut),
        }
    return report
