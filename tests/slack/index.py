"""The session's index of knowledge/ (plus the announcement fixture), ingested once.

A module of its own so the memo is shared: pytest imports tests/slack/conftest.py under one name
while tests/governance/conftest.py imports it as `tests.slack.conftest`; both reach this module.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import Settings
from bot.ingest.pipeline import run_ingest
from tests.slack.fake_slack import TOKEN
from tests.slack.slack_http import SECRET

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
REDIS_URL = "redis://127.0.0.1:6379/14"
_INGESTED: dict[str, Settings] = {}


def ingest_once(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    if "base" not in _INGESTED:
        root = tmp_path_factory.mktemp("policybot")
        knowledge = root / "knowledge"
        shutil.copytree(REPO / "knowledge", knowledge, symlinks=True)
        shutil.copy(FIXTURES / "it-maintenance-announcements.md", knowledge / "it")
        settings = Settings(
            data_dir=root / "data",
            knowledge_dir=knowledge,
            redis_url=REDIS_URL,
            slack_bot_token=TOKEN,
            slack_signing_secret=SECRET,
            slack_app_token=None,
            llm_model=None,
            slack_workers=4,
        )
        run_ingest(settings)
        _INGESTED["base"] = settings
    return _INGESTED["base"]
