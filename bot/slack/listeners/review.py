"""The review loop's interactivity: 👎 reason buttons and modal, review-card buttons, the
"Write the correct answer" modal, an asker's "It answers my question" and a reviewer's "Add as a
paraphrase". The listeners ack, open a modal when a trigger id must be used within 3 s, and queue
the rest (logic in `bot.slack.review` and `bot.slack.related`, run as jobs)."""

from __future__ import annotations

import re

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack import ids
from bot.slack.deps import SlackDeps
from bot.slack.review_blocks import VERIFY_TITLE, notice_modal, reason_modal, verify_errors
from bot.store.reasons import OTHER

EVENTS: tuple[str, ...] = ()  # interactivity only
# buttons that act at once: action id -> the job it queues with {body, action}
BUTTON_JOBS: dict[str, str] = {
    ids.REVIEW_RIGHT: ids.JOB_CARD_ACTION,
    ids.REVIEW_POLICY_UPDATE: ids.JOB_CARD_ACTION,
    ids.REVIEW_NOT_POLICY: ids.JOB_CARD_ACTION,
    ids.RELATED_CONFIRM: ids.JOB_RELATED_CONFIRM,
    ids.PARAPHRASE_ACCEPT: ids.JOB_PARAPHRASE_ACCEPT,
}
LOOKING_UP = "Looking up the policy sections this answer can rest on…"


def register(app: App, deps: SlackDeps) -> None:
    @app.action(re.compile("^" + re.escape(ids.REASON_ACTION_PREFIX)))
    def reason_button(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        if action["action_id"] == ids.REASON_ACTION_PREFIX + OTHER:
            client.views_open(trigger_id=body["trigger_id"], view=reason_modal(action["value"]))
        else:
            deps.jobs.submit(deps, ids.JOB_REASON, {"body": body, "action": action})

    @app.view(ids.REASON_MODAL)
    def reason_text(ack: Ack, body: dict, view: dict) -> None:
        ack()
        deps.jobs.submit(deps, ids.JOB_REASON_TEXT, {"body": body, "view": view})

    @app.action(re.compile("^(" + "|".join(map(re.escape, BUTTON_JOBS)) + ")$"))
    def act_now(ack: Ack, body: dict, action: dict) -> None:
        ack()
        deps.jobs.submit(deps, BUTTON_JOBS[action["action_id"]], {"body": body, "action": action})

    @app.action(ids.REVIEW_WRITE)
    def write_button(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()  # the modal opens now (trigger ids expire in 3 s); a job fills it in
        opened = client.views_open(trigger_id=body["trigger_id"], view=notice_modal(VERIFY_TITLE, LOOKING_UP))
        deps.jobs.submit(deps, ids.JOB_VERIFY_MODAL, {"body": body, "action": action, "view_id": opened["view"]["id"]})

    @app.view(ids.VERIFY_MODAL)
    def verify(ack: Ack, body: dict, view: dict) -> None:
        if errors := verify_errors(view):
            ack(response_action="errors", errors=errors)
            return
        ack()
        deps.jobs.submit(deps, ids.JOB_VERIFY, {"body": body, "view": view})
