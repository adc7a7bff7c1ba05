"""Train the answer scorer: a cross-encoder initialised from the bundled all-MiniLM-L6-v2, fine-tuned on
(question, unit, label) pairs with binary cross-entropy.

The loop is ours (about 20 lines) rather than sentence-transformers' `CrossEncoderTrainer`: that trainer
needs the `datasets` and `accelerate` packages on every install for this one command, and it cannot stop
at a wall-clock budget, which `tune` must (≤ 15 minutes on 2 cores). The model, its tokenizer, saving
and loading are sentence-transformers' `CrossEncoder`.
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.answer.scorer import MAX_PAIR_TOKENS
from bot.retrieval.embeddings import model_path
from bot.tuning.pairs import Pair

log = logging.getLogger(__name__)

# Hyper-parameters: the usual ones for fine-tuning a MiniLM cross-encoder (sentence-transformers'
# training examples: lr 2e-5..7e-5, batch 16-32, 10% linear warm-up); the higher end suits one short epoch.
LEARNING_RATE = 5e-5
BATCH_SIZE = 16
WARMUP_SHARE = 0.1


@dataclass(frozen=True)
class TrainReport:
    pairs_seen: int
    steps: int
    seconds: float
    final_loss: float  # mean loss over the last 50 steps
    stopped_early: bool  # the time budget ran out before every pair was seen


def train_scorer(
    pairs: Sequence[Pair],
    out_dir: Path,
    *,
    budget_s: float,
    threads: int = 2,
    seed: int = 13,
    base: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> TrainReport:
    """Fine-tune from `base` (default: the bundled MiniLM) on `pairs`, one shuffled pass, stopping when
    `budget_s` seconds have passed; saves the model to `out_dir` (a sentence-transformers CrossEncoder folder).

    Raises ValueError for an empty `pairs` or one with a single label (nothing to tell apart).
    """
    if len({p.label for p in pairs}) < 2:
        raise ValueError("training needs both positive and negative pairs")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    import transformers
    from sentence_transformers import CrossEncoder

    transformers.utils.logging.set_verbosity_error()  # the "classifier newly initialised" report is expected
    transformers.utils.logging.disable_progress_bar()  # "Loading weights" bars would interleave with ours
    logging.getLogger("sentence_transformers").setLevel(logging.ERROR)  # "Converting … to CrossEncoder" is expected
    torch.manual_seed(seed)
    torch.set_num_threads(max(1, threads))
    model = CrossEncoder(model_path(base), num_labels=1, max_length=MAX_PAIR_TOKENS, device="cpu", local_files_only=True)
    network, tokenizer = model.transformers_model, model.tokenizer
    batches = _length_batches(pairs, random.Random(seed))
    order = [p for batch in batches for p in batch]
    optimizer = torch.optim.AdamW(network.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    started, losses, seen = time.monotonic(), [], 0

    def rate(step: int) -> float:
        """Linear warm-up, then linear decay to 0 at the end of the pass or of the time budget, whichever is first."""
        done = max(step / len(batches), (time.monotonic() - started) / budget_s)
        return min(done / WARMUP_SHARE, max(0.0, (1 - done) / (1 - WARMUP_SHARE)), 1.0) or 1e-3

    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, rate)
    network.train()
    for step, batch in enumerate(batches):
        if time.monotonic() - started > budget_s:
            break
        features = tokenizer(
            [p.question for p in batch],
            [p.text for p in batch],
            padding=True,
            truncation="longest_first",
            max_length=MAX_PAIR_TOKENS,
            return_tensors="pt",
        )
        logits = network(**features).logits.view(-1)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, torch.tensor([p.label for p in batch]))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(network.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        losses.append(float(loss.detach()))
        seen += len(batch)
        if progress:
            progress(step + 1, len(batches))
    if progress:
        progress(len(batches), len(batches))  # a budget stop ends the bar too (what was seen is in the report)
    network.eval()
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(str(out_dir))
    tail = losses[-50:]
    return TrainReport(
        pairs_seen=seen,
        steps=len(losses),
        seconds=round(time.monotonic() - started, 1),
        final_loss=round(sum(tail) / len(tail), 4) if tail else float("nan"),
        stopped_early=seen < len(order),
    )


def _length_batches(pairs: Sequence[Pair], rng: random.Random) -> list[list[Pair]]:
    """Batches of pairs of similar length, in random order: a batch is padded to its longest pair, so
    mixing a 10-word sentence with a 150-word list item would triple the work (bucketing, as in fairseq)."""
    shuffled = list(pairs)
    rng.shuffle(shuffled)
    chunk = BATCH_SIZE * 50  # sort within windows of 50 batches: similar lengths, still a random mix of questions
    batches = []
    for start in range(0, len(shuffled), chunk):
        window = sorted(shuffled[start : start + chunk], key=lambda p: len(p.question) + len(p.text))
        batches += [window[i : i + BATCH_SIZE] for i in range(0, len(window), BATCH_SIZE)]
    rng.shuffle(batches)
    return batches
