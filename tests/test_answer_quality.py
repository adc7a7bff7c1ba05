"""Quotes that answer (not only resemble) the question, abstention on uncovered topics, calibration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.answer.calibration import CONFIDENCE_VERSION, calibrated_threshold
from bot.answer.service import PolicyService
from bot.config import Settings
from bot.eval.calibrate import SweepRow, calibrate, choose, sweep, write_calibration
from bot.eval.dataset import load_dataset


@pytest.fixture(scope="module")
def service(kb_settings: Settings) -> PolicyService:
    return PolicyService(kb_settings)


def test_city_without_a_row_gets_the_other_cities_row_not_new_york(service):
    result = service.ask("per diem for hotel and food in Denver")
    assert "Other US cities" in result.answer and "Lodging cap per night: 200" in result.answer
    assert "New York" not in result.answer


def test_row_whose_key_names_the_thing_asked_leads(service):
    result = service.ask("are books covered by the learning budget?")
    assert result.answer.startswith("> Expense: Books and e-books")


def test_general_rule_leads_when_no_special_case_is_asked(service):
    """The README's demo: the 25-day allowance, not the long-service extra days, comes first."""
    assert service.ask("How many days of annual leave do I get?").answer.startswith("> Full-time employees accrue 25 days")


def test_length_of_service_picks_the_row_whose_span_holds_it(service):
    result = service.ask("if I resign after 3 years how much notice do I give")
    assert result.answer.startswith("> Length of service: 2 years to less than 5 years · Notice period: 6 weeks")


def test_shared_words_without_the_key_word_abstain(service):
    """The floating-holiday and replacement-day sentences share "days off" but say nothing about birthdays."""
    birthday = service.ask("do we get extra days off on our birthday?")
    floating = service.ask("how many floating holidays do we get?")
    assert birthday.abstained and not floating.abstained and "2 floating holidays" in floating.answer
    assert birthday.confidence < floating.confidence


def test_negated_rule_is_quoted_for_a_negated_question(service):
    result = service.ask("should I turn off my laptop if I think it has malware")
    assert "disconnect it from the network" in result.answer


def test_sweep_and_choice_keep_false_abstention_within_the_bound():
    table = sweep(answerable=[0.3, 0.5, 0.6, 0.7], uncovered=[0.2, 0.35, 0.55], step=0.05)
    assert table[0] == SweepRow(0.0, 0.0, 0.0) and table[-1].abstention_uncovered == 1.0
    assert choose(table, max_false_abstention=0.0) == pytest.approx(0.3)  # best run: 0.25, 0.3 (t <= 0.3 keeps 0.3 answered)
    assert choose(table, max_false_abstention=0.25) == pytest.approx(0.45)  # middle of 0.4, 0.45, 0.5: 2 of 3 uncovered


def test_calibration_file_is_used_and_a_stale_one_ignored(tmp_path):
    settings = Settings(data_dir=tmp_path, llm_model=None)
    assert calibrated_threshold(settings) == settings.abstain_threshold
    (tmp_path / "calibration.json").write_text(json.dumps({"abstain_threshold": 0.61, "confidence_version": CONFIDENCE_VERSION}))
    assert calibrated_threshold(settings) == 0.61 and PolicyService(settings).abstain_threshold == 0.61
    (tmp_path / "calibration.json").write_text(json.dumps({"abstain_threshold": 0.61, "confidence_version": "old"}))
    assert calibrated_threshold(settings) == settings.abstain_threshold
    (tmp_path / "calibration.json").write_text("{not json")
    assert calibrated_threshold(settings) == settings.abstain_threshold


def _tiny_dataset(root: Path) -> Path:
    docs = [
        ("leave", "Annual leave", "Full-time employees accrue 25 days of paid annual leave per calendar year."),
        ("card", "Corporate card", "Report a lost corporate card to cards@example.com within 24 hours."),
    ]
    queries = [("q1", "how many vacation days do I get?", True), ("q2", "I lost my company card, who do I tell?", True)]
    queries += [("q3", "can I bring my parrot to work?", False), ("q4", "is there a rooftop garden?", False)]
    root.mkdir()
    (root / "corpus.jsonl").write_text("".join(json.dumps({"_id": i, "title": t, "text": x}) + "\n" for i, t, x in docs))
    (root / "queries.jsonl").write_text("".join(json.dumps({"_id": i, "text": t}) + "\n" for i, t, _ in queries))
    (root / "answers.jsonl").write_text("".join(json.dumps({"query-id": i, "answerable": a}) + "\n" for i, _, a in queries))
    return root


def test_calibrate_end_to_end_writes_the_threshold_the_service_then_uses(tmp_path):
    dataset = load_dataset(_tiny_dataset(tmp_path / "labelled"))
    settings = Settings(data_dir=tmp_path / "data", llm_model=None)
    result = calibrate(dataset, settings, max_false_abstention=0.0)
    assert (result.answerable, result.uncovered) == (2, 2) and len(result.table) == 201
    path = write_calibration(result, settings, dataset)
    saved = json.loads(path.read_text())
    assert saved["abstain_threshold"] == result.abstain_threshold and saved["confidence_version"] == CONFIDENCE_VERSION
    assert PolicyService(settings).abstain_threshold == result.abstain_threshold


def test_calibrate_needs_both_kinds_of_labels(tmp_path):
    root = _tiny_dataset(tmp_path / "labelled")
    (root / "answers.jsonl").write_text(json.dumps({"query-id": "q1", "answerable": True}) + "\n")
    with pytest.raises(ValueError, match=r"answers\.jsonl"):
        calibrate(load_dataset(root), Settings(data_dir=tmp_path / "data", llm_model=None))
