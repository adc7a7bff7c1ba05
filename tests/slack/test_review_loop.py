"""The feedback loop over HTTP with the fake Slack: 👎 → reason → review card in the owner's channel
→ a reviewer writes the correct answer → a paraphrase gets it with its badge (a close rewording and
a freer one; a question about the neighbouring section does not) → the document is
edited and re-ingested → the verified answer is suspended and its card says why."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from bot.answer.service import build_service
from bot.config import Settings
from bot.ingest.pipeline import run_ingest
from bot.kpi.report import load_report
from bot.slack import ids
from bot.slack.app import web_client
from bot.slack.review import review_after_ingest
from bot.store.keys import Keys
from tests.slack.conftest import RunningBot
from tests.slack.fake_slack import FakeSlack
from tests.slack.helpers import CHANNEL, OTHER, USER, ask_and_wait, posted_text
from tests.slack.review_kb import COMP_REVIEW, GENERAL_REVIEW, PEOPLE_REVIEW, make_review_kb
from tests.slack.slack_http import reaction

REVIEWER = "UREVIEWER"
CAROL = "UCAROL"
MANAGERS = "CMANAGERS"
QUESTION = "How many days of annual leave do I get per year?"
PARAPHRASE = "How many annual leave days do I get per year?"  # a rewording: see bot/review/verified.py
FREE_PARAPHRASE = "What is my annual leave allowance?"  # cosine ~0.78: served once its own search agrees
OFFERED_PARAPHRASE = "How much holiday do I get annually?"  # close, but not confirmed: offered, not served
NEAR_MISS = "How many days of annual leave can I carry over?"  # cosine ~0.88, but it asks about carry-over
VERIFIED_TEXT = "Full-time employees get 25 days of paid annual leave a year; part-timers get it pro rata."
COMP_QUESTION = "What is the merit increase budget for the 2027 cycle?"


@pytest.fixture
def review_settings(tmp_path, settings: Settings) -> Settings:
    return make_review_kb(tmp_path, settings)


@pytest.fixture
def review_bot(start_bot: Callable[..., RunningBot], review_settings: Settings) -> Callable[..., RunningBot]:
    service = build_service(review_settings)

    def start(**overrides: object) -> RunningBot:
        fields = {k: getattr(review_settings, k) for k in ("data_dir", "knowledge_dir", "review_channel")}
        return start_bot(service=service, **fields, **overrides)

    return start


def _answer_of(fake: FakeSlack, channel: str, question: dict) -> dict:
    return fake.threads[(channel, question["ts"])][-1]


def _cards(fake: FakeSlack, channel: str) -> list[dict]:
    return [c for c in fake.calls_to("chat.postMessage") if c["channel"] == channel and "Review needed" in c.get("text", "")]


def _button(message: dict, action_id: str) -> dict:
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id:
                return element
    raise AssertionError(f"no {action_id} button in {json.dumps(message)[:500]}")


def _downvote_with_reason(bot: RunningBot, fake: FakeSlack, answer: dict, voter: str, code: str) -> None:
    bot.send.event(reaction("-1", CHANNEL, answer["ts"], voter))
    bot.settle()
    prompt = next(e for e in fake.ephemerals if e["user"] == voter and "what was wrong" in e["text"])
    button = _button(prompt, ids.REASON_ACTION_PREFIX + code)
    response = bot.send.click(
        button["action_id"],
        user=voter,
        channel=CHANNEL,
        message=prompt,
        value=button["value"],
        trigger_id=fake.issue_trigger(),
        response_url=fake.response_url("reason"),
    )
    assert response.status_code == 200
    bot.settle()


def test_the_whole_loop(review_bot, review_settings: Settings, fake_slack: FakeSlack) -> None:
    bot = review_bot()
    question = ask_and_wait(bot, fake_slack, QUESTION)
    answer = _answer_of(fake_slack, CHANNEL, question)

    # 👎 with a reason: the ephemeral prompt in the thread, then the card in the document's review channel
    _downvote_with_reason(bot, fake_slack, answer, OTHER, "wrong")
    prompt = fake_slack.ephemerals[0]
    assert (prompt["channel"], prompt["user"], prompt["thread_ts"]) == (CHANNEL, OTHER, question["ts"])
    assert fake_slack.responses[-1]["replace_original"] in (True, "true")
    assert "Wrong" in fake_slack.responses[-1]["text"]
    [card] = _cards(fake_slack, PEOPLE_REVIEW)
    assert not _cards(fake_slack, GENERAL_REVIEW)
    assert QUESTION in card["text"] + posted_text(card)
    card_now = fake_slack.message(PEOPLE_REVIEW, _card_ts(bot))
    assert "👎 1" in posted_text(card_now) and "Wrong" in posted_text(card_now)  # updated in place

    # a second 👎 from the same person (after taking it back) never asks again
    bot.send.event(reaction("-1", CHANNEL, answer["ts"], OTHER, kind="reaction_removed"))
    bot.settle()
    bot.send.event(reaction("-1", CHANNEL, answer["ts"], OTHER))
    bot.settle()
    assert len([e for e in fake_slack.ephemerals if e["user"] == OTHER]) == 1
    assert len(_cards(fake_slack, PEOPLE_REVIEW)) == 1

    # the reviewer writes the correct answer in the modal
    card_now = fake_slack.message(PEOPLE_REVIEW, _card_ts(bot))
    write = _button(card_now, ids.REVIEW_WRITE)
    response = bot.send.click(
        ids.REVIEW_WRITE, user=REVIEWER, channel=PEOPLE_REVIEW, message=card_now, value=write["value"],
        trigger_id=fake_slack.issue_trigger(),
    )  # fmt: skip
    assert response.status_code == 200
    bot.settle()
    [modal] = fake_slack.views
    options = next(b for b in modal["blocks"] if b.get("block_id") == "sources")["element"]["options"]
    leave = [o["value"] for o in options if "Entitlement" in o["text"]["text"] or "allowance" in o["text"]["text"].lower()]
    assert leave, options
    empty = bot.send.submit_view(modal, user=REVIEWER, values={"answer": "  ", "sources": leave[:1]})
    assert empty.json()["response_action"] == "errors"  # Slack shows the error under the field
    response = bot.send.submit_view(modal, user=REVIEWER, values={"answer": VERIFIED_TEXT, "sources": leave[:1]})
    assert response.status_code == 200
    bot.settle()
    card_now = fake_slack.message(PEOPLE_REVIEW, _card_ts(bot))
    assert "verified answer was written" in posted_text(card_now) and f"<@{REVIEWER}>" in posted_text(card_now)
    reviewed = [e for e in bot.stores.audit.export() if e.decision == "reviewed"]
    assert [(e.user, e.action) for e in reviewed] == [(REVIEWER, "verify")]

    # someone else asks a paraphrase: the verified answer with its badge
    paraphrase = ask_and_wait(bot, fake_slack, PARAPHRASE, user=CAROL)
    served = _answer_of(fake_slack, CHANNEL, paraphrase)
    assert VERIFIED_TEXT in posted_text(served)
    assert f"✅ Verified by <@{REVIEWER}> on" in posted_text(served)
    free = _answer_of(fake_slack, CHANNEL, ask_and_wait(bot, fake_slack, FREE_PARAPHRASE, user=CAROL))
    assert VERIFIED_TEXT in posted_text(free) and f"✅ Verified by <@{REVIEWER}> on" in posted_text(free)
    near = _answer_of(fake_slack, CHANNEL, ask_and_wait(bot, fake_slack, NEAR_MISS, user=CAROL))
    assert VERIFIED_TEXT not in posted_text(near) and "Verified by" not in posted_text(near)

    # the document changes and is re-ingested: the verified answer is suspended, the card says why
    doc = review_settings.knowledge_dir / "hr" / "annual-leave.md"
    doc.write_text(doc.read_text().replace("25 days of paid annual leave", "27 days of paid annual leave"))
    run_ingest(review_settings)
    suspended = review_after_ingest(
        bot.slack.deps.settings, web_client(bot.slack.deps.settings, bot.slack.deps.settings.slack_bot_token)
    )
    assert [a.suspended_reason for a in suspended] == ["hr/annual-leave.md changed"]
    card_now = fake_slack.message(PEOPLE_REVIEW, _card_ts(bot))
    assert "suspended" in posted_text(card_now)
    notes = [c for c in fake_slack.calls_to("chat.postMessage") if c.get("thread_ts") == _card_ts(bot)]
    assert "hr/annual-leave.md changed" in notes[-1]["text"]
    again = ask_and_wait(bot, fake_slack, PARAPHRASE, user=CAROL)
    assert VERIFIED_TEXT not in posted_text(_answer_of(fake_slack, CHANNEL, again))


def _card_ts(bot: RunningBot) -> str:
    [item] = bot.stores.reviews.list()
    assert item.card_ts
    return item.card_ts


def test_other_reason_opens_a_modal_and_is_stored_masked_then_erased(review_bot, fake_slack: FakeSlack) -> None:
    bot = review_bot()
    answer = _answer_of(fake_slack, CHANNEL, ask_and_wait(bot, fake_slack, QUESTION))
    _downvote_with_reason(bot, fake_slack, answer, OTHER, "other")
    [modal] = fake_slack.views
    assert modal["callback_id"] == ids.REASON_MODAL
    bot.send.submit_view(modal, user=OTHER, values={"reason": "Wrong for me, mail jane.doe@example.com or call +1 415 555 0199"})
    bot.settle()
    [reason] = bot.stores.reasons.of(f"{CHANNEL}:{answer['ts']}").values()
    assert reason.code == "other" and "jane.doe@example.com" not in reason.text and "555 0199" not in reason.text
    card = fake_slack.message(PEOPLE_REVIEW, _card_ts(bot))
    assert "Other:" in posted_text(card)

    removed = bot.stores.forget_user(OTHER)
    assert removed["reasons"] == 1
    assert bot.stores.reasons.of(f"{CHANNEL}:{answer['ts']}") == {}
    assert bot.stores.redis.exists(Keys(bot.slack.deps.settings.redis_prefix).user_reasons(OTHER)) == 0
    assert bot.stores.reviews.list()  # the review item (no asker data) stays


def test_no_prompt_for_thumbs_up(review_bot, fake_slack: FakeSlack) -> None:
    bot = review_bot()
    answer = _answer_of(fake_slack, CHANNEL, ask_and_wait(bot, fake_slack, QUESTION))
    bot.send.event(reaction("+1", CHANNEL, answer["ts"], OTHER))
    bot.settle()
    assert fake_slack.ephemerals == [] and bot.stores.reviews.list() == []


def test_a_restricted_documents_card_only_reaches_a_channel_that_may_see_it(review_bot, fake_slack: FakeSlack) -> None:
    """CCOMPREVIEW is not granted `managers`, and REVIEW_CHANNEL is everyone's: no card anywhere."""
    bot = review_bot(channel_audiences={MANAGERS: ["managers"]})
    question = ask_and_wait(bot, fake_slack, COMP_QUESTION, channel=MANAGERS)
    answer = _answer_of(fake_slack, MANAGERS, question)
    assert any(s.audience == ["managers"] for s in bot.stores.answers.get(MANAGERS, answer["ts"]).sources)
    bot.send.event(reaction("-1", MANAGERS, answer["ts"], USER))
    bot.settle()
    assert not _cards(fake_slack, COMP_REVIEW) and not _cards(fake_slack, GENERAL_REVIEW)
    [item] = bot.stores.reviews.list()
    assert item.card_ts is None  # still reviewable from the CLI


def test_a_reviewer_outside_the_audience_cannot_act_on_its_card(review_bot, fake_slack: FakeSlack) -> None:
    """With CCOMPREVIEW granted `managers`, the card goes there; a clicker who is not a manager
    (a guest in that channel) is refused and nothing changes."""
    bot = review_bot(channel_audiences={MANAGERS: ["managers"], COMP_REVIEW: ["managers"]})
    fake_slack.add_user("UGUEST", "Gus Guest", guest=True)
    question = ask_and_wait(bot, fake_slack, COMP_QUESTION, channel=MANAGERS)
    answer = _answer_of(fake_slack, MANAGERS, question)
    bot.send.event(reaction("-1", MANAGERS, answer["ts"], USER))
    bot.settle()
    assert len(_cards(fake_slack, COMP_REVIEW)) == 1
    assert not _cards(fake_slack, GENERAL_REVIEW)
    message = fake_slack.message(COMP_REVIEW, _card_ts(bot))
    bot.send.click(
        ids.REVIEW_RIGHT, user="UGUEST", channel=COMP_REVIEW, message=message, value=_button(message, ids.REVIEW_RIGHT)["value"]
    )
    bot.settle()
    assert "limited audience" in fake_slack.ephemerals[-1]["text"]
    # "Write the correct answer": the modal opens at once (the trigger expires in 3 s), then says why
    # they can't act instead of listing the restricted document's sections
    bot.send.click(
        ids.REVIEW_WRITE, user="UGUEST", channel=COMP_REVIEW, message=message,
        value=_button(message, ids.REVIEW_WRITE)["value"], trigger_id=fake_slack.issue_trigger(),
    )  # fmt: skip
    bot.settle()
    [modal] = fake_slack.views
    assert "limited audience" in str(modal["blocks"]) and "submit" not in modal
    assert bot.stores.reviews.list()[0].state == "open"


def test_an_asker_outside_a_verified_answers_audience_gets_the_normal_answer(review_bot, fake_slack: FakeSlack) -> None:
    from bot.store.verified import VerifiedAnswer

    bot = review_bot(channel_audiences={MANAGERS: ["managers"]})
    ask_and_wait(bot, fake_slack, COMP_QUESTION, channel=MANAGERS)
    [record] = bot.stores.answers.recent(1)
    restricted = [s for s in record.sources if s.audience == ["managers"]]
    assert restricted
    text = "The 2027 merit budget is 3.5% of eligible base salaries (verified)."
    bot.stores.verified.save(VerifiedAnswer(questions=[COMP_QUESTION], answer=text, sources=restricted, reviewer=REVIEWER))
    ask_and_wait(bot, fake_slack, COMP_QUESTION, channel=MANAGERS, user=CAROL)  # a manager here: verified
    assert text in posted_text(fake_slack.calls_to("chat.postMessage")[-1])
    ask_and_wait(bot, fake_slack, COMP_QUESTION, channel=CHANNEL, user=CAROL)  # not a manager here
    assert text not in posted_text(fake_slack.calls_to("chat.postMessage")[-1])


def test_an_abstentions_card_goes_to_the_owner_of_the_closest_policy(review_bot, fake_slack: FakeSlack) -> None:
    """An abstention cites nothing; its card goes to the review channel of the closest public
    policy's owner (annual leave here), not to the company-wide REVIEW_CHANNEL."""
    bot = review_bot()
    question = ask_and_wait(bot, fake_slack, "Can I take my holiday days as a sabbatical on a boat in Antarctica?")
    [record] = bot.stores.answers.recent(1)
    assert record.kind == "abstain"  # precondition: no policy covers it
    bot.send.event(reaction("-1", CHANNEL, _answer_of(fake_slack, CHANNEL, question)["ts"], USER))
    bot.settle()
    assert len(_cards(fake_slack, PEOPLE_REVIEW)) == 1
    assert not _cards(fake_slack, GENERAL_REVIEW)


def test_a_near_miss_is_offered_the_similar_questions_verified_answer_shown_to_the_clicker_only(
    review_bot, fake_slack: FakeSlack
) -> None:
    """Not confirmed as the same question, the closest verified answer is offered under the normal answer,
    named by its own question; the button posts it to the clicker only, and not once ingest suspended it."""
    from bot.store.verified import VerifiedAnswer

    bot = review_bot()
    ask_and_wait(bot, fake_slack, QUESTION)
    [record] = bot.stores.answers.recent(1)
    verified = VerifiedAnswer(questions=[QUESTION], answer=VERIFIED_TEXT, sources=record.sources, reviewer=REVIEWER)
    bot.stores.verified.save(verified)

    question = ask_and_wait(bot, fake_slack, NEAR_MISS, user=OTHER)
    answer = _answer_of(fake_slack, CHANNEL, question)
    shown = posted_text(answer)
    assert VERIFIED_TEXT not in shown, "a near miss is not served the verified answer"
    assert "verified the answer to a similar question" in shown and QUESTION in shown
    button = _button(answer, ids.RELATED_BUTTON)

    assert bot.send.click(button["action_id"], user=CAROL, channel=CHANNEL, message=answer).status_code == 200
    bot.settle()
    [private] = [e for e in fake_slack.ephemerals if e["user"] == CAROL]
    assert VERIFIED_TEXT in posted_text(private) and "Verified by" in posted_text(private)
    assert all(VERIFIED_TEXT not in posted_text(c) for c in fake_slack.calls_to("chat.postMessage"))

    totals = load_report(bot.stores.kpis, 1).total.summary()
    assert (totals["verified_offered"], totals["verified_offers_opened"]) == (1, 1)

    bot.stores.verified.save(verified.model_copy(update={"state": "suspended", "suspended_reason": "edited"}))
    bot.send.click(button["action_id"], user=OTHER, channel=CHANNEL, message=answer)
    bot.settle()
    [gone] = [e for e in fake_slack.ephemerals if e["user"] == OTHER and "no longer available" in e["text"]]
    assert VERIFIED_TEXT not in posted_text(gone)


def test_an_asker_who_says_the_offered_answer_answers_them_teaches_it_their_wording(review_bot, fake_slack: FakeSlack) -> None:
    """Offered → "It answers my question" → a suggestion in the review channel → "Add as a paraphrase" →
    the next asker of that wording is served the verified answer with its badge."""
    from bot.store.verified import VerifiedAnswer

    bot = review_bot()
    ask_and_wait(bot, fake_slack, QUESTION)
    [record] = bot.stores.answers.recent(1)
    bot.stores.verified.save(
        VerifiedAnswer(questions=[QUESTION], answer=VERIFIED_TEXT, sources=record.sources, reviewer=REVIEWER)
    )

    question = ask_and_wait(bot, fake_slack, OFFERED_PARAPHRASE, user=OTHER)
    answer = _answer_of(fake_slack, CHANNEL, question)
    assert VERIFIED_TEXT not in posted_text(answer)
    bot.send.click(ids.RELATED_BUTTON, user=OTHER, channel=CHANNEL, message=answer)
    bot.settle()
    [shown] = [e for e in fake_slack.ephemerals if e["user"] == OTHER]
    confirm = _button(shown, ids.RELATED_CONFIRM)
    bot.send.click(confirm["action_id"], user=CAROL, channel=CHANNEL, message=shown, value=confirm["value"])
    bot.settle()
    assert bot.stores.verified.all()[0].suggested == [], "only the asker can say it answers their question"
    bot.send.click(confirm["action_id"], user=OTHER, channel=CHANNEL, message=shown, value=confirm["value"])
    bot.settle()
    [(where, suggestion)] = [
        (channel, m) for (channel, _), thread in fake_slack.threads.items() for m in thread if "says the verified" in m["text"]
    ]
    assert OFFERED_PARAPHRASE in suggestion["text"] and QUESTION in suggestion["text"]
    add = _button(suggestion, ids.PARAPHRASE_ACCEPT)
    bot.send.click(add["action_id"], user=REVIEWER, channel=where, message=suggestion, value=add["value"])
    bot.settle()
    [updated] = [c for c in fake_slack.calls_to("chat.update") if "as a paraphrase of" in c.get("text", "")]
    assert (updated["channel"], updated["ts"]) == (where, suggestion["ts"])
    bot.send.click(add["action_id"], user=REVIEWER, channel=where, message=suggestion, value=add["value"])
    bot.settle()
    assert any(e["user"] == REVIEWER and "already added" in e["text"] for e in fake_slack.ephemerals), "never silent"
    assert bot.stores.verified.all()[0].questions == [QUESTION, OFFERED_PARAPHRASE]
    assert bot.stores.audit.export()[-1].action == "paraphrase"

    ask_and_wait(bot, fake_slack, OFFERED_PARAPHRASE, user=CAROL)
    served = posted_text(fake_slack.calls_to("chat.postMessage")[-1])
    assert VERIFIED_TEXT in served and "Verified by" in served
    totals = load_report(bot.stores.kpis, 1).total.summary()
    assert (totals["verified_hits"], totals["verified_offered"], totals["paraphrases_added"]) == (1, 1, 1)
