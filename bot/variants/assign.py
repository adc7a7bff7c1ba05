"""Sticky assignment of askers to variants, from a variants file re-read whenever it changes.

An asker's bucket is a stable hash of workspace + user id + experiment name (SHA-256, first 8 bytes,
mod 10,000), so the same person always gets the same variant of an experiment, on every worker and
after restarts, and a new experiment name reshuffles everyone independently. Variants take
consecutive bucket ranges in the file's order, `rollout` percent each; the rest is the control.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.overrides import AnswerOverrides
from bot.variants.config import VariantsFile
from bot.yaml_config import ConfigFileError, load_yaml_model

log = logging.getLogger(__name__)

BUCKETS = 10_000
CONTROL = "control"  # the variant of every answer when no experiment runs


@dataclass(frozen=True)
class Assignment:
    """The variant a question is answered with and what it changes."""

    variant: str = CONTROL
    overrides: AnswerOverrides = field(default_factory=AnswerOverrides)


def bucket(workspace: str, user: str, experiment: str) -> int:
    """The asker's stable bucket in [0, BUCKETS)."""
    digest = hashlib.sha256(f"{workspace}:{user}:{experiment}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS


def assign(config: VariantsFile, *, workspace: str, user: str, channel: str, groups: Iterable[str]) -> Assignment:
    """The variant of `user` asking in `channel` while holding `groups` (pure; see the module docstring)."""
    control = Assignment(config.control, config.variants[config.control].overrides())
    if not config.enabled:
        return control
    if config.channels and channel not in config.channels:
        return control
    if config.groups and not set(config.groups) & set(groups):
        return control
    b = bucket(workspace, user, config.experiment)
    upper = 0.0
    for name, percent in config.rollout.items():
        upper += percent * BUCKETS / 100
        if b < upper:
            return Assignment(name, config.variants[name].overrides())
    return control


class Variants:
    """The variants file in force. Cheap to call per question: it only re-reads a changed file.

    A file that fails validation is refused — logged as one line naming the file and key, kept in
    `error` — and the previous configuration stays in force.
    """

    def __init__(self, path: Path | None) -> None:
        """`path`: VARIANTS_FILE, or None for no experiment. Raises `ConfigFileError` if the file is
        broken at start-up (a deployment must not start with a configuration it cannot read)."""
        self.path = path
        self.error: str | None = None
        self._lock = threading.Lock()
        self._signature: tuple[int, int] | None = None
        self._config: VariantsFile | None = None
        if path is not None:
            self._config = load_yaml_model(path, VariantsFile)
            self._signature = _signature(path)

    def current(self) -> VariantsFile | None:
        """The configuration in force, after picking up a changed file."""
        if self.path is None:
            return None
        signature = _signature(self.path)
        with self._lock:
            if signature != self._signature:
                self._signature = signature
                self._reload()
            return self._config

    def _reload(self) -> None:
        assert self.path is not None
        try:
            self._config = load_yaml_model(self.path, VariantsFile)
            self.error = None
            log.info("variants file reloaded: %s (experiment %s)", self.path, self._config.experiment)
        except ConfigFileError as exc:
            self.error = str(exc)
            log.error("variants file refused, previous configuration stays in force: %s", exc)

    def assign(self, *, workspace: str, user: str, channel: str, groups: Iterable[str]) -> Assignment:
        config = self.current()
        if config is None:
            return Assignment()
        return assign(config, workspace=workspace, user=user, channel=channel, groups=groups)


def _signature(path: Path) -> tuple[int, int] | None:
    """(mtime in ns, size): what tells a rewritten file, even within one mtime tick."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size
