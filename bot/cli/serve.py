"""policybot serve: the Slack bot's web tier over HTTP (uvicorn) or Socket Mode, plus its workers."""

from __future__ import annotations

import logging
import shutil
import signal

import typer

from bot.cli.app import app
from bot.config import get_settings

SHUTDOWN_TIMEOUT_S = 30  # in-flight work gets this long to finish on SIGTERM


@app.command()
def serve(
    port: int = typer.Option(3000, envvar="PORT", help="HTTP port (Slack posts to /slack/events)."),
    host: str = typer.Option("0.0.0.0", help="Interface to listen on."),
    socket: bool = typer.Option(False, "--socket", help="Use Socket Mode (needs SLACK_APP_TOKEN) instead of HTTP."),
    workers: bool = typer.Option(
        None, "--workers/--no-workers", help="Start a worker node as a child process (default SERVE_WORKERS)."
    ),
) -> None:
    """Run the Slack bot: answers mentions, DMs, thread follow-ups, the assistant panel and /policy-sources.

    The web tier verifies, claims and queues each question; workers answer it. With --no-workers
    (SERVE_WORKERS=false) run `policybot worker` separately, on this or other machines.
    """
    from bot.slack.credentials import SlackConfigError, require, verify_token
    from bot.tasks.shared_metrics import share_metrics

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = get_settings()
    shared = share_metrics(settings.state_dir)  # before anything imports prometheus_client: workers inherit it
    try:
        if socket:
            require(settings, "slack_app_token")
        identity = verify_token(settings)  # before anything heavy: a wrong token fails in a second
    except SlackConfigError as exc:
        typer.secho(f"Error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(2) from None
    from bot.slack.app import create_web_tier
    from bot.tasks.celery_app import create_celery
    from bot.tasks.queue import CeleryJobs

    celery = create_celery(settings)
    jobs = CeleryJobs(celery)
    jobs.warm_up()
    slack = create_web_tier(settings, jobs, identity=identity)

    embedded = None
    if settings.serve_workers if workers is None else workers:
        from bot.tasks.embedded import EmbeddedWorker

        embedded = EmbeddedWorker(settings.worker_concurrency).start()
    # uvicorn re-raises SIGTERM after its graceful shutdown: make that (and Socket Mode's SIGTERM)
    # end here, so that `finally` stops the workers too
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        if socket:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            SocketModeHandler(slack.bolt, settings.slack_app_token).start()
        else:
            import uvicorn

            from bot.slack.web import create_web_app
            from bot.tasks.queue import QueueMonitor

            monitor = QueueMonitor(celery, settings, slack.deps.stores.redis)
            uvicorn.run(
                create_web_app(slack, monitor),
                host=host,
                port=port,
                log_level="info",
                timeout_graceful_shutdown=SHUTDOWN_TIMEOUT_S,
            )
    except KeyboardInterrupt:
        pass
    finally:
        if embedded is not None:
            embedded.stop(SHUTDOWN_TIMEOUT_S)
        if shared is not None:
            shutil.rmtree(shared, ignore_errors=True)


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt
