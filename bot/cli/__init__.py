"""Command line: `policybot ingest|ask|chat|eval|serve|worker|feedback|audit|forget-user`."""

from bot.cli import ask, audit, eval, feedback, ingest, pii, serve, worker  # noqa: F401  (register commands)
from bot.cli.app import app


def main() -> None:
    app()
