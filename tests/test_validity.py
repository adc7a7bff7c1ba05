"""Which policy answers is decided on the day of the question, from the documents' dates."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.answer.service import PolicyService
from bot.config import Settings
from bot.ingest.pipeline import Ingestor
from bot.retrieval.embeddings import load_embeddings

CURRENT = """---
title: Remote Work Policy
effective_date: 2024-01-01
---
# Remote Work Policy

## Remote days

Employees may work remotely up to 3 days per week, agreed with their manager.
"""
SUCCESSOR = """---
title: Remote Work Policy 2027
effective_date: 2027-03-01
supersedes: remote-work.md
---
# Remote Work Policy 2027

## Remote days

Employees may work remotely up to 2 days per week, agreed with their manager.
"""
FUTURE = """---
title: Bicycle Scheme
effective_date: 2027-06-01
---
# Bicycle Scheme

## Bicycle loans

Employees can borrow up to 1,200 EUR interest-free to buy a bicycle for commuting.
"""
EXPIRING = """---
title: Winter Parking Trial
effective_date: 2026-01-01
expires: 2027-01-01
---
# Winter Parking Trial

## Parking permits

During the trial every employee gets a free parking permit for the north car park.
"""
QUESTION = "How many remote days per week are allowed right now?"


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> PolicyService:
    root = tmp_path_factory.mktemp("validity")
    folder = root / "kb"
    folder.mkdir()
    for name, text in {
        "remote-work.md": CURRENT,
        "remote-work-2027.md": SUCCESSOR,
        "bicycle.md": FUTURE,
        "parking-trial.md": EXPIRING,
    }.items():
        (folder / name).write_text(text)
    settings = Settings(data_dir=root / "data", knowledge_dir=folder, pii_enabled=False, llm_model=None)
    Ingestor(settings, embeddings=load_embeddings(None, 1, 16)).ingest_folder()
    return PolicyService(settings)


def _on(service: PolicyService, day: dt.date) -> PolicyService:
    service.today = lambda: day  # the injected clock: no re-ingest between the days
    return service


def test_the_rule_in_force_answers_until_the_successor_takes_effect(service):
    result = _on(service, dt.date(2026, 11, 29)).ask(QUESTION)
    assert "3 days per week" in result.answer and "2 days per week" not in result.answer
    assert {s.doc_id for s in result.sources} == {"remote-work.md"}
    assert "From 1 March 2027 this changes" in result.answer and "remote-work-2027.md" in result.answer


def test_the_successor_answers_from_its_effective_date(service):
    result = _on(service, dt.date(2027, 3, 1)).ask(QUESTION)
    assert "2 days per week" in result.answer and "3 days per week" not in result.answer
    assert {s.doc_id for s in result.sources} == {"remote-work-2027.md"}
    assert "changes" not in result.answer


def test_a_future_policy_without_predecessor_says_when_it_takes_effect(service):
    before = _on(service, dt.date(2026, 11, 29)).ask("How much can I borrow to buy a bicycle?")
    assert "1,200 EUR" in before.answer and "takes effect on 1 June 2027" in before.answer
    after = _on(service, dt.date(2027, 6, 1)).ask("How much can I borrow to buy a bicycle?")
    assert "1,200 EUR" in after.answer and "takes effect" not in after.answer


def test_an_expired_policy_is_not_retrieved(service):
    searcher = service._searcher()
    query = "free parking permit north car park"
    during = {h.doc.metadata["doc_id"] for h in searcher.search(query, 5, today=dt.date(2026, 12, 31)).hits}
    after = {h.doc.metadata["doc_id"] for h in searcher.search(query, 5, today=dt.date(2027, 1, 1)).hits}
    assert "parking-trial.md" in during and "parking-trial.md" not in after
