"""policybot admin: set up the /admin dashboard's sign-in."""

from __future__ import annotations

import typer

from bot.cli.app import app
from bot.cli.console import console

admin_app = typer.Typer(help="The /admin dashboard.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")


@admin_app.command("hash-password")
def hash_password_command(
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True, help="The admin's password."),
) -> None:
    """Print the argon2 hash to put in ADMIN_PASSWORD_HASH."""
    from bot.web.auth import hash_password

    console.print(hash_password(password), markup=False, soft_wrap=True)
