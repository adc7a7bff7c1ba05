"""Evaluation: pure metric functions, dataset loading, and a tiny end-to-end run (real model, real Chroma)."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

from bot.eval import metrics as m
from bot.eval.dataset import load_dataset
from tests.eval_sets import tiny_dataset, write_jsonl

# --- ranking metrics ------------------------------------------------------------------------


def test_ndcg_binary_hand_computed():
    # relevant at ranks 1 and 3 of 2 relevant: DCG = 1 + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3)
    got = m.ndcg_at_k(["a", "x", "b"], {"a": 1, "b": 1}, 10)
    assert got == pytest.approx(1.5 / (1 + 1 / math.log2(3)))


def test_ndcg_graded_and_cutoff():
    qrels = {"a": 2, "b": 1}
    # ideal order a, b: IDCG = 2 + 1/log2(3); ranking b, a: DCG = 1 + 2/log2(3)
    assert m.ndcg_at_k(["b", "a"], qrels, 10) == pytest.approx((1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3)))
    assert m.ndcg_at_k(["a", "b"], qrels, 10) == pytest.approx(1.0)
    # cutoff 1: only "x" counted -> 0; ideal@1 = 2
    assert m.ndcg_at_k(["x", "a"], qrels, 1) == 0.0
    assert m.ndcg_at_k([], qrels, 10) == 0.0
    assert m.ndcg_at_k(["a"], {}, 10) == 0.0  # no judgements: defined as 0
    assert m.ndcg_at_k(["a", "z"], {"a": 1, "z": 0}, 10) == pytest.approx(1.0)  # grade 0 is not relevant


def test_recall_and_mrr():
    qrels = {"a": 1, "b": 1, "c": 1, "d": 1}
    ranked = ["x", "a", "y", "b", "z", "c"]
    assert m.recall_at_k(ranked, qrels, 1) == 0.0
    assert m.recall_at_k(ranked, qrels, 2) == 0.25
    assert m.recall_at_k(ranked, qrels, 5) == 0.5
    assert m.recall_at_k(ranked, qrels, 10) == 0.75
    assert m.mrr_at_k(ranked, qrels, 10) == 0.5
    assert m.mrr_at_k(["x", "y", "a"], qrels, 2) == 0.0
    assert m.mrr_at_k(["x", "y", "a"], qrels, 3) == pytest.approx(1 / 3)


def test_dedupe_ranks_documents_by_best_chunk():
    assert m.dedupe(["d1", "d2", "d1", "d3", "d2"]) == ["d1", "d2", "d3"]


# --- containment and evidence ---------------------------------------------------------------


def test_contains_token_whole_word_case_insensitive():
    assert m.contains_token("You get 25 days of leave.", "25")
    assert not m.contains_token("You get 250 days of leave.", "25")
    assert not m.contains_token("Room 125 is free", "25")
    assert m.contains_token("Carry over by MARCH 31.", "march 31")
    assert m.contains_token("Carry over by March\n  31.", "March 31")  # whitespace normalised
    assert not m.contains_token("by March 31st", "March 31")


def test_contains_token_with_symbols():
    assert m.contains_token("The limit is $500 per night.", "$500")
    assert m.contains_token("The limit is $500 per night.", "500")  # "$" is not a word character
    assert not m.contains_token("The limit is $5000.", "$500")
    assert m.contains_token("a 4% match (4%).", "4%")
    assert not m.contains_token("a 14% match", "4%")
    assert m.contains_token("email hr@northwind.example today", "hr@northwind.example")
    assert m.contains_token("costs (GBP) 260", "GBP")


def test_contains_any_all_and_missing():
    text = "Up to 5 days, used by March 31."
    assert m.contains_all(text, ["5", "March 31"])
    assert not m.contains_all(text, ["5", "April 1"])
    assert m.missing_tokens(text, ["5", "April 1"]) == ["April 1"]
    assert m.contains_any(text, ["nope", "5 days"])
    assert not m.contains_any(text, ["nope"])
    assert m.contains_all(text, [])  # nothing required


def test_evidence_hit_normalises_whitespace_and_case():
    chunks = ["Annual leave › Accrual\nFull-time employees   accrue 25 days\nof paid annual leave."]
    assert m.evidence_hit(chunks, ["full-time employees accrue 25 days of paid annual leave"])
    assert not m.evidence_hit(chunks, ["30 days"])
    assert not m.evidence_hit([], ["anything"])


def test_percentiles_and_distribution():
    values = [10.0, 20.0, 30.0, 40.0]
    assert m.percentile(values, 50) == 25.0
    assert m.percentile(values, 95) == pytest.approx(38.5)  # 30 + 0.85 * 10
    assert m.percentile(values, 0) == 10.0
    assert m.percentile(values, 100) == 40.0
    assert m.percentile([7.0], 95) == 7.0
    assert math.isnan(m.percentile([], 50))
    d = m.distribution([0.1, 0.2, 0.3])
    assert d["n"] == 3 and d["p50"] == 0.2 and d["min"] == 0.1 and d["max"] == 0.3


# --- dataset loading ------------------------------------------------------------------------


def test_load_dataset_restrictions(tmp_path):
    ds = load_dataset(tiny_dataset(tmp_path / "tiny"))
    assert [q.id for q in ds.queries] == ["q1", "q2", "q3"]
    assert ds.qrels == {"q1": {"leave": 1}, "q2": {"hotel": 1}}
    assert ds.expected["q3"].answerable is False
    assert ds.corpus_filter_keys == frozenset({"policy"})
    principals, filters = ds.restrictions(ds.queries[1])
    assert filters == {"policy": "finance"}  # "ignored" is not a corpus metadata key
    assert principals == frozenset({"everyone"})
    assert ds.limited(1).queries[0].id == "q1" and set(ds.limited(1).qrels) == {"q1"}


def test_load_dataset_docs_symlink_and_principals(tmp_path):
    kb = tmp_path / "kb"
    (kb / "hr").mkdir(parents=True)
    (kb / "hr" / "leave.md").write_text("# Leave\n\nYou get 25 days.\n", encoding="utf-8")
    ev = tmp_path / "kb" / "eval"
    ev.mkdir()
    (ev / "docs").symlink_to("..")
    write_jsonl(ev / "queries.jsonl", [{"_id": "g1", "text": "merit budget?", "metadata": {"principals": ["Managers"]}}])
    ds = load_dataset(ev)
    assert ds.docs_dir == kb.resolve() and ds.corpus_file is None
    principals, filters = ds.restrictions(ds.queries[0])
    assert principals == frozenset({"everyone", "managers"}) and filters == {}
    assert ds.qrels == {} and ds.expected == {}


def test_missing_dataset_parts(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_dataset(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError):
        load_dataset(tmp_path / "empty")


# --- end to end -----------------------------------------------------------------------------


@pytest.mark.timeout(120)
def test_end_to_end_tiny_dataset(tmp_path):
    from bot.config import Settings
    from bot.eval.failures import failures_text, records_jsonl
    from bot.eval.runner import run_eval

    ds = load_dataset(tiny_dataset(tmp_path / "tiny"))
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", pii_enabled=False, llm_model=None, chroma_host=None)
    stages: set[str] = set()
    result = run_eval(ds, settings, k=10, baseline=True, progress=lambda stage, done, total: stages.add(stage))
    summary = result.summary()
    ours, base = summary["policybot"], summary["baseline"]

    assert {"ingest load", "ingest embed", "queries", "baseline embed", "baseline queries"} <= stages
    assert summary["index"]["documents"] == 4 and summary["index"]["chunks"] >= 4
    assert ours["retrieval"]["n"] == 2
    assert ours["retrieval"]["recall@5"] == 1.0
    assert ours["retrieval"]["recall@1"] == 1.0  # the policy filter leaves 1-2 candidates
    assert 0 < ours["retrieval"]["ndcg@10"] <= 1.0
    assert ours["evidence"] == {"n": 1, "hit@5": 1.0}
    assert ours["answers"]["answerable"] == 2 and ours["answers"]["unanswerable"] == 1
    assert ours["answers"]["must_contain_all_n"] == 1 and ours["answers"]["answers_any_n"] == 1
    assert ours["answers"]["abstention_unanswerable"] in (0.0, 1.0)
    assert ours["latency_ms"]["n"] == 3 and ours["latency_ms"]["p50"] > 0
    assert set(ours["confidence"]) == {"answerable", "unanswerable"}
    # the baseline sees the same corpus; its answer is the raw top chunks, so it contains "25"
    assert base["retrieval"]["recall@5"] == 1.0
    assert base["answers"]["must_contain_all"] == 1.0
    assert base["answers"]["abstention_unanswerable"] == 0.0
    assert json.loads(json.dumps(summary))  # JSON-safe (no NaN)

    rows = records_jsonl(result)
    assert [r["id"] for r in rows] == ["q1", "q2", "q3"] and rows[0]["policybot"]["ranked"][0] == "leave"
    for row in rows[:2]:  # the ranking comes from the very search `ask` answered from
        assert set(row["policybot"]["cited"]) <= set(row["policybot"]["context_docs"]) <= set(row["policybot"]["ranked"])
    assert "Threshold sweep" in failures_text(result)

    # a second run reuses the cached index: nothing is embedded again
    again = run_eval(ds, settings, k=10, baseline=True).summary()
    assert again["index"]["chunks_embedded"] == 0 and again["baseline"]["notes"]["chunks_embedded"] == 0
    assert again["policybot"]["retrieval"] == ours["retrieval"]


def test_cli_json_output(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import bot.cli.eval  # noqa: F401  (registers `eval`)
    from bot.cli.app import app
    from bot.config import get_settings

    root = tiny_dataset(tmp_path / "tiny")
    monkeypatch.setenv("POLICYBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PII_ENABLED", "false")
    get_settings.cache_clear()
    try:
        res = CliRunner().invoke(app, ["eval", str(root), "--json", "--limit", "2", "--k", "5"])
    finally:
        get_settings.cache_clear()
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["dataset"]["queries"] == 2 and "baseline" not in data
    assert data["policybot"]["retrieval"]["recall@5"] == 1.0 and "ndcg@5" in data["policybot"]["retrieval"]


def test_golden_set_names_its_documents_without_a_symlink_loop():
    knowledge = Path(__file__).resolve().parents[1] / "knowledge"
    walked = [Path(folder) for folder, _, _ in os.walk(knowledge, followlinks=True)]
    assert all("eval/docs" not in p.as_posix() for p in walked), "walking knowledge/ must not loop through eval/"
    assert not [p for p in knowledge.rglob("*") if p.is_symlink()]
    ds = load_dataset(knowledge / "eval")
    assert ds.docs_dir == knowledge and ds.corpus_file is None and len(ds.queries) > 100


def test_dataset_manifest_errors_name_the_file(tmp_path):
    ev = tmp_path / "eval"
    ev.mkdir()
    (ev / "dataset.json").write_text('{"documents": ".."}')
    with pytest.raises(ValueError, match=r"dataset\.json"):
        load_dataset(ev)
