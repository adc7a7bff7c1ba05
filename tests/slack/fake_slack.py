"""A fake Slack Web API on 127.0.0.1: records every call and answers like Slack does.

It enforces the rules the bot must respect (auth, block limits, rate limits with Retry-After),
answers errors in Slack's shape (HTTP 200 + {"ok": false, "error": ...}; 429 for rate limits),
keeps threads so `conversations.replies` returns what was posted, and accepts `response_url`
posts on /response/<id>. Interactivity rules: `views.open` needs a trigger id this fake issued
(`issue_trigger`), used once and within 3 s; a view must be a valid modal (title ≤ 24 chars, a
submit button when it has inputs, ≤ 100 blocks, option and button limits); `chat.update` only
updates a message that exists, `views.update` a view that is open; `chat.postEphemeral` needs a `user`. Ephemeral messages are
kept in `ephemerals`, opened views in `views`, `response_url` posts in `responses`.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

TOKEN = "xoxb-test-token"
BOT_USER = "UPOLICYBOT"
BOT_ID = "BPOLICYBOT"
TEAM = "TNORTHWIND"

_JSON_PARAMS = {"blocks", "attachments", "view", "prompts", "loading_messages", "metadata"}
_CHANNEL = re.compile(r"^([CDG][A-Z0-9]{2,}|#[a-z0-9._-]+)$")  # an id, or a "#name" (chat.postMessage takes both)
TRIGGER_TTL_S = 3.0  # Slack: a trigger id expires 3 seconds after the interaction
# Block Kit limits (api.slack.com/reference/block-kit): text lengths, element counts
MAX_VIEW_TITLE, MAX_BUTTON_TEXT, MAX_BUTTON_VALUE, MAX_ACTION_ID = 24, 75, 2000, 255
MAX_ACTIONS_ELEMENTS, MAX_OPTIONS, MAX_OPTION_TEXT, MAX_OPTION_VALUE = 25, 10, 75, 150
MAX_VIEW_BLOCKS, MAX_METADATA, MAX_INPUT_LENGTH = 100, 3000, 3000


@dataclass
class Call:
    method: str
    params: dict
    at: float = field(default_factory=time.monotonic)


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.threads: dict[tuple[str, str], list[dict]] = defaultdict(list)
        self.users: dict[str, dict] = {}
        self.usergroups: list[dict] = []
        self._reactions: set[tuple[str, str, str]] = set()
        self.ephemerals: list[dict] = []
        self.views: list[dict] = []
        self.responses: list[dict] = []
        self._triggers: dict[str, float] = {}  # issued trigger id -> monotonic time issued
        self._used_triggers: set[str] = set()
        self._rate_limited: dict[str, int] = {}
        self._failing: dict[str, tuple[int, str, int]] = {}
        self._held: dict[str, threading.Event] = {}  # method -> set when its held call arrives
        self._released = threading.Event()  # set by `stop`: held calls end
        # called with each message chat.postMessage created, before the poster gets its response
        self.on_post: Callable[[dict], object] | None = None
        self._lock = threading.Condition()
        self._ts = itertools.count(int(time.time() * 1_000_000))
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    # --- lifecycle and addresses -------------------------------------------------------
    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._released.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.base + "/api/"

    def response_url(self, name: str) -> str:
        return f"{self.base}/response/{name}"

    # --- test controls -----------------------------------------------------------------
    def new_ts(self) -> str:
        """A message ts later than every ts handed out so far (tests use it for questions too)."""
        micros = next(self._ts)
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def seed(self, channel: str, message: dict) -> dict:
        """Put a message into a channel/thread so `conversations.replies` returns it."""
        message = {"type": "message", "ts": self.new_ts(), **message}
        root = message.get("thread_ts") or message["ts"]
        with self._lock:
            self.threads[(channel, root)].append(message)
        return message

    def issue_trigger(self) -> str:
        """A fresh trigger id, as Slack puts in an interaction payload (valid once, for 3 s)."""
        trigger = f"{next(self._ts)}.{TEAM}.trigger"
        with self._lock:
            self._triggers[trigger] = time.monotonic()
        return trigger

    def message(self, channel: str, ts: str) -> dict | None:
        """The message `ts` in `channel` as it is now (after any `chat.update`)."""
        with self._lock:
            for (ch, _), messages in self.threads.items():
                if ch == channel:
                    for m in messages:
                        if m["ts"] == ts:
                            return m
        return None

    def rate_limit(self, method: str, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with HTTP 429 and `Retry-After: 1`."""
        self._rate_limited[method] = times

    def fail(self, method: str, error: str, times: int = 1, status: int = 200) -> None:
        """Answer the next `times` calls of `method` with {"ok": false, "error": error} (HTTP `status`)."""
        self._failing[method] = (times, error, status)

    def hold(self, method: str) -> threading.Event:
        """Keep the next call of `method` hanging, unanswered and unrecorded, until `stop`: a slow Slack
        call the caller can die in. Returns an event set when that call arrives."""
        self._held[method] = threading.Event()
        return self._held[method]

    def _wait_if_held(self, method: str) -> bool:
        """True if this call was held (it gets no answer: its caller is presumed dead)."""
        arrived = self._held.pop(method, None)
        if arrived is None:
            return False
        arrived.set()
        self._released.wait(120)
        return True

    # --- inspection --------------------------------------------------------------------
    def calls_to(self, method: str) -> list[dict]:
        with self._lock:
            return [c.params for c in self.calls if c.method == method]

    def methods(self) -> list[str]:
        with self._lock:
            return [c.method for c in self.calls]

    def wait_for(self, method: str, count: int = 1, timeout: float = 30.0) -> list[dict]:
        """Block until `method` was called `count` times; the calls. Fails after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                calls = [c.params for c in self.calls if c.method == method]
                if len(calls) >= count:
                    return calls
                if (remaining := deadline - time.monotonic()) <= 0:
                    raise AssertionError(f"{method} called {len(calls)}x, expected {count}; calls: {self.methods()}")
                self._lock.wait(remaining)

    # --- the API -----------------------------------------------------------------------
    def handle(self, method: str, params: dict, token: str | None) -> tuple[int, dict, dict]:
        """(status, headers, body) for one API call."""
        self._record(method, params)
        if method.startswith("response/"):
            with self._lock:
                self.responses.append(params)
            return 200, {}, {"ok": True}
        if not token:
            return 200, {}, {"ok": False, "error": "not_authed"}
        if token != TOKEN:
            return 200, {}, {"ok": False, "error": "invalid_auth"}
        if self._rate_limited.get(method, 0) > 0:
            self._rate_limited[method] -= 1
            return 429, {"Retry-After": "1"}, {"ok": False, "error": "ratelimited"}
        times, error, status = self._failing.get(method, (0, "", 200))
        if times > 0:
            self._failing[method] = (times - 1, error, status)
            return status, {}, {"ok": False, "error": error}
        if "channel" in params and not _CHANNEL.match(str(params["channel"])):
            return 200, {}, {"ok": False, "error": "channel_not_found"}
        api = getattr(self, "api_" + method.replace(".", "_"), None)
        if api is None:
            return 200, {}, {"ok": False, "error": "unknown_method"}
        return 200, {}, api(params)

    def api_auth_test(self, p: dict) -> dict:
        return {
            "ok": True,
            "url": "https://northwind.slack.com/",
            "team": "Northwind",
            "user": "policybot",
            "team_id": TEAM,
            "user_id": BOT_USER,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def api_chat_postMessage(self, p: dict) -> dict:
        if error := _invalid_message(p):
            return {"ok": False, "error": error}
        message = self.seed(
            p["channel"],
            {"user": BOT_USER, "bot_id": BOT_ID, "text": p.get("text", ""), "blocks": p.get("blocks") or [], **_thread(p)},
        )
        if self.on_post is not None:
            self.on_post({"channel": p["channel"], **message})
        return {"ok": True, "channel": p["channel"], "ts": message["ts"], "message": message}

    def api_chat_getPermalink(self, p: dict) -> dict:
        return {
            "ok": True,
            "channel": p["channel"],
            "permalink": f"https://northwind.slack.com/archives/{p['channel']}/p{p['message_ts'].replace('.', '')}",
        }

    def api_chat_postEphemeral(self, p: dict) -> dict:
        if not p.get("user"):
            return {"ok": False, "error": "user_not_in_channel"}
        if error := _invalid_message(p):
            return {"ok": False, "error": error}
        ts = self.new_ts()
        with self._lock:
            self.ephemerals.append({**p, "message_ts": ts})
        return {"ok": True, "message_ts": ts}

    def api_chat_update(self, p: dict) -> dict:
        if error := _invalid_message(p):
            return {"ok": False, "error": error}
        with self._lock:
            message = self.message(p["channel"], str(p.get("ts") or ""))
            if message is None:
                return {"ok": False, "error": "message_not_found"}
            message.update(text=p.get("text", ""), blocks=p.get("blocks") or [], edited={"user": BOT_USER})
        return {"ok": True, "channel": p["channel"], "ts": p["ts"], "text": p.get("text", "")}

    def api_views_open(self, p: dict) -> dict:
        trigger = p.get("trigger_id")
        with self._lock:
            issued = self._triggers.pop(trigger, None) if trigger else None
        if not trigger:
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": ["[ERROR] missing trigger_id"]}}
        if issued is None:
            return {"ok": False, "error": "exchanged_trigger_id" if trigger in self._used_triggers else "invalid_trigger_id"}
        self._used_triggers.add(trigger)
        if time.monotonic() - issued > TRIGGER_TTL_S:
            return {"ok": False, "error": "expired_trigger_id"}
        if problems := _invalid_view(p.get("view") or {}):
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": problems}}
        view = {"id": f"V{len(self.views) + 1:08d}", "state": {"values": {}}, **p["view"]}
        with self._lock:
            self.views.append(view)
        return {"ok": True, "view": view}

    def api_views_update(self, p: dict) -> dict:
        """Replace an open view (by `view_id`), as Slack does: same id, new content, validated."""
        if problems := _invalid_view(p.get("view") or {}):
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": problems}}
        with self._lock:
            index = next((i for i, v in enumerate(self.views) if v["id"] == p.get("view_id")), None)
            if index is None:
                return {"ok": False, "error": "not_found"}
            self.views[index] = {"id": p["view_id"], "state": {"values": {}}, **p["view"]}
            return {"ok": True, "view": self.views[index]}

    def api_reactions_add(self, p: dict) -> dict:
        key = (p["channel"], p["timestamp"], p["name"])
        with self._lock:
            if key in self._reactions:
                return {"ok": False, "error": "already_reacted"}
            self._reactions.add(key)
        return {"ok": True}

    def api_reactions_remove(self, p: dict) -> dict:
        key = (p["channel"], p["timestamp"], p["name"])
        with self._lock:
            if key not in self._reactions:
                return {"ok": False, "error": "no_reaction"}
            self._reactions.discard(key)
        return {"ok": True}

    def api_conversations_replies(self, p: dict) -> dict:
        with self._lock:
            messages = sorted(self.threads.get((p["channel"], p["ts"]), []), key=lambda m: float(m["ts"]))
        if not messages:
            return {"ok": False, "error": "thread_not_found"}
        return {"ok": True, "messages": messages, "has_more": False}

    def api_conversations_history(self, p: dict) -> dict:
        """A channel's top-level messages, newest first, after `oldest` (exclusive) when given."""
        oldest = float(p.get("oldest") or 0)
        with self._lock:
            tops = [
                m for (channel, root), msgs in self.threads.items() if channel == p["channel"] for m in msgs if m["ts"] == root
            ]
        messages = sorted((m for m in tops if float(m["ts"]) > oldest), key=lambda m: -float(m["ts"]))
        return {"ok": True, "messages": messages[: int(p.get("limit") or 100)], "has_more": False}

    def api_users_info(self, p: dict) -> dict:
        return {"ok": True, "user": self.users.get(p["user"], {"id": p["user"], "is_bot": False})}

    def api_users_list(self, p: dict) -> dict:
        """Members page by page (`limit`, `cursor`), like Slack's cursor pagination."""
        members = sorted(self.users.values(), key=lambda u: u["id"])
        start, limit = int(p.get("cursor") or 0), int(p.get("limit") or 200)
        page = members[start : start + limit]
        cursor = str(start + limit) if start + limit < len(members) else ""
        return {"ok": True, "members": page, "response_metadata": {"next_cursor": cursor}}

    def add_user(self, user: str, real_name: str, *, display_name: str = "", guest: bool = False) -> dict:
        """A workspace member as `users.info` returns it (profile names; guests are `is_restricted`)."""
        first, _, last = real_name.partition(" ")
        self.users[user] = {
            "id": user,
            "team_id": TEAM,
            "name": real_name.lower().replace(" ", "."),
            "real_name": real_name,
            "is_bot": False,
            "is_restricted": guest,
            "is_ultra_restricted": False,
            "profile": {
                "real_name": real_name,
                "real_name_normalized": real_name,
                "display_name": display_name,
                "display_name_normalized": display_name,
                "first_name": first,
                "last_name": last,
            },
        }
        return self.users[user]

    def add_usergroup(self, group_id: str, handle: str, users: list[str]) -> None:
        self.usergroups.append(
            {
                "id": group_id,
                "team_id": TEAM,
                "handle": handle,
                "name": handle.title(),
                "is_usergroup": True,
                "date_delete": 0,
                "users": list(users),
                "user_count": len(users),
            }
        )

    def api_usergroups_list(self, p: dict) -> dict:
        """Like Slack: members only with `include_users`; disabled groups only with `include_disabled`."""
        groups = [g for g in self.usergroups if _truthy(p.get("include_disabled")) or not g.get("date_delete")]
        if not _truthy(p.get("include_users")):
            groups = [{k: v for k, v in g.items() if k != "users"} for g in groups]
        return {"ok": True, "usergroups": groups}

    def api_usergroups_users_list(self, p: dict) -> dict:
        group = next((g for g in self.usergroups if g["id"] == p.get("usergroup")), None)
        if group is None:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": list(group["users"])}

    def api_conversations_open(self, p: dict) -> dict:
        """The DM with one user (`users`), the same id every time, like Slack."""
        users = [u for u in str(p.get("users") or "").split(",") if u]
        if len(users) != 1:
            return {"ok": False, "error": "not_enough_users" if not users else "invalid_arguments"}
        return {"ok": True, "channel": {"id": "D" + users[0].lstrip("UW")[:10] + "DM"}}

    def api_assistant_threads_setStatus(self, p: dict) -> dict:
        return {"ok": True}

    def api_assistant_threads_setSuggestedPrompts(self, p: dict) -> dict:
        if len(p.get("prompts") or []) > 4:
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True}

    def api_views_publish(self, p: dict) -> dict:
        view = p.get("view") or {}
        if len(view.get("blocks", [])) > 100:
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {"id": "V1", **view}}

    def _record(self, method: str, params: dict) -> None:
        with self._lock:
            self.calls.append(Call(method, params))
            self._lock.notify_all()


def _truthy(value: object) -> bool:
    return str(value).lower() in ("1", "true")


def _thread(p: dict) -> dict:
    return {"thread_ts": p["thread_ts"]} if p.get("thread_ts") else {}


def _invalid_message(p: dict) -> str | None:
    blocks = p.get("blocks") or []
    if not blocks and not p.get("text"):
        return "no_text"
    if len(blocks) > 50:
        return "invalid_blocks"
    for block in blocks:
        if block.get("type") == "section" and len((block.get("text") or {}).get("text", "")) > 3000:
            return "invalid_blocks"
        if block.get("type") == "input":
            return "invalid_blocks"  # input blocks belong in modals
        if _element_problems(block):
            return "invalid_blocks"
    if len(p.get("text") or "") > 40_000:
        return "msg_too_long"
    return None


def _element_problems(block: dict) -> list[str]:
    """Problems of the interactive elements of one block (buttons, checkboxes, text inputs)."""
    elements = block.get("elements") if block.get("type") == "actions" else [block.get("element") or block.get("accessory")]
    elements = [e for e in elements or [] if e]
    problems = []
    if block.get("type") == "actions" and not 0 < len(elements) <= MAX_ACTIONS_ELEMENTS:
        problems.append("an actions block holds 1-25 elements")
    action_ids = [e.get("action_id") for e in elements if e.get("action_id")]
    if len(action_ids) != len(set(action_ids)):
        problems.append("action_id must be unique within a block")
    for e in elements:
        if len(e.get("action_id") or "") > MAX_ACTION_ID:
            problems.append("action_id over 255 characters")
        if e.get("type") == "button":
            if not 0 < len((e.get("text") or {}).get("text", "")) <= MAX_BUTTON_TEXT:
                problems.append("button text must be 1-75 characters")
            if len(e.get("value") or "") > MAX_BUTTON_VALUE:
                problems.append("button value over 2000 characters")
        if e.get("type") == "checkboxes":
            options = e.get("options") or []
            if not 0 < len(options) <= MAX_OPTIONS:
                problems.append("checkboxes hold 1-10 options")
            for o in options:
                if len(o["text"]["text"]) > MAX_OPTION_TEXT or len(o.get("value", "")) > MAX_OPTION_VALUE:
                    problems.append("option text over 75 or value over 150 characters")
            if any(i not in options for i in e.get("initial_options") or []):
                problems.append("initial_options must be among options")
        if e.get("type") == "plain_text_input" and int(e.get("max_length") or 0) > MAX_INPUT_LENGTH:
            problems.append("plain_text_input max_length over 3000")
    return problems


def _invalid_view(view: dict) -> list[str]:
    """Why Slack would refuse `view` as a modal ([] when it would not), in `response_metadata` form."""
    problems = []
    blocks = view.get("blocks") or []
    if view.get("type") != "modal":
        problems.append("view type must be modal")
    if not 0 < len((view.get("title") or {}).get("text", "")) <= MAX_VIEW_TITLE:
        problems.append("title must be 1-24 characters")
    for button in ("submit", "close"):
        if len((view.get(button) or {}).get("text", "")) > MAX_VIEW_TITLE:
            problems.append(f"{button} text over 24 characters")
    if any(b.get("type") == "input" for b in blocks) and not view.get("submit"):
        problems.append("a view with input blocks needs a submit button")
    if len(blocks) > MAX_VIEW_BLOCKS:
        problems.append("more than 100 blocks")
    if len(view.get("private_metadata") or "") > MAX_METADATA:
        problems.append("private_metadata over 3000 characters")
    block_ids = [b["block_id"] for b in blocks if b.get("block_id")]
    if len(block_ids) != len(set(block_ids)):
        problems.append("block_id must be unique")
    for b in blocks:
        if b.get("type") == "section" and len((b.get("text") or {}).get("text", "")) > 3000:
            problems.append("section text over 3000 characters")
        if b.get("type") == "input" and not (b.get("label") and b.get("element")):
            problems.append("an input block needs a label and an element")
        problems += _element_problems(b)
    return [f"[ERROR] {p}" for p in problems]


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            params = _parse(raw, self.headers.get("Content-Type", ""))
            auth = self.headers.get("Authorization", "")
            token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else params.pop("token", None)
            path = self.path.split("?", 1)[0]
            method = path.removeprefix("/api/") if path.startswith("/api/") else path.lstrip("/")
            if fake._wait_if_held(method):
                return
            status, headers, body = fake.handle(method, params, token)
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def _parse(raw: str, content_type: str) -> dict:
    if "json" in content_type:
        params = json.loads(raw or "{}")
    else:
        params = {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
    for name in _JSON_PARAMS & params.keys():
        if isinstance(params[name], str) and params[name]:
            params[name] = json.loads(params[name])
    return params
