"""Two-tier benchmark: ack latency of the web tier vs the in-process app, worker scaling, memory.

In one run, against the fake Slack Web API and the real Redis (DB 14):
1. ack latency, rounds of `--burst` concurrent mentions while answers are computed: the old path
   (`create_slack_app`: acks and answers in one process, here the benchmark's) vs the new one
   (`policybot serve --no-workers` as its own process + a `policybot worker` node of 2 processes);
2. a burst of `--big-burst` mentions answered by a worker node of 1 process, then of 2: time until
   all are answered and mention → answer p95;
3. resident memory of the web tier process and of each worker process.

    python bench/queue_bench.py [--data-dir DIR] [--burst 20] [--rounds 5] [--big-burst 40]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.slack_bench import answered_at, percentile, post_mention, questions  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.ingest.pipeline import run_ingest  # noqa: E402
from bot.slack.app import create_slack_app  # noqa: E402
from bot.slack.web import create_web_app  # noqa: E402
from bot.tasks.worker import READY  # noqa: E402
from tests.slack.fake_slack import TOKEN, FakeSlack  # noqa: E402
from tests.slack.queue_harness import WorkerNode, settings_env  # noqa: E402
from tests.slack.slack_http import SECRET, SlackSender, Uvicorn  # noqa: E402

MB = 1024 * 1024


def ms(values: list[float], p: float) -> str:
    return f"{percentile(values, p) * 1000:7.1f} ms"


def ack_rounds(url: str, fake: FakeSlack, texts: list[str], burst: int, rounds: int) -> list[float]:
    """Ack latencies of `rounds` bursts of `burst` concurrent mentions; each round waits for its answers."""
    senders = [SlackSender(url) for _ in range(burst)]
    acks: list[float] = []
    with ThreadPoolExecutor(burst) as pool:
        for _ in range(rounds):
            results = list(pool.map(lambda i: post_mention(senders[i], fake, texts[i % len(texts)]), range(burst)))
            acks += [ack for _, ack in results]
            for ts, _ in results:
                answered_at(fake, ts, timeout=300)
    for sender in senders:
        sender.close()
    return acks


def big_burst(url: str, fake: FakeSlack, texts: list[str], size: int) -> tuple[float, list[float]]:
    """(seconds until all `size` mentions are answered, each mention → answer in seconds)."""
    senders = [SlackSender(url) for _ in range(size)]
    sent = time.monotonic()
    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(lambda i: post_mention(senders[i], fake, texts[i % len(texts)]), range(size)))
    latencies = [answered_at(fake, ts, timeout=600) - sent for ts, _ in results]
    for sender in senders:
        sender.close()
    return max(latencies), latencies


def start_workers(settings: Settings, processes: int, log_dir: Path) -> WorkerNode:
    node = WorkerNode(settings, log_dir, concurrency=processes)
    deadline = time.monotonic() + 300
    while node.log.read_text(errors="replace").count(READY) < processes:
        assert node.process.poll() is None and time.monotonic() < deadline, node.tail()
        time.sleep(0.5)
    return node


def rss_mb(pid: int) -> float:
    return psutil.Process(pid).memory_info().rss / MB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--big-burst", type=int, default=40)
    parser.add_argument("--port", type=int, default=3917)
    args = parser.parse_args()
    for name in [k for k in os.environ if k.lower() in ("http_proxy", "https_proxy", "all_proxy")]:
        del os.environ[name]

    fake = FakeSlack().start()
    log_dir = Path(tempfile.mkdtemp(prefix="policybot-queue-bench-"))
    data_dir = args.data_dir or log_dir / "data"
    settings = Settings(
        data_dir=data_dir,
        knowledge_dir=REPO / "knowledge",
        redis_url="redis://127.0.0.1:6379/14",
        redis_prefix=f"bench-{uuid.uuid4().hex[:8]}",
        task_queue=f"bench-{uuid.uuid4().hex[:8]}",
        slack_api_url=fake.api_url,
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
    )
    if args.data_dir is None:
        run_ingest(settings)
    texts = questions(max(args.burst, args.big_burst))

    # 1a. the old path: one process acks and answers (thread pool of SLACK_WORKERS)
    slack = create_slack_app(settings)
    server = Uvicorn(create_web_app(slack))
    answered_at(fake, post_mention(SlackSender(server.url), fake, texts[0])[0])  # warm up
    old_acks = ack_rounds(server.url, fake, texts, args.burst, args.rounds)
    server.stop()
    slack.shutdown()

    # 1b. the new path: `policybot serve --no-workers` + a worker node of 2 processes
    url = f"http://127.0.0.1:{args.port}"
    web = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--no-workers", "--port", str(args.port), "--host", "127.0.0.1"],
        env=settings_env(settings),
        cwd=REPO,
        stdout=(log_dir / "serve.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        started = time.monotonic()
        while True:
            try:
                if httpx.get(url + "/healthz", trust_env=False).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        web_start_s = time.monotonic() - started
        node = start_workers(settings, 2, log_dir)
        answered_at(fake, post_mention(SlackSender(url), fake, texts[0])[0], timeout=300)
        new_acks = ack_rounds(url, fake, texts, args.burst, args.rounds)
        burst2_s, burst2 = big_burst(url, fake, texts, args.big_burst)
        memory = {"web tier": rss_mb(web.pid), "worker node (main)": rss_mb(node.pid)}
        for i, child in enumerate(psutil.Process(node.pid).children()):
            memory[f"worker process {i + 1}"] = child.memory_info().rss / MB
        node.stop()

        node = start_workers(settings, 1, log_dir)
        answered_at(fake, post_mention(SlackSender(url), fake, texts[0])[0], timeout=300)
        burst1_s, burst1 = big_burst(url, fake, texts, args.big_burst)
        node.stop()
    finally:
        web.terminate()
        web.wait(30)
        fake.stop()

    print(f"cores={os.cpu_count()}  web tier ready in {web_start_s:.1f} s (healthz 200)")
    print(f"ack latency, {args.burst} concurrent x {args.rounds} rounds while answering:")
    print(f"  old (one process, thread pool): p50 {ms(old_acks, 50)}  p99 {ms(old_acks, 99)}  max {ms(old_acks, 100)}")
    print(f"  new (web tier + 2 workers):     p50 {ms(new_acks, 50)}  p99 {ms(new_acks, 99)}  max {ms(new_acks, 100)}")
    print(f"  p99 ratio old/new: {percentile(old_acks, 99) / percentile(new_acks, 99):.1f}x")
    print(f"burst of {args.big_burst} mentions:")
    print(f"  1 worker process:  all answered in {burst1_s:6.1f} s   mention -> answer p95 {ms(burst1, 95)}")
    print(f"  2 worker processes: all answered in {burst2_s:6.1f} s   mention -> answer p95 {ms(burst2, 95)}")
    print(f"  scaling (1 -> 2 processes): {burst1_s / burst2_s:.2f}x")
    print("resident memory: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in memory.items()))


if __name__ == "__main__":
    main()
