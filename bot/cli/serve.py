"""policybot serve: the Slack bot over HTTP (uvicorn) or Socket Mode."""

from __future__ import annotations

import logging

import typer

from bot.cli.app import app
from bot.config import get_settings


@app.command()
def serve(
    port: int = typer.Option(3000, envvar="PORT", help="HTTP port (Slack posts to /slack/events)."),
    host: str = typer.Option("0.0.0.0", help="Interface to listen on."),
    socket: bool = typer.Option(False, "--socket", help="Use Socket Mode (needs SLACK_APP_TOKEN) instead of HTTP."),
) -> None:
    """Run the Slack bot: answers mentions, DMs, thread follow-ups, the assistant panel and /policy-sources."""
    from bot.slack.credentials import SlackConfigError, require, verify_token

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = get_settings()
    try:
        if socket:
            require(settings, "slack_app_token")
        identity = verify_token(settings)  # before the model and the index load: a wrong token fails in a second
        from bot.slack.app import create_slack_app

        slack = create_slack_app(settings, identity=identity)
    except SlackConfigError as exc:
        typer.secho(f"Error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(2) from None
    slack.deps.service.warm_up()

    if socket:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        SocketModeHandler(slack.bolt, settings.slack_app_token).start()
        return

    import uvicorn

    from bot.slack.web import create_web_app

    uvicorn.run(create_web_app(slack), host=host, port=port, log_level="info", timeout_graceful_shutdown=30)
