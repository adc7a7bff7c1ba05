"""`policybot review ...` against real Redis: the card actions from a terminal, audited; verified
answers exported to YAML and imported back; a bad file is refused naming the file and field."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.config import get_settings
from bot.store.stores import Stores
from tests.review.conftest import review_item
from tests.slack.index import REDIS_URL


@pytest.fixture
def cli(prefix: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    for name, value in {"REDIS_URL": REDIS_URL, "REDIS_PREFIX": prefix, "PII_ENABLED": "false", "SLACK_BOT_TOKEN": ""}.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def run(cli: CliRunner, *args: str, code: int = 0) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def test_list_show_verify_dismiss_resolve(cli: CliRunner, stores: Stores) -> None:
    items = [review_item(), review_item("Do we have pet insurance?", sources=[]), review_item("Is lunch free?")]
    for item in items:
        stores.reviews.open(item)
    listed = run(cli, "review", "list")
    assert all(item.ref in listed for item in items)
    assert "Do we have pet insurance?" in run(cli, "review", "show", items[1].ref)

    run(cli, "review", "verify", items[0].ref, "--answer", "25 days a year.", "--question", "How much annual leave do I get?",
        "--reviewer", "alice")  # fmt: skip
    [verified] = stores.verified.all()
    assert verified.questions == [items[0].question, "How much annual leave do I get?"]
    assert [s.chunk_id for s in verified.sources] == ["annual-leave-3"] and verified.reviewer == "alice"
    run(cli, "review", "dismiss", items[1].ref, "--reviewer", "alice")
    run(cli, "review", "resolve", items[2].ref, "--as", "policy-update", "--reviewer", "bob")
    assert [stores.reviews.get(i.ref).state for i in items] == ["verified", "not_policy", "policy_update"]
    audited = [(e.user, e.action, e.channel) for e in stores.audit.export() if e.decision == "reviewed"]
    assert audited == [("alice", "verify", "cli"), ("alice", "not_policy", "cli"), ("bob", "policy_update", "cli")]
    assert items[0].ref not in run(cli, "review", "list") and items[2].ref in run(cli, "review", "list")


def test_verify_refuses_a_source_the_answer_did_not_cite(cli: CliRunner, stores: Stores) -> None:
    item = review_item()
    stores.reviews.open(item)
    output = run(cli, "review", "verify", item.ref, "--answer", "x", "--source", "other-chunk", code=2)
    assert "other-chunk" in output and stores.verified.all() == []
    assert "no review" in run(cli, "review", "show", "CNOPE:1.2", code=1)


def test_suggested_paraphrases_are_listed_and_added(cli: CliRunner, stores: Stores) -> None:
    from bot.review.paraphrases import suggest

    item = review_item()
    stores.reviews.open(item)
    run(cli, "review", "verify", item.ref, "--answer", "25 days a year.")
    [verified] = stores.verified.all()
    assert suggest(stores, verified.id, "How much holiday do I get annually?") is not None
    assert suggest(stores, verified.id, "How much holiday do I get annually?") is None, "suggested once"
    assert suggest(stores, verified.id, item.question) is None, "already one of its questions"
    listed = run(cli, "review", "paraphrases")
    key = listed.split()[0]
    assert key.startswith(verified.id + "|") and "How much holiday do I get annually?" in listed
    assert "has no suggestion 'nope'" in run(cli, "review", "paraphrases", "--add", verified.id + "|nope", code=2)
    assert "expected VERIFIED_ID|KEY" in run(cli, "review", "paraphrases", "--add", "", code=2)
    assert "expected VERIFIED_ID|KEY" in run(cli, "review", "paraphrases", "--add", verified.id, code=2)
    assert "no verified answer 'nope'" in run(cli, "review", "paraphrases", "--add", "nope|" + key.split("|")[1], code=2)
    run(cli, "review", "paraphrases", "--add", key, "--reviewer", "alice")
    assert "already added" in run(cli, "review", "paraphrases", "--add", key, code=2)
    [added] = stores.verified.all()
    assert added.questions == [item.question, "How much holiday do I get annually?"] and added.suggested == []
    assert (stores.audit.export()[-1].user, stores.audit.export()[-1].action) == ("alice", "paraphrase")
    assert "No suggested paraphrases." in run(cli, "review", "paraphrases")


def test_export_then_import_round_trips(cli: CliRunner, stores: Stores, tmp_path) -> None:
    item = review_item()
    stores.reviews.open(item)
    run(cli, "review", "verify", item.ref, "--answer", "25 days a year.")
    [before] = stores.verified.all()
    path = tmp_path / "verified.yaml"
    run(cli, "review", "export", str(path))
    stores.verified.delete(before.id)
    assert stores.verified.all() == []
    run(cli, "review", "import", str(path))
    assert stores.verified.all() == [before]


def test_import_of_a_bad_file_names_it_and_loads_nothing(cli: CliRunner, stores: Stores, tmp_path) -> None:
    path = tmp_path / "verified.yaml"
    path.write_text(
        "verified:\n  - questions: ['ok']\n    answer: fine\n    reviewer: a\n  - questions: ['no answer']\n    reviewer: b\n"
    )
    output = run(cli, "review", "import", str(path), code=2)
    assert str(path) in output.replace("\n", "") and "verified.1.answer" in output.replace("\n", "")
    assert stores.verified.all() == []
