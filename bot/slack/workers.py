"""Thread pools that count their tasks in flight: Bolt's listener executor, and the in-process
job pool (`bot.slack.jobs.InlineJobs`, the Slack tests' app).

The in-flight count lets shutdown (and tests) wait until every accepted event has been fully
handled in this process. In `policybot serve` jobs go to the Celery broker instead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

log = logging.getLogger(__name__)


class Workers(ThreadPoolExecutor):
    """A ThreadPoolExecutor that logs a task's exception (a bare Future would swallow it)."""

    def __init__(self, size: int, name: str = "slack-worker") -> None:
        super().__init__(max_workers=max(1, size), thread_name_prefix=name)
        self._in_flight = 0
        self._count_lock = threading.Lock()

    @property
    def in_flight(self) -> int:
        with self._count_lock:
            return self._in_flight

    def submit(self, fn: Callable[..., object], /, *args: object, **kwargs: object) -> Future:
        with self._count_lock:
            self._in_flight += 1
        try:
            future = super().submit(_logged, fn, *args, **kwargs)
        except BaseException:
            self._finished(None)
            raise
        future.add_done_callback(self._finished)
        return future

    def _finished(self, _future: Future | None) -> None:
        with self._count_lock:
            self._in_flight -= 1


def _logged(fn: Callable[..., object], *args: object, **kwargs: object) -> object:
    try:
        return fn(*args, **kwargs)
    except Exception:
        log.exception("background task %s failed", getattr(fn, "__name__", fn))
        raise
