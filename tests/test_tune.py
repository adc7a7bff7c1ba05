"""`policybot tune`: training pairs, a real (tiny) training run, judging, versioning, promotion and use.

The model really trains (a few seconds on ~60 pairs) and the real pipeline loads and uses it; the
figures it reaches are reported by `policybot tune` on real data, not asserted here.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.answer.calibration import CONFIDENCE_VERSION
from bot.answer.scorer import load_scorer, promoted, scorer_root
from bot.config import Settings
from bot.core.overrides import AnswerOverrides
from bot.eval.dataset import load_dataset
from bot.tuning.pairs import Labelled, Pair, data_hash, labelled_pairs, span_pairs
from bot.variants.config import VariantSettings
from tests.eval_sets import tiny_dataset, write_jsonl

_PARAGRAPHS = {
    "p1": "We collect your name and email address when you register. We never sell personal data. Cookies remember your language.",
    "p2": "You may ask us to delete your account at any time. Deletion takes up to 30 days. Backups are kept for 90 days.",
    "p3": "Children under 13 may not use the service. Parents can contact privacy@example.com to remove a child's data.",
    "p4": "We update this policy from time to time. Changes are announced by email two weeks in advance.",
}
_QUESTIONS = [
    ("q1", "What personal information do you collect?", "p1", "name and email address"),
    ("q2", "Do you sell my data?", "p1", "We never sell personal data"),
    ("q3", "How long does account deletion take?", "p2", "up to 30 days"),
    ("q4", "How long are backups kept?", "p2", "kept for 90 days"),
    ("q5", "Can children use the service?", "p3", "Children under 13 may not use the service"),
    ("q6", "Who do parents contact about a child's data?", "p3", "privacy@example.com"),
    ("q7", "How will I know the policy changed?", "p4", "announced by email two weeks in advance"),
]


def _span_set(root: Path) -> Path:
    """A PolicyQA-like set: paragraphs of one policy, questions answered by a span of one of them."""
    root.mkdir(parents=True)
    write_jsonl(root / "corpus.jsonl", [{"_id": k, "title": "example.com", "text": v} for k, v in _PARAGRAPHS.items()])
    write_jsonl(root / "queries.jsonl", [{"_id": q, "text": text} for q, text, _, _ in _QUESTIONS])
    (root / "qrels").mkdir()
    rows = "".join(f"{q}\t{p}\t1\n" for q, _, p, _ in _QUESTIONS)
    (root / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\n" + rows, encoding="utf-8")
    write_jsonl(root / "answers.jsonl", [{"query-id": q, "answerable": True, "answers": [span]} for q, _, _, span in _QUESTIONS])
    return root


def test_span_pairs_label_the_unit_holding_the_gold_span(tmp_path):
    pairs = span_pairs(load_dataset(_span_set(tmp_path / "qa")))
    q3 = [p for p in pairs if p.question == "How long does account deletion take?"]
    assert [p.text for p in q3 if p.label == 1.0] == ["Deletion takes up to 30 days."]
    negatives = {p.text for p in q3 if p.label == 0.0}
    assert {"You may ask us to delete your account at any time.", "Backups are kept for 90 days."} <= negatives
    assert any(p.text in _PARAGRAPHS["p1"] + _PARAGRAPHS["p3"] + _PARAGRAPHS["p4"] for p in q3)  # one from another paragraph
    assert {p.question for p in pairs} == {text for _, text, _, _ in _QUESTIONS}
    assert data_hash(pairs) == data_hash(span_pairs(load_dataset(tmp_path / "qa")))  # seeded: the same data, the same hash


def test_span_pairs_refuse_a_set_without_spans(tmp_path):
    root = _span_set(tmp_path / "qa")
    write_jsonl(root / "answers.jsonl", [{"query-id": "q1", "answerable": True, "answers": ["words in no paragraph"]}])
    with pytest.raises(ValueError, match="no answer span was found"):
        span_pairs(load_dataset(root))
    with pytest.raises(ValueError, match=r"corpus\.jsonl"):
        span_pairs(load_dataset(Path(__file__).resolve().parents[1] / "knowledge" / "eval"))  # documents, not paragraphs


def test_labelled_pairs_take_hard_negatives_from_the_search():
    found = {
        "does work pay for the gym": [
            "The wellness stipend covers gym fees.",
            "Stipends are paid monthly.",
            "Bikes are not covered.",
        ],
        "can I bring my dog on Tuesdays": ["Tuesday is the in-office anchor day.", "Desks are booked in Robin."],
    }
    pairs = labelled_pairs(
        [
            Labelled("does work pay for the gym", ["Yes.", "The wellness stipend covers gym fees."]),  # a reviewer's sentences
            Labelled("can I bring my dog on Tuesdays", None),  # "not a policy question"
        ],
        lambda question: found[question],
    )
    gym = {(p.text, p.label) for p in pairs if p.question == "does work pay for the gym"}
    assert gym == {
        ("The wellness stipend covers gym fees.", 1.0),  # the unit the verified answer quotes
        ("Yes.", 1.0),  # the answer's own sentence that no unit holds
        ("Stipends are paid monthly.", 0.0),
        ("Bikes are not covered.", 0.0),
    }
    dog = [p for p in pairs if p.question == "can I bring my dog on Tuesdays"]
    assert {p.label for p in dog} == {0.0} and len(dog) == 2  # what a wrong answer would quote


def test_tune_trains_judges_versions_and_the_pipeline_uses_the_promoted_model(tmp_path, monkeypatch):
    from bot.answer.service import PolicyService
    from bot.eval.runner import cache_dir, eval_settings
    from bot.tuning.tune import tune

    pairs = [*span_pairs(load_dataset(_span_set(tmp_path / "qa"))), Pair("Can I bring my dog?", "Dogs are not allowed.", 1.0)]
    eval_set = load_dataset(tiny_dataset(tmp_path / "golden"))
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", pii_enabled=False, llm_model=None, chroma_host=None)

    # a set that cannot judge is refused before any training, and leaves no version behind
    with pytest.raises(ValueError, match="unanswerable"):
        tune(pairs, ["qa"], load_dataset(_span_set(tmp_path / "all-answerable")), settings, budget_s=60)
    assert not list(scorer_root(settings.data_dir).glob("v*"))

    # a tiny training run judges no better beyond chance; the gate's verdict is forced so promotion itself is exercised
    monkeypatch.setattr("bot.tuning.tune.better", lambda candidate, current: (True, 0.01))
    result = tune(pairs, ["qa"], eval_set, settings, budget_s=60)

    model = result.folder / "model"
    assert result.version == "v001" and (model / "config.json").is_file() and result.model_mb > 10
    assert result.training.pairs_seen == len(pairs) and not result.training.stopped_early
    assert result.current.scorer == "none" and result.candidate.scorer == "v001"
    for judged in (result.current, result.candidate):
        assert 0 <= judged.correct <= 1 and judged.calibration.answerable == 2 and judged.calibration.uncovered == 1
    meta = json.loads((result.folder / "meta.json").read_text())
    assert meta["training"]["data_hash"] == data_hash(pairs) and meta["training"]["pairs"] == len(pairs)
    assert meta["metrics"]["candidate"]["scorer"] == "v001" and meta["promoted"] is True and meta["mcnemar_p"] == 0.01
    assert promoted(settings.data_dir) == model  # current.json names it
    calibration = json.loads((settings.data_dir / "calibration.json").read_text())
    assert (
        calibration["confidence_version"] == f"{CONFIDENCE_VERSION}+v001"
        and calibration["abstain_threshold"] == result.candidate.threshold
    )

    # promoted: a new process (ANSWER_SCORER=auto) loads v001 and its threshold, and re-ranks quotes with it
    load_scorer.cache_clear()
    service = PolicyService(settings)
    assert service.scorer is not None and service.scorer.model_id == "v001"
    assert service.abstain_threshold == result.candidate.threshold
    indexed = PolicyService(eval_settings(settings, cache_dir(settings, eval_set)))  # the judged index, same scorer
    assert indexed.scorer is not None and indexed.scorer.model_id == "v001"
    answer = indexed.ask("How many days of annual leave do full-time employees accrue?")
    assert answer.kind in ("answer", "abstain") and len(indexed.scorer._cache) >= 2  # it scored the candidate quotes
    # an experiment variant tries a version before it is promoted (or turns the scorer off), at the threshold it was judged at
    without = PolicyService(eval_settings(settings, cache_dir(settings, eval_set)).model_copy(update={"answer_scorer": "off"}))
    shutil.copytree(result.folder, scorer_root(without.settings.data_dir) / "v001")
    assert without.scorer is None and without._scorer_for(AnswerOverrides()) == (None, without.abstain_threshold)
    tried, threshold = without._scorer_for(AnswerOverrides(answer_scorer="v001"))
    assert tried is not None and tried.model_id == "v001" and threshold == result.candidate.threshold
    assert without._scorer_for(AnswerOverrides(answer_scorer="v009"))[0] is None  # a version it lacks: logged, not fatal
    assert indexed._scorer_for(AnswerOverrides(answer_scorer="off")) == (None, settings.abstain_threshold)
    with pytest.raises(ValueError, match="answer_scorer"):
        VariantSettings(answer_scorer="latest")
    # a threshold calibrated without the scorer means something else: it is not applied to the scorer's confidences
    (settings.data_dir / "calibration.json").write_text(
        json.dumps({"abstain_threshold": 0.77, "confidence_version": CONFIDENCE_VERSION})
    )
    assert PolicyService(settings).abstain_threshold == result.candidate.threshold  # the threshold tune judged it at
    assert Settings(_env_file=None, answer_scorer=str(result.folder)).answer_scorer == str(result.folder)  # the version folder


def test_cli_names_what_is_wrong(tmp_path, monkeypatch):
    import bot.cli.tune  # noqa: F401  (registers `tune`)
    from bot.cli.app import app
    from bot.config import get_settings

    monkeypatch.setenv("POLICYBOT_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        missing = CliRunner().invoke(
            app, ["tune", "--train", str(tmp_path / "nope"), "--eval", str(tiny_dataset(tmp_path / "t"))]
        )
        monkeypatch.setenv("ANSWER_SCORER", str(tmp_path / "no-model"))
        get_settings.cache_clear()
        bad_setting = CliRunner().invoke(app, ["tune", "--train", str(tmp_path / "nope")])
    finally:
        get_settings.cache_clear()
    assert missing.exit_code == 1 and "nope" in missing.output
    assert bad_setting.exit_code == 2 and "ANSWER_SCORER" in bad_setting.output and "version folder" in bad_setting.output


def test_promotion_needs_more_than_one_lucky_question():
    from bot.eval.calibrate import Calibration
    from bot.tuning.judge import Judgement, better

    def judged(outcomes: dict[str, bool]) -> Judgement:
        share = sum(outcomes.values()) / len(outcomes)
        return Judgement("v", 0.4, share, share, 0.0, 0.0, 1.0, 1.0, Calibration(0.4, 0.05, 1, 1, [], "x"), outcomes)

    same = {f"q{i}": True for i in range(100)}
    assert better(judged(same), judged(same)) == (False, 1.0)
    ten_fixed = judged(same), judged({**same, **{f"q{i}": False for i in range(10)}})
    promoted, p = better(*ten_fixed)
    assert promoted and p < 0.01  # 10:0 among the questions they disagree on (exact binomial: 2 * 0.5**10)
    three_one = judged({**same, "q0": False}), judged({**same, **{f"q{i}": False for i in (1, 2, 3)}})
    assert three_one[0].correct > three_one[1].correct and better(*three_one) == (False, 0.625)
    assert not better(ten_fixed[1], ten_fixed[0])[0]  # worse is never promoted
