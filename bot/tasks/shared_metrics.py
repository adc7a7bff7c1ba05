"""Prometheus metrics across processes: the worker processes count answers, votes are counted in
the web tier, and one `/metrics` shows them all.

prometheus_client's multiprocess mode (https://prometheus.github.io/client_python/multiprocess/):
every process that inherits PROMETHEUS_MULTIPROC_DIR writes its samples to files there, and a
`MultiProcessCollector` sums them when scraped (`bot.metrics.exposition`). The variable must be set
before prometheus_client is first imported, so `policybot serve` / `policybot worker` call
`share_metrics` first thing.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

log = logging.getLogger(__name__)

ENV = "PROMETHEUS_MULTIPROC_DIR"


def share_metrics(state_dir: Path) -> Path | None:
    """Put this process, and every process it starts, in multiprocess mode with a fresh folder of its
    own under `state_dir`, unless the operator set PROMETHEUS_MULTIPROC_DIR (theirs is used) or
    prometheus_client was imported already (metrics then stay per process, logged). Returns the
    folder it created, for the caller to remove on exit; None otherwise."""
    if os.environ.get(ENV):
        return None
    if "prometheus_client" in sys.modules:
        log.warning("prometheus_client already imported: worker metrics are not shared with /metrics")
        return None
    folder = state_dir / f"metrics-{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ[ENV] = str(folder)
    return folder
