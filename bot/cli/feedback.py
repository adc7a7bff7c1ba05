"""policybot feedback: list answers with their ratings, show one in full, stats for policy owners, resolve reviews."""

from __future__ import annotations

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
    """Recent answers with their 👍/👎 counts and review state, newest first.

    The first column is the answer's CHANNEL TS, as `feedback show` and `feedback resolve` take it.
    """
    with open_stores() as stores:
        items = stores.feedback.annotate(stores.answers.recent(limit, negative_only=negative))
    if as_json:
        print_json([item.model_dump(mode="json") for item in items])
        return
    if not items:
        console.print("No rated answers yet." if negative else "No answers stored yet.")
        return
    for item in items:
        rec = item.record
        review = f" · review {item.state}" if item.state != "none" else ""
        # plain text, never rich markup (user text); soft_wrap keeps CHANNEL TS copyable in one piece
        out(f"{rec.channel} {rec.ts} · {_when(rec.created_at)} · 👍 {item.up} 👎 {item.down}{review}")
        out(f"  Q: {_excerpt(rec.question)}")
        out(f"  A: {_excerpt(rec.answer)}")
    if any(item.state == "open" for item in items):
        out("Full answer: policybot feedback show CHANNEL TS · close a review: policybot feedback resolve CHANNEL TS --note '…'")


@feedback_app.command()
def show(channel: str, ts: str, as_json: JsonOpt = False) -> None:
    """One answer in full: question, answer, cited sources, votes and review."""
    with open_stores() as stores:
        record = stores.answers.get(channel, ts)
        items = stores.feedback.annotate([record]) if record else []
    if not items:
        err_console.print(f"error: no stored answer {channel} {ts} (see `policybot feedback list`)", markup=False)
        raise typer.Exit(1)
    [item] = items
    if as_json:
        print_json(item.model_dump(mode="json"))
        return
    rec = item.record
    console.print(f"[bold]{rec.channel} {rec.ts}[/] · {_when(rec.created_at)} · {rec.kind} · asked by {escape(rec.user)}")
    console.print("[bold]Question[/]", escape(rec.question), sep="\n")
    console.print("[bold]Answer[/]", escape(rec.answer), sep="\n")
    if rec.sources:
        console.print("[bold]Sources[/]")
        for src in rec.sources:
            where = " › ".join(part for part in (src.title, src.section) if part)
            console.print(f"[{src.n}] {escape(where)} ({escape(src.source or src.doc_id)})", markup=False)
    review = f"review {item.state}" if item.state != "none" else "no review"
    console.print(f"👍 {item.up} · 👎 {item.down} · {review}")
    if item.resolution:
        res = item.resolution
        console.print(f"resolved by {res.reviewer} on {_when(res.resolved_at)}: {res.note}", markup=False)


@feedback_app.command()
def stats(as_json: JsonOpt = False) -> None:
    """How the answers are doing: answered vs not, ratings, the review queue, and ratings per document."""
    with open_stores() as stores:
        totals = stores.feedback.stats()
        documents = stores.feedback.by_document()
    if as_json:
        print_json({**totals, "documents": [d.model_dump() for d in documents]})
        return
    stored = totals["answers_stored"]
    table = Table("", "", show_header=False, box=None)
    table.add_row("Answers stored", str(stored))
    for kind, count in sorted(totals["by_kind"].items(), key=lambda kv: -kv[1]):
        table.add_row(f"  {_KINDS.get(kind, kind)}", f"{count}{_share(count, stored)}")
    up, down = totals["votes_up"], totals["votes_down"]
    satisfaction = f" · {totals['satisfaction']:.0%} positive" if totals["satisfaction"] is not None else ""
    table.add_row("Ratings", f"👍 {up} · 👎 {down}{satisfaction}")
    table.add_row("Reviews", f"{totals['review_queue']} open · {totals['resolved']} resolved")
    console.print(table)
    if documents:
        console.print("[bold]Ratings by document[/] (stored answers citing it)")
        for doc in documents:
            reviews = f" · {doc.open_reviews} open review{'s' * (doc.open_reviews != 1)}" if doc.open_reviews else ""
            out(
                f"  {doc.title} ({doc.source or doc.doc_id}): {doc.answers} answer{'s' * (doc.answers != 1)} · 👍 {doc.up} 👎 {doc.down}{reviews}"
            )
    if totals["review_queue"]:
        console.print("Open reviews: policybot feedback list --negative")


_KINDS = {
    "answer": "answered",
    "abstain": "not found in the policies",
    "greeting": "greetings",
    "invalid": "empty question",
    "no_index": "no index",
}


def out(line: str) -> None:
    """Print a line verbatim (no markup) without hard wrapping."""
    console.print(line, markup=False, soft_wrap=True)


def _share(count: int, total: int) -> str:
    return f" ({count / total:.0%})" if total else ""


def _when(epoch_s: float) -> str:
    return datetime.fromtimestamp(epoch_s).strftime("%Y-%m-%d %H:%M")


def _excerpt(text: str, chars: int = 160) -> str:
    """The answer on one line, cut to `chars` (the full text: `feedback show`)."""
    line = " ".join(text.split())
    return line if len(line) <= chars else line[: chars - 1] + "…"


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
