"""policybot worker: answers the questions the web tier queued (a Celery worker node)."""

from __future__ import annotations

import os
import shutil
import socket
from typing import TYPE_CHECKING

import typer

from bot.cli.app import app
from bot.config import Settings, get_settings

if TYPE_CHECKING:
    from celery import Celery


@app.command()
def worker(
    concurrency: int = typer.Option(None, help="Worker processes (default WORKER_CONCURRENCY); each loads the model."),
    loglevel: str = typer.Option("INFO", help="Celery log level."),
    beat: bool = typer.Option(
        False, "--beat", help="Also run the scheduler (Celery beat) that sends the gap digest on GAP_DIGEST_SCHEDULE."
    ),
    metrics_port: int = typer.Option(
        None, help="Serve this node's Prometheus metrics (all its processes) on this port; serve's own node reports to serve."
    ),
) -> None:
    """Answer queued questions: each process loads the model once, then answers, posts and records."""
    from bot.slack.credentials import SlackConfigError, verify_token
    from bot.tasks.celery_app import create_celery
    from bot.tasks.shared_metrics import share_metrics
    from bot.tasks.worker import register_tasks

    settings = get_settings()
    shared = share_metrics(settings.state_dir)  # before prometheus_client is imported: the pool processes inherit it
    try:
        verify_token(settings)  # a wrong token fails here, named, not in every worker process
    except SlackConfigError as exc:
        typer.secho(f"Error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(2) from None
    celery = create_celery(settings)
    register_tasks(celery, settings)
    if beat:
        settings.state_dir.mkdir(parents=True, exist_ok=True)  # beat keeps its last-run times there
    if metrics_port:
        _serve_metrics(metrics_port)
    try:
        _run(celery, settings, concurrency, loglevel, beat)
    finally:
        if shared is not None:
            shutil.rmtree(shared, ignore_errors=True)


def _serve_metrics(port: int) -> None:
    """/metrics of every process of this node (multiprocess mode) on `port`, in a background thread."""
    from prometheus_client import CollectorRegistry, multiprocess, start_http_server

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    start_http_server(port, registry=registry)


def _run(celery: Celery, settings: Settings, concurrency: int | None, loglevel: str, beat: bool) -> None:
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
