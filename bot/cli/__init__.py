"""Command line: `policybot admin|ingest|ask|chat|eval|serve|feedback|report|variants|audit|forget-user`."""

from bot.cli import admin, ask, audit, eval, feedback, ingest, pii, report, serve, variants  # noqa: F401  (register commands)
from bot.cli.app import app


def main() -> None:
    app()
