"""Answer once: Slack retries, duplicate deliveries, two app instances, app_mention + message."""

from bot.store.keys import Keys
from tests.slack.conftest import RunningBot
from tests.slack.fake_slack import BOT_ID, BOT_USER, FakeSlack
from tests.slack.helpers import CHANNEL, DM, QUESTION, USER, ask
from tests.slack.slack_http import mention, message


def _mention(fake: FakeSlack) -> dict:
    seeded = fake.seed(CHANNEL, {"user": USER, "text": f"<@{BOT_USER}> {QUESTION}"})
    return mention(CHANNEL, USER, seeded["text"], seeded["ts"])


def _event_state(bot: RunningBot, event_id: str) -> str | None:
    return bot.stores.redis.get(Keys(bot.slack.deps.settings.redis_prefix).event(event_id))


def test_same_event_twice_and_a_retry_answer_once(bot: RunningBot, fake_slack: FakeSlack) -> None:
    event = _mention(fake_slack)
    bot.send.event(event, event_id="EvTWICE")
    bot.send.event(event, event_id="EvTWICE")
    bot.send.event(event, event_id="EvTWICE", retry=1)
    bot.settle()
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    assert _event_state(bot, "EvTWICE") == "done"


def test_two_instances_sharing_redis_answer_once(start_bot, fake_slack: FakeSlack) -> None:
    first, second = start_bot(), start_bot()
    event = _mention(fake_slack)
    first.send.event(event, event_id="EvSHARED")
    second.send.event(event, event_id="EvSHARED", retry=1)
    # the same question delivered under a different event id (as app_mention + message do)
    second.send.event(event, event_id="EvSHARED-2")
    first.settle()
    second.settle()
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    assert _event_state(first, "EvSHARED") == _event_state(first, "EvSHARED-2") == "done"


def test_retry_of_an_event_that_posted_nothing_is_answered(bot: RunningBot, fake_slack: FakeSlack) -> None:
    fake_slack.fail("chat.postMessage", "fatal_error", times=2)  # the answer and the apology
    event = _mention(fake_slack)
    bot.send.event(event, event_id="EvLOST")
    bot.settle()
    assert _event_state(bot, "EvLOST") is None  # released: nothing was posted

    bot.send.event(event, event_id="EvLOST", retry=1)
    bot.settle()
    posted = [c for c in fake_slack.threads[(CHANNEL, event["ts"])] if c.get("bot_id")]
    assert len(posted) == 1 and "Sorry" not in posted[0]["text"]
    assert _event_state(bot, "EvLOST") == "done"


def test_dm_mention_delivered_as_app_mention_and_message_answers_once(bot: RunningBot, fake_slack: FakeSlack) -> None:
    seeded = fake_slack.seed(DM, {"user": USER, "text": f"<@{BOT_USER}> {QUESTION}"})
    bot.send.event(message(DM, USER, seeded["text"], seeded["ts"], channel_type="im"))
    bot.send.event(mention(DM, USER, seeded["text"], seeded["ts"]))
    bot.settle()
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_channel_mention_also_delivered_as_message_answers_once(bot: RunningBot, fake_slack: FakeSlack) -> None:
    event = _mention(fake_slack)
    bot.send.event(message(CHANNEL, USER, event["text"], event["ts"]))
    bot.send.event(event)
    bot.settle()
    [answer] = fake_slack.calls_to("chat.postMessage")
    assert answer["thread_ts"] == event["ts"]


def test_own_other_bots_and_edited_messages_are_ignored(bot: RunningBot, fake_slack: FakeSlack) -> None:
    ts = fake_slack.new_ts
    bot.send.event(message(DM, BOT_USER, QUESTION, ts(), channel_type="im", bot_id=BOT_ID))
    bot.send.event(message(DM, "UOTHERBOT", QUESTION, ts(), channel_type="im", bot_id="BOTHER", subtype="bot_message"))
    bot.send.event(message(DM, "UOTHERBOT", QUESTION, ts(), channel_type="im", bot_id="BOTHER"))
    bot.send.event(mention(CHANNEL, "UOTHERBOT", f"<@{BOT_USER}> {QUESTION}", ts(), bot_id="BOTHER"))
    edited = {
        "type": "message",
        "subtype": "message_changed",
        "channel": DM,
        "channel_type": "im",
        "ts": ts(),
        "message": {"type": "message", "user": USER, "text": QUESTION, "ts": ts()},
    }
    bot.send.event(edited)
    bot.send.event(
        {
            "type": "message",
            "subtype": "channel_join",
            "channel": CHANNEL,
            "channel_type": "channel",
            "user": USER,
            "text": "joined",
            "ts": ts(),
        }
    )
    bot.send.event(
        {"type": "message", "subtype": "message_deleted", "channel": DM, "channel_type": "im", "ts": ts(), "deleted_ts": ts()}
    )
    bot.settle()
    assert fake_slack.calls_to("chat.postMessage") == []
    assert fake_slack.calls_to("reactions.add") == []

    ask(bot.send, fake_slack, channel=DM, dm=True)  # and a person's DM still works afterwards
    fake_slack.wait_for("chat.postMessage")
