"""policybot report: the KPIs of the last days, as tables, JSON or one static HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli.app import app
from bot.cli.console import console, print_json
from bot.cli.feedback import open_stores
from bot.kpi.report import load_report

DaysOpt = Annotated[int, typer.Option("--days", min=1, max=730, help="How many UTC days, ending today.")]


@app.command()
def report(
    days: DaysOpt = 30,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    html: Annotated[Path | None, typer.Option("--html", help="Write the dashboard as one static HTML file.")] = None,
) -> None:
    """Questions, answers, helpful rate (95% Wilson interval), abstentions, hand-offs and latency."""
    with open_stores() as stores:
        kpis = load_report(stores.kpis, days)
        if html is not None:
            from bot.web.dashboard import dashboard_data, render_static

            html.write_text(render_static(dashboard_data(stores, kpis)), encoding="utf-8")
            console.print(f"wrote {html}")
            return
    if as_json:
        print_json(kpis.to_dict())
        return
    console.print(kpi_table(f"Last {days} days", {"all": kpis.total, **kpis.by_channel}, "channel"))
    console.print(kpi_table("By variant", kpis.by_variant, "variant"))
    cited = Table("most cited policy", "answers", "overdue citations", title="Policies")
    for doc, n in kpis.cited.most_common(10):
        cited.add_row(escape(doc), str(n), str(kpis.overdue.get(doc, 0)))
    console.print(cited)


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
