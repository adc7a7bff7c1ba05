"""Versions of the answer scorer under {data_dir}/models/answer-scorer/: vNNN/model (the CrossEncoder),
vNNN/meta.json (training data hash and size, training time, metrics of it and of the model it was
compared with, whether it was promoted) and current.json naming the promoted version (read by
bot/answer/scorer.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from bot.answer.scorer import scorer_root


def new_version(data_dir: Path) -> Path:
    """The folder for the next version (v001, v002, ...), created."""
    root = scorer_root(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    numbers = [int(p.name[1:]) for p in root.glob("v[0-9][0-9][0-9]") if p.is_dir()]
    folder = root / f"v{max(numbers, default=0) + 1:03d}"
    folder.mkdir()
    return folder


def write_meta(folder: Path, meta: dict) -> None:
    (folder / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def promote(data_dir: Path, version: str) -> None:
    """Point current.json at `version` (written to a temporary file, then renamed: readers never see half a file)."""
    root = scorer_root(data_dir)
    tmp = root / "current.json.tmp"
    tmp.write_text(json.dumps({"version": version}) + "\n", encoding="utf-8")
    os.replace(tmp, root / "current.json")
