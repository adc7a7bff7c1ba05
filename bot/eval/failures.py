"""Reports of an evaluation run: per-question details (JSONL) and the failures digest for tuning."""

from __future__ import annotations

from dataclasses import asdict

from bot.eval import metrics as m
from bot.eval.dataset import Dataset, Query
from bot.eval.runner import EVIDENCE_CHUNKS, EvalResult, Record, SystemRun, json_safe


def records_jsonl(result: EvalResult) -> list[dict]:
    """Per-question details (both systems), for --details."""
    rows = []
    for q in result.dataset.queries:
        row: dict = {"id": q.id, "question": q.text, "qrels": result.dataset.qrels.get(q.id, {})}
        exp = result.dataset.expected.get(q.id)
        if exp:
            row["expected"] = asdict(exp)
        for run in filter(None, (result.policybot, result.baseline)):
            rec = run.records.get(q.id)
            if rec:
                data = asdict(rec)
                data.pop("question"), data.pop("id")
                data["ranked"] = data["ranked"][: result.k]
                row[run.name] = data
        rows.append(json_safe(row))
    return rows


def failures_text(result: EvalResult) -> str:
    """Human-readable per-question failures of our pipeline, plus confidence and a threshold sweep."""
    ds, run = result.dataset, result.policybot
    assert run is not None, "the policybot run is missing"
    lines: list[str] = [f"# policybot eval failures: {ds.name} ({len(ds.queries)} queries)", ""]
    for title, items in _failure_sections(ds, run).items():
        lines += [f"## {title}: {len(items)}", ""]
        for q, rec, why in items:
            lines += _describe(ds, q, rec, why)
    if ds.expected:
        lines += _confidence_report(ds, run, result.settings.abstain_threshold)
    return "\n".join(lines)


def _describe(ds: Dataset, q: Query, rec: Record, why: str) -> list[str]:
    """One failure: the question, what was found and cited, what was missing, the answer."""
    lines: list[str] = []
    principals, filters = ds.restrictions(q)
    extra = sorted(principals - {"everyone"})
    lines.append(f"[{q.id}] {why}")
    lines.append(
        f"  Q: {q.text}"
        + (f"   (principals: {', '.join(extra)})" if extra else "")
        + (f"   filters: {filters}" if filters else "")
    )
    lines.append(f"  kind={rec.kind} confidence={rec.confidence} latency={rec.latency_ms:.0f}ms")
    if ds.qrels.get(q.id):
        lines.append(f"  relevant: {sorted(ds.qrels[q.id])}  top docs: {rec.ranked[:5]}  cited: {rec.cited}")
    exp = ds.expected.get(q.id)
    if exp and exp.evidence and not m.evidence_hit(rec.top_chunks, exp.evidence):
        lines.append(f"  evidence: {exp.evidence}")
        lines.append("  top chunks: " + " | ".join(" ".join(c.split())[:160] for c in rec.top_chunks))
    if exp and exp.must_contain:
        lines.append(f"  must_contain: {exp.must_contain}  missing: {m.missing_tokens(rec.answer, exp.must_contain)}")
    answer = " ".join(rec.answer.split())
    lines.append(f"  A: {answer[:500]}{' …' if len(answer) > 500 else ''}")
    lines.append("")
    return lines


def _failure_sections(ds: Dataset, run: SystemRun) -> dict[str, list[tuple[Query, Record, str]]]:
    """Failures by kind: (question, its record, why) in dataset order."""
    sections: dict[str, list[tuple[Query, Record, str]]] = {
        "Unanswerable questions that were answered": [],
        "Answerable questions that abstained": [],
        "Answered but missing must_contain / answers": [],
        "Retrieval misses (no relevant document in the top 5)": [],
        f"Evidence not in the top-{EVIDENCE_CHUNKS} chunks": [],
    }
    keys = list(sections)
    for q in ds.queries:
        rec = run.records.get(q.id)
        if rec is None:
            continue
        exp = ds.expected.get(q.id)
        if exp and not exp.answerable and not rec.abstained:
            sections[keys[0]].append((q, rec, "answered an unanswerable question"))
        if exp and exp.answerable and rec.abstained:
            sections[keys[1]].append((q, rec, "abstained on an answerable question"))
        if exp and exp.answerable and not rec.abstained:
            miss_all = exp.must_contain and not m.contains_all(rec.answer, exp.must_contain)
            miss_any = exp.answers and not m.contains_any(rec.answer, exp.answers)
            if miss_all or miss_any:
                sections[keys[2]].append((q, rec, "answer lacks " + ("must_contain" if miss_all else "any gold answer")))
        if ds.qrels.get(q.id) and m.recall_at_k(rec.ranked, ds.qrels[q.id], 5) == 0:
            sections[keys[3]].append((q, rec, "no relevant document in the top 5"))
        if exp and exp.evidence and not m.evidence_hit(rec.top_chunks, exp.evidence):
            sections[keys[4]].append((q, rec, f"no evidence passage in the top-{EVIDENCE_CHUNKS} chunks"))
    return sections


def _confidence_report(ds: Dataset, run: SystemRun, threshold: float) -> list[str]:
    """Confidence distributions of answerable vs unanswerable questions and a threshold sweep."""
    lines: list[str] = []
    ans = [
        (q.id, run.records[q.id].confidence or 0.0)
        for q in ds.queries
        if q.id in run.records and ds.expected.get(q.id, None) and ds.expected[q.id].answerable
    ]
    una = [
        (q.id, run.records[q.id].confidence or 0.0)
        for q in ds.queries
        if q.id in run.records and ds.expected.get(q.id) and not ds.expected[q.id].answerable
    ]
    lines.append(f"## Confidence (current abstain_threshold = {threshold})")
    lines.append(f"  answerable:   {m.distribution([c for _, c in ans])}")
    lines.append(f"  unanswerable: {m.distribution([c for _, c in una])}")
    lines.append("  unanswerable, sorted: " + ", ".join(f"{i}={c:.3f}" for i, c in sorted(una, key=lambda x: -x[1])))
    lines.append("  lowest answerable:    " + ", ".join(f"{i}={c:.3f}" for i, c in sorted(ans, key=lambda x: x[1])[:15]))
    lines.append("")
    lines.append("## Threshold sweep (abstain iff confidence < t; assumes the answer is otherwise unchanged)")
    lines.append("   t     abstain(unanswerable)  false-abstain(answerable)")
    for t in [round(0.30 + 0.005 * i, 3) for i in range(61)]:
        a_rate = m.mean(c < t for _, c in una) if una else float("nan")
        f_rate = m.mean(c < t for _, c in ans) if ans else float("nan")
        lines.append(f"  {t:.3f}  {a_rate:>8.3f}               {f_rate:>8.3f}")
    lines.append("")
    return lines
