"""The typer application every command module registers on."""

import typer

app = typer.Typer(
    name="policybot",
    help="Answers employees' policy questions from the company's own documents, with citations.",
    no_args_is_help=True,
    add_completion=False,
)
