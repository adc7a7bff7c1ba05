"""Regression gate: the golden question set of knowledge/, through the real eval pipeline.

Thresholds sit a little below what the pipeline reaches today (see README "Evaluation"), so a
change that makes answers worse fails CI instead of landing quietly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.eval.dataset import load_dataset
from bot.eval.runner import run_eval

GOLDEN = Path(__file__).resolve().parents[1] / "knowledge" / "eval"


@pytest.fixture(scope="module")
def summary(tmp_path_factory) -> dict:
    settings = Settings(data_dir=tmp_path_factory.mktemp("golden"), llm_model=None)
    return run_eval(load_dataset(GOLDEN), settings, k=10).summary()["policybot"]


def test_golden_set_retrieval(summary):
    retrieval = summary["retrieval"]
    assert retrieval["n"] >= 200
    assert retrieval["recall@5"] >= 0.96  # 0.983 on 2026-11-29
    assert retrieval["ndcg@10"] >= 0.94  # 0.968


def test_golden_set_answers(summary):
    answers = summary["answers"]
    assert answers["answerable"] >= 200 and answers["unanswerable"] >= 35
    assert answers["must_contain_all"] >= 0.86  # 0.887 on 2026-11-30 (204 answerable, 83 of them casual; was 0.848)
    assert answers["abstention_unanswerable"] >= 0.72  # 0.757 (37 uncovered)
    assert answers["false_abstention_answerable"] <= 0.045  # 0.029 (was 0.044)
    assert summary["evidence"]["hit@5"] >= 0.95  # 0.971
