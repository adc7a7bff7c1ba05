"""`policybot eval DATASET_DIR [--k 10] [--json] [--baseline] [--limit N]`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from bot.cli.app import app
from bot.cli.console import console, err_console, fail, print_json, stage_progress
from bot.config import get_settings


@app.command("eval")
def eval_command(
    dataset_dir: Path = typer.Argument(
        ..., help="A BEIR-layout dataset folder (corpus.jsonl or docs/, queries.jsonl, qrels/test.tsv, answers.jsonl)."
    ),
    k: int = typer.Option(10, "--k", min=1, help="Cutoff for nDCG, recall and MRR."),
    as_json: bool = typer.Option(False, "--json", help="Print all metrics as one JSON object (nothing else on stdout)."),
    baseline: bool = typer.Option(False, "--baseline", help="Also run the plain LangChain tutorial RAG recipe for comparison."),
    limit: int = typer.Option(None, "--limit", min=1, help="Evaluate only the first N queries."),
    fresh: bool = typer.Option(False, "--fresh", help="Index into a temporary folder instead of the reusable eval cache."),
    failures: Path = typer.Option(None, "--failures", help="Write per-question failures, confidence and a threshold sweep here."),
    details: Path = typer.Option(None, "--details", help="Write per-question results (JSON lines) here."),
) -> None:
    """Score retrieval and answers on an evaluation set through the real pipeline (its own index)."""
    from bot.eval.dataset import load_dataset
    from bot.eval.failures import failures_text, records_jsonl
    from bot.eval.runner import run_eval

    try:
        dataset = load_dataset(dataset_dir).limited(limit)
    except (FileNotFoundError, ValueError, KeyError) as exc:
        fail(str(exc))
    settings = get_settings()
    try:
        with stage_progress(enabled=True) as progress:  # stderr only, so --json stays clean
            result = run_eval(dataset, settings, k=k, baseline=baseline, fresh=fresh, progress=progress)
    except RuntimeError as exc:
        fail(str(exc))
    summary = result.summary()
    if failures:
        failures.write_text(failures_text(result), encoding="utf-8")
    if details:
        with details.open("w", encoding="utf-8") as fh:
            for row in records_jsonl(result):
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    if as_json:
        print_json(summary)
        return
    _print_summary(summary, k)
    if failures:
        err_console.print(f"[dim]failures written to {failures}[/dim]")


def _fmt(value: object, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _print_summary(summary: dict, k: int) -> None:
    ds, idx, t = summary["dataset"], summary["index"], summary["timings_s"]
    ours, base = summary["policybot"], summary.get("baseline")
    console.print(
        f"[bold]{ds['name']}[/bold] · {ds['queries']} queries ({ds['queries_with_qrels']} with qrels) · "
        f"{idx['documents']} documents → {idx['chunks']} chunks ({idx['chunks_embedded']} embedded now) · "
        f"index {idx['data_dir'] or '(temporary)'}"
    )
    table = Table(title=f"{ds['name']}: policybot vs baseline" if base else ds["name"])
    table.add_column("metric")
    table.add_column("policybot", justify="right")
    if base:
        table.add_column("baseline", justify="right")
    table.add_column("n", justify="right")

    def row(label: str, section: str, key: str, n_key: str = "n", digits: int = 3) -> None:
        a = ours.get(section, {}).get(key)
        b = base.get(section, {}).get(key) if base else None
        if a is None and b is None:
            return
        n = ours.get(section, {}).get(n_key)
        table.add_row(label, _fmt(a, digits), *([_fmt(b, digits)] if base else []), _fmt(n))

    r = ours["retrieval"]
    if r.get("n"):
        row(f"nDCG@{k}", "retrieval", f"ndcg@{k}")
        for c in sorted({1, 5, k}):
            row(f"recall@{c}", "retrieval", f"recall@{c}")
        row(f"MRR@{k}", "retrieval", f"mrr@{k}")
        ctx_ours = r.get("context_chunks")
        ctx_base = base["retrieval"].get("context_chunks") if base else None
        label = f"context recall (ours: top-{ctx_ours} chunks" + (f", baseline: top-{ctx_base})" if base else ")")
        row(label, "retrieval", "context_recall")
        row("documents ranked (mean)", "retrieval", "docs_ranked_mean", digits=1)
    if ours["evidence"].get("n"):
        row("evidence hit@5 (chunks)", "evidence", "hit@5")
    if "answers" in ours:
        a = ours["answers"]
        if a.get("answers_any_n"):
            row("answer contains a gold answer" + (" *" if base else ""), "answers", "answers_any", "answers_any_n")
        if a.get("must_contain_all_n"):
            row("answer contains all must_contain" + (" *" if base else ""), "answers", "must_contain_all", "must_contain_all_n")
        if a.get("unanswerable"):
            row("abstention on unanswerable", "answers", "abstention_unanswerable", "unanswerable")
        if a.get("answerable"):
            row("false abstention on answerable", "answers", "false_abstention_answerable", "answerable")
        row("first citation is a relevant doc", "answers", "first_citation_relevant", "first_citation_relevant_n")
    row("latency p50 (ms)", "latency_ms", "p50", digits=1)
    row("latency p95 (ms)", "latency_ms", "p95", digits=1)
    console.print(table)

    if "confidence" in ours:
        conf = Table(title="confidence (policybot)")
        conf.add_column("questions")
        for col in ("n", "min", "p10", "p25", "p50", "p75", "p90", "max"):
            conf.add_column(col, justify="right")
        for name, dist in ours["confidence"].items():
            if dist.get("n"):
                conf.add_row(name, *(_fmt(dist.get(c)) for c in ("n", "min", "p10", "p25", "p50", "p75", "p90", "max")))
        console.print(conf)
        console.print(f"[dim]abstain_threshold = {summary['config']['abstain_threshold']}[/dim]")
    if base:
        notes = base.get("notes", {})
        console.print(
            f"[dim]baseline: RecursiveCharacterTextSplitter(1000, 200) + same embeddings + Chroma similarity_search; "
            f"{notes.get('ranking')}; * its answer = {notes.get('answer')}; latency = {notes.get('latency')}.[/dim]"
        )
    timing = " · ".join(f"{name} {secs:.1f}s" for name, secs in t.items())
    console.print(f"[dim]wall time: {timing}[/dim]")
