"""Compare each variant with the control: helpful rate, abstention and latency.

Helpful rate difference: Newcombe's hybrid score interval (statsmodels `confint_proportions_2indep`,
method "newcomb") and the two-proportion z test (`test_proportions_2indep`, method "score").
Minimum detectable effect (MDE): the smallest helpful-rate difference the current votes would
detect with 80% power at a two-sided 5% level, from Cohen's h (`NormalIndPower`; Cohen 1988,
ch. 6), turned back into percentage points around the control's rate.

A winner is called only once both arms have the planned votes — the textbook sample size for the
experiment's `target_effect` at the control's rate. Calling at the first p < 0.05 while votes
come in ("peeking") calls a winner that is not there far more often than 5% of the time
(bench/ab_sim.py measured 14% for one-sided calls on A/A runs checked every 50 votes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

from bot.kpi.report import Counts
from bot.store import kpis as k

ALPHA = 0.05
POWER = 0.8


@dataclass(frozen=True)
class Comparison:
    """One variant against the control. Rates are fractions; `mde` in rate units (0.05 = 5 points)."""

    variant: str
    votes: int
    control_votes: int
    helpful: float | None
    control_helpful: float | None
    diff: float | None
    diff_ci: tuple[float, float] | None
    p_value: float | None
    mde: float | None
    abstention_diff: float | None
    latency_p50_diff_ms: float | None
    planned_votes: int | None = None  # per arm, before a winner may be called

    @property
    def verdict(self) -> str:
        """What the numbers allow one to say."""
        if self.p_value is None or self.diff is None:
            return "not enough votes yet"
        if self.planned_votes and min(self.votes, self.control_votes) < self.planned_votes:
            return f"collecting votes: {min(self.votes, self.control_votes)} of {self.planned_votes} per arm"
        if self.p_value < ALPHA:
            return f"{'better' if self.diff > 0 else 'worse'} than control (p={self.p_value:.3f})"
        mde = f"{self.mde * 100:.1f} points" if self.mde is not None else "unknown"
        return f"no significant difference yet (p={self.p_value:.2f}); could detect {mde}"


def compare(variant: str, counts: Counts, control: Counts, target_effect: float | None = None) -> Comparison:
    """`variant`'s KPIs against `control`'s (see the module docstring for the methods).

    `target_effect`: the smallest helpful-rate change worth detecting (0.05 = 5 points); it sets
    the planned votes per arm. None: no plan, the verdict follows the p value alone."""
    up, n = counts[k.UP], counts[k.UP] + counts[k.DOWN]
    up0, n0 = control[k.UP], control[k.UP] + control[k.DOWN]
    diff = diff_ci = p_value = mde = planned = None
    if n and n0:
        diff = up / n - up0 / n0
        low, high = confint_proportions_2indep(up, n, up0, n0, method="newcomb", alpha=ALPHA)
        diff_ci = (float(low), float(high))
        p_value = float(test_proportions_2indep(up, n, up0, n0, method="score").pvalue) if 0 < up + up0 < n + n0 else 1.0
        mde = minimum_detectable_effect(up0 / n0, n0, n)
        if target_effect:
            planned = sample_size(up0 / n0, min(0.999, up0 / n0 + target_effect))
    return Comparison(
        variant=variant,
        votes=n,
        control_votes=n0,
        helpful=counts.helpful_rate,
        control_helpful=control.helpful_rate,
        diff=diff,
        diff_ci=diff_ci,
        p_value=p_value,
        mde=mde,
        abstention_diff=_diff(counts.abstention_rate, control.abstention_rate),
        latency_p50_diff_ms=_diff(counts.latency_ms(0.5), control.latency_ms(0.5)),
        planned_votes=planned,
    )


def minimum_detectable_effect(p0: float, n0: int, n1: int, alpha: float = ALPHA, power: float = POWER) -> float | None:
    """The smallest upward difference from rate `p0` detectable with `n0` control and `n1` variant votes."""
    if n0 < 2 or n1 < 2:
        return None
    h = NormalIndPower().solve_power(effect_size=None, nobs1=n0, alpha=alpha, power=power, ratio=n1 / n0)
    p1 = math.sin(min(math.pi / 2, math.asin(math.sqrt(p0)) + h / 2)) ** 2
    return p1 - p0


def sample_size(p0: float, p1: float, alpha: float = ALPHA, power: float = POWER) -> int:
    """Votes per arm to detect `p0` -> `p1` (textbook normal approximation on Cohen's h)."""
    h = abs(2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p0)))
    return math.ceil(NormalIndPower().solve_power(effect_size=h, alpha=alpha, power=power, ratio=1.0))


def compare_all(by_variant: dict[str, Counts], control: str, target_effect: float | None = None) -> list[Comparison]:
    """Every non-control variant against `control` (an empty control when it has no data yet)."""
    base = by_variant.get(control, Counts())
    return [compare(name, counts, base, target_effect) for name, counts in sorted(by_variant.items()) if name != control]


def _diff(a: float | None, b: float | None) -> float | None:
    return a - b if a is not None and b is not None else None
