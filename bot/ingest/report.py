"""The ingest summary printed at the end of a run (and as JSON with --json)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (doc id, reason)
    superseded: list[tuple[str, str]] = field(default_factory=list)  # (old, replaced by)
    duplicates: list[dict] = field(default_factory=list)
    near_duplicates: list[dict] = field(default_factory=list)
    chunks_total: int = 0
    chunks_added: int = 0
    chunks_unchanged: int = 0
    chunks_deleted: int = 0
    chunks_embedded: int = 0
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    masked: list[dict] = field(default_factory=list)  # spans masked this run: type, doc, page, start, end

    def to_dict(self) -> dict:
        data = asdict(self)
        data["skipped"] = [{"doc": d, "reason": r} for d, r in self.skipped]
        data["superseded"] = [{"doc": d, "superseded_by": by} for d, by in self.superseded]
        data["seconds"] = round(self.seconds, 3)
        data["stage_seconds"] = {k: round(v, 3) for k, v in self.stage_seconds.items()}
        data["counts"] = {k: len(getattr(self, k)) for k in ("added", "updated", "unchanged", "deleted", "skipped")}
        return data
