"""`policybot ingest [PATH] [--rebuild] [--json] [--strict] [--show-masked]`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from bot.cli.app import app
from bot.cli.console import console, err_console, fail, print_json, stage_progress
from bot.config import get_settings
from bot.ingest.report import IngestReport


@app.command()
def ingest(
    path: Path = typer.Argument(None, help="Folder or file to ingest (default: KNOWLEDGE_DIR)."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Drop the index and ingest everything again."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    strict: bool = typer.Option(False, "--strict", help="Exit non-zero when any file was skipped."),
    show_masked: bool = typer.Option(
        False, "--show-masked", help="List every span masked in the indexed documents (type, document, offset; no values)."
    ),
) -> None:
    """Load, clean, mask, chunk and index policy documents (incremental: unchanged files cost nothing)."""
    from bot.ingest.pipeline import NoNamesSource, masked_spans, run_ingest

    settings = get_settings()
    try:
        with stage_progress(enabled=not as_json) as progress:
            report = run_ingest(settings, path, rebuild=rebuild, progress=progress)
    except FileNotFoundError as exc:
        fail(str(exc))
    except NoNamesSource as exc:
        fail(f"ingestion refused: {exc}")
    suspended = _review_after_ingest(settings)
    masked = masked_spans(settings) if show_masked else None
    if as_json:
        print_json({**report.to_dict(), **({"masked_all": masked} if masked is not None else {})})
    else:
        _print_report(report)
        if masked is not None:
            _print_masked(masked)
    for answer in suspended:
        err_console.print(f"[yellow]verified answer suspended:[/yellow] {answer.id} ({answer.suspended_reason})")
    if strict and report.skipped:
        raise typer.Exit(2)


def _review_after_ingest(settings):
    """Suspend verified answers resting on changed documents; their cards say why (with Slack set up).
    Redis unreachable: a warning, and the next ingest checks again (nothing is lost)."""
    from bot.slack.credentials import web_client
    from bot.slack.review import review_after_ingest
    from bot.store.redis_conn import REDIS_DOWN

    client = web_client(settings, settings.slack_bot_token) if settings.slack_bot_token else None
    try:
        return review_after_ingest(settings, client)
    except REDIS_DOWN as exc:
        err_console.print(
            f"warning: verified answers not checked against the new documents: Redis unreachable ({exc})", markup=False
        )
        return []


def _print_masked(rows: list[dict]) -> None:
    table = Table("type", "document", "page", "offset", title=f"Masked spans in the index ({len(rows)})")
    for row in rows:
        table.add_row(row["type"], row["doc"], "" if row["page"] is None else str(row["page"]), f"{row['start']}-{row['end']}")
    console.print(table)


def _print_report(report: IngestReport) -> None:
    counts = report.to_dict()["counts"]
    console.print(
        f"[bold]documents[/bold] added {counts['added']} · updated {counts['updated']} · unchanged "
        f"{counts['unchanged']} · deleted {counts['deleted']} · skipped {counts['skipped']}"
    )
    console.print(
        f"[bold]chunks[/bold] {report.chunks_total} in index · {report.chunks_embedded} embedded · "
        f"{report.chunks_deleted} removed · {report.seconds:.1f}s"
    )
    if report.skipped:
        table = Table("skipped file", "reason", title="Skipped")
        for doc, reason in report.skipped:
            table.add_row(doc, reason)
        console.print(table)
    for old, new in report.superseded:
        console.print(f"[dim]superseded:[/dim] {old} → {new} answers from its effective date on", soft_wrap=True)
    for dup in report.duplicates:
        console.print(f"[yellow]duplicate:[/yellow] {dup['duplicate']} is identical to {dup['kept']} (not indexed)")
    for dup in report.near_duplicates:
        console.print(f"[yellow]near-duplicate:[/yellow] {dup['a']} ≈ {dup['b']} ({dup['similarity']:.0%})")
