"""policybot variants: check the variants file and compare the variants with the control."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli.app import app
from bot.cli.console import console, err_console, print_json
from bot.cli.feedback import open_stores
from bot.cli.report import DaysOpt
from bot.config import get_settings
from bot.kpi.report import load_report
from bot.variants.assign import CONTROL
from bot.variants.compare import Comparison, compare_all
from bot.variants.config import TARGET_EFFECT, VariantsFile
from bot.yaml_config import ConfigFileError, load_yaml_model

variants_app = typer.Typer(help="A/B experiments on the answering settings (VARIANTS_FILE).", no_args_is_help=True)
app.add_typer(variants_app, name="variants")


def experiment() -> VariantsFile | None:
    """VARIANTS_FILE validated (None without one); exits 1 naming the file and key when broken."""
    path = get_settings().variants_file
    if path is None:
        return None
    try:
        return load_yaml_model(path, VariantsFile)
    except ConfigFileError as exc:
        err_console.print(f"error: {exc}", markup=False, soft_wrap=True)
        raise typer.Exit(1) from None


@variants_app.command("report")
def variants_report(
    days: DaysOpt = 30,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Each variant against the control: helpful-rate difference (95% CI, p), MDE, abstention and latency."""
    config = experiment()
    control, target = (config.control, config.target_effect) if config else (CONTROL, TARGET_EFFECT)
    with open_stores() as stores:
        comparisons = compare_all(load_report(stores.kpis, days).by_variant, control, target)
    if as_json:
        print_json([{**c.__dict__, "verdict": c.verdict} for c in comparisons])
        return
    table = Table(
        "variant", "votes (control)", "helpful", "difference (95% CI)", "p", "MDE", "abstention Δ", "p50 latency Δ", "verdict"
    )
    table.title = f"Variants against {control!r}, last {days} days (a winner is called at the planned votes for ±{target:.0%})"
    for c in comparisons:
        table.add_row(
            escape(c.variant),
            f"{c.votes} ({c.control_votes})",
            _helpful(c),
            _diff(c),
            _p(c),
            _pts(c.mde),
            _pts(c.abstention_diff),
            _ms(c.latency_p50_diff_ms),
            c.verdict,
        )
    console.print(table)


@variants_app.command("check")
def check() -> None:
    """Validate VARIANTS_FILE (exit 1 with the file and key at fault)."""
    path = get_settings().variants_file
    if path is None:
        console.print("VARIANTS_FILE is not set: every answer uses the control")
        return
    experiment()
    console.print(f"{path}: valid")


def _helpful(c: Comparison) -> str:
    if c.helpful is None or c.control_helpful is None:
        return "-"
    return f"{c.helpful:.1%} vs {c.control_helpful:.1%}"


def _diff(c: Comparison) -> str:
    if c.diff is None or c.diff_ci is None:
        return "-"
    return f"{c.diff * 100:+.1f} pts ({c.diff_ci[0] * 100:+.1f} to {c.diff_ci[1] * 100:+.1f})"


def _p(c: Comparison) -> str:
    return f"{c.p_value:.3f}" if c.p_value is not None else "-"


def _pts(value: float | None) -> str:
    return f"{value * 100:+.1f} pts" if value is not None else "-"


def _ms(value: float | None) -> str:
    return f"{value:+.0f} ms" if value is not None else "-"
