"""👍/👎 on answers become votes; other reactions and reactions elsewhere change nothing."""

import pytest

from bot.store.keys import Keys, ref
from tests.slack.conftest import RunningBot
from tests.slack.fake_slack import BOT_USER, FakeSlack
from tests.slack.helpers import CHANNEL, OTHER, USER, ask


def _reaction(kind: str, name: str, channel: str, ts: str, user: str = OTHER) -> dict:
    return {
        "type": kind,
        "user": user,
        "reaction": name,
        "item_user": BOT_USER,
        "item": {"type": "message", "channel": channel, "ts": ts},
        "event_ts": "1.0",
    }


def _votes(bot: RunningBot, channel: str, ts: str) -> dict[str, str]:
    return bot.stores.redis.hgetall(Keys(bot.slack.deps.settings.redis_prefix).votes(ref(channel, ts)))


@pytest.fixture
def answered(bot: RunningBot, fake_slack: FakeSlack) -> str:
    """The ts of a posted answer."""
    question = ask(bot.send, fake_slack)
    fake_slack.wait_for("chat.postMessage")
    bot.settle()
    return fake_slack.threads[(CHANNEL, question["ts"])][-1]["ts"]


def test_thumbs_up_then_changed_to_down_then_removed(bot: RunningBot, answered: str) -> None:
    bot.send.event(_reaction("reaction_added", "+1::skin-tone-3", CHANNEL, answered))
    bot.settle()
    assert _votes(bot, CHANNEL, answered) == {OTHER: "1"}

    bot.send.event(_reaction("reaction_added", "thumbsdown", CHANNEL, answered))
    bot.settle()
    assert _votes(bot, CHANNEL, answered) == {OTHER: "-1"}

    bot.send.event(_reaction("reaction_removed", "-1", CHANNEL, answered))
    bot.settle()
    assert _votes(bot, CHANNEL, answered) == {}


def test_removing_a_stale_vote_keeps_the_current_one(bot: RunningBot, answered: str) -> None:
    bot.send.event(_reaction("reaction_added", "thumbsup", CHANNEL, answered))
    bot.send.event(_reaction("reaction_added", "-1::skin-tone-5", CHANNEL, answered, user=USER))
    bot.settle()
    bot.send.event(_reaction("reaction_added", "-1", CHANNEL, answered))
    bot.settle()
    bot.send.event(_reaction("reaction_removed", "+1", CHANNEL, answered))  # the 👍 they had replaced
    bot.settle()
    assert _votes(bot, CHANNEL, answered) == {OTHER: "-1", USER: "-1"}


def test_other_reactions_and_non_answers_are_ignored(bot: RunningBot, fake_slack: FakeSlack, answered: str) -> None:
    bot.send.event(_reaction("reaction_added", "tada", CHANNEL, answered))
    bot.send.event(_reaction("reaction_added", "eyes", CHANNEL, answered, user=BOT_USER))
    someone = fake_slack.seed(CHANNEL, {"user": USER, "text": "hello"})
    bot.send.event(_reaction("reaction_added", "+1", CHANNEL, someone["ts"]))
    bot.settle()
    assert _votes(bot, CHANNEL, answered) == {}
    assert _votes(bot, CHANNEL, someone["ts"]) == {}
