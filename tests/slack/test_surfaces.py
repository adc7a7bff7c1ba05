"""App Home, the assistant panel, and the manifest matching what is registered."""

from pathlib import Path

import yaml

from bot.company import load_company
from bot.slack import ids
from bot.slack.listeners import EVENTS
from tests.slack.conftest import RunningBot
from tests.slack.fake_slack import FakeSlack
from tests.slack.helpers import DM, USER, posted_text
from tests.slack.slack_http import message

REPLIES = load_company(Path(__file__).resolve().parents[2] / "knowledge/company.yaml").replies
GREETING = REPLIES.assistant_greeting
SUGGESTED_PROMPTS = [p.model_dump() for p in REPLIES.suggested_prompts]

MANIFEST = yaml.safe_load((Path(__file__).resolve().parents[2] / "manifest.yml").read_text())


def test_app_home_is_published(bot: RunningBot, fake_slack: FakeSlack) -> None:
    bot.send.event({"type": "app_home_opened", "user": USER, "channel": DM, "tab": "home", "event_ts": "1.0"})
    [publish] = fake_slack.wait_for("views.publish")
    assert publish["user_id"] == USER and publish["view"]["callback_id"] == ids.HOME_VIEW


def test_assistant_thread_start_greets_with_suggested_prompts(bot: RunningBot, fake_slack: FakeSlack) -> None:
    thread_ts = fake_slack.new_ts()
    bot.send.event(
        {
            "type": "assistant_thread_started",
            "event_ts": thread_ts,
            "assistant_thread": {"user_id": USER, "channel_id": DM, "thread_ts": thread_ts, "context": {}},
        }
    )
    [greeting] = fake_slack.wait_for("chat.postMessage")
    [prompts] = fake_slack.wait_for("assistant.threads.setSuggestedPrompts")
    assert greeting["channel"] == DM and greeting["thread_ts"] == thread_ts and greeting["text"] == GREETING
    assert prompts["prompts"] == SUGGESTED_PROMPTS


def test_assistant_question_shows_status_then_answers(bot: RunningBot, fake_slack: FakeSlack) -> None:
    root = fake_slack.seed(DM, {"user": USER, "text": "(assistant thread)"})
    question = fake_slack.seed(DM, {"user": USER, "text": "How much sick leave do I get?", "thread_ts": root["ts"]})
    bot.send.event(message(DM, USER, question["text"], question["ts"], channel_type="im", thread_ts=root["ts"]))
    [answer] = fake_slack.wait_for("chat.postMessage")
    bot.settle()
    statuses = [c["status"] for c in fake_slack.calls_to("assistant.threads.setStatus")]
    assert statuses == [ids.ASSISTANT_STATUS, ""]
    assert answer["thread_ts"] == root["ts"] and "Sick Leave" in posted_text(answer)
    assert fake_slack.calls_to("reactions.add") == []


def test_dm_thread_outside_the_assistant_falls_back_to_eyes(bot: RunningBot, fake_slack: FakeSlack) -> None:
    fake_slack.fail("assistant.threads.setStatus", "invalid_thread", times=1)
    root = fake_slack.seed(DM, {"user": USER, "text": "hi"})
    question = fake_slack.seed(DM, {"user": USER, "text": "How much sick leave do I get?", "thread_ts": root["ts"]})
    bot.send.event(message(DM, USER, question["text"], question["ts"], channel_type="im", thread_ts=root["ts"]))
    fake_slack.wait_for("chat.postMessage")
    bot.settle()
    assert [c["name"] for c in fake_slack.calls_to("reactions.add")] == ["eyes"]
    assert [c["name"] for c in fake_slack.calls_to("reactions.remove")] == ["eyes"]


def test_manifest_subscribes_exactly_the_registered_events() -> None:
    assert sorted(MANIFEST["settings"]["event_subscriptions"]["bot_events"]) == EVENTS


def test_manifest_declares_the_command_assistant_and_home() -> None:
    features = MANIFEST["features"]
    assert [c["command"] for c in features["slash_commands"]] == [ids.SOURCES_COMMAND]
    assert [(s["type"], s["callback_id"]) for s in features["shortcuts"]] == [("message", ids.ASK_SHORTCUT)]
    assert features["assistant_view"]["suggested_prompts"] == SUGGESTED_PROMPTS
    assert features["app_home"]["home_tab_enabled"] and features["app_home"]["messages_tab_enabled"]
    assert "assistant:write" in MANIFEST["oauth_config"]["scopes"]["bot"]
    assert MANIFEST["settings"]["socket_mode_enabled"] is False
