"""policybot feedback: list rated answers, show stats, resolve reviews."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli.app import app
from bot.cli.console import console, err_console, print_json
from bot.config import get_settings
from bot.store.redis_conn import REDIS_DOWN
from bot.store.stores import Stores

feedback_app = typer.Typer(help="Review what people thought of the answers.", no_args_is_help=True)
app.add_typer(feedback_app, name="feedback")

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
_STATE = {"open": "[red]open[/]", "resolved": "[green]resolved[/]", "none": ""}


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    return parts._replace(netloc=f"***@{parts.hostname}:{parts.port}").geturl() if parts.password else url


@contextmanager
def open_stores() -> Iterator[Stores]:
    """The stores, or a one-line error and exit 1 when Redis cannot be reached."""
    settings = get_settings()
    try:
        yield Stores.from_settings(settings)
    except REDIS_DOWN as exc:
        message = f"error: cannot reach Redis at REDIS_URL={_redacted(settings.redis_url)} ({exc})"
        err_console.print(message, markup=False, soft_wrap=True)
        raise typer.Exit(1) from None


@feedback_app.command("list")
def list_answers(
    as_json: JsonOpt = False,
    negative: Annotated[bool, typer.Option("--negative", help="Only answers with a 👎.")] = False,
    limit: Annotated[int, typer.Option(min=1)] = 50,
) -> None:
    """Recent answers with their 👍/👎 counts and review state, newest first."""
    with open_stores() as stores:
        items = stores.feedback.annotate(stores.answers.recent(limit, negative_only=negative))
    if as_json:
        print_json([item.model_dump(mode="json") for item in items])
        return
    table = Table("when", "user", "question", "confidence", "👍", "👎", "review")
    for item in items:
        rec = item.record
        table.add_row(
            datetime.fromtimestamp(rec.created_at).strftime("%Y-%m-%d %H:%M"),
            escape(rec.user),
            escape(rec.question),  # user text: never rich markup
            f"{rec.confidence:.2f}",
            str(item.up),
            str(item.down),
            _STATE[item.state],
        )
    console.print(table)


@feedback_app.command()
def stats(as_json: JsonOpt = False) -> None:
    """Answer, vote and review totals."""
    with open_stores() as stores:
        totals = stores.feedback.stats()
    if as_json:
        print_json(totals)
        return
    table = Table("metric", "value")
    for name, value in totals.items():
        table.add_row(name, json.dumps(value) if isinstance(value, dict) else str(value))
    console.print(table)


@feedback_app.command()
def resolve(
    channel: str,
    ts: str,
    note: Annotated[str, typer.Option(help="What was wrong and what was done about it.")],
    reviewer: Annotated[str, typer.Option(envvar="USER", help="Who reviewed it.")] = "unknown",
) -> None:
    """Close the review of an answer in the 👎 queue."""
    with open_stores() as stores:
        resolved = stores.feedback.resolve(channel, ts, reviewer, note)
    if not resolved:
        err_console.print(f"error: {channel} {ts} is not in the review queue", markup=False)
        raise typer.Exit(1)
    console.print(f"resolved {channel} {ts}")
