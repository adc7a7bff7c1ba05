"""One question workflow for every surface: the same sensitive question asked in Slack and with
`policybot ask` is handled the same way (private, with the confidential contacts) and audited once."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from bot.cli.app import app
from bot.config import get_settings
from bot.store.stores import Stores
from tests.slack.conftest import RunningBot
from tests.slack.fake_slack import FakeSlack
from tests.slack.helpers import CHANNEL, USER, ask, posted_text

SENSITIVE = "My manager keeps making comments about my body, what can I do?"
CONTACTS = "People Ops confidential line"


@pytest.fixture
def cli_env(settings, monkeypatch: pytest.MonkeyPatch):
    """`policybot` in this process, on the test's index and Redis prefix."""
    env = {
        "POLICYBOT_DATA_DIR": str(settings.data_dir),
        "KNOWLEDGE_DIR": str(settings.knowledge_dir),
        "REDIS_PREFIX": settings.redis_prefix,
        "REDIS_URL": settings.redis_url,
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()


def test_sensitive_question_in_slack_and_in_the_cli_is_private_with_contacts_and_audited_once(
    bot: RunningBot, fake_slack: FakeSlack, cli_env
) -> None:
    ask(bot.send, fake_slack, SENSITIVE)
    answer, note = fake_slack.wait_for("chat.postMessage", 2)
    bot.settle()
    assert answer["channel"].startswith("D") and CONTACTS in posted_text(answer)  # privately, with the contacts
    assert note["channel"] == CHANNEL and CONTACTS not in posted_text(note)
    [slack_entry] = bot.stores.audit.export()

    result = CliRunner().invoke(app, ["ask", SENSITIVE, "--user", USER, "--json"])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.output)
    assert cli["decision"] == "private" and CONTACTS in cli["contacts"]

    entries = Stores.from_settings(cli_env).audit.export()
    assert len(entries) == 2  # one per question, whichever surface
    cli_entry = next(e for e in entries if e.channel == "cli")
    assert slack_entry.decision == cli_entry.decision == "private"
    assert slack_entry.question == cli_entry.question and slack_entry.sources == cli_entry.sources


def test_cli_answers_are_recorded_like_slack_ones(cli_env) -> None:
    result = CliRunner().invoke(app, ["ask", "How many days of annual leave do I get?", "--user", "U42"])
    assert result.exit_code == 0 and "25" in result.output
    stores = Stores.from_settings(cli_env)
    [record] = stores.answers.recent(10)
    assert record.channel == "cli" and record.user == "U42" and record.kind == "answer"
    [entry] = stores.audit.export()
    assert entry.user == "U42" and entry.decision == "answered"


def test_a_sensitive_question_the_policies_do_not_answer_names_only_the_confidential_contacts(cli_env) -> None:
    """Not "Please ask in #security": the closest policy's team is the wrong place for a situation like this."""
    question = "a guy from sales keeps dming me at 1am asking what i'm wearing"
    result = CliRunner().invoke(app, ["ask", question, "--user", USER, "--json"])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.output)
    assert cli["kind"] == "abstain" and cli["decision"] == "private", cli
    assert "Please ask in" not in cli["answer"] and cli["ask_instead"] is None
    assert CONTACTS in cli["contacts"]
