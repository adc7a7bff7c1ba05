"""The HTTP surface: Slack's request signing, url_verification, health, and a fast ack."""

import json
import time

from tests.slack.conftest import RunningBot
from tests.slack.slack_http import SECRET, signed_headers


def test_url_verification_echoes_the_challenge(bot: RunningBot) -> None:
    response = bot.send.post(json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"}), "application/json")
    assert response.status_code == 200
    assert response.json()["challenge"] == "c-123"


def test_bad_signature_is_rejected(bot: RunningBot) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "x"})
    headers = {"Content-Type": "application/json", **signed_headers(body, secret="not-the-secret")}
    assert bot.send.http.post("/slack/events", content=body, headers=headers).status_code == 401


def test_stale_timestamp_is_rejected(bot: RunningBot) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "x"})
    headers = {"Content-Type": "application/json", **signed_headers(body, secret=SECRET, timestamp=int(time.time()) - 360)}
    assert bot.send.http.post("/slack/events", content=body, headers=headers).status_code == 401


def test_unsigned_request_is_rejected(bot: RunningBot) -> None:
    assert bot.send.http.post("/slack/events", content="{}", headers={"Content-Type": "application/json"}).status_code == 401


def test_healthz_reports_index_and_redis(bot: RunningBot) -> None:
    response = bot.send.http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"index": True, "redis": True}}


def test_metrics_expose_answer_counters(bot: RunningBot) -> None:
    response = bot.send.http.get("/metrics")
    assert response.status_code == 200
    assert "policybot_questions_total" in response.text and "policybot_answer_seconds_bucket" in response.text


def test_healthz_is_503_and_names_the_failing_check(service, base_settings, tmp_path) -> None:
    from types import SimpleNamespace

    from bot.answer.service import PolicyService
    from bot.slack.health import health
    from bot.store.stores import Stores

    redis_down = Stores.from_settings(base_settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"}))
    healthy, details = health(SimpleNamespace(service=service, stores=redis_down))
    assert not healthy and details == {"status": "unhealthy", "checks": {"index": True, "redis": False}}
    no_index = PolicyService(base_settings.model_copy(update={"data_dir": tmp_path / "empty"}))
    healthy, details = health(SimpleNamespace(service=no_index, stores=Stores.from_settings(base_settings)))
    assert not healthy and details["checks"] == {"index": False, "redis": True}
