"""The two tiers on a real broker with real worker processes: no question is lost, none answered twice.

The web tier (`create_web_tier`, what `policybot serve` runs) serves over HTTP in this process;
`policybot worker` nodes run as child processes (each loads the model: ~10 s to start). Each test
has its own broker queue, Redis key prefix and fake Slack.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator

import httpx
import psutil
import pytest
import redis as redis_lib

from bot.config import Settings
from bot.store.keys import Keys
from bot.tasks.worker import READY
from tests.slack.fake_slack import BOT_USER, FakeSlack
from tests.slack.helpers import CHANNEL, QUESTION, USER
from tests.slack.queue_harness import RABBITMQ_URL, REPO, Queue, RedisServer, WebTier, free_port, reachable, settings_env
from tests.slack.slack_http import SlackSender, event_callback, mention, reaction, signed_headers

VISIBILITY_S = 30  # a held job comes back after this (Redis): short for the test, longer than any answer
MAX_RETRIES = 2


@pytest.fixture
def make_queue(settings: Settings, tmp_path) -> Iterator[Callable[..., Queue]]:
    queues: list[Queue] = []

    def make(**overrides: object) -> Queue:
        queue_settings = settings.model_copy(
            update={
                "task_queue": f"policybot-test-{uuid.uuid4().hex[:10]}",
                "task_visibility_timeout_s": VISIBILITY_S,
                "task_retry_backoff_s": 0.2,
                "task_max_retries": MAX_RETRIES,
                **overrides,
            }
        )
        queues.append(Queue(queue_settings, tmp_path))
        return queues[-1]

    yield make
    for queue in queues:
        queue.close()


def _question(fake: FakeSlack) -> dict:
    seeded = fake.seed(CHANNEL, {"user": USER, "text": f"<@{BOT_USER}> {QUESTION}"})
    return mention(CHANNEL, USER, seeded["text"], seeded["ts"])


def _bot_posts(fake: FakeSlack, event: dict) -> list[dict]:
    """Messages the bot posted (successfully) in the question's thread."""
    with fake._lock:
        return [m for m in fake.threads[(CHANNEL, event["ts"])] if m.get("bot_id")]


def _wait_answered(fake: FakeSlack, event: dict, timeout: float) -> None:
    fake.wait_for("chat.postMessage", timeout=timeout)
    while not _bot_posts(fake, event):  # a recorded call may still be failing
        fake.wait_for("chat.postMessage", count=len(fake.calls_to("chat.postMessage")) + 1, timeout=timeout)


def _metric(web: WebTier, name: str) -> float:
    text = web.send.http.get("/metrics").text
    match = re.search(rf"^{name} (\S+)$", text, re.MULTILINE)
    assert match, f"{name} not in /metrics"
    return float(match.group(1))


def _claim(queue: Queue, key: str) -> str | None:
    client = redis_lib.Redis.from_url(queue.settings.redis_url, decode_responses=True)
    try:
        return client.get(Keys(queue.settings.redis_prefix).event(key))
    finally:
        client.close()


@pytest.mark.parametrize("broker", ["redis", "rabbitmq"])
def test_worker_killed_while_answering_is_answered_once_by_another(make_queue, fake_slack: FakeSlack, broker: str) -> None:
    if broker == "rabbitmq" and not reachable("127.0.0.1", 5672):
        pytest.skip("RabbitMQ is not running on 127.0.0.1:5672 (start it: rabbitmq-server -detached)")
    queue = make_queue(broker_url=RABBITMQ_URL if broker == "rabbitmq" else None)
    web = queue.web()
    queue.workers(2)
    posting = fake_slack.hold("chat.postMessage")  # the first worker to post hangs inside Slack's call
    event = _question(fake_slack)
    web.send.event(event, event_id="EvKILL")
    assert posting.wait(60), "no worker started answering"

    victim = queue.node_answering()
    victim.kill_9()
    _wait_answered(fake_slack, event, timeout=VISIBILITY_S + 30)
    queue.wait_idle(web.monitor)

    [answer] = _bot_posts(fake_slack, event)
    assert "annual leave" in json.dumps(answer).lower()
    assert _claim(queue, "EvKILL") == "done"
    assert _metric(web, "policybot_task_redeliveries") == 1


def test_web_tier_restarted_between_ack_and_answer(make_queue, fake_slack: FakeSlack) -> None:
    queue = make_queue()
    first = queue.web()
    event = _question(fake_slack)
    first.send.event(event, event_id="EvRESTART")  # acked: Slack will not send it again by itself
    assert first.monitor.depth() == 1
    first.stop()

    second = queue.web()
    second.send.event(event, event_id="EvRESTART", retry=1)  # a late Slack retry reaches the new web tier
    queue.workers(1)
    _wait_answered(fake_slack, event, timeout=60)
    queue.wait_idle(second.monitor)
    assert len(_bot_posts(fake_slack, event)) == 1


def test_redis_briefly_unavailable_the_event_is_refused_then_answered_once(make_queue, fake_slack: FakeSlack) -> None:
    server = RedisServer().start()
    try:
        queue = make_queue(redis_url=server.url)
        web = queue.web()
        [node] = queue.workers(1)
        event = _question(fake_slack)
        body = json.dumps({"type": "event_callback", "team_id": "T1", "event_id": "EvREDIS", "event": event})

        server.stop()
        refused = web.send.http.post("/slack/events", content=body, headers=signed_headers(body))
        assert refused.status_code >= 500  # not acked: Slack delivers the event again
        health = web.send.http.get("/healthz")
        assert health.status_code == 503 and health.json()["checks"]["broker"] is False

        server.start()
        queue.wait_for_nodes({node.pid})  # the worker reconnected
        retry = {**signed_headers(body), "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"}
        assert web.send.http.post("/slack/events", content=body, headers=retry).status_code == 200
        _wait_answered(fake_slack, event, timeout=60)
        queue.wait_idle(web.monitor)
        assert len(_bot_posts(fake_slack, event)) == 1
    finally:
        server.remove()


def test_slack_500_then_200_is_retried_and_answered_once(make_queue, fake_slack: FakeSlack) -> None:
    queue = make_queue()
    web = queue.web()
    queue.workers(1)
    fake_slack.fail("chat.postMessage", "internal_error", times=1, status=500)
    event = _question(fake_slack)
    web.send.event(event)
    _wait_answered(fake_slack, event, timeout=60)
    queue.wait_idle(web.monitor)

    [answer] = _bot_posts(fake_slack, event)
    assert "Sorry" not in answer["text"]
    assert _metric(web, "policybot_task_retries") == 1


def test_slack_failing_past_the_last_retry_gets_the_apology(make_queue, fake_slack: FakeSlack) -> None:
    queue = make_queue()
    web = queue.web()
    queue.workers(1)
    fake_slack.fail("chat.postMessage", "internal_error", times=MAX_RETRIES + 1, status=503)
    event = _question(fake_slack)
    web.send.event(event)
    _wait_answered(fake_slack, event, timeout=60)
    queue.wait_idle(web.monitor)

    [apology] = _bot_posts(fake_slack, event)
    assert "Sorry" in apology["text"]
    assert _metric(web, "policybot_task_retries") == MAX_RETRIES


def test_healthz_reports_broker_and_live_workers_of_its_own_queue(make_queue) -> None:
    server = RedisServer().start()  # a broker of its own: no other test's workers answer
    try:
        queue = make_queue(redis_url=server.url)
        web = queue.web()
        before = web.send.http.get("/healthz").json()["checks"]
        assert before["broker"] is True and before["workers"] == 0
        make_queue(redis_url=server.url).workers(1)  # another deployment's worker on the same broker
        assert web.send.http.get("/healthz").json()["checks"]["workers"] == 0
        queue.workers(1)
        deadline = time.monotonic() + 60
        while (after := web.send.http.get("/healthz").json()["checks"])["workers"] == 0:  # a busy node answers late
            assert time.monotonic() < deadline, after
        assert after["workers"] == 1 and after["queue_depth"] == 0
    finally:
        server.remove()


def test_serve_alone_answers_with_its_own_workers_and_stops_them_on_sigterm(make_queue, fake_slack: FakeSlack, tmp_path) -> None:
    """The README's one command: `policybot serve` starts a worker node itself, and SIGTERM stops both."""
    queue = make_queue(worker_concurrency=1)
    port, log = free_port(), tmp_path / "serve.log"
    command = [sys.executable, "-m", "bot.cli", "serve", "--port", str(port), "--host", "127.0.0.1"]
    with log.open("w") as out:
        serve = subprocess.Popen(command, env=settings_env(queue.settings), cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 600
        while READY not in log.read_text(errors="replace"):
            assert serve.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        send = SlackSender(f"http://127.0.0.1:{port}")
        assert httpx.get(f"{send.url}/healthz", trust_env=False).json()["checks"]["workers"] >= 1
        event = _question(fake_slack)
        send.event(event)
        _wait_answered(fake_slack, event, timeout=120)
        # the answer was computed in a worker process; serve's /metrics sums every process's
        deadline = time.monotonic() + 30
        while not re.search(r"^policybot_answer_seconds_count(\{.*\})? [1-9]", metrics := send.http.get("/metrics").text, re.M):
            assert time.monotonic() < deadline, metrics
            time.sleep(0.5)
        send.close()

        family = psutil.Process(serve.pid).children(recursive=True)
        assert family, "serve started no worker processes"
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(90) == 0
        _, alive = psutil.wait_procs(family, timeout=30)
        assert alive == []
        assert len(_bot_posts(fake_slack, event)) == 1
    finally:
        if serve.poll() is None:
            serve.kill()


def test_web_tier_loads_no_model_index_or_masker(make_queue) -> None:
    """The web tier (with /admin, /healthz, /metrics) starts without the embedding model, Chroma,
    spaCy/Presidio, LangChain or scikit-learn."""
    queue = make_queue()
    script = (
        "import sys\n"
        "from bot.config import get_settings\n"
        "from bot.slack.app import create_web_tier\n"
        "from bot.tasks.celery_app import create_celery\n"
        "from bot.slack.web import create_web_app\n"
        "from bot.tasks.queue import CeleryJobs, QueueMonitor\n"
        "settings = get_settings()\n"
        "celery = create_celery(settings)\n"
        "slack = create_web_tier(settings, CeleryJobs(celery))\n"
        "create_web_app(slack, QueueMonitor(celery, settings, slack.deps.stores.redis))\n"
        "heavy = ('torch', 'sentence_transformers', 'chromadb', 'spacy', 'presidio_analyzer', 'langchain_core', 'sklearn')\n"
        "print(sorted(name for name in heavy if name in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=settings_env(queue.settings), cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_broker_down_events_get_a_500_and_their_retry_is_not_dropped(make_queue, fake_slack: FakeSlack) -> None:
    """No broker: an event (a 👎 here) gets a 500 and its claim is released, so Slack's retry is
    handled rather than dropped as a duplicate; a slash command, which Slack never retries, is
    acked with a message saying so."""
    queue = make_queue(broker_url=f"redis://127.0.0.1:{free_port()}/0")
    web = queue.web()
    vote = reaction("-1", CHANNEL, "1700000000.000100", USER)
    body = json.dumps(event_callback(vote, "EvNOBROKER"))
    assert web.send.post(body, "application/json").status_code == 500
    assert _claim(queue, "EvNOBROKER") is None
    assert web.send.http.get("/healthz").status_code == 503
    command = web.send.command(user=USER, channel=CHANNEL, text="leave", response_url=fake_slack.response_url("c1"))
    assert command.status_code == 200 and "try again" in command.text
