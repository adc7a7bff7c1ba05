"""In a thread the bot answered in, it answers follow-up questions only, not talk meant for others."""

import pytest

from bot.slack.etiquette import addressed_to_others, is_acknowledgement
from tests.slack.fake_slack import BOT_USER, FakeSlack
from tests.slack.helpers import CHANNEL, OTHER, SpyService, ask, ask_and_wait, posted_text

ACKNOWLEDGEMENTS = ["thanks!", "ok", "👍", ":+1:", "Thank you so much 🙏", "ok, got it — makes sense.", "cheers!!", "ty"]
FOLLOW_UPS = ["And for part-time staff?", "ok so what about contractors", "thanks, and can I carry days over", "Why?"]


@pytest.mark.parametrize("text", ACKNOWLEDGEMENTS)
def test_acknowledgements(text: str) -> None:
    assert is_acknowledgement(text)


@pytest.mark.parametrize("text", FOLLOW_UPS)
def test_follow_ups_are_not_acknowledgements(text: str) -> None:
    assert not is_acknowledgement(text)


def test_addressed_to_others() -> None:
    assert addressed_to_others(f"<@{OTHER}> can you approve my leave for May?", BOT_USER)
    assert addressed_to_others("<!subteam^S0HR|hr-team> is this right?", BOT_USER)
    assert not addressed_to_others(f"<@{BOT_USER}> and for part-time staff?", BOT_USER)
    assert not addressed_to_others("and for part-time staff?", BOT_USER)


def test_bot_stays_out_of_others_conversations_but_answers_follow_ups(start_bot, service, fake_slack: FakeSlack) -> None:
    spy = SpyService(service)
    bot = start_bot(service=spy)
    root = ask_and_wait(bot, fake_slack)
    eyes_before = len(fake_slack.calls_to("reactions.add"))

    for text in [
        f"<@{OTHER}> can you approve my leave for the 3rd of May?",
        "<@UCAROL|carol> what do you think?",
        "thanks!",
        "ok",
        "👍",
    ]:
        ask(bot.send, fake_slack, text, thread_ts=root["ts"], at_bot=False)
    bot.settle()
    assert len(fake_slack.calls_to("chat.postMessage")) == 1  # only the first answer
    assert len(fake_slack.calls_to("reactions.add")) == eyes_before  # not even 👀
    assert len(spy.asked) == 1

    ask(bot.send, fake_slack, "And how many unused days can I carry over?", thread_ts=root["ts"], at_bot=False)
    _, follow_up = fake_slack.wait_for("chat.postMessage", 2)
    bot.settle()
    assert follow_up["channel"] == CHANNEL and follow_up["thread_ts"] == root["ts"]
    assert "carry" in posted_text(follow_up).lower()
