"""Validated YAML configuration files (company profile, channel policy): one loader, one error type.

Every file is parsed with `yaml.safe_load` and validated by a pydantic model; whatever is wrong
becomes one `ConfigFileError` line naming the file, the key path and what was expected, so an
admin can fix it without reading a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class ConfigFileError(ValueError):
    """A configuration file that cannot be used; `str()` is one line: `FILE: KEY: problem`."""


def load_yaml_model(path: Path, model: type[M]) -> M:
    """Read `path` and validate it as `model`.

    Raises `ConfigFileError` for a missing or unreadable file, broken YAML (with its line), a
    top level that is not a mapping, and every validation error (the first one, with its key path).
    """
    raw = read_yaml_mapping(path)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ConfigFileError(f"{path}: {describe(exc)}") from None


def describe(exc: ValidationError) -> str:
    """The first validation error as `key.path: problem (and N more)`."""
    first = exc.errors()[0]
    key = ".".join(str(part) for part in first["loc"]) or "(top level)"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{key}: {first['msg']}{more}"


def read_yaml_mapping(path: Path) -> dict:
    """The top-level mapping of a YAML file (empty file: {}); raises `ConfigFileError` otherwise."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise ConfigFileError(f"{path}: {where}not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigFileError(f"{path}: expected a mapping of keys at the top level, got {type(raw).__name__}")
    return raw
