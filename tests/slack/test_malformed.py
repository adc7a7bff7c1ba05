"""Malformed requests get a 4xx (never a 500), one log line each, and the bot keeps serving."""

import json
import logging
import random
from urllib.parse import quote

import pytest

from tests.slack.conftest import RunningBot
from tests.slack.fake_slack import FakeSlack
from tests.slack.helpers import CHANNEL, ask

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def _callback(event: object) -> str:
    return json.dumps({"type": "event_callback", "team_id": "T1", "event_id": "EvBAD", "event": event})


MALFORMED: dict[str, tuple[bytes | str, str]] = {
    "invalid JSON": ('{"type": "event_callback", "event": {', JSON),
    "JSON null": ("null", JSON),
    "JSON array": ('[{"type": "event_callback"}]', JSON),
    "JSON number": ("42", JSON),
    "JSON string": ('"event_callback"', JSON),
    "event null": (_callback(None), JSON),
    "event string": (_callback("app_mention"), JSON),
    "JSON object without type": ('{"event": {}}', JSON),
    "form that is not Slack's": ("name=alice&age=&&=%zz", FORM),
    "form payload not JSON": ("payload=%7Bnot-json", FORM),
    "form payload array": ("payload=%5B1%2C2%5D", FORM),
    "event fields of the wrong type": (_callback({"type": "message", "channel": 5, "user": ["U1"], "ts": None}), JSON),
    "a mention without a channel": (_callback({"type": "app_mention", "user": "U1", "text": "hi", "ts": "1.2"}), JSON),
    "authorizations [null]": ('{"type": "event_callback", "authorizations": [null], "event": {"type": "message"}}', JSON),
    "actions null": ('{"type": "block_actions", "actions": null, "user": null}', JSON),
    "view null": ('{"type": "view_submission", "view": null}', JSON),
    "an action without action_id": ("payload=" + quote('{"type": "block_actions", "actions": [{}]}'), FORM),
    "invalid UTF-8": (b'{"type": "event_callback", "text": "\xff\xfe\xc3"}', JSON),
    "deep nesting": ("[" * 100_000 + "]" * 100_000, JSON),
    "deep nesting in an object": ('{"type": "event_callback", "event": ' + '{"a": ' * 50_000 + "1" + "}" * 50_001, JSON),
    "a megabyte of random bytes": (random.Random(9).randbytes(1_000_000), "application/octet-stream"),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_signed_request_is_a_400(bot: RunningBot, name: str) -> None:
    body, content_type = MALFORMED[name]
    response = bot.send.post(body, content_type)
    assert response.status_code == 400, response.text


@pytest.mark.parametrize("name", MALFORMED)
def test_unsigned_request_is_a_401_whatever_its_body(bot: RunningBot, name: str) -> None:
    body, content_type = MALFORMED[name]
    assert bot.send.http.post("/slack/events", content=body, headers={"Content-Type": content_type}).status_code == 401


@pytest.mark.parametrize("timestamp", ["abc", "", "1e9", "-5", "12.5", "0x10"])
def test_non_numeric_timestamp_is_a_401(bot: RunningBot, timestamp: str) -> None:
    assert bot.send.post(_callback({"type": "app_mention"}), JSON, timestamp=timestamp).status_code == 401


def test_one_line_per_rejection_no_traceback_and_still_serving(
    bot: RunningBot, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    for body, content_type in MALFORMED.values():
        assert bot.send.post(body, content_type).status_code == 400
    assert bot.send.post("{}", JSON, timestamp="abc").status_code == 401
    rejected = [r for r in caplog.records if r.name == "bot.slack.web"]
    assert len(rejected) == len(MALFORMED) + 1
    assert all("\n" not in r.getMessage() for r in rejected)
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]

    question = ask(bot.send, fake_slack)
    reply = fake_slack.wait_for("chat.postMessage")[0]
    assert reply["channel"] == CHANNEL and reply["thread_ts"] == question["ts"]
