"""The two tiers for real: the web tier over HTTP in this process, `policybot worker` nodes as child
processes (each loads the model), a real broker (Redis, or RabbitMQ), and a Redis server of our own
that a test may stop and start again."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from celery import Celery

from bot.config import Settings
from bot.slack.app import SlackApp, create_web_tier
from bot.slack.web import create_web_app
from bot.tasks.celery_app import create_celery
from bot.tasks.queue import CeleryJobs, QueueMonitor
from bot.tasks.worker import READY
from tests.slack.slack_http import SlackSender, Uvicorn

REPO = Path(__file__).resolve().parents[2]
RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672//"
WORKER_START_S = 600  # seen: over 4 min on a 2-core machine shared with other jobs  # a worker process loads the model, the index and the PII masker first


def reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
        return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that makes a child process's `get_settings()` equal `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    for name in Settings.model_fields:
        key = "POLICYBOT_DATA_DIR" if name == "data_dir" else name.upper()
        value = getattr(settings, name)
        if value is None:
            env.pop(key, None)
        else:
            env[key] = json.dumps(value) if isinstance(value, dict | list) else str(value)
    return env


class WorkerNode:
    """`policybot worker --concurrency N` as a child process; its log goes to a file."""

    def __init__(self, settings: Settings, log_dir: Path, concurrency: int = 1) -> None:
        self.log = log_dir / f"worker-{time.monotonic_ns()}.log"
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "worker", "--concurrency", str(concurrency), "--loglevel", "INFO"],
                env=settings_env(settings),
                cwd=REPO,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill_9(self) -> None:
        """SIGKILL the node and its worker processes: no warm shutdown, no message handed back."""
        processes = [psutil.Process(self.pid), *psutil.Process(self.pid).children(recursive=True)]
        for process in processes:
            process.kill()
        psutil.wait_procs(processes, timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill_9()

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def node_pid(nodename: str) -> int:
    """The main pid in a node name `policybot-<pid>@host` (see `policybot worker`)."""
    return int(nodename.split("@", 1)[0].rsplit("-", 1)[1])


@dataclass
class WebTier:
    slack: SlackApp
    server: Uvicorn
    send: SlackSender
    monitor: QueueMonitor

    def stop(self) -> None:
        self.send.close()
        self.server.stop()


class Queue:
    """The test's view of one broker queue: web tiers, worker nodes, and waiting for them."""

    def __init__(self, settings: Settings, log_dir: Path) -> None:
        self.settings, self.log_dir = settings, log_dir
        self.celery: Celery = create_celery(settings)
        self.nodes: list[WorkerNode] = []
        self.webs: list[WebTier] = []

    def web(self) -> WebTier:
        slack = create_web_tier(self.settings, CeleryJobs(self.celery))
        monitor = QueueMonitor(self.celery, self.settings, slack.deps.stores.redis)
        server = Uvicorn(create_web_app(slack, monitor))
        self.webs.append(WebTier(slack, server, SlackSender(server.url), monitor))
        return self.webs[-1]

    def workers(self, count: int = 1) -> list[WorkerNode]:
        """Start `count` nodes and wait until each answers a ping (its consumer is up)."""
        started = [WorkerNode(self.settings, self.log_dir) for _ in range(count)]
        self.nodes += started
        self.wait_for_nodes({node.pid for node in started})
        return started

    def wait_for_nodes(self, pids: set[int]) -> None:
        """Until each node answers a ping and its worker process logged that it is ready to answer."""
        deadline = time.monotonic() + WORKER_START_S
        nodes = [node for node in self.nodes if node.pid in pids]
        while not (
            all(READY in node.log.read_text(errors="replace") for node in nodes)
            and pids <= {node_pid(name) for reply in self.celery.control.ping(timeout=0.5) for name in reply}
        ):
            dead = [node for node in nodes if node.process.poll() is not None]
            assert not dead and time.monotonic() < deadline, "worker did not start:\n" + "\n".join(n.tail() for n in nodes)

    def node_answering(self, timeout: float = 30) -> WorkerNode:
        """The node that holds a job right now."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            active = self.celery.control.inspect(timeout=1).active() or {}
            busy = {node_pid(name) for name, jobs in active.items() if jobs}
            for node in self.nodes:
                if node.pid in busy:
                    return node
        raise AssertionError("no worker holds a job")

    def wait_idle(self, monitor: QueueMonitor, timeout: float = 60) -> None:
        """Until nothing waits in the queue and no live node holds, reserves or schedules a job."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            inspect = self.celery.control.inspect(timeout=1)
            held = [inspect.active(), inspect.reserved(), inspect.scheduled()]
            if monitor.depth() == 0 and not any(jobs for reply in held for jobs in (reply or {}).values()):
                return
        raise AssertionError("the queue did not drain:\n" + "\n".join(n.tail() for n in self.nodes))

    def close(self) -> None:
        for web in self.webs:
            web.stop()
        for node in self.nodes:
            node.stop()
            print(f"--- {node.log.name}\n{node.tail(60)}")  # shown by pytest when the test failed
        try:
            with self.celery.connection_for_write() as conn:
                conn.default_channel.queue_delete(self.settings.task_queue)
        except Exception:
            pass  # a broker the test stopped, or a queue never declared


class RedisServer:
    """A Redis server of this test's own on a free port, so stopping it disturbs no one else."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="policybot-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen([*command, "--dir", self.dir], stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not reachable("127.0.0.1", self.port):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
