"""Slack surface benchmark: ack latency under a burst, and mention → posted answer latency.

Runs the real app (the `policybot serve` factory under uvicorn) against the fake Slack Web API
from tests/slack, the real service over an index of knowledge/, and the real Redis (DB 14).

    python bench/slack_bench.py [--data-dir DIR] [--burst 20] [--rounds 10] [--questions 30]

Pass --data-dir of an existing index to skip ingestion.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.config import Settings  # noqa: E402
from bot.ingest.pipeline import run_ingest  # noqa: E402
from bot.slack.app import create_slack_app  # noqa: E402
from bot.slack.web import create_web_app  # noqa: E402
from tests.slack.fake_slack import BOT_USER, TOKEN, FakeSlack  # noqa: E402
from tests.slack.slack_http import SECRET, SlackSender, Uvicorn, mention  # noqa: E402

CHANNEL = "CBENCH"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def questions(n: int) -> list[str]:
    lines = (REPO / "knowledge/eval/queries.jsonl").read_text().splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()][:n]


def post_mention(send: SlackSender, fake: FakeSlack, text: str) -> tuple[str, float]:
    """Deliver a mention; (question ts, seconds until Slack got its 200)."""
    seeded = fake.seed(CHANNEL, {"user": "UBENCH", "text": f"<@{BOT_USER}> {text}"})
    started = time.perf_counter()
    send.event(mention(CHANNEL, "UBENCH", seeded["text"], seeded["ts"]))
    return seeded["ts"], time.perf_counter() - started


def answered_at(fake: FakeSlack, question_ts: str, timeout: float = 120) -> float:
    """Monotonic time the answer to `question_ts` was posted."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with fake._lock:
            for call in fake.calls:
                if call.method == "chat.postMessage" and call.params.get("thread_ts") == question_ts:
                    return call.at
        time.sleep(0.005)
    raise TimeoutError(f"no answer to {question_ts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--burst", type=int, default=20, help="concurrent events per round")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--questions", type=int, default=30, help="sequential mentions for the answer latency")
    args = parser.parse_args()
    for name in [k for k in os.environ if k.lower() in ("http_proxy", "https_proxy", "all_proxy")]:
        del os.environ[name]

    fake = FakeSlack().start()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="policybot-bench-"))
    settings = Settings(
        data_dir=data_dir,
        knowledge_dir=REPO / "knowledge",
        redis_url="redis://127.0.0.1:6379/14",
        redis_prefix=f"bench-{uuid.uuid4().hex[:8]}",
        slack_api_url=fake.api_url,
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
    )
    if args.data_dir is None:
        t0 = time.perf_counter()
        run_ingest(settings)
        print(f"ingested knowledge/ in {time.perf_counter() - t0:.1f} s")
    slack = create_slack_app(settings)
    server = Uvicorn(create_web_app(slack))
    send = SlackSender(server.url)
    texts = questions(max(args.questions, args.burst))
    try:
        answered_at(fake, post_mention(send, fake, texts[0])[0])  # warm up: first query, first Redis connection

        acks: list[float] = []
        burst_answers: list[float] = []
        senders = [SlackSender(server.url) for _ in range(args.burst)]
        with ThreadPoolExecutor(args.burst) as pool:
            for _ in range(args.rounds):
                sent = time.monotonic()
                results = list(pool.map(lambda i: post_mention(senders[i], fake, texts[i % len(texts)]), range(args.burst)))
                acks += [ack for _, ack in results]
                burst_answers += [answered_at(fake, ts) - sent for ts, _ in results]
        sequential: list[float] = []
        for text in texts[: args.questions]:
            sent = time.monotonic()
            ts, _ = post_mention(send, fake, text)
            sequential.append(answered_at(fake, ts) - sent)
    finally:
        send.close()
        server.stop()
        fake.stop()
        keys = list(slack.deps.stores.redis.scan_iter(f"{settings.redis_prefix}:*"))
        if keys:
            slack.deps.stores.redis.delete(*keys)

    ms = lambda xs, p: f"{percentile(xs, p) * 1000:7.1f} ms"  # noqa: E731
    print(f"workers={settings.slack_workers} cores={os.cpu_count()}")
    print(f"ack latency ({args.burst} concurrent x {args.rounds}): p50 {ms(acks, 50)}  p99 {ms(acks, 99)}  max {ms(acks, 100)}")
    print(f"mention -> answer, sequential ({len(sequential)}): p50 {ms(sequential, 50)}  p95 {ms(sequential, 95)}")
    print(
        f"mention -> answer, in a burst of {args.burst}: p50 {ms(burst_answers, 50)}  p95 {ms(burst_answers, 95)}"
        f"  (mean {statistics.mean(burst_answers) * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
