"""Where documents come from: a folder of files, or a BEIR `corpus.jsonl` (evaluation sets)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from bot.ingest.loaders import SUPPORTED_SUFFIXES, LoadedDocument, SkipDocument, load_document


@dataclass
class DocumentSource:
    """A document known by id and content hash; loaded only when it changed."""

    doc_id: str
    sha: str
    load: Callable[[], LoadedDocument]


def folder_sources(
    root: Path, *, exclude: list[str], max_file_bytes: int, max_line_chars: int
) -> tuple[list[DocumentSource], list[tuple[str, str]]]:
    """Supported files under `root` (or `root` itself), and the files skipped up front with reasons."""
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink())
    base = root.parent if root.is_file() else root
    sources: list[DocumentSource] = []
    skipped: list[tuple[str, str]] = []
    for path in files:
        doc_id = path.relative_to(base).as_posix()
        if any(part.startswith(".") for part in Path(doc_id).parts) or any(fnmatch(doc_id, pat) for pat in exclude):
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            skipped.append((doc_id, f"unsupported file type {path.suffix.lower() or '(none)'!r}"))
            continue
        try:
            size = path.stat().st_size
            if size > max_file_bytes:
                skipped.append((doc_id, f"file is {size / 1e6:.1f} MB, above the {max_file_bytes / 1e6:.0f} MB limit"))
                continue
            sha = _file_sha(path)
        except OSError as exc:
            skipped.append((doc_id, f"unreadable: {exc.strerror or exc}"))
            continue
        sources.append(DocumentSource(doc_id, sha, _loader(path, doc_id, max_line_chars)))
    return sources, skipped


def corpus_sources(corpus_file: Path) -> Iterator[DocumentSource]:
    """BEIR corpus lines as documents: title as the first heading, `metadata` kept for filters."""
    with corpus_file.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            doc_id = str(row["_id"])
            title, text = str(row.get("title") or "").strip(), str(row.get("text") or "")
            extra = {k: v for k, v in (row.get("metadata") or {}).items() if isinstance(v, (str, int, float, bool))}
            body = (f"# {title}\n\n" if title else "") + text
            meta = {"title": title or doc_id, "extra_metadata": extra}
            sha = hashlib.sha256(line.encode()).hexdigest()
            yield DocumentSource(doc_id, sha, _static(doc_id, body, meta))


def _loader(path: Path, doc_id: str, max_line_chars: int) -> Callable[[], LoadedDocument]:
    return lambda: load_document(path, doc_id, max_line_chars=max_line_chars)


def _static(doc_id: str, body: str, meta: dict) -> Callable[[], LoadedDocument]:
    def load() -> LoadedDocument:
        if not body.strip():
            raise SkipDocument("empty document")
        return LoadedDocument(doc_id=doc_id, path=Path(doc_id), fmt="jsonl", segments=[(None, body)], metadata=meta)

    return load


def _file_sha(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes())
    sidecar = path.with_name(path.name + ".meta.yaml")
    if sidecar.exists():
        digest.update(sidecar.read_bytes())
    return digest.hexdigest()
