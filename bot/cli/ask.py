"""`policybot ask` and `policybot chat`: the question workflow in a terminal, no Slack needed.

The terminal is a private place (only the asker reads it), so a question asked here is cleaned,
sensitive-routed, recorded and audited exactly like a Slack DM.
"""

from __future__ import annotations

import time

import typer
from rich.markup import escape
from rich.prompt import Prompt

from bot.cli.app import app
from bot.cli.console import console, markdown_text, print_json
from bot.config import get_settings
from bot.core.asking import Asker, Delivery, Outcome, Place, Question
from bot.core.principals import principals_of
from bot.core.results import Turn

GroupsOpt = typer.Option("", "--groups", help="Comma-separated groups to ask as, e.g. managers,people-ops.")
UserOpt = typer.Option("cli", "--user", help="Who is asking, as recorded with the answer and in the audit trail.")
TERMINAL = "cli"  # the channel name answers asked in a terminal are recorded under


def terminal_question(text: str, user: str, groups: str, history: list[Turn] | None = None) -> Question:
    """A question asked in a terminal: the asker is its only reader."""
    principals = principals_of(groups.split(","))
    place = Place(kind="terminal", channel=TERMINAL, readers=principals)
    return Question(text=text, asker=Asker(user, principals), place=place, history=history or [], surface="cli")


@app.command()
def ask(
    question: str = typer.Argument(..., help="The question, in quotes."),
    user: str = UserOpt,
    groups: str = GroupsOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the full result as JSON."),
) -> None:
    """Answer one question from the indexed policies, with numbered sources. Exits 2 when the question
    is refused (empty, or too long to read), after saying why."""
    from bot.assist.factory import build_assist

    assist = build_assist(get_settings())
    q = terminal_question(question, user, groups)
    outcome = assist.ask(q)
    assist.record(q, outcome, Delivery(TERMINAL, f"{time.time():.6f}"))
    if as_json:
        print_json({**outcome.result.model_dump(mode="json"), "decision": outcome.decision, "contacts": outcome.contacts})
    else:
        print_answer(outcome)
    if outcome.decision == "refused":  # an empty or unreadably long question: a usage error, as for a missing one
        raise typer.Exit(2)


@app.command()
def chat(user: str = UserOpt, groups: str = GroupsOpt) -> None:
    """An interactive conversation: follow-ups use earlier turns; rate an answer with + or -."""
    from bot.assist.factory import build_assist

    assist = build_assist(get_settings())
    warm = assist.service.warm_up()  # while the person types
    history: list[Turn] = []
    last: Delivery | None = None
    console.print("[bold]policybot chat[/bold] — ask about our policies. [dim]+ / - rates the last answer; /quit exits.[/dim]")
    while True:
        try:
            text = Prompt.ask("[cyan]you[/cyan]", console=console).strip()
        except (EOFError, KeyboardInterrupt):
            break
        if text in {"/quit", "/exit", "quit", "exit"}:
            break
        if text in {"+", "-", "👍", "👎", "+1", "-1"}:
            console.print(_rate(assist, last, user, 1 if text in {"+", "👍", "+1"} else -1))
            continue
        q = terminal_question(text, user, groups, history)
        outcome = assist.ask(q)
        last = Delivery(TERMINAL, f"{time.time():.6f}")
        assist.record(q, outcome, last)
        print_answer(outcome)
        history += [Turn(role="user", text=outcome.result.question or text), Turn(role="assistant", text=outcome.result.answer)]
    if warm is not None:
        assist.service.stop_warm_up(warm)  # never leave the interpreter while torch is mid-batch


def print_answer(outcome: Outcome) -> None:
    """The answer, the confidential contacts of a sensitive question, and the numbered sources."""
    result = outcome.result
    style = "yellow" if result.abstained else "green"
    console.print(f"[{style}]policybot[/{style}] ", markdown_text(result.answer))
    if result.verified_by:
        console.print(f"  [green]✅ Verified by {escape(result.verified_by)} on {result.verified_on}[/green]")
    if outcome.contacts:
        console.print(f"  [magenta]If you'd like to talk to someone confidentially:[/magenta] {escape(outcome.contacts)}")
    for s in result.sources:
        where = f"{s.title} › {s.section}" if s.section else s.title
        page = f", p. {s.page}" if s.page else ""
        dates = f" — effective {s.effective_date}" if s.effective_date else ""
        console.print(f"  [bold][{s.n}][/bold] {escape(where)}{page}{dates}  [dim]{escape(s.url or s.source)}[/dim]")
        if s.overdue:
            who = escape(s.owner_channel or s.owner or "its owner")
            console.print(f"      [yellow]⚠ overdue for review since {s.review_by}; check with {who}[/yellow]")
    if result.related:
        related = result.related
        console.print(
            f"  [green]✅ {escape(related.verified_by)} verified the answer to a similar question[/green] "
            f"“{escape(related.question)}” on {related.verified_on}:"
        )
        for line in related.answer.splitlines():
            console.print(f"    [dim]{escape(line)}[/dim]")
    if result.kind in {"answer", "abstain"}:
        ms = result.timings_ms.get("total", 0)
        console.print(f"  [dim]confidence {result.confidence:.2f} · {result.answerer} · {ms:.0f} ms[/dim]")


def _rate(assist, last: Delivery | None, user: str, value: int) -> str:
    if last is None:
        return "[dim]Nothing to rate yet.[/dim]"
    ok = assist.stores.feedback.vote(last.channel, last.ts, user, value)
    if not ok:
        return "[dim]Could not record the rating (Redis unavailable?).[/dim]"
    return "[dim]Thanks — recorded.[/dim]" if value > 0 else "[dim]Thanks — sent for review.[/dim]"
