"""The progress callback long jobs (ingestion, evaluation) report through."""

from __future__ import annotations

from collections.abc import Callable

ProgressCallback = Callable[[str, int, int], None]
"""(stage name, items done, items in the stage); the CLI draws it as rich progress bars."""
