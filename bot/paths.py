"""The project folder, so that relative settings (data folder, knowledge folder, `.env`) mean the
same thing whichever folder a command is run from."""

from __future__ import annotations

import re
from pathlib import Path

_PROJECT_NAME = re.compile(r'^name\s*=\s*"policybot"\s*$', re.MULTILINE)


def project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` (default: the current folder) holding policybot's
    `pyproject.toml`; else the source checkout this package runs from (an editable install);
    else `start` itself (an installed package run from its deployment folder)."""
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if _is_project(folder):
            return folder
    checkout = Path(__file__).resolve().parents[1]
    return checkout if _is_project(checkout) else start


def resolve_setting_path(path: Path, root: Path) -> Path:
    """A configured path made absolute: relative paths are taken from the project folder, not the
    current one (`~` is expanded)."""
    path = path.expanduser()
    return path if path.is_absolute() else (root / path).resolve()


def _is_project(folder: Path) -> bool:
    try:
        return bool(_PROJECT_NAME.search((folder / "pyproject.toml").read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):
        return False
