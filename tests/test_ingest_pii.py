"""Issue 13 items 2 and 8 at ingest: names masked out of the box (spaCy NER, a dependency), business
data kept, every masked span reviewable without its value, and no ingest without a names source."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.app import app
from bot.config import Settings, get_settings
from bot.ingest.pipeline import Ingestor, NoNamesSource, masked_spans
from bot.retrieval.embeddings import load_embeddings
from bot.retrieval.vectorstore import open_collection

REPO = Path(__file__).resolve().parents[1]

MILEAGE_DOC = """---
title: "Mileage and Insurance"
owner: {team: "Finance", channel: "#ask-finance"}
effective_date: 2025-01-01
audience: everyone
---

# Mileage and Insurance

## 1. Mileage rate

From 01.07.2025 the mileage rate for private cars is 0.45 EUR per km. Claims go to cost centre 4410 2200 33.

## 2. Group insurance

The group insurance policy number is 4471 2290 1183 (claim reference CLM-2025-004417). Our account manager at
the insurer is Halvard Quennell (halvard.quennell@insurer.example, mobile +1 312 555 0143); write to
benefits@northwind.example first.
"""
PERSONAL = ["Halvard Quennell", "halvard.quennell@insurer.example", "+1 312 555 0143"]
BUSINESS = ["01.07.2025", "4410 2200 33", "4471 2290 1183", "CLM-2025-004417", "benefits@northwind.example"]


@pytest.fixture(autouse=True)
def fresh_cli_settings():
    """The CLI reads settings from the environment each test sets."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def model():
    return load_embeddings(None, 1, 16)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "mileage.md").write_text(MILEAGE_DOC, encoding="utf-8")
    shutil.copy(REPO / "knowledge/company.yaml", folder)  # the company's allow-list (role mailboxes)
    return folder


def _indexed_text(settings: Settings, model) -> str:
    return " ".join(open_collection(settings).get(include=["documents"])["documents"])


def test_default_settings_mask_names_keep_business_data_and_log_spans(tmp_path, model, caplog) -> None:
    caplog.set_level("INFO", logger="bot.ingest")
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=_folder(tmp_path))  # README default: no names file
    report = Ingestor(settings, embeddings=model).ingest_folder()

    text = _indexed_text(settings, model)
    assert [v for v in PERSONAL if v in text] == []
    assert [v for v in BUSINESS if v not in text] == []
    assert "<PERSON>" in text and "<EMAIL>" in text and "<PHONE>" in text

    assert sorted(r["type"] for r in report.masked) == ["EMAIL_ADDRESS", "PERSON", "PHONE_NUMBER"]
    assert {r["doc"] for r in report.masked} == {"mileage.md"}
    assert masked_spans(settings) == report.masked  # recorded in the registry for later review
    logs = "\n".join(r.getMessage() for r in caplog.records)
    assert "masked PERSON in mileage.md" in logs and [v for v in PERSONAL if v in logs] == []

    # `ingest --show-masked` lists them (also for unchanged documents), never their values
    env = {"POLICYBOT_DATA_DIR": str(settings.data_dir), "KNOWLEDGE_DIR": str(settings.knowledge_dir)}
    shown = CliRunner().invoke(app, ["ingest", "--show-masked", "--json"], env=env)
    assert shown.exit_code == 0, shown.output
    rows = json.loads(shown.stdout)["masked_all"]
    assert rows == report.masked
    assert [v for v in PERSONAL if v in shown.stdout] == []
    table = CliRunner().invoke(app, ["ingest", "--show-masked"], env=env)
    assert "PHONE_NUMBER" in table.stdout and "mileage.md" in table.stdout and "+1 312" not in table.stdout


def test_ingest_refuses_without_any_names_source(tmp_path, model) -> None:
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=_folder(tmp_path), spacy_model="", pii_names_file=None)
    with pytest.raises(NoNamesSource, match="PII_NAMES_FILE"):
        Ingestor(settings, embeddings=model)
    env = {"POLICYBOT_DATA_DIR": str(settings.data_dir), "KNOWLEDGE_DIR": str(settings.knowledge_dir), "SPACY_MODEL": ""}
    result = CliRunner().invoke(app, ["ingest"], env=env)
    assert result.exit_code == 1 and "ingestion refused" in result.output
    missing = settings.model_copy(update={"spacy_model": "no_such_spacy_model"})
    with pytest.raises(NoNamesSource, match="not installed"):
        Ingestor(missing, embeddings=model)
    assert not (settings.data_dir / "chroma").exists()  # nothing was indexed


def test_sample_knowledge_names_masked_by_default(kb_settings: Settings, model) -> None:
    """README's commands on knowledge/: the broker's and the advisor's names never reach the index."""
    text = _indexed_text(kb_settings, model)
    assert "Daniel Whitaker" not in text and "Maria Gonzalez" not in text
    assert "benefits@northwind.example" in text and "confidential-advisors@northwind.example" in text
    assert "People Ops" in text and "Navan" in text and "Meridian Assist" in text
