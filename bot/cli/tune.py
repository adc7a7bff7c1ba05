"""`policybot tune [--train DATASET]... [--eval knowledge/eval] [--minutes 12] [--max-pairs N] [--no-promote] [--json]`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from bot.cli.app import app
from bot.cli.console import console, err_console, fail, print_json, stage_progress
from bot.config import get_settings


@app.command()
def tune(
    train: Annotated[
        list[Path],
        typer.Option(
            "--train",
            help="A public question/answer-span dataset in BEIR layout (corpus.jsonl of paragraphs, answers.jsonl "
            "with gold spans), e.g. PolicyQA. Repeatable. The review loop's labels (verified answers, answers judged "
            "right, questions marked not a policy question) are always added.",
        ),
    ] = [],  # noqa: B006  (typer reads the default; it is never mutated)
    eval_dir: Annotated[
        Path, typer.Option("--eval", help="Your labelled questions (BEIR layout): the new model must do better on them.")
    ] = Path("knowledge/eval"),
    minutes: Annotated[float, typer.Option(min=0.05, help="Training time budget in minutes (judging comes on top).")] = 12,
    max_pairs: Annotated[int | None, typer.Option(min=10, help="Train on a seeded sample of this many pairs.")] = None,
    no_promote: Annotated[bool, typer.Option("--no-promote", help="Train and judge, but keep the scorer in use.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON (nothing else on stdout).")] = False,
) -> None:
    """Train the answer scorer (a cross-encoder from the bundled MiniLM) and promote it if it answers better."""
    from bot.eval.dataset import load_dataset
    from bot.tuning.pairs import labelled_pairs, span_pairs
    from bot.tuning.tune import tune as run_tune

    settings = get_settings()
    pairs, sources = [], []
    try:
        eval_set = load_dataset(eval_dir)
        for folder in train:
            found = span_pairs(load_dataset(folder))
            pairs += found
            sources.append(f"{folder} ({len(found)} pairs)")
    except (FileNotFoundError, ValueError, KeyError) as exc:
        fail(str(exc))
    labelled = _review_loop_labels(settings)
    if labelled:
        from bot.answer.service import build_service
        from bot.tuning.company import top_units

        found = labelled_pairs(labelled, top_units(build_service(settings)))
        pairs += found
        sources.append(f"review loop ({len(labelled)} labelled questions, {len(found)} pairs)")
    if not pairs:
        fail("nothing to train on: pass --train DATASET (a QA-span set such as PolicyQA) or review some answers first")
    try:
        with stage_progress(enabled=True) as progress:
            result = run_tune(
                pairs,
                sources,
                eval_set,
                settings,
                budget_s=minutes * 60,
                max_pairs=max_pairs,
                promote_if_better=not no_promote,
                progress=progress,
            )
    except ValueError as exc:
        fail(str(exc))
    if as_json:
        print_json(
            {
                "version": result.version,
                "folder": str(result.folder),
                "pairs": result.pairs,
                "data_hash": result.data_hash,
                "training": vars(result.training),
                "model_mb": round(result.model_mb, 1),
                "current": result.current.as_dict(),
                "candidate": result.candidate.as_dict(),
                "mcnemar_p": round(result.p_value, 4),
                "promoted": result.promoted,
            }
        )
        return
    table = Table(title=f"Answer scorer {result.version} vs the one in use, on {eval_set.root}")
    for column in ("", "in use", result.version):
        table.add_column(column, justify="right")
    current, candidate = result.current.as_dict(), result.candidate.as_dict()
    for name in ("scorer", "threshold", "correct", "must_contain", "abstention_uncovered", "false_abstention", "ask_p50_ms"):
        table.add_row(name.replace("_", " "), _cell(current[name]), _cell(candidate[name]))
    console.print(table)
    t = result.training
    console.print(
        f"trained on {t.pairs_seen} of {result.pairs} pairs in {t.seconds:.0f} s ({t.steps} steps, loss {t.final_loss});"
        f" {result.model_mb:.0f} MB in {result.folder}"
    )
    verdict = f"McNemar p = {result.p_value:.3f}"
    if result.promoted:
        console.print(f"promoted {result.version} ({verdict}): ask, chat, serve and workers load it on their next start")
    else:
        reason = "--no-promote" if no_promote else f"not better than the scorer in use beyond chance: {verdict}"
        console.print(f"kept the scorer in use ({reason}); to try {result.version} on some askers, name it in a variant")


def _cell(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _review_loop_labels(settings) -> list:
    """The review loop's labelled questions; none (with a warning) when Redis is unreachable."""
    from bot.store.redis_conn import REDIS_DOWN
    from bot.store.stores import Stores
    from bot.tuning.company import review_loop_labels

    try:
        return review_loop_labels(Stores.from_settings(settings))
    except REDIS_DOWN as exc:
        err_console.print(f"warning: Redis unreachable ({exc}): training without the review loop's labels", markup=False)
        return []
