"""Relative settings mean the project's folders whichever folder a command runs from."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bot.config import Settings, get_settings

REPO = Path(__file__).resolve().parents[1]


def test_relative_paths_are_taken_from_the_project_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = Settings(_env_file=None)
    assert settings.data_dir == REPO / ".policybot" and settings.knowledge_dir == REPO / "knowledge"
    assert Settings(_env_file=None, data_dir=tmp_path / "abs").data_dir == tmp_path / "abs"


def test_ask_from_another_folder_creates_nothing_and_names_the_folder_it_used(tmp_path, monkeypatch):
    from bot.cli.app import app

    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    env = {"POLICYBOT_DATA_DIR": f"no-such-index-{tmp_path.name}", "PII_SLACK_DIRECTORY": "false"}
    try:
        result = CliRunner().invoke(app, ["ask", "How many days of annual leave do I get?", "--json"], env=env)
    finally:
        get_settings.cache_clear()
    expected = REPO / env["POLICYBOT_DATA_DIR"]
    assert result.exit_code == 0, result.output
    assert list(tmp_path.iterdir()) == [], "a read-only command must not create a data folder"
    assert not expected.exists()
    assert f"looked in {expected}" in result.stdout.replace("\n", "")
