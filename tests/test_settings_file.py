"""`.env.example` documents every infrastructure setting, and only those."""

from __future__ import annotations

import re
from pathlib import Path

from bot.config import MOVED_SETTINGS, Settings

REPO = Path(__file__).resolve().parents[1]


def test_env_example_lists_exactly_the_settings() -> None:
    listed = set(re.findall(r"^# ([A-Z][A-Z0-9_]+)=", (REPO / ".env.example").read_text(), re.MULTILINE))
    expected = {"POLICYBOT_DATA_DIR" if name == "data_dir" else name.upper() for name in Settings.model_fields}
    assert listed == expected
    assert not listed & set(MOVED_SETTINGS)
