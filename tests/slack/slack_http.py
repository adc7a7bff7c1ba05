"""Talking to the bot the way Slack does: signed HTTP requests, and Slack's payload shapes."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from urllib.parse import urlencode

import httpx
import uvicorn

from tests.slack.fake_slack import BOT_USER, TEAM

SECRET = "test-signing-secret"
_ids = itertools.count(1)


def signed_headers(body: str | bytes, *, secret: str = SECRET, timestamp: int | str | None = None) -> dict[str, str]:
    """Slack's v0 request signature: HMAC-SHA256 of `v0:{timestamp}:{body}` (any timestamp text)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    raw = body.encode() if isinstance(body, str) else body
    digest = hmac.new(secret.encode(), f"v0:{ts}:".encode() + raw, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


class Uvicorn:
    """An ASGI app served by uvicorn on 127.0.0.1 (random port) in a background thread."""

    def __init__(self, asgi: object) -> None:
        self.server = uvicorn.Server(uvicorn.Config(asgi, host="127.0.0.1", port=0, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        self.url = f"http://127.0.0.1:{self.server.servers[0].sockets[0].getsockname()[1]}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def event_callback(event: dict, event_id: str | None = None) -> dict:
    """The Events API envelope Slack posts for `event` (a fresh event id unless given)."""
    return {
        "token": "legacy",
        "team_id": TEAM,
        "api_app_id": "APOLICY",
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):08d}",
        "event_time": int(time.time()),
        "event": event,
        "authorizations": [{"team_id": TEAM, "user_id": "UPOLICYBOT", "is_bot": True}],
    }


class SlackSender:
    """Posts events, slash commands and button clicks to a bot, signed like Slack signs them."""

    def __init__(self, url: str, secret: str = SECRET) -> None:
        self.url, self.secret = url, secret
        self.http = httpx.Client(base_url=url, trust_env=False, timeout=30)

    def post(self, body: str | bytes, content_type: str, *, retry: int | None = None, **sign: object) -> httpx.Response:
        headers = {"Content-Type": content_type, **signed_headers(body, secret=self.secret, **sign)}
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return self.http.post("/slack/events", content=body, headers=headers)

    def event(self, event: dict, *, event_id: str | None = None, retry: int | None = None) -> httpx.Response:
        """Deliver an Events API `event_callback` (a fresh event id unless given)."""
        body = event_callback(event, event_id)
        response = self.post(json.dumps(body), "application/json", retry=retry)
        assert response.status_code == 200, response.text
        return response

    def command(self, *, user: str, channel: str, text: str, response_url: str) -> httpx.Response:
        form = {
            "command": "/policy-sources",
            "text": text,
            "user_id": user,
            "channel_id": channel,
            "team_id": TEAM,
            "response_url": response_url,
            "trigger_id": "1.2.3",
        }
        return self.post(urlencode(form), "application/x-www-form-urlencoded")

    def click(
        self,
        action_id: str,
        *,
        user: str,
        channel: str,
        message: dict,
        value: str = "sources",
        trigger_id: str = "1.2.3",
        response_url: str = "http://127.0.0.1:9/unused",
    ) -> httpx.Response:
        """A button click on `message`; an ephemeral message (no `ts` of its own in the channel) is
        sent the way Slack sends it: `container.is_ephemeral` and no `message`."""
        ephemeral = "message_ts" in message and "ts" not in message
        container = {"type": "message", "message_ts": message.get("ts") or message["message_ts"], "channel_id": channel}
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM},
            "user": {"id": user},
            "channel": {"id": channel},
            "container": {**container, "is_ephemeral": True} if ephemeral else container,
            **({} if ephemeral else {"message": message}),
            "trigger_id": trigger_id,
            "response_url": response_url,
            "actions": [
                {"type": "button", "action_id": action_id, "block_id": "b", "value": value, "action_ts": str(time.time())}
            ],
        }
        return self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def submit_view(self, view: dict, *, user: str, values: dict[str, object]) -> httpx.Response:
        """Submit an opened modal with its input blocks filled in (see `view_state`)."""
        submitted = {**view, "state": {"values": view_state(view, values)}}
        payload = {
            "type": "view_submission",
            "team": {"id": TEAM},
            "user": {"id": user},
            "api_app_id": "APOLICY",
            "trigger_id": "1.2.4",
            "view": submitted,
        }
        return self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def shortcut(self, callback_id: str, *, user: str, channel: str, message: dict) -> httpx.Response:
        """A message shortcut (`message_action`) used by `user` on `message` in `channel`."""
        payload = {
            "type": "message_action",
            "callback_id": callback_id,
            "team": {"id": TEAM},
            "user": {"id": user},
            "channel": {"id": channel},
            "message": message,
            "message_ts": message["ts"],
            "trigger_id": "1.2.3",
            "response_url": "http://127.0.0.1:9/unused",
        }
        return self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> SlackSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def view_state(view: dict, values: dict[str, object]) -> dict:
    """`view.state.values` as Slack sends it: block_id -> action_id -> typed value. `values` maps an
    input block's id to text (plain_text_input) or option values (checkboxes, picked from the
    view's own options). Unknown blocks or options raise, as a person could not fill them."""
    inputs = {b["block_id"]: b["element"] for b in view.get("blocks", []) if b.get("type") == "input"}
    state: dict[str, dict] = {}
    for block_id, element in inputs.items():
        value = values.get(block_id)
        if element["type"] == "plain_text_input":
            state[block_id] = {element["action_id"]: {"type": "plain_text_input", "value": value}}
        elif element["type"] == "checkboxes":
            by_value = {o["value"]: o for o in element["options"]}
            picked = [by_value[v] for v in value or []]  # KeyError: not an option of the view  # type: ignore[union-attr]
            state[block_id] = {element["action_id"]: {"type": "checkboxes", "selected_options": picked}}
    unknown = set(values) - set(inputs)
    if unknown:
        raise KeyError(f"the view has no input blocks {sorted(unknown)}")
    return state


def message(channel: str, user: str, text: str, ts: str, *, channel_type: str = "channel", **extra: object) -> dict:
    return {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "channel_type": channel_type,
        "team": TEAM,
        **extra,
    }


def reaction(name: str, channel: str, ts: str, user: str, kind: str = "reaction_added") -> dict:
    """A `reaction_added` (or `kind`) event on a message the bot posted."""
    return {
        "type": kind,
        "user": user,
        "reaction": name,
        "item_user": BOT_USER,
        "item": {"type": "message", "channel": channel, "ts": ts},
        "event_ts": "1.0",
    }


def mention(channel: str, user: str, text: str, ts: str, **extra: object) -> dict:
    return {"type": "app_mention", "channel": channel, "user": user, "text": text, "ts": ts, "team": TEAM, **extra}
