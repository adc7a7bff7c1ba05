"""policybot report: the KPIs of the last days, as tables, JSON or one static HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli.app import app
from bot.cli.console import console, err_console, print_json
from bot.cli.feedback import open_stores
from bot.config import get_settings
from bot.kpi.report import load_report
from bot.variants.assign import Variants
from bot.yaml_config import ConfigFileError

DaysOpt = Annotated[int, typer.Option("--days", min=1, max=730, help="How many UTC days, ending today.")]


@app.command()
def report(
    days: DaysOpt = 30,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    html: Annotated[Path | None, typer.Option("--html", help="Write the dashboard as one static HTML file.")] = None,
) -> None:
    """Questions, answers, helpful rate (95% Wilson interval), abstentions, hand-offs and latency."""
    if html is not None:
        write_html(html, days)
        return
    with open_stores() as stores:
        kpis = load_report(stores.kpis, days)
    if as_json:
        print_json(kpis.to_dict())
        return
    console.print(kpi_table(f"Last {days} days", {"all": kpis.total, **kpis.by_channel}, "channel"))
    console.print(kpi_table("By variant", kpis.by_variant, "variant"))
    t = kpis.total.summary()
    console.print(
        f"Verified answers: {t['verified_hits']} served · {t['verified_offered']} offered beside an answer "
        f"({t['verified_offers_opened']} opened) · {t['paraphrases_added']} askers' wordings added as paraphrases",
        markup=False,
    )
    cited = Table("most cited policy", "answers", "overdue citations", title="Policies")
    for doc, n in kpis.cited.most_common(10):
        cited.add_row(escape(doc), str(n), str(kpis.overdue.get(doc, 0)))
    console.print(cited)


def write_html(path: Path, days: int) -> None:
    """The /admin overview as one static file (exit 1 naming the file when VARIANTS_FILE is broken)."""
    from bot.web.dashboard import gather, render_static

    settings = get_settings()
    try:
        variants = Variants(settings.variants_file)
    except ConfigFileError as exc:
        err_console.print(f"error: {exc}", markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    with open_stores() as stores:
        board = gather(settings, stores, variants, days)
    path.write_text(render_static(board), encoding="utf-8")
    console.print(f"wrote {path}", markup=False)


def kpi_table(title: str, slices: dict, label: str) -> Table:
    """One row per slice (`Counts`) with its main KPIs."""
    table = Table(
        label,
        "questions",
        "answered",
        "abstained",
        "private",
        "refused",
        "helpful (95% CI)",
        "👎 rate",
        "hand-offs",
        "p50 ms",
        "p95 ms",
        title=title,
    )
    for name, counts in slices.items():
        s = counts.summary()
        table.add_row(
            escape(name or "-"),
            str(s["questions"]),
            str(s["answered"]),
            str(s["abstained"]),
            str(s["private"]),
            str(s["refused"]),
            _helpful(s),
            _pct(s["down_rate"]),
            str(s["handoffs"]),
            _num(s["latency_p50_ms"]),
            _num(s["latency_p95_ms"]),
        )
    return table


def _helpful(s: dict) -> str:
    if s["helpful_rate"] is None:
        return "-"
    low, high = s["helpful_ci"]
    return f"{s['helpful_rate']:.0%} ({low:.0%}–{high:.0%}, n={s['votes_up'] + s['votes_down']})"


def _pct(value: float | None) -> str:
    return f"{value:.1%}" if value is not None else "-"


def _num(value: float | None) -> str:
    return f"{value:.0f}" if value is not None else "-"
