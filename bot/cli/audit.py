"""policybot audit export and policybot forget-user."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli.app import app
from bot.cli.console import console, print_json
from bot.cli.feedback import JsonOpt, open_stores

audit_app = typer.Typer(help="The audit trail of questions and decisions.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


def _parse_since(value: str | None) -> datetime | None:
    """ISO date or datetime; without an offset it is taken as UTC."""
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"not an ISO date/datetime: {value!r}") from exc
    return when if when.tzinfo else when.replace(tzinfo=UTC)


@audit_app.command()
def export(
    as_json: JsonOpt = False,
    since: Annotated[str | None, typer.Option(help="ISO date/datetime, UTC unless it has an offset.")] = None,
) -> None:
    """Every audit entry still within retention, oldest first."""
    start = _parse_since(since)
    with open_stores() as stores:
        entries = stores.audit.export(start)
    if as_json:
        print_json([e.model_dump(mode="json") for e in entries])
        return
    table = Table("when (UTC)", "user", "channel", "decision", "question", "sources")
    for e in entries:
        when = datetime.fromtimestamp(e.created_at, UTC).strftime("%Y-%m-%d %H:%M:%S")
        cells = (when, e.user, e.channel, e.decision, e.question, ", ".join(e.sources))
        table.add_row(*map(escape, cells))  # user text: never rich markup
    console.print(table)


@app.command("forget-user")
def forget_user(user_id: str) -> None:
    """Erase a user's questions, answers, votes and audit entries."""
    with open_stores() as stores:
        removed = stores.forget_user(user_id)
    summary = ", ".join(f"{n} {what}" for what, n in removed.items())
    console.print(f"forgot {user_id}: removed {summary}", markup=False)
