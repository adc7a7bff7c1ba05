"""Verified answers as a YAML file, so a team can keep them in git (`policybot review export|import`).

    verified:
      - id: 3f2a9c1b7d4e
        questions: ["How many days of annual leave do I get per year?"]
        answer: "Full-time employees get 25 days a year; part-timers pro rata."
        sources: [{n: 1, chunk_id: "…", doc_id: hr/annual-leave.md, title: Annual Leave Policy, audience: [everyone]}]
        doc_versions: {hr/annual-leave.md: "<ingest sha>"}
        reviewer: U0123ABC
        verified_at: 1796000000.0
        state: active

Import upserts by `id` and validates every entry (a bad one: `ConfigFileError` naming the file,
the entry and the field; nothing is imported then).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from bot.store.verified import VerifiedAnswer, VerifiedStore
from bot.yaml_config import load_yaml_model


class VerifiedFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    verified: list[VerifiedAnswer] = []


def export_verified(store: VerifiedStore, path: Path) -> int:
    """Write every verified answer to `path`; how many."""
    answers = store.all()
    data = {"verified": [a.model_dump(mode="json", exclude_defaults=False) for a in answers]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    return len(answers)


def import_verified(store: VerifiedStore, path: Path) -> int:
    """Validate all of `path`, then store each answer (replacing one with the same id); how many."""
    parsed = load_yaml_model(path, VerifiedFile)
    for answer in parsed.verified:
        store.save(answer)
    return len(parsed.verified)
