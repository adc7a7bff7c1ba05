"""Evaluation datasets in the BEIR layout, plus the optional `answers.jsonl`.

    DATASET/
      corpus.jsonl      {"_id", "title", "text", "metadata"?}   -- or --
      docs/             real files; doc id = path relative to docs/          -- or --
      dataset.json      {"docs": "<folder, relative to the dataset folder>"}: the documents live
                        elsewhere (the golden set's are its parent, knowledge/) without a symlink
                        loop that never ends for tools walking the tree
      queries.jsonl     {"_id", "text", "metadata"?}
      qrels/test.tsv    query-id <TAB> corpus-id <TAB> score   (with a header line)
      answers.jsonl     {"query-id", "answerable", "answers", "must_contain", "evidence"}  (optional)

Query `metadata` is mostly ignored (SciFact keeps evidence labels there). Two kinds of keys are
honoured as retrieval restrictions, the way a real asker would be restricted:
  * `principals`: a list of groups -> the asker's principals (golden set: managers, people-ops);
  * a scalar key that the corpus documents also carry as metadata (PolicyQA's `policy`) -> a
    metadata filter, so the question is answered only from that policy's paragraphs.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.principals import Principals, principals_of


@dataclass
class Query:
    id: str
    text: str
    metadata: dict = field(default_factory=dict)


@dataclass
class Expected:
    """What a correct answer looks like (a row of answers.jsonl)."""

    answerable: bool = True
    answers: list[str] = field(default_factory=list)  # any one must appear
    must_contain: list[str] = field(default_factory=list)  # all must appear
    evidence: list[str] = field(default_factory=list)  # passages a top chunk should contain


@dataclass
class Dataset:
    name: str
    root: Path
    queries: list[Query]
    qrels: dict[str, dict[str, int]]  # query id -> {doc id: graded relevance}
    expected: dict[str, Expected]  # query id -> expectations (empty without answers.jsonl)
    corpus_file: Path | None = None
    docs_dir: Path | None = None  # resolved (docs/, or the folder dataset.json names)
    corpus_filter_keys: frozenset[str] = frozenset()  # scalar metadata keys present on corpus lines

    @property
    def has_answers(self) -> bool:
        return bool(self.expected)

    def limited(self, n: int | None) -> Dataset:
        """The first `n` queries (in file order), for quick runs."""
        if not n or n >= len(self.queries):
            return self
        keep = self.queries[:n]
        ids = {q.id for q in keep}
        return Dataset(
            name=self.name,
            root=self.root,
            queries=keep,
            qrels={q: r for q, r in self.qrels.items() if q in ids},
            expected={q: e for q, e in self.expected.items() if q in ids},
            corpus_file=self.corpus_file,
            docs_dir=self.docs_dir,
            corpus_filter_keys=self.corpus_filter_keys,
        )

    def restrictions(self, query: Query) -> tuple[Principals, dict[str, object]]:
        """The asker's principals and the metadata filters implied by a query's metadata."""
        meta = query.metadata or {}
        groups = meta.get("principals") or []
        if isinstance(groups, str):
            groups = [groups]
        filters: dict[str, object] = {
            key: value
            for key, value in meta.items()
            if key in self.corpus_filter_keys and isinstance(value, (str, int, float, bool))
        }
        return principals_of(groups), filters


def load_dataset(root: Path) -> Dataset:
    """Read a dataset folder; raises FileNotFoundError/ValueError with a readable message."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"dataset folder not found: {root}")
    corpus_path = root / "corpus.jsonl"
    docs = _docs_folder(root)
    corpus_file: Path | None
    docs_dir: Path | None
    if corpus_path.is_file():
        corpus_file, docs_dir = corpus_path, None
        filter_keys = _corpus_metadata_keys(corpus_path)
    elif docs is not None:
        corpus_file, docs_dir, filter_keys = None, docs.resolve(), frozenset()
        if not docs_dir.is_dir():
            raise FileNotFoundError(f"{docs} does not lead to a folder")
    else:
        raise FileNotFoundError(f"{root} has neither corpus.jsonl, docs/ nor a dataset.json naming its docs folder")
    queries_file = root / "queries.jsonl"
    if not queries_file.is_file():
        raise FileNotFoundError(f"{queries_file} not found")
    queries = [Query(str(row["_id"]), str(row.get("text") or ""), row.get("metadata") or {}) for row in read_jsonl(queries_file)]
    qrels = _qrels(root / "qrels" / "test.tsv")
    expected: dict[str, Expected] = {}
    answers_file = root / "answers.jsonl"
    if answers_file.is_file():
        for row in read_jsonl(answers_file):
            expected[str(row["query-id"])] = Expected(
                answerable=bool(row.get("answerable", True)),
                answers=[str(a) for a in row.get("answers") or []],
                must_contain=[str(a) for a in row.get("must_contain") or []],
                evidence=[str(a) for a in row.get("evidence") or []],
            )
    return Dataset(
        name=root.resolve().name,
        root=root.resolve(),
        queries=queries,
        qrels=qrels,
        expected=expected,
        corpus_file=corpus_file.resolve() if corpus_file else None,
        docs_dir=docs_dir,
        corpus_filter_keys=filter_keys,
    )


def _docs_folder(root: Path) -> Path | None:
    """`docs/` when present, else the folder `dataset.json` names (relative to the dataset folder)."""
    if (root / "docs").exists():
        return root / "docs"
    manifest = root / "dataset.json"
    if not manifest.is_file():
        return None
    try:
        docs = json.loads(manifest.read_text(encoding="utf-8"))["docs"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f'{manifest}: expected {{"docs": "<folder>"}} ({type(exc).__name__}: {exc})') from exc
    return root / str(docs)


def read_jsonl(path: Path) -> Iterator[dict]:
    """The JSON object on each non-blank line; ValueError naming the file and line for one that is not JSON."""
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except ValueError as exc:
                    raise ValueError(f"{path}:{n}: not JSON ({exc})") from exc


def _qrels(path: Path) -> dict[str, dict[str, int]]:
    """query-id -> {corpus-id: score}; a missing file means no retrieval judgements."""
    out: dict[str, dict[str, int]] = {}
    if not path.is_file():
        return out
    with path.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.reader(fh, delimiter="\t")):
            if not row or (n == 0 and row[0].strip().lower() in ("query-id", "query_id", "qid")):
                continue
            qid, doc_id = row[0].strip(), row[1].strip()
            score = int(float(row[2])) if len(row) > 2 and row[2].strip() else 1
            out.setdefault(qid, {})[doc_id] = score
    return out


def _corpus_metadata_keys(corpus_file: Path) -> frozenset[str]:
    keys: set[str] = set()
    for row in read_jsonl(corpus_file):
        for key, value in (row.get("metadata") or {}).items():
            if isinstance(value, (str, int, float, bool)):
                keys.add(key)
    return frozenset(keys)
