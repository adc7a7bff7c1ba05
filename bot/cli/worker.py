"""policybot worker: answers the questions the web tier queued (a Celery worker node)."""

from __future__ import annotations

import os
import socket

import typer

from bot.cli.app import app
from bot.config import get_settings


@app.command()
def worker(
    concurrency: int = typer.Option(None, help="Worker processes (default WORKER_CONCURRENCY); each loads the model."),
    loglevel: str = typer.Option("INFO", help="Celery log level."),
    beat: bool = typer.Option(
        False, "--beat", help="Also run the scheduler (Celery beat) that sends the gap digest on GAP_DIGEST_SCHEDULE."
    ),
) -> None:
    """Answer queued questions: each process loads the model once, then answers, posts and records."""
    from bot.slack.credentials import SlackConfigError, verify_token
    from bot.tasks.celery_app import create_celery
    from bot.tasks.worker import register_tasks

    settings = get_settings()
    try:
        verify_token(settings)  # a wrong token fails here, named, not in every worker process
    except SlackConfigError as exc:
        typer.secho(f"Error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(2) from None
    celery = create_celery(settings)
    register_tasks(celery, settings)
    if beat:
        settings.state_dir.mkdir(parents=True, exist_ok=True)  # beat keeps its last-run times there
    celery.worker_main(
        [
            "worker",
            f"--concurrency={concurrency or settings.worker_concurrency}",
            f"--loglevel={loglevel}",
            f"--hostname=policybot-{os.getpid()}@{socket.gethostname()}",  # unique: several nodes per host
            "--without-gossip",
            "--without-mingle",
            *(["--beat", f"--schedule={settings.state_dir / 'celerybeat-schedule'}"] if beat else []),
        ]
    )
