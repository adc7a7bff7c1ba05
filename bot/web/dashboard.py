"""What the admin dashboard shows, and the page itself (served at /admin or written as one file).

`dashboard_data` gathers everything in a few Redis round trips: the KPI report, the review queue,
the variants' comparison and the index health. `render_static` renders the same template with
Chart.js and the chart script inlined, for `policybot report --html`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.config import Settings
from bot.kpi.report import KpiReport, load_report
from bot.store.feedback import ReviewItem
from bot.store.stores import Stores
from bot.variants.assign import CONTROL, Variants
from bot.variants.compare import Comparison, compare_all
from bot.variants.config import TARGET_EFFECT
from bot.web.index_health import IndexHealth, index_health

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
TOP_CHANNELS = 20
REVIEW_LIMIT = 50

env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))


@dataclass
class Dashboard:
    """The page's content; `charts` is the JSON the chart script draws (and tests read back)."""

    kpis: KpiReport
    review: list[ReviewItem]
    review_backlog: int
    comparisons: list[Comparison]
    control: str
    index: IndexHealth
    variants_error: str | None = None
    experiment: str | None = None
    charts: dict[str, Any] = field(default_factory=dict)

    @property
    def total(self) -> dict[str, Any]:
        return self.kpis.total.summary()

    @property
    def channels(self) -> list[tuple[str, dict[str, Any]]]:
        """The busiest channels first."""
        busiest = sorted(((c, v) for c, v in self.kpis.by_channel.items() if c), key=lambda item: -item[1]["questions"])
        return [(c, v.summary()) for c, v in busiest[:TOP_CHANNELS]]


def dashboard_data(
    stores: Stores,
    kpis: KpiReport,
    *,
    index: IndexHealth | None = None,
    control: str = CONTROL,
    target_effect: float = TARGET_EFFECT,
    experiment: str | None = None,
    variants_error: str | None = None,
) -> Dashboard:
    """Gather the dashboard (blocking Redis calls: run it in a thread from async code)."""
    board = Dashboard(
        kpis=kpis,
        review=stores.feedback.review_queue(REVIEW_LIMIT),
        review_backlog=stores.redis.zcard(stores.feedback.keys.review),
        comparisons=compare_all(kpis.by_variant, control, target_effect),
        control=control,
        index=index or IndexHealth(),
        variants_error=variants_error,
        experiment=experiment,
    )
    board.charts = charts(kpis)
    return board


def gather(settings: Settings, stores: Stores, variants: Variants, days: int) -> Dashboard:
    """The dashboard of the last `days` with the variants file in force and the index's health."""
    config = variants.current()
    return dashboard_data(
        stores,
        load_report(stores.kpis, days),
        index=index_health(settings),
        control=config.control if config else CONTROL,
        target_effect=config.target_effect if config else TARGET_EFFECT,
        experiment=config.experiment if config else None,
        variants_error=variants.error,
    )


def charts(kpis: KpiReport) -> dict[str, Any]:
    """The series the charts draw, one value per day (None where a day has no data)."""
    ci = [kpis.daily[d].helpful_ci for d in kpis.days]
    return {
        "days": kpis.days,
        "questions": [{"label": d, "data": kpis.trend(d)} for d in ("answered", "abstained", "private", "refused", "error")],
        "helpful": {
            "rate": kpis.trend("helpful_rate"),
            "low": [round(c[0], 4) if c else None for c in ci],
            "high": [round(c[1], 4) if c else None for c in ci],
        },
        "latency": {"p50": kpis.trend("latency_p50_ms"), "p95": kpis.trend("latency_p95_ms")},
        "handoffs": kpis.trend("handoffs"),
    }


def render(template: str, **context: Any) -> str:
    return env.get_template(template).render(**context)


def render_static(board: Dashboard) -> str:
    """The dashboard as one self-contained HTML file (no forms, no review actions)."""
    inline = {name: (STATIC / name).read_text(encoding="utf-8") for name in ("chart.umd.min.js", "dashboard.js", "admin.css")}
    return render("dashboard.html", board=board, static=None, inline=inline, csrf=None, user=None, base="")
