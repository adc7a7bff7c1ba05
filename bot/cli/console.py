"""Shared CLI helpers: one console, JSON output, progress bars, clean error exits."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from markdown_it import MarkdownIt
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.text import Text

console = Console()
err_console = Console(stderr=True)


_INLINE = MarkdownIt("commonmark", {"html": False}).enable("strikethrough")
_STYLES = {"strong": "bold", "em": "italic", "s": "strike", "link": "underline"}


def markdown_text(markdown: str) -> Text:
    """An answer's Markdown as terminal text, line by line: "**Time Off > Sick**" in bold, not with its markers.
    A link shows its address after its label. Only inline markup is read (by markdown-it, as the Slack surface reads
    it): the "> " of a quote, a list's "-", "[1]" and line breaks stay as they are."""
    out = Text()
    for n, line in enumerate(markdown.split("\n")):
        if n:
            out.append("\n")
        styles: list[str] = []
        links: list[tuple[str, int]] = []  # (address, where its label starts)
        for token in (t for block in _INLINE.parseInline(line) for t in block.children or []):
            kind = token.type.removesuffix("_open").removesuffix("_close")
            if token.type.endswith("_open") and kind in _STYLES:
                styles.append(_STYLES[kind])
                if kind == "link":
                    links.append((str(token.attrs.get("href", "")), len(out)))
            elif token.type.endswith("_close") and kind in _STYLES and styles:
                styles.pop()
                if kind == "link" and links:
                    href, start = links.pop()
                    if out.plain[start:] not in (href, href.removeprefix("mailto:")):  # an autolink is its address
                        out.append(f" ({href})", style="dim")
            elif token.type in ("text", "code_inline"):
                out.append(token.content, style=" ".join(styles) or None)
            elif token.type in ("softbreak", "hardbreak"):
                out.append("\n")
    return out


def print_json(data: object) -> None:
    """Machine-readable output on stdout (nothing else is printed there with --json)."""
    typer.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))


def fail(message: str, code: int = 1) -> None:
    err_console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)


@contextmanager
def stage_progress(enabled: bool = True) -> Iterator[Callable[[str, int, int], None]]:
    """A callback `(stage, done, total)` that drives one rich progress bar per stage (stderr)."""
    if not enabled:
        yield lambda stage, done, total: None
        return
    progress = Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    )
    tasks: dict[str, TaskID] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=total or 1)
        progress.update(tasks[stage], completed=done, total=total or 1)

    with progress:
        yield update
