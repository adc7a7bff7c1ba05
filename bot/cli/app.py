"""The typer application every command module registers on.

Before any command runs, the configuration files (company profile, channel policy) are validated,
so a broken file stops every command with one line naming the file and key, not a traceback.
"""

import typer

app = typer.Typer(
    name="policybot",
    help="Answers employees' policy questions from the company's own documents, with citations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # a traceback must never print settings (tokens) or questions
)


@app.callback()
def validate_configuration() -> None:
    """Answers employees' policy questions from the company's own documents, with citations."""
    from pydantic import ValidationError

    from bot.channels import ChannelPolicies
    from bot.company import load_company
    from bot.config import get_settings, moved_settings
    from bot.yaml_config import ConfigFileError

    moved = moved_settings()
    for problem in moved:
        typer.secho(f"Error: {problem}", err=True, fg=typer.colors.RED)
    if moved:
        raise typer.Exit(2)
    try:
        settings = get_settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "a setting"
        typer.secho(f"Error: {name}: {first['msg']} (got {first.get('input')!r})", err=True, fg=typer.colors.RED)
        raise typer.Exit(2) from None
    try:
        if settings.company_file is not None and not settings.company_file.exists():
            raise ConfigFileError(f"COMPANY_FILE={settings.company_file}: no such file")
        load_company(settings.company_path)
        ChannelPolicies.from_settings(settings)
    except ConfigFileError as exc:
        typer.secho(f"Error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(2) from None
