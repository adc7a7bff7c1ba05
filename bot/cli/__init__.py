"""Command line: `policybot admin|ingest|ask|chat|eval|calibrate|serve|feedback|review|gaps|report|variants|audit|forget-user`."""

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
    variants,
)
from bot.cli.app import app


def main() -> None:
    app()
