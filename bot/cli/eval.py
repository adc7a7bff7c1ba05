"""policybot eval command."""

from bot.cli.app import app  # noqa: F401

