"""Command line: `policybot ingest|ask|chat|eval|calibrate|serve|feedback|review|gaps|audit|forget-user`."""

from bot.cli import ask, audit, calibrate, eval, feedback, gaps, ingest, pii, review, serve  # noqa: F401  (register commands)
from bot.cli.app import app


def main() -> None:
    app()
