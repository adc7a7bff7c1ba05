"""`policybot ask` and `policybot chat`: the pipeline in a terminal, no Slack needed."""

from __future__ import annotations

import time

import typer
from rich.markup import escape
from rich.prompt import Prompt

from bot.answer.result import AnswerResult, Turn
from bot.cli.app import app
from bot.cli.console import console, print_json
from bot.config import get_settings
from bot.governance.access import principals_of

GroupsOpt = typer.Option("", "--groups", help="Comma-separated groups to ask as, e.g. managers,people-ops.")
UserOpt = typer.Option("cli", "--user", help="Who is asking (a Slack user id or any label).")


@app.command()
def ask(
    question: str = typer.Argument(..., help="The question, in quotes."),
    user: str = UserOpt,
    groups: str = GroupsOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the full result as JSON."),
) -> None:
    """Answer one question from the indexed policies, with numbered sources."""
    from bot.answer.service import build_service

    result = build_service(get_settings()).ask(question, principals=principals_of(groups.split(",")))
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        print_answer(result)


@app.command()
def chat(user: str = UserOpt, groups: str = GroupsOpt) -> None:
    """An interactive conversation: follow-ups use earlier turns; rate an answer with + or -."""
    from bot.answer.service import build_service

    settings = get_settings()
    service = build_service(settings)
    service.warm_up()  # while the person types
    principals = principals_of(groups.split(","))
    history: list[Turn] = []
    last_ref: tuple[str, str] | None = None
    console.print("[bold]policybot chat[/bold] — ask about our policies. [dim]+ / - rates the last answer; /quit exits.[/dim]")
    while True:
        try:
            text = Prompt.ask("[cyan]you[/cyan]", console=console).strip()
        except (EOFError, KeyboardInterrupt):
            break
        if text in {"/quit", "/exit", "quit", "exit"}:
            break
        if text in {"+", "-", "👍", "👎", "+1", "-1"}:
            console.print(_rate(settings, last_ref, user, 1 if text in {"+", "👍", "+1"} else -1))
            continue
        result = service.ask(text, history=history, principals=principals)
        print_answer(result)
        history += [Turn(role="user", text=result.question or text), Turn(role="assistant", text=result.answer)]
        last_ref = _store(settings, result, user)


def print_answer(result: AnswerResult) -> None:
    style = "yellow" if result.abstained else "green"
    console.print(f"[{style}]policybot[/{style}] ", escape(result.answer))
    for s in result.sources:
        where = f"{s.title} › {s.section}" if s.section else s.title
        page = f", p. {s.page}" if s.page else ""
        dates = f" — effective {s.effective_date}" if s.effective_date else ""
        console.print(f"  [bold][{s.n}][/bold] {escape(where)}{page}{dates}  [dim]{escape(s.url or s.source)}[/dim]")
        if s.overdue:
            console.print(
                f"      [yellow]⚠ overdue for review since {s.review_by}; check with {escape(s.owner_channel or s.owner or 'its owner')}[/yellow]"
            )
    if result.kind in {"answer", "abstain"}:
        console.print(
            f"  [dim]confidence {result.confidence:.2f} · {result.answerer} · {result.timings_ms.get('total', 0):.0f} ms[/dim]"
        )


def _store(settings, result: AnswerResult, user: str) -> tuple[str, str] | None:
    """Keep the answer like the Slack bot does, so it can be rated and reviewed."""
    if result.kind not in {"answer", "abstain"}:
        return None
    from bot.governance.pii import get_masker
    from bot.store.answers import AnswerRecord
    from bot.store.stores import Stores

    mask = get_masker(settings).mask
    ts = f"{time.time():.6f}"
    record = AnswerRecord(
        channel="cli",
        ts=ts,
        thread_ts=None,
        user=user,
        question=mask(result.question),
        answer=mask(result.answer),
        kind=result.kind,
        sources=result.sources,
        confidence=result.confidence,
        answerer=result.answerer,
        fallback_reason=result.fallback_reason,
        latency_ms=result.timings_ms.get("total", 0.0),
        created_at=time.time(),
        private=False,
    )
    Stores.from_settings(settings).answers.save(record)
    return ("cli", ts)


def _rate(settings, ref: tuple[str, str] | None, user: str, value: int) -> str:
    if ref is None:
        return "[dim]Nothing to rate yet.[/dim]"
    from bot.store.stores import Stores

    ok = Stores.from_settings(settings).feedback.vote(ref[0], ref[1], user, value)
    return (
        ("[dim]Thanks — recorded.[/dim]" if value > 0 else "[dim]Thanks — sent for review.[/dim]")
        if ok
        else "[dim]Could not record the rating (Redis unavailable?).[/dim]"
    )
