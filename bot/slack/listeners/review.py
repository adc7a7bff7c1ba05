"""The review loop's interactivity: 👎 reason buttons and modal, review-card buttons, the
"Write the correct answer" modal (logic in `bot.slack.review`)."""

from __future__ import annotations

import re

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.slack import ids
from bot.slack.deps import SlackDeps
from bot.slack.review import on_card_action, on_reason, on_reason_text, on_verify, verify_errors

EVENTS: tuple[str, ...] = ()  # interactivity only
CARD_BUTTONS = re.compile(
    "^("
    + "|".join(re.escape(a) for a in (ids.REVIEW_RIGHT, ids.REVIEW_WRITE, ids.REVIEW_POLICY_UPDATE, ids.REVIEW_NOT_POLICY))
    + ")$"
)


def register(app: App, deps: SlackDeps) -> None:
    @app.action(re.compile("^" + re.escape(ids.REASON_ACTION_PREFIX)))
    def reason_button(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        on_reason(deps, client, body, action, respond)  # "Other…" opens a modal: before the trigger expires

    @app.view(ids.REASON_MODAL)
    def reason_text(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        ack()
        deps.pool.submit(on_reason_text, deps, client, body, view)

    @app.action(CARD_BUTTONS)
    def card_button(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        on_card_action(deps, client, body, action)

    @app.view(ids.VERIFY_MODAL)
    def verify(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        if errors := verify_errors(view):
            ack(response_action="errors", errors=errors)
            return
        ack()
        deps.pool.submit(on_verify, deps, client, body, view)
