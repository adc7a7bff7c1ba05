"""`policybot worker`'s side of the queue: the job task, its retries, and the answering dependencies.

Each worker process builds its own `AnswerDeps` (embedding model, index, PII masker) and embeds
the quotable units once (the service's warm-up) when it starts (`worker_process_init`), before it
takes a job: a job never waits behind a cold process while a warm one could take it.
"""

from __future__ import annotations

import logging
import threading
import time

from celery import Celery, Task
from celery.signals import worker_process_init

from bot.config import Settings
from bot.slack.deps import AnswerDeps
from bot.slack.jobs import Attempt, run_job, transient
from bot.store.redis_conn import connect
from bot.store.task_stats import TaskStats
from bot.tasks.celery_app import JOB_TASK
from bot.tasks.queue import CeleryJobs

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 60.0
READY = "worker process ready"  # logged once per process when it can answer (tests wait for it)


class Answering:
    """This process's `AnswerDeps`, built once (on `worker_process_init`, or at the first job)."""

    def __init__(self, settings: Settings, celery: Celery) -> None:
        self._settings, self._celery = settings, celery
        self._deps: AnswerDeps | None = None
        self._lock = threading.Lock()

    def __call__(self) -> AnswerDeps:
        with self._lock:
            if self._deps is None:
                from bot.slack.app import build_answer_deps

                started = time.perf_counter()
                self._deps = build_answer_deps(self._settings, CeleryJobs(self._celery))
                warming = self._deps.service.warm_up()  # before the first job: jobs wait for a warm process
                if warming is not None:
                    warming.join()
                log.info(
                    "%s: ready to answer (model, index and masker loaded, quotable units embedded, in %.1f s)",
                    READY,
                    time.perf_counter() - started,
                )
            return self._deps


def backoff_s(settings: Settings, retries: int) -> float:
    """Delay before retry number `retries + 1`: TASK_RETRY_BACKOFF_S doubled per retry, capped at a minute."""
    return min(MAX_BACKOFF_S, settings.task_retry_backoff_s * 2**retries)


def register_tasks(celery: Celery, settings: Settings) -> Answering:
    """Register the job task on `celery`; its processes answer with the returned `Answering`."""
    answering = Answering(settings, celery)
    stats = TaskStats.from_settings(connect(settings), settings)
    worker_process_init.connect(lambda **_: answering(), weak=False)

    @celery.task(name=JOB_TASK, bind=True, max_retries=settings.task_max_retries)
    def job(self: Task, name: str, payload: dict) -> None:
        """Run one job; Slack 5xx / 429 / network errors are retried with back-off, then apologised for."""
        redelivered = stats.started(self.request.id, self.request.retries)
        if redelivered:
            log.warning("job %s (%s) delivered again: its previous worker died or timed out", self.request.id, name)
        last = self.request.retries >= settings.task_max_retries
        attempt = Attempt(retry_on=None if last else transient, again=redelivered or self.request.retries > 0)
        try:
            run_job(answering(), name, payload, attempt)
        except Exception as exc:
            if last or not transient(exc):
                raise
            delay = backoff_s(settings, self.request.retries)
            log.warning(
                "job %s (%s) failed (%s); retry %d in %.0f s", self.request.id, name, exc, self.request.retries + 1, delay
            )
            stats.retried()
            raise self.retry(exc=exc, countdown=delay) from None

    return answering
