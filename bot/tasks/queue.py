"""The web tier's side of the queue: enqueue jobs, and watch the queue for /healthz and /metrics."""

from __future__ import annotations

import logging

from celery import Celery
from kombu.exceptions import ChannelError
from prometheus_client.core import GaugeMetricFamily
from redis import Redis

from bot.config import Settings
from bot.slack.deps import NotQueued, SlackDeps
from bot.store.task_stats import TaskStats
from bot.tasks.celery_app import JOB_TASK, PUBLISH_CONNECTIONS

log = logging.getLogger(__name__)

PING_TIMEOUT_S = 1.0  # how long /healthz waits for workers to answer (busy nodes answer late)


class Queued:
    """What `send_task` returns here instead of an `AsyncResult`: there is no result backend (a job's
    result is its Slack post), and an AsyncResult builds Celery's backend, once per thread, by
    scanning every installed package's entry points: 10-20 ms each, ~0.4 s for the first burst of
    20 requests on new threads (measured with yappi, bench/queue_bench.py)."""

    def __init__(self, task_id: str) -> None:
        self.id = task_id
        self.ignored = True


class CeleryJobs:
    """`bot.slack.jobs.Jobs` on the broker: `submit` returns once the broker holds the job."""

    def __init__(self, celery: Celery) -> None:
        self._celery = celery

    def submit(self, deps: SlackDeps, name: str, payload: dict) -> None:
        # argsrepr: the job's name only. Celery's default repr of the payload would copy the
        # unmasked question into the message headers (shown by monitoring tools) and costs ~0.4 ms.
        try:
            self._celery.send_task(
                JOB_TASK,
                args=[name, payload],
                argsrepr=f"[{name!r}, …]",
                kwargsrepr="{}",
                ignore_result=True,
                result_cls=Queued,
            )
        except Exception as exc:  # kombu's OperationalError, socket errors: the broker is unreachable
            raise NotQueued(f"job {name!r} not queued: {exc}") from exc

    def warm_up(self) -> None:
        """Open the publishing connections now, so the first burst of Slack events does not wait for
        `PUBLISH_CONNECTIONS` broker connects. A broker that is down is only logged (/healthz says so)."""
        held = []
        try:
            for _ in range(PUBLISH_CONNECTIONS):
                held.append(self._celery.pool.acquire(block=True))
                held[-1].ensure_connection(max_retries=1, timeout=2)
        except Exception as exc:
            log.warning("broker not reachable at startup: %s", exc)
        finally:
            for connection in held:
                connection.release()

    @property
    def in_flight(self) -> int:
        return 0  # nothing runs in this process: the broker holds the jobs

    def shutdown(self) -> None:
        """Nothing to wait for: queued jobs survive this process."""


def _not_found(exc: ChannelError) -> bool:
    """A 404 on a passive declare: amqp sets `code`, kombu's virtual transports (Redis) only the args."""
    return exc.code == 404 or "404" in exc.args


class QueueMonitor:
    """Broker reachability, live workers, queue depth, retries and redeliveries."""

    def __init__(self, celery: Celery, settings: Settings, redis: Redis) -> None:
        """`redis`: where the workers count retries and redeliveries (`TaskStats`)."""
        self._celery, self._settings = celery, settings
        self._stats = TaskStats.from_settings(redis, settings)

    def depth(self) -> int | None:
        """Jobs waiting in the queue (not those a worker holds); None when the broker is unreachable."""
        try:
            with self._celery.connection_for_read() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
                with conn.channel() as channel:
                    return channel.queue_declare(queue=self._settings.task_queue, passive=True).message_count
        except ChannelError as exc:
            if _not_found(exc):  # RabbitMQ: not declared yet; Redis: a queue is a list, gone when empty
                return 0
            log.warning("queue depth unavailable: %s", exc)
        except Exception as exc:  # unreachable broker
            log.warning("queue depth unavailable: %s", exc)
        return None

    def workers(self) -> list[str]:
        """Names of the live worker nodes that consume this deployment's queue (TASK_QUEUE); nodes of
        other deployments sharing the broker answer the broadcast too, and are left out."""
        try:
            replies = self._celery.control.inspect(timeout=PING_TIMEOUT_S).active_queues() or {}
        except Exception as exc:
            log.warning("worker inspection failed: %s", exc)
            return []
        queue = self._settings.task_queue
        return sorted(name for name, queues in replies.items() if any(q.get("name") == queue for q in queues or []))

    def checks(self) -> dict:
        """For /healthz: the broker must be reachable; live workers are reported."""
        depth = self.depth()
        return {"broker": depth is not None, "workers": len(self.workers()), "queue_depth": depth}

    def collect(self):
        """Prometheus collector: queue depth and live workers now, retries and redeliveries so far."""
        depth, counts = self.depth(), self._stats.counts()
        gauges = {
            "policybot_queue_depth": ("Jobs waiting in the broker queue", depth),
            "policybot_workers": ("Worker nodes consuming this queue", len(self.workers())),
            "policybot_task_retries": ("Jobs retried after a Slack 5xx / 429 / network error", counts.get("retries")),
            "policybot_task_redeliveries": ("Jobs delivered again (a worker died or timed out)", counts.get("redeliveries")),
        }
        for name, (doc, value) in gauges.items():
            if value is not None:
                yield GaugeMetricFamily(name, doc, value=value)
