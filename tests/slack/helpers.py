"""Small test helpers shared by the HTTP tests: asking like a user, reading what the bot posted."""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.core.principals import Principals
from bot.core.results import AnswerResult, Source, Turn
from tests.slack.fake_slack import FakeSlack
from tests.slack.slack_http import SlackSender, mention, message

USER = "UALICE"
OTHER = "UBOB"
CHANNEL = "CPOLICIES"
DM = "DALICE"
QUESTION = "How many days of annual leave do I get per year?"


def ask(
    send: SlackSender,
    fake: FakeSlack,
    text: str = QUESTION,
    *,
    channel: str = CHANNEL,
    dm: bool = False,
    thread_ts: str | None = None,
    at_bot: bool = True,
    user: str = USER,
) -> dict:
    """A user posts `text` (seeded into the fake, so threads hold it) and Slack delivers the event."""
    body = f"<@UPOLICYBOT> {text}" if at_bot and not dm else text
    seeded = fake.seed(channel, {"user": user, "text": body, **({"thread_ts": thread_ts} if thread_ts else {})})
    extra = {"thread_ts": thread_ts} if thread_ts else {}
    if dm:
        send.event(message(channel, user, body, seeded["ts"], channel_type="im", **extra))
    elif at_bot:
        send.event(mention(channel, user, body, seeded["ts"], **extra))
    else:
        send.event(message(channel, user, body, seeded["ts"], **extra))
    return seeded


def ask_and_wait(bot, fake: FakeSlack, text: str = QUESTION, **kwargs: object) -> dict:
    """`ask`, then wait until the bot answered and is idle; the question message."""
    before = len(fake.calls_to("chat.postMessage"))
    question = ask(bot.send, fake, text, **kwargs)
    fake.wait_for("chat.postMessage", before + 1)
    bot.settle()
    return question


def posted_text(call: dict) -> str:
    """Everything a posted message shows (text and blocks), for content assertions."""
    return call.get("text", "") + json.dumps(call.get("blocks") or [], ensure_ascii=False)


class SpyService:
    """The real service, recording what each `ask` received (history, principals)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.asked: list[tuple[str, list[Turn], Principals]] = []

    def ask(
        self, question: str, *, history: Sequence[Turn] = (), principals: Principals = frozenset(), **kwargs: object
    ) -> AnswerResult:
        self.asked.append((question, list(history), principals))
        return self.inner.ask(question, history=history, principals=principals, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


class ExplodingService(SpyService):
    """A service whose answering breaks (a bug, a crashed model server)."""

    def ask(self, question: str, **kwargs) -> AnswerResult:
        raise RuntimeError("the answering chain exploded")

    def find_sources(self, text: str, **kwargs) -> list[Source]:
        raise RuntimeError("the retriever exploded")
