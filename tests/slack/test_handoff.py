""" "Still need help?" under every answer: hands the masked question to the owner's channel, once."""

from __future__ import annotations

from bot.kpi.report import load_report
from bot.slack import ids
from bot.slack.handoff import ALREADY, HANDED_OVER, NOT_YOURS, PRIVATE
from tests.slack.conftest import RunningBot
from tests.slack.fake_slack import FakeSlack
from tests.slack.helpers import CHANNEL, DM, OTHER, USER, ask, posted_text

OWNER = "#ask-people-ops"  # knowledge/hr/annual-leave.md's owner channel
PII_QUESTION = "How many days of annual leave do I get? Reply to jane.roe@example.org"


def answered(bot: RunningBot, fake_slack: FakeSlack, text: str, **where: object) -> dict:
    """Ask, wait for the answer and return the answer message as Slack holds it."""
    ask(bot.send, fake_slack, text, **where)
    [posted] = fake_slack.wait_for("chat.postMessage")
    bot.settle()
    record = bot.stores.answers.latest_for(USER, str(where.get("channel", CHANNEL)))
    assert record is not None
    return {"ts": record.ts, "blocks": posted["blocks"], **({"thread_ts": record.thread_ts} if record.thread_ts else {})}


def buttons(message: dict) -> list[str]:
    return [e.get("action_id") for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


def click(bot: RunningBot, user: str, channel: str, message: dict) -> None:
    assert bot.send.click(ids.HANDOFF_BUTTON, user=user, channel=channel, message=message).status_code == 200
    bot.settle()


def handoffs(bot: RunningBot) -> int:
    return load_report(bot.stores.kpis, 1).total.summary()["handoffs"]


def test_every_answer_and_abstention_offers_the_button(bot: RunningBot, fake_slack: FakeSlack) -> None:
    answer = answered(bot, fake_slack, "How many days of annual leave do I get?")
    assert buttons(answer) == [ids.SOURCES_BUTTON, ids.HANDOFF_BUTTON]
    fake_slack.calls.clear()
    abstention = answered(bot, fake_slack, "What is the airspeed velocity of an unladen swallow?")
    assert buttons(abstention) == [ids.HANDOFF_BUTTON]


def test_the_asker_hands_the_masked_question_to_the_owner_once(bot: RunningBot, fake_slack: FakeSlack) -> None:
    answer = answered(bot, fake_slack, PII_QUESTION)
    fake_slack.calls.clear()
    click(bot, USER, CHANNEL, answer)

    [posted] = fake_slack.wait_for("chat.postMessage")
    [link] = fake_slack.calls_to("chat.getPermalink")
    shown = posted_text(posted)
    assert posted["channel"] == OWNER
    assert "annual leave" in shown and "jane.roe@example.org" not in shown  # masked
    assert f"<@{USER}>" in shown and f"<#{CHANNEL}>" in shown
    assert link["message_ts"] == answer["ts"] and f"p{answer['ts'].replace('.', '')}" in shown
    [told] = fake_slack.wait_for("chat.postEphemeral")
    assert told["user"] == USER and HANDED_OVER.format(owner=OWNER) in told["text"]
    assert bot.stores.answers.get(CHANNEL, answer["ts"]).escalated
    assert handoffs(bot) == 1

    click(bot, USER, CHANNEL, answer)  # a second click hands nothing over again
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    assert ALREADY.format(owner=OWNER) in fake_slack.wait_for("chat.postEphemeral", 2)[-1]["text"]
    assert handoffs(bot) == 1


def test_someone_else_cannot_hand_over_the_askers_question(bot: RunningBot, fake_slack: FakeSlack) -> None:
    answer = answered(bot, fake_slack, "How many days of annual leave do I get?")
    fake_slack.calls.clear()
    click(bot, OTHER, CHANNEL, answer)
    [told] = fake_slack.wait_for("chat.postEphemeral")
    assert told["user"] == OTHER and NOT_YOURS.format(owner=OWNER) in told["text"]
    assert fake_slack.calls_to("chat.postMessage") == [] and handoffs(bot) == 0


def test_a_private_answer_is_never_posted_to_a_channel(bot: RunningBot, fake_slack: FakeSlack) -> None:
    answer = answered(bot, fake_slack, "How many days of annual leave do I get?", channel=DM, dm=True)
    fake_slack.calls.clear()
    click(bot, USER, DM, answer)
    [told] = fake_slack.wait_for("chat.postEphemeral")
    assert PRIVATE.split("{")[0] in told["text"]
    assert fake_slack.calls_to("chat.postMessage") == []
    assert handoffs(bot) == 1 and bot.stores.answers.get(DM, answer["ts"]).escalated
