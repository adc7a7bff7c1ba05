"""Command line: `policybot ingest|ask|chat|eval|calibrate|serve|feedback|audit|forget-user`."""

from bot.cli import ask, audit, calibrate, eval, feedback, ingest, pii, serve  # noqa: F401  (register commands)
from bot.cli.app import app


def main() -> None:
    app()
