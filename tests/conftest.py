"""Shared fixtures: one real index of knowledge/ per test session (real model, real Chroma)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import Settings

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def kb_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """knowledge/ ingested once into a temporary data dir; treat it as read-only."""
    from bot.ingest.pipeline import run_ingest

    root = tmp_path_factory.mktemp("kb-shared")
    shutil.copytree(REPO / "knowledge", root / "knowledge", symlinks=True)
    settings = Settings(data_dir=root / "data", knowledge_dir=root / "knowledge", llm_model=None)
    run_ingest(settings)
    return settings
