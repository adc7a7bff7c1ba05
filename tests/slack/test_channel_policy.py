"""Per-channel policy (CHANNELS_FILE): validated at start-up, looked up once per question."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.channels import ChannelPolicies
from bot.cli import app
from bot.config import get_settings
from bot.yaml_config import ConfigFileError
from tests.slack.conftest import RunningBot
from tests.slack.fake_slack import FakeSlack
from tests.slack.helpers import CHANNEL, USER, ask, posted_text
from tests.slack.slack_http import message

ASK_CHANNEL = "CASKPOLICY"
QUIET_CHANNEL = "CRANDOM"


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "channels.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("channels:\n  C1:\n    visiblity: thread\n", "channels.C1.visiblity: Extra inputs are not permitted"),
        ("channels:\n  C1:\n    visibility: loud\n", "channels.C1.visibility: Input should be 'thread' or 'ephemeral'"),
        ("default:\n  enabled: maybe\n", "default.enabled: Input should be a valid boolean"),
        ("channels: [C1]\n", "channels: Input should be a valid dictionary"),
        ("channels:\n  C1: {audiences: [managers\n", "not valid YAML"),
    ],
)
def test_a_broken_file_is_refused_naming_file_channel_and_key(tmp_path: Path, text: str, expected: str) -> None:
    path = _file(tmp_path, text)
    with pytest.raises(ConfigFileError) as caught:
        ChannelPolicies.load(path)
    assert str(caught.value).startswith(f"{path}: ") and expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_channel_keys_override_the_default_and_channel_audiences_still_work(tmp_path: Path) -> None:
    path = _file(tmp_path, "default:\n  contact_channel: '#help'\nchannels:\n  C1:\n    answer_without_mention: true\n")
    policies = ChannelPolicies.load(path, {"C1": ["managers"], "C2": ["people-ops"]})  # CHANNEL_AUDIENCES
    c1, c2, other = policies.policy("C1"), policies.policy("C2"), policies.policy("C3")
    assert c1.answer_without_mention and c1.contact_channel == "#help" and c1.audiences == ["managers"]
    assert c2.audiences == ["people-ops"] and not c2.answer_without_mention
    assert other == policies.default and other.audiences == []


def test_every_command_refuses_to_start_on_a_broken_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHANNELS_FILE", str(_file(tmp_path, "channels:\n  C1:\n    visibility: loud\n")))
    get_settings.cache_clear()
    try:
        for command in (["ask", "hi"], ["serve"]):
            result = CliRunner().invoke(app, command)
            assert result.exit_code == 2 and "channels.C1.visibility" in result.output
            assert "Traceback" not in result.output
    finally:
        get_settings.cache_clear()


def test_a_setting_that_moved_to_a_file_is_refused_with_where_it_lives_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANSWER_THREAD_FOLLOWUPS", "false")
    monkeypatch.setenv("FALLBACK_CHANNEL", "#help")
    result = CliRunner().invoke(app, ["ask", "hi"])
    assert result.exit_code == 2
    assert "ANSWER_THREAD_FOLLOWUPS is no longer read: set default.answer_followups in the channel policy file" in result.output
    assert "FALLBACK_CHANNEL is no longer read: set contacts.fallback_channel in the company profile" in result.output


@pytest.fixture
def policy_bot(start_bot, tmp_path: Path) -> RunningBot:
    path = _file(
        tmp_path,
        f"default:\n  contact_channel: '#ask-here'\n"
        f"channels:\n"
        f"  {ASK_CHANNEL}:\n    answer_without_mention: true\n"
        f"  {QUIET_CHANNEL}:\n    enabled: false\n"
        f"  {CHANNEL}:\n    visibility: ephemeral\n",
    )
    return start_bot(channels_file=path)


def test_an_ask_channel_answers_top_level_messages_without_a_mention(policy_bot: RunningBot, fake_slack: FakeSlack) -> None:
    question = ask(policy_bot.send, fake_slack, "How many days of annual leave do I get?", channel=ASK_CHANNEL, at_bot=False)
    [answer] = fake_slack.wait_for("chat.postMessage")
    policy_bot.settle()
    assert answer["channel"] == ASK_CHANNEL and answer["thread_ts"] == question["ts"] and "25" in posted_text(answer)


def test_a_disabled_channel_gets_a_note_only_the_asker_sees(policy_bot: RunningBot, fake_slack: FakeSlack) -> None:
    ask(policy_bot.send, fake_slack, "How many days of annual leave do I get?", channel=QUIET_CHANNEL)
    [note] = fake_slack.wait_for("chat.postEphemeral")
    root = fake_slack.seed(QUIET_CHANNEL, {"user": USER, "text": "anyone?"})
    policy_bot.send.event(message(QUIET_CHANNEL, USER, "how much leave?", fake_slack.new_ts(), thread_ts=root["ts"]))
    policy_bot.settle()
    assert note["user"] == USER and "direct message" in note["text"]
    assert fake_slack.calls_to("chat.postMessage") == []


def test_ephemeral_visibility_and_the_channel_contact(policy_bot: RunningBot, fake_slack: FakeSlack) -> None:
    ask(policy_bot.send, fake_slack, "Does the company rent out party tents for weddings?")
    [abstention] = fake_slack.wait_for("chat.postEphemeral")
    policy_bot.settle()
    assert abstention["channel"] == CHANNEL and abstention["user"] == USER
    assert "#ask-here" in abstention["text"]  # the channel's contact, not the company fallback
    assert fake_slack.calls_to("chat.postMessage") == []


def test_a_bad_setting_or_a_missing_company_file_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    get_settings.cache_clear()
    monkeypatch.setenv("ABSTAIN_THRESHOLD", "abc")
    result = CliRunner().invoke(app, ["feedback", "stats"])
    assert result.exit_code == 2 and "ABSTAIN_THRESHOLD" in result.output and "Traceback" not in result.output
    monkeypatch.delenv("ABSTAIN_THRESHOLD")
    get_settings.cache_clear()
    monkeypatch.setenv("COMPANY_FILE", str(tmp_path / "nope.yaml"))
    result = CliRunner().invoke(app, ["ask", "hi"])
    get_settings.cache_clear()
    assert result.exit_code == 2 and "nope.yaml: no such file" in result.output
