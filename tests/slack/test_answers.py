"""Questions in, threaded cited answers out, over real HTTP with the real service and Redis."""

import re

from bot.slack import ids
from bot.slack.blocks import RATING_HINT
from tests.slack.conftest import RunningBot
from tests.slack.fake_slack import FakeSlack
from tests.slack.helpers import CHANNEL, DM, USER, ExplodingService, SpyService, ask, ask_and_wait, posted_text


def test_mention_gets_one_threaded_cited_answer(bot: RunningBot, fake_slack: FakeSlack) -> None:
    question = ask(bot.send, fake_slack)
    [answer] = fake_slack.wait_for("chat.postMessage")
    bot.settle()

    assert answer["channel"] == CHANNEL and answer["thread_ts"] == question["ts"]
    shown = posted_text(answer)
    assert "*Sources*" in shown and "Annual Leave Policy" in shown and RATING_HINT in shown
    assert any(e.get("action_id") == ids.SOURCES_BUTTON for b in answer["blocks"] for e in b.get("elements", []))

    eyes = ("eyes", CHANNEL, question["ts"])
    assert [(c["name"], c["channel"], c["timestamp"]) for c in fake_slack.calls_to("reactions.add")] == [eyes]
    assert [(c["name"], c["channel"], c["timestamp"]) for c in fake_slack.calls_to("reactions.remove")] == [eyes]
    methods = fake_slack.methods()
    assert methods.index("reactions.add") < methods.index("chat.postMessage") < methods.index("reactions.remove")
    assert len(fake_slack.calls_to("chat.postMessage")) == 1

    answer_ts = fake_slack.threads[(CHANNEL, question["ts"])][-1]["ts"]
    record = bot.stores.answers.get(CHANNEL, answer_ts)
    assert record is not None and record.user == USER and record.sources and record.thread_ts == question["ts"]
    assert bot.stores.answers.latest_for(USER, CHANNEL).ts == answer_ts


def test_dm_is_answered_in_the_dm(bot: RunningBot, fake_slack: FakeSlack) -> None:
    ask(bot.send, fake_slack, channel=DM, dm=True)
    [answer] = fake_slack.wait_for("chat.postMessage")
    assert answer["channel"] == DM and "thread_ts" not in answer  # top-level DM: reply top-level
    assert "Annual Leave Policy" in posted_text(answer)
    bot.settle()
    assert bot.stores.answers.latest_for(USER, DM).private


def test_thread_follow_up_without_mention_uses_the_thread(start_bot, service, fake_slack: FakeSlack) -> None:
    spy = SpyService(service)
    bot = start_bot(service=spy)
    root = ask_and_wait(bot, fake_slack)

    ask(bot.send, fake_slack, "And how many unused days can I carry over?", thread_ts=root["ts"], at_bot=False)
    _, follow_up = fake_slack.wait_for("chat.postMessage", 2)
    bot.settle()

    assert follow_up["thread_ts"] == root["ts"]
    question, history, _ = spy.asked[-1]
    assert question == "And how many unused days can I carry over?"
    assert [t.role for t in history] == ["user", "assistant"]
    assert history[0].text == "How many days of annual leave do I get per year?"  # the mention stripped
    assert "carry" in posted_text(follow_up).lower()


def test_reply_in_a_thread_the_bot_never_answered_is_ignored(bot: RunningBot, fake_slack: FakeSlack) -> None:
    root = fake_slack.seed(CHANNEL, {"user": USER, "text": "lunch?"})
    ask(bot.send, fake_slack, "how many days of leave do I get?", thread_ts=root["ts"], at_bot=False)
    bot.settle()
    assert fake_slack.calls_to("chat.postMessage") == []
    assert fake_slack.calls_to("reactions.add") == []


def test_follow_ups_can_be_switched_off(start_bot, fake_slack: FakeSlack, tmp_path) -> None:
    channels = tmp_path / "channels.yaml"
    channels.write_text("default:\n  answer_followups: false\n")
    bot = start_bot(channels_file=channels)
    root = ask(bot.send, fake_slack)
    fake_slack.wait_for("chat.postMessage")
    ask(bot.send, fake_slack, "And for part-time staff?", thread_ts=root["ts"], at_bot=False)
    bot.settle()
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_documents_can_never_ping_anyone(bot: RunningBot, fake_slack: FakeSlack) -> None:
    """The announcement fixture contains <!channel>, <!here>, <!everyone>, <!subteam^…>, <@U…>, @channel."""
    ask(bot.send, fake_slack, "When is the VPN maintenance window?")
    [answer] = fake_slack.wait_for("chat.postMessage")
    shown = posted_text(answer)
    assert "VPN" in shown
    assert not re.search(r"<!(channel|here|everyone|subteam)|<@U", shown)
    assert not re.search(r"(?<!\u200b)@(channel|here|everyone)\b", shown.replace("@\u200b", ""))
    assert "was due for review on 2024-06-30; check with #it-help" in shown  # overdue fixture


def test_a_failing_pipeline_apologises_instead_of_going_silent(start_bot, service, fake_slack: FakeSlack, caplog) -> None:
    bot = start_bot(service=ExplodingService(service))
    question = ask(bot.send, fake_slack)
    [apology] = fake_slack.wait_for("chat.postMessage")
    bot.settle()
    assert apology["thread_ts"] == question["ts"]
    assert apology["text"].startswith("Sorry — something went wrong while answering.")
    assert "#ask-people-ops" in apology["text"]
    assert fake_slack.calls_to("reactions.remove")  # 👀 cleaned up
    failure = [r for r in caplog.records if r.getMessage().startswith("answering failed")]
    assert failure and failure[0].exc_info and "annual leave" not in failure[0].getMessage().lower()
    assert bot.stores.audit.export()[-1].decision == "error"


def test_rate_limited_post_is_retried_and_posted_once(bot: RunningBot, fake_slack: FakeSlack) -> None:
    fake_slack.rate_limit("chat.postMessage", times=1)
    question = ask(bot.send, fake_slack)
    bot.settle()
    attempts = fake_slack.calls_to("chat.postMessage")
    assert len(attempts) == 2  # the 429, then the retry after Retry-After
    assert [m for m in fake_slack.threads[(CHANNEL, question["ts"])] if m.get("bot_id")].__len__() == 1
