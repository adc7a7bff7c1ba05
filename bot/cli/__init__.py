"""Command line: `policybot admin|ingest|ask|chat|eval|calibrate|serve|worker|feedback|review|gaps|report|variants|tune|audit|forget-user`."""

from bot.cli import (  # noqa: F401  (register commands)
    admin,
    ask,
    audit,
    calibrate,
    eval,
    feedback,
    gaps,
    ingest,
    pii,
    report,
    review,
    serve,
    tune,
    variants,
    worker,
)
from bot.cli.app import app


def main() -> None:
    app()
