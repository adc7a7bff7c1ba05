"""How many votes `policybot variants report` needs to call a true +5-point helpful-rate gain.

    python bench/ab_sim.py [--runs 200] [--control 0.70] [--lift 0.05] [--step 50]

Each run simulates votes arriving one per arm at a time (control at `--control`, B at control +
`--lift`) and asks the report's comparison (`bot.variants.compare.compare`) every `--step` votes per
arm, as someone refreshing the report would. It records when the report first says "better than
control". A/A runs (no true difference) measure how often that repeated looking calls a winner
that is not there. The textbook sample size is Cohen's normal approximation at alpha 0.05, power 0.8.
"""

from __future__ import annotations

import argparse
import random
import statistics

from bot.kpi.report import Counts
from bot.variants.compare import compare, sample_size


def counts(up: int, n: int) -> Counts:
    c = Counts()
    c.add("up", up)
    c.add("down", n - up)
    return c


def first_call(rng: random.Random, p0: float, p1: float, step: int, horizon: int, target: float | None) -> int | None:
    """Votes per arm when the report first calls B better (None: not within `horizon`).

    `target`: the experiment's target effect (the report waits for its planned votes); None: the
    report calls at the first p < 0.05 (peeking)."""
    up0 = up1 = 0
    for n in range(1, horizon + 1):
        up0 += rng.random() < p0
        up1 += rng.random() < p1
        if n % step == 0 and compare("B", counts(up1, n), counts(up0, n), target).verdict.startswith("better"):
            return n
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--control", type=float, default=0.70)
    parser.add_argument("--lift", type=float, default=0.05)
    parser.add_argument("--step", type=int, default=50)
    args = parser.parse_args()
    p0, p1 = args.control, args.control + args.lift
    textbook = sample_size(p0, p1)
    horizon = 3 * textbook
    rng = random.Random(2026)

    print(f"control {p0:.2f}, B {p1:.2f}; textbook sample size {textbook} votes per arm ({2 * textbook} in all)")
    print(f"runs {args.runs}, report checked every {args.step} votes per arm, up to {horizon} per arm")
    for label, target in (("peeking (no plan)", None), (f"planned (target_effect {args.lift})", args.lift)):
        calls = [first_call(rng, p0, p1, args.step, horizon, target) for _ in range(args.runs)]
        called = sorted(c for c in calls if c is not None)
        first_look = textbook + args.step  # the first check at or after the textbook size
        by_textbook = sum(c <= first_look for c in called) / args.runs
        false_calls = [first_call(rng, p0, p0, args.step, horizon, target) for _ in range(args.runs)]
        false_rate = sum(c is not None for c in false_calls) / args.runs
        print(f"-- {label}")
        if len(called) > 1:
            q = statistics.quantiles(called, n=4)
            print(
                f"   called B better in {len(called)}/{args.runs} runs; votes per arm at the call: p25 {q[0]:.0f}, median {q[1]:.0f}, p75 {q[2]:.0f}"
            )
        print(f"   called within {first_look} votes per arm: {by_textbook:.0%} of runs (design power 80%)")
        print(f"   A/A runs wrongly called within {horizon} votes per arm: {false_rate:.0%} (nominal 5% for one look)")


if __name__ == "__main__":
    main()
