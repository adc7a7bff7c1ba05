"""KPI counters on a seeded history in real Redis: known counts give known rates and intervals."""

from __future__ import annotations

import datetime as dt
import json
import math
import time

import pytest
from typer.testing import CliRunner

import bot.cli.report  # noqa: F401  (registers `report`)
from bot.assist.workflow import Assist
from bot.cli.app import app
from bot.config import Settings
from bot.core.asking import Asker, Delivery, Outcome, Place, Question
from bot.core.principals import principals_of
from bot.core.results import AnswerResult, Source
from bot.kpi.report import KpiReport, load_report, quantile
from bot.store.kpis import LATENCY_BUCKETS_MS, KpiStore, day_of
from bot.store.stores import Stores
from tests.kpi.conftest import seed_answer

Z95 = 1.959963984540054


def wilson(up: int, n: int) -> tuple[float, float]:
    """Wilson (1927) score interval, written out independently of statsmodels."""
    p = up / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    return centre - half, centre + half


class Identity:
    def mask(self, text: str) -> str:
        return text


def question(user: str = "U1", channel: str = "C1") -> Question:
    p = principals_of()
    return Question(text="how many days of leave?", asker=Asker(user, p), place=Place("channel", channel, p))


def outcome(kind: str = "answer", decision: str = "answered", variant: str = "control", overdue: bool = False) -> Outcome:
    source = Source(n=1, chunk_id="leave#1", doc_id="leave", title="Leave", quote="20 days", overdue=overdue)
    result = AnswerResult(question="q", answer="20 days", kind=kind, sources=[source] if kind == "answer" else [])
    return Outcome(result, decision, "public", principals_of(), "how many days of leave?", variant=variant)


def test_every_recorded_answer_is_counted_without_question_text(stores: Stores, settings: Settings) -> None:
    assist = Assist(settings=settings, company=None, service=None, sensitive=None, masker=Identity(), stores=stores)  # type: ignore[arg-type]
    for i in range(3):
        assist.record(question(), outcome(overdue=i == 0), Delivery("C1", f"100.{i}"), started=time.perf_counter())
    assist.record(question(channel="C2"), outcome("abstain", "abstained", variant="deep"), Delivery("C2", "200.1"))
    assist.record(question(), outcome("invalid", "refused"), Delivery("C1", "300.1"))
    assist.record_error(question())

    report = load_report(stores.kpis, 1)
    total = report.total.summary()
    assert (total["questions"], total["answered"], total["abstained"], total["refused"], total["error"]) == (6, 3, 1, 1, 1)
    assert total["abstention_rate"] == pytest.approx(1 / 4)
    assert report.by_channel["C2"]["questions"] == 1
    assert report.by_variant["deep"]["abstain"] == 1
    assert report.cited == {"leave": 3} and report.overdue == {"leave": 1}
    raw = stores.redis.hgetall(stores.kpis.key(day_of(time.time())))
    assert not any("leave?" in f for f in raw), "no question text in KPI fields"
    assert stores.redis.ttl(stores.kpis.key(day_of(time.time()))) > 700 * 86_400  # outlives the 90-day answers


def test_helpful_rate_and_wilson_interval_from_votes(stores: Stores) -> None:
    records = [seed_answer(stores, f"1.{i}") for i in range(8)]
    for i, rec in enumerate(records):
        stores.feedback.vote(rec.channel, rec.ts, "V1", 1 if i < 6 else -1)
    stores.feedback.vote(records[0].channel, records[0].ts, "V1", -1)  # a changed vote moves, not adds
    stores.feedback.vote(records[0].channel, records[0].ts, "V1", 1)
    stores.feedback.vote(records[1].channel, records[1].ts, "V2", 1)  # 7 up, 2 down

    c = load_report(stores.kpis, 1).total
    assert (c["up"], c["down"]) == (7, 2)
    assert c.helpful_rate == pytest.approx(7 / 9)
    low, high = c.helpful_ci
    assert (low, high) == pytest.approx(wilson(7, 9))
    assert c["review_opened"] == 2


def test_votes_count_on_the_day_of_the_answer(stores: Stores) -> None:
    old = time.time() - 3 * 86_400
    rec = seed_answer(stores, "2.1", created_at=old)
    stores.feedback.vote(rec.channel, rec.ts, "V1", 1)
    report = load_report(stores.kpis, 5)
    assert report.trend("votes_up") == [0, 1, 0, 0, 0]


def test_review_resolution_time_feeds_the_median(stores: Stores) -> None:
    rec = seed_answer(stores, "3.1", created_at=time.time() - 5 * 3600)
    stores.feedback.vote(rec.channel, rec.ts, "V1", -1)
    assert stores.feedback.resolve(rec.channel, rec.ts, "alice", "fixed the doc")
    c = load_report(stores.kpis, 2).total  # five hours ago may be yesterday (UTC)
    assert c["review_resolved"] == 1
    assert 4 <= c.median_resolve_h <= 8  # 5 hours falls in the (4, 8] bucket


def test_latency_percentiles_interpolate_inside_buckets() -> None:
    counts = [0] * (len(LATENCY_BUCKETS_MS) + 1)
    counts[1] = 50  # 50 answers in (100, 250] ms
    counts[3] = 50  # 50 in (500, 750] ms
    assert quantile(counts, LATENCY_BUCKETS_MS, 0.5) == pytest.approx(250)
    assert quantile(counts, LATENCY_BUCKETS_MS, 0.95) == pytest.approx(500 + 250 * 45 / 50)
    assert quantile([0] * len(counts), LATENCY_BUCKETS_MS, 0.5) is None


def test_report_cli_prints_and_writes_json(stores: Stores, cli_settings: None) -> None:
    for i in range(4):
        rec = seed_answer(stores, f"4.{i}")
        stores.kpis.record_answer(
            at=time.time(), channel="C1", variant="control", decision="answered", abstained=False, latency_ms=400,
            verified=i == 0, offered=i == 1,
        )  # fmt: skip
        stores.feedback.vote(rec.channel, rec.ts, "V1", 1 if i else -1)
    result = CliRunner().invoke(app, ["report", "--days", "7", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"]["questions"] == 4 and data["total"]["helpful_rate"] == 0.75
    table = CliRunner().invoke(app, ["report", "--days", "7"])
    assert table.exit_code == 0 and "75%" in table.output and "C1" in table.output
    assert "Verified answers: 1 served · 1 offered beside an answer (0 opened)" in " ".join(table.output.split())


def test_from_days_of_an_empty_window_has_no_rates() -> None:
    report = KpiReport.from_days({dt.date(2026, 1, 1).isoformat(): {}})
    assert report.total.summary()["helpful_rate"] is None and report.total.helpful_ci is None


def test_kpi_keys_expire_after_their_retention(stores: Stores) -> None:
    kpis = KpiStore(stores.redis, stores.prefix, retention_days=1)
    kpis.record_answer(
        at=time.time() - 3 * 86_400, channel="C1", variant="control", decision="answered", abstained=False, latency_ms=1
    )
    assert load_report(kpis, 5).total["questions"] == 0  # expired already
