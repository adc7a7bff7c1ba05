"""Answering a question from Slack: normalise -> ask -> deliver -> record.

Listeners hand a `SlackQuestion` to `submit_question`, which claims it and queues a job
(`bot.slack.jobs`: a Celery worker, or the in-process pool of the Slack tests); `answer_question`
runs there, so a slow answer never delays an HTTP ack or another answer. What to answer and who
may see it is decided by the question workflow (`bot.assist`); this module only speaks Slack: who
is asking where, the thread's history, posting, and the apology on failure.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.asking import Asker, Delivery, Outcome, Place, Question
from bot.core.principals import principals_of
from bot.governance.access import Access
from bot.slack import ids
from bot.slack.blocks import Message, answer_message, text_message
from bot.slack.deps import AnswerDeps, SlackDeps
from bot.slack.history import is_ours, thread_history
from bot.slack.request import BotIdentity, SlackQuestion
from bot.slack.status import WorkingIndicator
from bot.slack.wire import question_to_json
from bot.store.keys import ref

log = logging.getLogger(__name__)

SetStatus = Callable[[str], object]


def submit_question(deps: SlackDeps, req: SlackQuestion) -> None:
    """Claim the question message (once across `app_mention` + `message` and across processes),
    then queue its answer (`bot.slack.jobs`). If it cannot be queued, both claims are released and
    the error propagates, so Slack gets no 200 and delivers the event again."""
    if not deps.stores.claims.claim(req.question_key):
        log.info("question %s:%s already claimed (event %s)", req.channel, req.ts, req.event_id)
        finish(deps, req.event_id, handled=True)
        return
    try:
        deps.jobs.submit(deps, ids.JOB_ANSWER, question_to_json(req))
    except Exception:
        finish(deps, req.event_id, False, req.question_key)
        raise


def answer_question(
    deps: AnswerDeps,
    req: SlackQuestion,
    client: WebClient,
    set_status: SetStatus | None = None,
    *,
    retry_on: Callable[[BaseException], bool] | None = None,
) -> None:
    """Answer `req` in Slack. Never silent: any failure becomes an apology in the thread, except an
    error `retry_on` accepts before anything was posted: that one is raised, claims kept, so the
    queue runs the job again."""
    started = time.perf_counter()
    handled = False
    retrying = False
    question: Question | None = None
    try:
        history = thread_history(client, deps.bot, req.channel, req.thread_ts, req.ts) if req.thread_ts else []
        if req.surface == "followup" and not any(t.role == "assistant" for t in history):
            handled = True  # a thread we never answered in: not ours to join
            return
        deps.directory.profile(req.user)  # before any masking: the asker's names join the masker
        with WorkingIndicator(client, req.channel, req.ts, set_status):
            access = deps.principals.access(
                req.user, req.channel, deps.directory, is_dm=req.is_dm, channel_audiences=req.policy.audiences
            )
            question = to_question(req, access, history)
            outcome = deps.assist.ask(question)
            delivery = deliver(deps, req, client, outcome)
            handled = True
            deps.stores.claims.done(req.question_key)  # at once: a redelivery from here on must not answer again
            deps.assist.record(question, outcome, delivery, started)  # at once: a 👍 may follow the post
            review_early_votes(deps, delivery)
        log.info(
            "answered %s:%s surface=%s kind=%s decision=%s sensitive=%s sources=%d chars=%d in %.0f ms",
            req.channel, req.ts, req.surface, outcome.result.kind, outcome.decision, outcome.sensitive_topic is not None,
            len(outcome.result.sources), len(req.text), (time.perf_counter() - started) * 1000,
        )  # fmt: skip
    except Exception as exc:
        if not handled and retry_on is not None and retry_on(exc):
            retrying = True
            raise
        log.exception("answering failed: event=%s channel=%s ts=%s user=%s", req.event_id, req.channel, req.ts, req.user)
        handled = handled or apologise(deps, req, client)
        deps.assist.record_error(question or to_question(req, None, []))
    finally:
        if not retrying:
            finish(deps, req.event_id, handled, req.question_key)


def answered_already(client: WebClient, bot: BotIdentity, req: SlackQuestion) -> bool:
    """Whether the bot already posted in reply to `req` (a job run again after a worker died, or
    after a post whose response never came, must not answer twice). Reads the reply thread, or the
    DM after the question when the answer goes there unthreaded. If Slack can't tell, False: a
    possible second answer beats none."""
    try:
        if req.reply_thread_ts:
            messages = client.conversations_replies(channel=req.channel, ts=req.reply_thread_ts, limit=200).get("messages")
        else:
            messages = client.conversations_history(channel=req.channel, oldest=req.ts, limit=50).get("messages")
    except (SlackApiError, OSError) as exc:
        log.warning("could not check %s:%s for an earlier answer (%s); answering", req.channel, req.ts, exc)
        return False
    return any(float(m.get("ts", 0)) > float(req.ts) and is_ours(m, bot) for m in messages or [])


def review_early_votes(deps: AnswerDeps, delivery: Delivery) -> None:
    """A 👎 that arrived before the answer was stored was parked, and `record` has just counted it:
    queue its review-loop step now (the reason prompt, the review card), which its own job could
    not run without the record. Idempotent with that job: a prompt is sent once per answer and person."""
    for user, value in deps.stores.feedback.votes_of(ref(delivery.channel, delivery.ts)).items():
        if value < 0:
            payload = {"channel": delivery.channel, "ts": delivery.ts, "user": user, "value": value}
            deps.jobs.submit(deps, ids.JOB_AFTER_VOTE, payload)


def to_question(req: SlackQuestion, access: Access | None, history: list) -> Question:
    """The workflow's view of a Slack question (no access resolved yet: only `everyone`)."""
    full = access.full if access else principals_of()
    readers = access.public if access else principals_of()
    asker = Asker(user=req.user, principals=full, guest=bool(access and access.guest))
    place = Place(kind="dm" if req.is_dm else "channel", channel=req.channel, readers=readers, policy=req.policy)
    return Question(text=req.text, asker=asker, place=place, history=history, surface=req.surface)


def deliver(deps: AnswerDeps, req: SlackQuestion, client: WebClient, outcome: Outcome) -> Delivery:
    """Post the outcome as it says: in the thread, ephemerally to the asker, or privately plus a
    neutral note in the thread. Returns where the answer itself was posted."""
    fallback = deps.company.contacts.fallback_channel
    result, contacts = outcome.result, outcome.contacts
    if result.kind == "no_index":  # where the index should be is for an admin's terminal, not a channel
        log.error("answering without an index: %s", result.answer)
        result = result.model_copy(update={"answer": deps.company.replies.no_index.format(where="the server's data folder")})
    if outcome.visibility == "public" or (outcome.visibility == "private" and req.is_dm):
        message = answer_message(result, fallback_channel=fallback, contacts=contacts)
        return Delivery(req.channel, post(client, req, message), req.reply_thread_ts)
    if outcome.visibility == "ephemeral":
        message = answer_message(result, fallback_channel=fallback, contacts=contacts)
        return Delivery(req.channel, post_ephemeral(client, req, message), req.reply_thread_ts)
    message = answer_message(result, fallback_channel=fallback, contacts=contacts, asked_in=req.channel)
    delivery = post_privately(client, req, message)
    if outcome.private_note:
        post(client, req, text_message(outcome.private_note))
    return delivery


def post_privately(client: WebClient, req: SlackQuestion, message: Message) -> Delivery:
    """A DM to the asker (kept, can be rated and reopened); an ephemeral in the thread if DMs fail."""
    try:
        dm = client.conversations_open(users=req.user)["channel"]["id"]
        return Delivery(dm, send(client, dm, None, message))
    except SlackApiError as exc:
        log.warning("private answer by DM failed (%s); answering ephemerally in %s", exc.response.get("error"), req.channel)
    return Delivery(req.channel, post_ephemeral(client, req, message), req.reply_thread_ts)


def post_ephemeral(client: WebClient, req: SlackQuestion, message: Message) -> str:
    """An ephemeral reply in the question's thread, seen by the asker only; returns its message ts."""
    reply = client.chat_postEphemeral(
        channel=req.channel, user=req.user, thread_ts=req.reply_thread_ts, text=message.text, blocks=message.blocks
    )
    return reply["message_ts"]


def post(client: WebClient, req: SlackQuestion, message: Message) -> str:
    """Post `message` in reply to `req`; returns the posted message's ts."""
    return send(client, req.channel, req.reply_thread_ts, message)


def send(client: WebClient, channel: str, thread_ts: str | None, message: Message) -> str:
    """chat.postMessage without link previews (sources are listed, not unfurled); returns the ts."""
    reply = client.chat_postMessage(
        channel=channel,
        thread_ts=thread_ts,
        text=message.text,
        blocks=message.blocks,
        unfurl_links=False,
        unfurl_media=False,
    )
    return reply["ts"]


def apologise(deps: AnswerDeps, req: SlackQuestion, client: WebClient) -> bool:
    """Post the apology; False when even that failed (so Slack's retry may still answer)."""
    channel = req.policy.contact_channel or deps.company.contacts.fallback_channel
    try:
        post(client, req, text_message(deps.company.replies.apology.format(channel=channel)))
        return True
    except Exception:
        log.exception("apology failed: channel=%s ts=%s", req.channel, req.ts)
        return False


def finish(deps: SlackDeps, event_id: str | None, handled: bool, *keys: str) -> None:
    """Mark the event (and question) done, or release them when nothing was posted."""
    for key in (event_id, *keys):
        if key:
            (deps.stores.claims.done if handled else deps.stores.claims.release)(key)
