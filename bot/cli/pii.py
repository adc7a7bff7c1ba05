"""policybot pii-eval command: PII detection recall/precision and speed on the shared dev data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.app import app
from bot.config import get_settings

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared/eval/pii"


@app.command("pii-eval")
def pii_eval(
    data_dir: Annotated[Path, typer.Argument(help="Folder with presidio_synth_dev.json and wnut17_dev.conll")] = (
        DEFAULT_DATA_DIR
    ),
    spacy_model: Annotated[str | None, typer.Option(help="Also score this installed spaCy model (default: SPACY_MODEL)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON")] = False,
) -> None:
    """Score PII detection per entity (recall, precision) and speed, with and without spaCy NER."""
    from bot.governance.pii_eval import run  # loads Presidio and spaCy: only when this command runs

    missing = [n for n in ("presidio_synth_dev.json", "wnut17_dev.conll") if not (data_dir / n).is_file()]
    if missing:
        raise typer.BadParameter(f"{', '.join(missing)} not found in {data_dir}", param_hint="DATA_DIR")
    settings = get_settings()
    if spacy_model:
        settings = settings.model_copy(update={"spacy_model": spacy_model})
    report = run(data_dir, settings)
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    for config, result in report.items():
        typer.echo(f"== {config}")
        if "error" in result:
            typer.echo(f"  {result['error']}")
            continue
        synth = result["synth"]
        typer.echo(f"  engine build {result['build_s']} s; synth: {synth['sentences_per_s']} sentences/s (batch)")
        for entity, m in synth["entities"].items():
            typer.echo(
                f"  {entity:<14} recall {_fmt(m['recall'])}  precision {_fmt(m['precision'])}"
                f"  (gold {m['gold']}, predicted {m['predicted']}, masked other PII {m['masked_other_pii']})"
            )
        docs = result["synth_documents"]["entities"]
        typer.echo(
            "  as documents (ingest): "
            + "; ".join(f"{e} recall {_fmt(m['recall'])} precision {_fmt(m['precision'])}" for e, m in docs.items() if m["gold"])
        )
        typer.echo("  not covered: " + ", ".join(f"{t} ({n})" for t, n in synth["not_covered"].items()))
        w = result["wnut17_person"]
        typer.echo(
            f"  wnut17 person: span recall {_fmt(w['span_recall'])} precision {_fmt(w['span_precision'])}; token recall"
            f" {_fmt(w['token_recall'])} precision {_fmt(w['token_precision'])}; per-sentence latency"
            f" {w['latency_ms_mean']} ms mean, {w['latency_ms_p95']} ms p95"
        )


def _fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:.3f}"
