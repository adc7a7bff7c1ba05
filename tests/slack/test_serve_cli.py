"""`policybot serve` startup errors name the missing or rejected variable, without a traceback."""

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.config import get_settings
from tests.slack.fake_slack import TOKEN, FakeSlack
from tests.slack.slack_http import SECRET


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, fake_slack: FakeSlack, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_API_URL", fake_slack.api_url)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("variables", "args", "missing"),
    [
        ({}, [], "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": TOKEN}, [], "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET}, ["--socket"], "SLACK_APP_TOKEN"),
    ],
)
def test_missing_variable_is_named(env, variables: dict, args: list, missing: str) -> None:
    for name, value in variables.items():
        env.setenv(name, value)
    result = CliRunner().invoke(app, ["serve", *args])
    assert result.exit_code == 2
    assert f"{missing} is not set" in result.output
    assert "Traceback" not in result.output


def test_rejected_token_is_named(env) -> None:
    env.setenv("SLACK_BOT_TOKEN", "xoxb-wrong")
    env.setenv("SLACK_SIGNING_SECRET", SECRET)
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2 and "SLACK_BOT_TOKEN was rejected by Slack (invalid_auth)" in result.output


def test_unreachable_slack_is_named(env) -> None:
    env.setenv("SLACK_BOT_TOKEN", TOKEN)
    env.setenv("SLACK_SIGNING_SECRET", SECRET)
    env.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")  # nothing listens on the discard port
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2 and "cannot reach Slack at SLACK_API_URL=http://127.0.0.1:9/api/" in result.output


def test_a_missing_token_fails_before_the_model_or_the_index_load(env) -> None:
    import sys

    for module in [m for m in sys.modules if m.startswith(("bot.slack.app", "bot.answer", "sentence_transformers"))]:
        env.delitem(sys.modules, module)  # as in a fresh process
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2 and "SLACK_BOT_TOKEN is not set" in result.output
    assert "bot.answer.service" not in sys.modules and "bot.slack.app" not in sys.modules
