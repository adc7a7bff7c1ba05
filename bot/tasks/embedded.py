"""Worker nodes `policybot serve` starts itself, so one command still runs everything on one machine."""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys

log = logging.getLogger(__name__)

WORKER_NICE = 10  # on one machine, the web tier's acks win the CPU over answering


def _child_setup() -> None:
    """In the worker node, before it runs: a lower CPU priority, and SIGTERM (a warm shutdown) when
    `serve` dies however it dies (kill -9 included), so no orphaned node keeps taking jobs.
    PR_SET_PDEATHSIG is Linux's prctl option 1 (prctl(2))."""
    os.nice(WORKER_NICE)
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


class EmbeddedWorker:
    """`policybot worker` as a child process of the web tier, at a lower CPU priority (`WORKER_NICE`);
    stopped with it (SIGTERM: warm shutdown)."""

    def __init__(self, concurrency: int) -> None:
        # --beat: on one machine this node also sends the scheduled gap digest
        self._command = [sys.executable, "-m", "bot.cli", "worker", "--concurrency", str(concurrency), "--beat"]
        self._process: subprocess.Popen | None = None

    def start(self) -> EmbeddedWorker:
        self._process = subprocess.Popen(self._command, env=os.environ.copy(), preexec_fn=_child_setup)
        log.info("started worker process %d: %s", self._process.pid, " ".join(self._command[1:]))
        return self

    def stop(self, timeout_s: float) -> None:
        """SIGTERM (the worker finishes its jobs in flight and hands back the rest), SIGKILL after `timeout_s`."""
        if self._process is None or self._process.poll() is not None:
            return
        self._process.send_signal(signal.SIGTERM)
        try:
            self._process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            log.warning(
                "worker %d still running after %.0f s; killed (its jobs return to the queue)", self._process.pid, timeout_s
            )
            self._process.kill()
            self._process.wait()
