"""👍/👎 on answers become votes; other reactions and reactions elsewhere change nothing."""

import time

import pytest

from bot.store.keys import Keys, ref
from tests.slack.conftest import RunningBot
from tests.slack.fake_slack import BOT_USER, FakeSlack
from tests.slack.helpers import CHANNEL, OTHER, USER, ask
from tests.slack.slack_http import SlackSender, reaction


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
    bot.send.event(reaction("+1::skin-tone-3", CHANNEL, answered, OTHER))
    bot.settle()
    assert _votes(bot, CHANNEL, answered) == {OTHER: "1"}

    bot.send.event(reaction("thumbsdown", CHANNEL, answered, OTHER))
    bot.settle()
    assert _votes(bot, CHANNEL, answered) == {OTHER: "-1"}

    bot.send.event(reaction("-1", CHANNEL, answered, OTHER, kind="reaction_removed"))
    bot.settle()
    assert _votes(bot, CHANNEL, answered) == {}


def test_removing_a_stale_vote_keeps_the_current_one(bot: RunningBot, answered: str) -> None:
    bot.send.event(reaction("thumbsup", CHANNEL, answered, OTHER))
    bot.send.event(reaction("-1::skin-tone-5", CHANNEL, answered, USER))
    bot.settle()
    bot.send.event(reaction("-1", CHANNEL, answered, OTHER))
    bot.settle()
    bot.send.event(reaction("+1", CHANNEL, answered, OTHER, kind="reaction_removed"))  # the 👍 they had replaced
    bot.settle()
    assert _votes(bot, CHANNEL, answered) == {OTHER: "-1", USER: "-1"}


def test_other_reactions_and_non_answers_are_ignored(bot: RunningBot, fake_slack: FakeSlack, answered: str) -> None:
    bot.send.event(reaction("tada", CHANNEL, answered, OTHER))
    bot.send.event(reaction("eyes", CHANNEL, answered, BOT_USER))
    someone = fake_slack.seed(CHANNEL, {"user": USER, "text": "hello"})
    bot.send.event(reaction("+1", CHANNEL, someone["ts"], OTHER))
    bot.settle()
    assert _votes(bot, CHANNEL, answered) == {}
    assert _votes(bot, CHANNEL, someone["ts"]) == {}


def test_votes_sent_the_instant_answers_are_posted_are_all_counted(bot: RunningBot, fake_slack: FakeSlack) -> None:
    """A burst of 20 questions; each answer gets a 👍 and a 👎 before its post even returns."""

    def react(message: dict) -> None:
        with SlackSender(bot.send.url) as send:
            send.event(reaction("+1", message["channel"], message["ts"], OTHER))
            send.event(reaction("-1", message["channel"], message["ts"], USER))

    fake_slack.on_post = react
    questions = [ask(bot.send, fake_slack, f"How many days of annual leave do I get? ({n})") for n in range(20)]
    fake_slack.wait_for("chat.postMessage", 20)
    bot.settle()
    answers = [fake_slack.threads[(CHANNEL, q["ts"])][-1]["ts"] for q in questions]
    assert len(set(answers)) == 20
    assert [_votes(bot, CHANNEL, ts) for ts in answers] == [{OTHER: "1", USER: "-1"}] * 20
    stats = bot.stores.feedback.stats()
    assert (stats["votes_up"], stats["votes_down"], stats["review_queue"]) == (20, 20, 20)
    # every 👎 that raced its answer's record still gets its "why?" prompt, once
    prompts = [e for e in fake_slack.ephemerals if e["user"] == USER and "what was wrong" in e["text"]]
    assert sorted(e["thread_ts"] for e in prompts) == sorted(q["ts"] for q in questions)


def test_votes_changed_and_removed_before_the_answer_is_stored_end_right(bot: RunningBot, fake_slack: FakeSlack) -> None:
    def in_order(send: SlackSender, *events: dict) -> None:
        for event in events:
            send.event(event)
            while bot.slack.listeners.in_flight:  # the answer itself is still being posted
                time.sleep(0.01)

    def react(message: dict) -> None:
        channel, ts = message["channel"], message["ts"]
        with SlackSender(bot.send.url) as send:
            in_order(
                send,
                reaction("-1", channel, ts, USER),
                reaction("-1", channel, ts, OTHER),
                reaction("+1", channel, ts, OTHER),  # OTHER changes their mind...
                reaction("+1", channel, ts, OTHER, kind="reaction_removed"),  # ...and takes it back
                reaction("-1", channel, ts, OTHER, kind="reaction_removed"),  # a stale removal: no vote of OTHER's
            )

    fake_slack.on_post = react
    question = ask(bot.send, fake_slack)
    fake_slack.wait_for("chat.postMessage")
    bot.settle()
    answer = fake_slack.threads[(CHANNEL, question["ts"])][-1]["ts"]
    assert _votes(bot, CHANNEL, answer) == {USER: "-1"}
    stats = bot.stores.feedback.stats()
    assert (stats["votes_up"], stats["votes_down"], stats["review_queue"]) == (0, 1, 1)
