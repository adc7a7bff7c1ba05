"""KPIs computed from the day hashes of `bot.store.kpis`: per day, per channel, per variant.

Rates: helpful rate = 👍 / (👍 + 👎) with its Wilson score interval (Wilson 1927; statsmodels
`proportion_confint(method="wilson")`), 👎 rate = 👎 per delivered answer, abstention rate =
abstentions per question. Latency percentiles are estimated from the histogram by linear
interpolation inside the bucket, as Prometheus' `histogram_quantile` does.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from statsmodels.stats.proportion import proportion_confint

from bot.store import kpis as k

CONFIDENCE = 0.95
DECISIONS = ("answered", "abstained", "private", "refused", "error")


@dataclass
class Counts:
    """Summed counters of one slice (a day, a channel, a variant or everything)."""

    counters: Counter[str] = field(default_factory=Counter)
    latency: list[int] = field(default_factory=lambda: [0] * (len(k.LATENCY_BUCKETS_MS) + 1))
    resolve: list[int] = field(default_factory=lambda: [0] * (len(k.RESOLVE_BUCKETS_H) + 1))

    @classmethod
    def of(cls, sums: Mapping[str, int]) -> Counts:
        """Counts from metric -> count sums."""
        counts = cls()
        for metric, n in sums.items():
            counts.add(metric, n)
        return counts

    def add(self, metric: str, n: int) -> None:
        name, _, index = metric.partition(":")
        if name == k.LATENCY and index:
            self.latency[int(index)] += n
        elif name == k.RESOLVE and index:
            self.resolve[int(index)] += n
        else:
            self.counters[metric] += n

    def __getitem__(self, metric: str) -> int:
        return self.counters[metric]

    @property
    def delivered(self) -> int:
        """Questions that got an answer or an abstention (not refused, not failed)."""
        return self["questions"] - self["refused"] - self["error"]

    @property
    def helpful_rate(self) -> float | None:
        votes = self[k.UP] + self[k.DOWN]
        return self[k.UP] / votes if votes else None

    @property
    def helpful_ci(self) -> tuple[float, float] | None:
        """Wilson score interval of the helpful rate at 95%."""
        votes = self[k.UP] + self[k.DOWN]
        if not votes:
            return None
        low, high = proportion_confint(self[k.UP], votes, alpha=1 - CONFIDENCE, method="wilson")
        return float(low), float(high)

    @property
    def down_rate(self) -> float | None:
        return self[k.DOWN] / self.delivered if self.delivered else None

    @property
    def abstention_rate(self) -> float | None:
        return self[k.ABSTAIN] / self.delivered if self.delivered else None

    @property
    def handoff_rate(self) -> float | None:
        return self[k.HANDOFF] / self.delivered if self.delivered else None

    def latency_ms(self, q: float) -> float | None:
        return quantile(self.latency, k.LATENCY_BUCKETS_MS, q)

    @property
    def median_resolve_h(self) -> float | None:
        return quantile(self.resolve, k.RESOLVE_BUCKETS_H, 0.5)

    def summary(self) -> dict[str, object]:
        """The slice's KPIs as plain values (JSON, tables, templates)."""
        ci = self.helpful_ci
        return {
            "questions": self["questions"],
            **{d: self[d] for d in DECISIONS},
            "abstentions": self[k.ABSTAIN],
            "votes_up": self[k.UP],
            "votes_down": self[k.DOWN],
            "helpful_rate": _round(self.helpful_rate),
            "helpful_ci": [round(ci[0], 4), round(ci[1], 4)] if ci else None,
            "down_rate": _round(self.down_rate),
            "abstention_rate": _round(self.abstention_rate),
            "handoffs": self[k.HANDOFF],
            "handoff_rate": _round(self.handoff_rate),
            "verified_hits": self[k.VERIFIED],
            "verified_offered": self[k.OFFERED],
            "verified_offers_opened": self[k.OFFER_OPENED],
            "paraphrases_added": self[k.PARAPHRASE_ADDED],
            "latency_p50_ms": _round(self.latency_ms(0.5), 0),
            "latency_p95_ms": _round(self.latency_ms(0.95), 0),
            "reviews_opened": self[k.REVIEW_OPENED],
            "reviews_resolved": self[k.REVIEW_RESOLVED],
            "median_resolve_h": _round(self.median_resolve_h, 1),
        }


def quantile(counts: Sequence[int], edges: Sequence[float], q: float) -> float | None:
    """The `q` quantile of a histogram (`counts[i]` observations up to `edges[i]`; the last bucket
    is open-ended and reports its lower edge). None when empty."""
    total = sum(counts)
    if not total:
        return None
    rank = q * total
    seen = 0
    for i, n in enumerate(counts):
        if n and seen + n >= rank:
            if i == len(edges):
                return float(edges[-1])
            low = edges[i - 1] if i else 0.0
            return low + (edges[i] - low) * (rank - seen) / n
        seen += n
    return float(edges[-1])


@dataclass
class KpiReport:
    """Everything the report and the dashboard show, for `days` (oldest first)."""

    days: list[str]
    daily: dict[str, Counts]
    by_channel: dict[str, Counts]
    by_variant: dict[str, Counts]
    total: Counts
    cited: Counter[str]
    overdue: Counter[str]

    @classmethod
    def from_days(cls, raw: Mapping[str, Mapping[str, int]]) -> KpiReport:
        """Aggregate `KpiStore.days` output (sums per slice first: a 90-day history has ~10^5 fields)."""
        daily: dict[str, Counter[str]] = {}
        by_channel: defaultdict[str, Counter[str]] = defaultdict(Counter)
        by_variant: defaultdict[str, Counter[str]] = defaultdict(Counter)
        docs: dict[str, Counter[str]] = {k.CITED: Counter(), k.OVERDUE: Counter()}
        for day, fields in raw.items():
            day_sum: Counter[str] = Counter()
            for name, n in fields.items():
                metric, channel, variant = name.split(k.SEP, 2)
                kind, _, doc = metric.partition(":")
                if channel == k.ALL and variant == k.ALL and kind in docs:  # day-level document counts
                    docs[kind][doc] += n
                    continue
                day_sum[metric] += n
                if channel == k.ALL and variant == k.ALL:
                    continue  # a day-level count of no channel or variant (paraphrases added)
                by_channel[channel][metric] += n
                by_variant[variant][metric] += n
            daily[day] = day_sum
        total = sum(daily.values(), Counter())
        return cls(
            days=list(raw),
            daily={day: Counts.of(sums) for day, sums in daily.items()},
            by_channel={c: Counts.of(sums) for c, sums in by_channel.items()},
            by_variant={v: Counts.of(sums) for v, sums in by_variant.items()},
            total=Counts.of(total),
            cited=docs[k.CITED],
            overdue=docs[k.OVERDUE],
        )

    @cached_property
    def daily_summaries(self) -> dict[str, dict[str, object]]:
        return {day: self.daily[day].summary() for day in self.days}

    def trend(self, metric: str) -> list[object]:
        """One summary value per day (e.g. "questions", "helpful_rate")."""
        return [self.daily_summaries[day][metric] for day in self.days]

    def to_dict(self, top: int = 10) -> dict[str, object]:
        return {
            "days": self.days,
            "total": self.total.summary(),
            "daily": self.daily_summaries,
            "by_channel": {c: v.summary() for c, v in sorted(self.by_channel.items())},
            "by_variant": {v: c.summary() for v, c in sorted(self.by_variant.items())},
            "most_cited": self.cited.most_common(top),
            "overdue_cited": self.overdue.most_common(top),
        }


def load_report(kpis: k.KpiStore, days: int, today: dt.date | None = None) -> KpiReport:
    """The report of the last `days` UTC days."""
    return KpiReport.from_days(kpis.days(k.last_days(days, today)))


def _round(value: float | None, digits: int = 4) -> float | None:
    return round(value, digits) if value is not None else None
