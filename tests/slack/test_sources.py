"""`/policy-sources` (both forms) and the "Sources" button: full citations, to the asker only."""

from bot.slack import ids
from bot.slack.blocks import NOT_ANSWERED_YET
from tests.slack.conftest import RunningBot
from tests.slack.fake_slack import FakeSlack
from tests.slack.helpers import CHANNEL, OTHER, USER, ExplodingService, ask, posted_text


def test_without_text_before_any_answer(bot: RunningBot, fake_slack: FakeSlack) -> None:
    response = bot.send.command(user=USER, channel=CHANNEL, text="", response_url=fake_slack.response_url("r1"))
    assert response.status_code == 200
    [reply] = fake_slack.wait_for("response/r1")
    assert reply["response_type"] == "ephemeral" and NOT_ANSWERED_YET in reply["text"]


def test_without_text_shows_the_sources_of_my_last_answer_here(bot: RunningBot, fake_slack: FakeSlack) -> None:
    ask(bot.send, fake_slack)
    fake_slack.wait_for("chat.postMessage")
    bot.settle()
    bot.send.command(user=USER, channel=CHANNEL, text="", response_url=fake_slack.response_url("mine"))
    [reply] = fake_slack.wait_for("response/mine")
    shown = posted_text(reply)
    assert reply["response_type"] == "ephemeral"
    assert "Annual Leave Policy" in shown and "&gt; " in shown and "Owner:" in shown and "Effective" in shown

    bot.send.command(user=OTHER, channel=CHANNEL, text="", response_url=fake_slack.response_url("theirs"))
    [other] = fake_slack.wait_for("response/theirs")
    assert NOT_ANSWERED_YET in other["text"]  # someone else's answers stay theirs


def test_with_text_lists_matching_sections_without_an_answer(bot: RunningBot, fake_slack: FakeSlack) -> None:
    bot.send.command(user=USER, channel=CHANNEL, text="parental leave", response_url=fake_slack.response_url("find"))
    [reply] = fake_slack.wait_for("response/find")
    assert reply["response_type"] == "ephemeral"
    assert "Best-matching policy sections" in reply["text"] and "Parental Leave" in posted_text(reply)
    assert "https://" in posted_text(reply)
    assert fake_slack.calls_to("chat.postMessage") == []


def test_command_failure_still_replies(start_bot, service, fake_slack: FakeSlack) -> None:
    bot = start_bot(service=ExplodingService(service))
    bot.send.command(user=USER, channel=CHANNEL, text="expenses", response_url=fake_slack.response_url("err"))
    [reply] = fake_slack.wait_for("response/err")
    assert reply["text"].startswith("Sorry")


def test_sources_button_posts_an_ephemeral_to_the_clicker(bot: RunningBot, fake_slack: FakeSlack) -> None:
    question = ask(bot.send, fake_slack)
    fake_slack.wait_for("chat.postMessage")
    bot.settle()
    answer = fake_slack.threads[(CHANNEL, question["ts"])][-1]

    response = bot.send.click(ids.SOURCES_BUTTON, user=OTHER, channel=CHANNEL, message=answer)
    assert response.status_code == 200
    [ephemeral] = fake_slack.wait_for("chat.postEphemeral")
    assert ephemeral["user"] == OTHER and ephemeral["channel"] == CHANNEL
    assert ephemeral["thread_ts"] == question["ts"]
    assert "Annual Leave Policy" in posted_text(ephemeral) and "Owner:" in posted_text(ephemeral)
