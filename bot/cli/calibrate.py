"""`policybot calibrate DATASET_DIR [--max-false-abstention 0.05]`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from bot.cli.app import app
from bot.cli.console import console, fail, stage_progress
from bot.config import get_settings


@app.command("calibrate")
def calibrate_command(
    dataset_dir: Path = typer.Argument(
        ..., help="A labelled dataset (BEIR layout with answers.jsonl marking unanswerable questions)."
    ),
    max_false_abstention: float = typer.Option(
        0.05, "--max-false-abstention", min=0.0, max=1.0, help="Largest share of answerable questions allowed to abstain."
    ),
) -> None:
    """Sweep the abstention threshold on your own labelled questions and save it for this data folder."""
    from bot.eval.calibrate import calibrate, write_calibration
    from bot.eval.dataset import load_dataset

    settings = get_settings()
    try:
        dataset = load_dataset(dataset_dir)
        with stage_progress(enabled=True) as progress:
            result = calibrate(dataset, settings, max_false_abstention=max_false_abstention, progress=progress)
    except (FileNotFoundError, ValueError, KeyError, RuntimeError) as exc:
        fail(str(exc))
    path = write_calibration(result, settings, dataset)
    table = Table(title=f"Abstention trade-off ({result.answerable} answerable, {result.uncovered} uncovered questions)")
    for column in ("threshold", "abstain on uncovered", "false abstention"):
        table.add_column(column, justify="right")
    for row in result.table:
        near = abs(row.threshold - result.abstain_threshold) <= 0.1 + 1e-9
        chosen = row.threshold == result.abstain_threshold
        if chosen or (near and round(row.threshold * 1000) % 20 == 0):
            table.add_row(
                f"{row.threshold:.3f}{' ◀' if chosen else ''}", f"{row.abstention_uncovered:.3f}", f"{row.false_abstention:.3f}"
            )
    console.print(table)
    console.print(f"abstain_threshold = {result.abstain_threshold:.3f} written to {path} (used by ask, chat and serve)")
