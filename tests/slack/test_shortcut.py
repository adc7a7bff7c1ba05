"""The message shortcut "Ask policybot about this message", over HTTP with the fake Slack."""

from __future__ import annotations

from bot.slack import ids
from tests.slack.conftest import RunningBot
from tests.slack.fake_slack import FakeSlack
from tests.slack.helpers import CHANNEL, OTHER, USER, posted_text


def test_shortcut_answers_the_message_privately_to_whoever_used_it(bot: RunningBot, fake_slack: FakeSlack) -> None:
    # Bob asked in a channel without mentioning the bot; Alice uses the shortcut on his message.
    message = fake_slack.seed(CHANNEL, {"user": OTHER, "text": "does anyone know how many days of annual leave we get?"})
    response = bot.send.shortcut(ids.ASK_SHORTCUT, user=USER, channel=CHANNEL, message=message)
    assert response.status_code == 200
    intro, answer = fake_slack.wait_for("chat.postMessage", 2)
    bot.settle()

    [opened] = fake_slack.calls_to("conversations.open")
    dm = intro["channel"]
    assert opened["users"] == USER and dm.startswith("D")
    assert answer["channel"] == dm and "25 days" in posted_text(answer)  # only Alice's DM, nothing in the channel
    assert not [c for c in fake_slack.calls_to("chat.postMessage") if c["channel"] == CHANNEL]
    record = bot.stores.answers.latest_for(USER, dm)
    assert record is not None and record.user == USER and record.private  # she can rate it; it is kept
    [entry] = bot.stores.audit.export()
    assert entry.user == USER and entry.decision == "answered"


def test_shortcut_on_a_message_without_text_gets_a_friendly_reply(bot: RunningBot, fake_slack: FakeSlack) -> None:
    message = fake_slack.seed(CHANNEL, {"user": OTHER, "text": ""})
    bot.send.shortcut(ids.ASK_SHORTCUT, user=USER, channel=CHANNEL, message=message)
    _, reply = fake_slack.wait_for("chat.postMessage", 2)
    bot.settle()
    assert "type a question" in posted_text(reply).lower()
