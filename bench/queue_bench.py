"""Two-tier benchmark: ack latency of the web tier vs the in-process app, worker scaling, memory.

In one run, against the fake Slack Web API and the real Redis (DB 14):
1. ack latency, rounds of `--burst` simultaneous mentions while answers are computed, sent from a
   process of its own (`bench/ack_load.py`): the old path
   (`create_slack_app`: acks and answers in one process, here the benchmark's) vs the new one
   (`policybot serve` as its own process, starting its worker node of 2 processes: the one-command setup);
2. a burst of `--big-burst` mentions answered by a worker node of 2 processes, then of 1: time until
   all are answered and mention → answer p95;
3. resident memory of the web tier process and of each worker process.

    python bench/queue_bench.py [--data-dir DIR] [--burst 20] [--rounds 5] [--big-burst 40]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
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

from bench.slack_bench import CHANNEL, answered_at, percentile, post_mention, questions  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.ingest.pipeline import run_ingest  # noqa: E402
from bot.slack.app import create_slack_app  # noqa: E402
from bot.slack.web import create_web_app  # noqa: E402
from bot.tasks.worker import READY  # noqa: E402
from tests.slack.fake_slack import BOT_USER, TOKEN, FakeSlack  # noqa: E402
from tests.slack.queue_harness import settings_env  # noqa: E402
from tests.slack.slack_http import SECRET, SlackSender, Uvicorn, event_callback, mention, signed_headers  # noqa: E402

MB = 1024 * 1024


def ms(values: list[float], p: float) -> str:
    return f"{percentile(values, p) * 1000:7.1f} ms"


def signed_mention(fake: FakeSlack, text: str) -> tuple[str, dict]:
    """(question ts, a signed Events API request for a mention of the bot asking `text`)."""
    seeded = fake.seed(CHANNEL, {"user": "UBENCH", "text": f"<@{BOT_USER}> {text}"})
    body = json.dumps(event_callback(mention(CHANNEL, "UBENCH", seeded["text"], seeded["ts"])))
    return seeded["ts"], {"body": body, "headers": {"Content-Type": "application/json", **signed_headers(body)}}


def ack_rounds(url: str, fake: FakeSlack, texts: list[str], burst: int, rounds: int) -> list[float]:
    """Ack latencies of `rounds` bursts of `burst` simultaneous mentions, sent by `bench/ack_load.py`
    (a process of its own); each round starts while the previous round's answers are still being
    computed (after the first ones are posted) and the last waits for all of its answers."""
    acks: list[float] = []
    pending: list[str] = []
    for _ in range(rounds):
        signed = [signed_mention(fake, texts[i % len(texts)]) for i in range(burst)]
        spec = json.dumps({"url": url, "requests": [request for _, request in signed]})
        done = subprocess.run([sys.executable, str(REPO / "bench" / "ack_load.py")], input=spec, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        acks += json.loads(done.stdout)
        pending += [ts for ts, _ in signed]
        answered_at(fake, pending[len(pending) - burst], timeout=300)  # answering is under way
    for ts in pending:
        answered_at(fake, ts, timeout=300)
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


class Serve:
    """`policybot serve` as its own process with its own worker node of `processes` (the one-command setup)."""

    def __init__(self, settings: Settings, processes: int, port: int, log_dir: Path) -> None:
        self.url, self.log = f"http://127.0.0.1:{port}", log_dir / f"serve-{processes}.log"
        env = {**settings_env(settings), "WORKER_CONCURRENCY": str(processes)}
        command = [sys.executable, "-m", "bot.cli", "serve", "--port", str(port), "--host", "127.0.0.1"]
        started = time.monotonic()
        self.process = subprocess.Popen(command, env=env, cwd=REPO, stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        while not self._healthy():
            assert self.process.poll() is None, self.log.read_text()
            time.sleep(0.05)
        self.web_ready_s = time.monotonic() - started  # the web tier acks from here on
        deadline = time.monotonic() + 600
        while self.log.read_text(errors="replace").count(READY) < processes:  # worker processes loaded and warm
            assert self.process.poll() is None and time.monotonic() < deadline, self.log.read_text()
            time.sleep(0.5)

    def _healthy(self) -> bool:
        try:
            return httpx.get(self.url + "/healthz", trust_env=False).status_code == 200
        except httpx.TransportError:
            return False

    def memory_mb(self) -> dict[str, float]:
        """RSS of the web tier, the worker node and each of its child processes: the pool's worker
        processes and (serve's node runs `--beat`) the scheduler, the small one."""
        web = psutil.Process(self.process.pid)
        memory = {"web tier": web.memory_info().rss / MB}
        for node in web.children():
            memory["worker node (main)"] = node.memory_info().rss / MB
            for i, child in enumerate(node.children()):
                memory[f"node child {i + 1}"] = child.memory_info().rss / MB
        return memory

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(120)


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

    # 1b. the new path: `policybot serve` (web tier) with its worker node of 2 processes
    serve: Serve | None = None
    try:
        serve = Serve(settings, 2, args.port, log_dir)
        web_ready_s = serve.web_ready_s
        answered_at(fake, post_mention(SlackSender(serve.url), fake, texts[0])[0], timeout=300)
        new_acks = ack_rounds(serve.url, fake, texts, args.burst, args.rounds)
        burst2_s, burst2 = big_burst(serve.url, fake, texts, args.big_burst)
        memory = serve.memory_mb()
        serve.stop()

        # 2. the same burst with a worker node of 1 process
        serve = Serve(settings, 1, args.port, log_dir)
        answered_at(fake, post_mention(SlackSender(serve.url), fake, texts[0])[0], timeout=300)
        burst1_s, burst1 = big_burst(serve.url, fake, texts, args.big_burst)
        serve.stop()
    finally:
        if serve is not None and serve.process.poll() is None:
            serve.process.kill()
        fake.stop()

    print(f"cores={os.cpu_count()}  web tier ready in {web_ready_s:.1f} s (healthz 200; workers load meanwhile)")
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
