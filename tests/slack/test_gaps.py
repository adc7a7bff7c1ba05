"""Knowledge gaps over HTTP: three people ask about one missing topic in different words, the bot
abstains, the digest groups them into one gap in the review channel; "Out of scope" removes it."""

from __future__ import annotations

from bot.review.gaps import find_gaps
from bot.slack import ids
from bot.slack.credentials import web_client
from bot.slack.review import post_gap_digests
from tests.slack.conftest import RunningBot
from tests.slack.fake_slack import FakeSlack
from tests.slack.helpers import ask_and_wait, posted_text

REVIEW = "CREVIEWALL"
PET = [
    "Do we get pet insurance as a benefit?",
    "Is there any cover for vet bills for my dog?",
    "Does the company offer insurance for pets?",
]
OTHERS = ["Do we get a gym membership?", "Is there a cycle to work scheme?"]


def test_three_wordings_of_one_missing_topic_are_one_gap(start_bot, fake_slack: FakeSlack) -> None:
    bot: RunningBot = start_bot(review_channel=REVIEW)
    for n, question in enumerate(PET):
        ask_and_wait(bot, fake_slack, question, user=f"UPET{n}")
    for question in OTHERS:
        ask_and_wait(bot, fake_slack, question, user="UCARS")
    assert {r.kind for r in bot.stores.answers.recent(10)} == {"abstain"}  # precondition: no policy covers them

    deps = bot.slack.deps
    gaps = find_gaps(bot.stores, deps.service.embeddings, days=7, distance=deps.settings.gap_distance)
    pet = [g for g in gaps if {q.question for q in g.questions} & set(PET)]
    assert len(pet) == 1 and {q.question for q in pet[0].questions} == set(PET) and pet[0].people == 3
    assert "insurance" in pet[0].topic or "pet" in pet[0].topic

    client = web_client(deps.settings, deps.settings.slack_bot_token)
    assert post_gap_digests(deps, client, deps.service, gaps, 7)[REVIEW] == len(gaps)
    [digest] = [c for c in fake_slack.calls_to("chat.postMessage") if c["channel"] == REVIEW]
    assert "3 people* asked about" in posted_text(digest)
    out_of_scope = next(
        e for b in digest["blocks"] if b["type"] == "actions" for e in b["elements"]
        if e["action_id"] == ids.REVIEW_NOT_POLICY and e["value"] == pet[0].representative.ref
    )  # fmt: skip
    message = fake_slack.message(REVIEW, _ts(fake_slack, REVIEW))
    bot.send.click(ids.REVIEW_NOT_POLICY, user="UREVIEWER", channel=REVIEW, message=message, value=out_of_scope["value"])
    bot.settle()
    again = find_gaps(bot.stores, deps.service.embeddings, days=7, distance=deps.settings.gap_distance)
    assert not [g for g in again if {q.question for q in g.questions} & set(PET)]
    assert again  # the other topics are still gaps


def _ts(fake: FakeSlack, channel: str) -> str:
    return next(m["ts"] for (ch, _), msgs in fake.threads.items() if ch == channel for m in msgs)


def test_the_scheduled_digest_job_posts_each_gap_once_however_many_schedulers_fire(start_bot, fake_slack: FakeSlack) -> None:
    """The job Celery beat sends on GAP_DIGEST_SCHEDULE finds the week's gaps and posts the digest;
    the same job sent again in that hour (a second `--beat` node) posts nothing."""
    bot: RunningBot = start_bot(review_channel=REVIEW)
    for n, question in enumerate(PET):
        ask_and_wait(bot, fake_slack, question, user=f"UPET{n}")
    deps = bot.slack.deps
    for _ in range(2):
        deps.jobs.submit(deps, ids.JOB_GAP_DIGEST, {"days": 7})
        bot.settle()
    [digest] = [c for c in fake_slack.calls_to("chat.postMessage") if c["channel"] == REVIEW]
    assert "3 people* asked about" in posted_text(digest)
