"""Calibrate the verified-answer matcher and measure it (issue 10).

    POLICYBOT_DATA_DIR=... python bench/verified_threshold.py [--latency N]

Needs an index of knowledge/ (`policybot ingest`). For the first question of every pair in
bench/data/verified_questions.yaml (`pairs` and `holdout_pairs`) a verified answer is stored in
real Redis under a throwaway prefix, resting on what the pipeline answers and cites for that
question (a stand-in for the reviewer's answer and picked sections). Each test question is then
decided as `Assist` does: `VerifiedLookup.match` (cosine >= VERIFIED_THRESHOLD) before the
pipeline, else `near` + `confirm` on the pipeline's own search.

For the current settings also the share offered (not served) the verified answer to a similar question
beside the pipeline's answer ("✅ … verified the answer to a similar question: …" and a button): a
paraphrase counts when its own verified answer is offered, a near miss when any is.
Printed per split — `cal` (even-numbered pairs and their near misses: the settings were chosen on
these), `test` (odd-numbered), `holdout` (held-out pairs, never used to choose a setting): the
share of paraphrases (freely reworded) and rewordings (nearly the same words) that get *their*
verified answer, and the share of near misses that get *any* verified answer (false hits).
First for the cosine alone at a sweep of thresholds (the matcher before), then for the current
settings and a few neighbours of them.
`--latency N` also times N questions (paraphrases and near misses) through `Assist.ask`: plain,
with the cosine-only lookup, with the current lookup (rotating order, query-embedding cache
cleared before each call); then each lookup alone on the pipeline's search. Run it twice on a
shared machine and compare.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.answer.service import PolicyService
from bot.config import Settings
from bot.core.principals import principals_of
from bot.retrieval.hybrid import SearchResult
from bot.review.verified import VerifiedLookup
from bot.store.redis_conn import connect
from bot.store.verified import VerifiedAnswer, VerifiedStore

DATA = Path(__file__).parent / "data" / "verified_questions.yaml"
EVERYONE = principals_of()


@dataclass
class Case:
    text: str
    split: str  # cal | test | holdout
    group: str  # paraphrase | rewording | near miss
    target: str  # the verified answer it should get ("" for a near miss: it should get none)
    search: SearchResult | None = None


def cases(data: dict, ids: list[str]) -> list[Case]:
    """Every test question with its split and the verified answer it should (or should not) get."""
    n = len(data["pairs"])

    def split(i: int) -> str:
        return "cal" if i % 2 == 0 else "test"

    out = [Case(p, split(i), "paraphrase", ids[i]) for i, (_, p) in enumerate(data["pairs"])]
    out += [Case(r, split(i), "rewording", ids[i]) for i, r in enumerate(data["rewordings"])]
    out += [Case(q, split(i), "near miss", "") for q, i in data["near_misses"]]
    out += [Case(p, "holdout", "paraphrase", ids[n + i]) for i, (_, p) in enumerate(data["holdout_pairs"])]
    out += [Case(q, "holdout", "near miss", "") for q, _ in data["holdout_near_misses"]]
    return out


def decide(lookup: VerifiedLookup, case: Case) -> str | None:
    """The id of the verified answer `Assist` would serve for the case's question (None: the pipeline's)."""
    if hit := lookup.match(case.text, EVERYONE):
        return hit[0].id
    near = lookup.near(case.text, EVERYONE)
    if near and case.search is not None and (hit := lookup.confirm(case.text, near, case.search)):
        return hit[0].id
    return None


def offer(lookup: VerifiedLookup, case: Case) -> str | None:
    """The id of the verified answer offered beside the pipeline's answer ("a similar question"), when none is
    served: the closest at least VERIFIED_FLOOR similar."""
    if decide(lookup, case) is not None:
        return None
    near = lookup.near(case.text, EVERYONE)
    return near[0].answer.id if near else None


def report(label: str, lookup: VerifiedLookup, all_cases: list[Case], decider=decide) -> None:
    decided = [(c, decider(lookup, c)) for c in all_cases]
    cells = []
    for split in ("cal", "test", "holdout"):
        for group in ("paraphrase", "rewording", "near miss"):
            got = [(c, d) for c, d in decided if c.split == split and c.group == group]
            if not got:
                cells.append(f"{'-':>6s}")
                continue
            rate = sum((d is not None) if group == "near miss" else d == c.target for c, d in got) / len(got)
            cells.append(f"{rate:6.1%}")
    print(f"{label:34s} " + " │ ".join("  ".join(cells[i : i + 3]) for i in (0, 3, 6)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=int, default=0, help="questions to time through Assist.ask")
    args = parser.parse_args()
    data = yaml.safe_load(DATA.read_text())
    settings = Settings(llm_model=None)
    service = PolicyService(settings)
    if not service.ready():
        raise SystemExit("no index: run `policybot ingest` (POLICYBOT_DATA_DIR)")
    redis, prefix = connect(settings), f"bench-verified-{uuid.uuid4().hex[:8]}"
    store = VerifiedStore(redis, prefix)
    try:
        firsts = [q for q, _ in data["pairs"]] + [q for q, _ in data["holdout_pairs"]]
        answers = []
        for i, question in enumerate(firsts):
            result = service.ask(question, principals=EVERYONE)
            answers.append(
                VerifiedAnswer(questions=[question], answer=result.answer, sources=result.sources, reviewer=f"bench-{i}")
            )
        for answer in answers:
            store.save(answer)
        all_cases = cases(data, [a.id for a in answers])
        for case in all_cases:  # the pipeline's own search, as Assist hands it to `confirm`
            case.search = service.ask_with_search(case.text, principals=EVERYONE)[1]
        sizes = {s: sum(c.split == s for c in all_cases) for s in ("cal", "test", "holdout")}
        print(f"{len(answers)} verified answers ({sum(not a.sources for a in answers)} without sources); questions {sizes}")
        print(f"{'':34s} {'cal: para  reword  near':>22s} │ {'test: para  reword  near':>22s} │ {'holdout: para  -  near':>22s}")
        embeddings, synonyms, units = service.embeddings, service.company.synonyms, service.extractive.cache
        for threshold in (0.80, 0.85, 0.90, 0.92, 0.94, 0.96):
            report(f"cosine only >= {threshold:.2f}", VerifiedLookup(store, embeddings, threshold), all_cases)
        s = settings
        grid = [(s.verified_floor, s.verified_word_cover, s.verified_margin, "  <- settings")]
        grid += [(0.5, s.verified_word_cover, s.verified_margin, ""), (0.7, s.verified_word_cover, s.verified_margin, "")]
        grid += [(s.verified_floor, w, s.verified_margin, "") for w in (0.0, 0.4, 0.45, 0.55)]
        grid += [(s.verified_floor, s.verified_word_cover, m, "") for m in (-1.0, -0.05, 0.0, 0.05)]
        for floor, cover, margin, mark in grid:
            lookup = VerifiedLookup(
                store,
                embeddings,
                s.verified_threshold,
                floor=floor,
                word_cover=cover,
                margin=margin,
                synonyms=synonyms,
                units=units,
            )
            report(f"{s.verified_threshold}+floor {floor} cover {cover} margin {margin}", lookup, all_cases)
            if mark:
                report("  offered, not served (settings)", lookup, all_cases, offer)
                print(f"{'':34s} {mark.strip()}; the near misses that got a verified answer:")
                questions = {a.id: a.questions[0] for a in answers}
                for case in all_cases:
                    if case.group == "near miss" and (got := decide(lookup, case)):
                        print(f"{'':36s}[{case.split}] {case.text!r} -> {questions[got]!r}")
        if args.latency:
            latency(settings, store, [c.text for c in all_cases if c.group != "rewording"], args.latency)
    finally:
        keys = list(redis.scan_iter(f"{prefix}:*"))
        if keys:
            redis.delete(*keys)


def latency(settings: Settings, store: VerifiedStore, questions: list[str], n: int) -> None:
    """p50/p95 of Assist.ask per question: plain, with the cosine-only lookup, with the current one.

    The query-embedding cache is cleared before every call and the order rotates, so no path
    profits from another having embedded the question first.
    """
    from bot.assist.factory import build_assist
    from bot.core.asking import Asker, Place, Question

    assist = build_assist(settings)
    current = assist.verified
    assert current is not None
    current.store = store
    cosine_only = VerifiedLookup(store, assist.service.embeddings, settings.verified_threshold)
    asked = [Question(q, Asker("bench", EVERYONE), Place("dm", "bench", EVERYONE)) for q in (questions * n)[:n]]
    for lookup in (current, cosine_only):  # warm-up: model, index, BM25, the lookups' matrices
        assist.verified = lookup
        assist.ask(asked[0])
    runs = [("plain", None), ("cosine only", cosine_only), ("current", current)]
    timings: dict[str, list[float]] = {name: [] for name, _ in runs}
    for i, question in enumerate(asked):
        for name, verified in runs[i % 3 :] + runs[: i % 3]:
            assist.verified = verified
            assist.service.embeddings.clear()
            started = time.perf_counter()
            assist.ask(question)
            timings[name].append((time.perf_counter() - started) * 1000)
    # The lookups alone, on the search the pipeline ran (not timed): what each adds per question.
    alone: dict[str, list[float]] = {"cosine-only lookup alone": [], "current lookup alone": []}
    for question in asked:
        search = assist.service.ask_with_search(question.text, principals=EVERYONE)[1]
        for name, lookup in (("cosine-only lookup alone", cosine_only), ("current lookup alone", current)):
            assist.service.embeddings.clear()
            started = time.perf_counter()
            if lookup.match(question.text, EVERYONE) is None and (near := lookup.near(question.text, EVERYONE)) and search:
                lookup.confirm(question.text, near, search)
            alone[name].append((time.perf_counter() - started) * 1000)
    timings.update(alone)
    for name, values in timings.items():
        q = statistics.quantiles(values, n=20)
        print(f"{name:24s} p50 {statistics.median(values):7.1f} ms  p95 {q[18]:7.1f} ms  (n={len(values)})")


if __name__ == "__main__":
    main()
