"""A job that runs again (a retry after a lost response, a redelivery after a worker died) never
answers twice, and leaves no 👀 behind."""

from __future__ import annotations

from bot.core.channels import ChannelPolicy
from bot.slack import ids
from bot.slack.credentials import web_client
from bot.slack.jobs import Attempt, run_job
from bot.slack.request import Surface, question_from
from bot.slack.status import WorkingIndicator
from bot.slack.wire import question_to_json
from bot.store.keys import Keys
from tests.slack.conftest import RunningBot
from tests.slack.fake_slack import FakeSlack
from tests.slack.helpers import CHANNEL, DM, USER, ask_and_wait
from tests.slack.slack_http import mention, message


def _bot_replies(fake: FakeSlack, channel: str, question_ts: str) -> list[dict]:
    return [c for c in fake.calls_to("chat.postMessage") if c["channel"] == channel and c.get("thread_ts") == question_ts]


def _run_again(bot: RunningBot, event: dict, surface: Surface = "mention") -> None:
    """The answer job for `event` once more, as a retry would run it, with its 'done' mark gone
    (the window between the post and the mark, which a dying worker can leave open)."""
    deps = bot.slack.deps
    req = question_from(event, {"event_id": "EvAgain"}, deps.bot, surface, ChannelPolicy())
    deps.stores.redis.delete(Keys(deps.settings.redis_prefix).event(req.question_key))
    run_job(deps, ids.JOB_ANSWER, question_to_json(req), Attempt(again=True))  # type: ignore[arg-type]


def test_a_thread_answer_is_not_posted_again(bot: RunningBot, fake_slack: FakeSlack) -> None:
    question = ask_and_wait(bot, fake_slack)
    assert len(_bot_replies(fake_slack, CHANNEL, question["ts"])) == 1
    _run_again(bot, mention(CHANNEL, USER, question["text"], question["ts"]))
    assert len(_bot_replies(fake_slack, CHANNEL, question["ts"])) == 1


def test_an_unthreaded_dm_answer_is_not_posted_again(bot: RunningBot, fake_slack: FakeSlack) -> None:
    question = ask_and_wait(bot, fake_slack, dm=True, channel=DM)
    posts = len(fake_slack.calls_to("chat.postMessage"))
    _run_again(bot, message(DM, USER, question["text"], question["ts"], channel_type="im"), "dm")
    assert len(fake_slack.calls_to("chat.postMessage")) == posts


def test_a_job_run_again_before_anything_was_posted_still_answers(bot: RunningBot, fake_slack: FakeSlack) -> None:
    seeded = fake_slack.seed(CHANNEL, {"user": USER, "text": "<@UPOLICYBOT> How many days of annual leave do I get?"})
    _run_again(bot, mention(CHANNEL, USER, seeded["text"], seeded["ts"]))
    assert len(_bot_replies(fake_slack, CHANNEL, seeded["ts"])) == 1


def test_the_eyes_left_by_a_dead_run_are_taken_off(bot: RunningBot, fake_slack: FakeSlack) -> None:
    seeded = fake_slack.seed(CHANNEL, {"user": USER, "text": "a question"})
    client = web_client(bot.slack.deps.settings, bot.slack.deps.settings.slack_bot_token)
    client.reactions_add(channel=CHANNEL, timestamp=seeded["ts"], name=ids.EYES)  # the run that died
    with WorkingIndicator(client, CHANNEL, seeded["ts"]):
        pass
    assert [c["name"] for c in fake_slack.calls_to("reactions.remove")] == [ids.EYES]


def test_a_job_run_again_that_cannot_read_the_thread_still_answers(bot: RunningBot, fake_slack: FakeSlack) -> None:
    """Checking for an earlier answer failed (here Slack refuses to read the thread): answer
    rather than lose the question."""
    seeded = fake_slack.seed(CHANNEL, {"user": USER, "text": "<@UPOLICYBOT> How many days of annual leave do I get?"})
    fake_slack.fail("conversations.replies", "not_in_channel")
    _run_again(bot, mention(CHANNEL, USER, seeded["text"], seeded["ts"]))
    assert len(_bot_replies(fake_slack, CHANNEL, seeded["ts"])) == 1


def test_a_dropped_run_takes_off_the_eyes_its_dead_predecessor_left(bot: RunningBot, fake_slack: FakeSlack) -> None:
    question = ask_and_wait(bot, fake_slack)
    client = web_client(bot.slack.deps.settings, bot.slack.deps.settings.slack_bot_token)
    client.reactions_add(channel=CHANNEL, timestamp=question["ts"], name=ids.EYES)  # died before removing it
    removed = len(fake_slack.calls_to("reactions.remove"))
    _run_again(bot, mention(CHANNEL, USER, question["text"], question["ts"]))
    assert len(_bot_replies(fake_slack, CHANNEL, question["ts"])) == 1
    assert len(fake_slack.calls_to("reactions.remove")) == removed + 1
