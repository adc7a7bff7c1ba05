"""Load .md, .txt, .html, .pdf and .docx files into one shape: Markdown-ish text plus metadata.

Every loader emits headings as Markdown `#` lines and tables as pipe tables, so one heading-aware
chunker serves all formats. Problems raise `SkipDocument` with a reason a person can act on.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.ingest.front_matter import MetadataError, read_front_matter, read_yaml_metadata, validate_metadata

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")
HTML_BOILERPLATE = ("script", "style", "nav", "header", "footer", "aside", "noscript", "form", "iframe", "svg")


class SkipDocument(Exception):
    """A file that cannot be ingested; the message is the reason shown in the report."""


@dataclass
class LoadedDocument:
    """A document as loaded: text segments (one per PDF page, else one) and raw metadata."""

    doc_id: str
    path: Path
    fmt: str
    segments: list[tuple[int | None, str]]  # (page number or None, text)
    metadata: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n\n".join(text for _, text in self.segments)


def load_document(path: Path, doc_id: str, *, max_line_chars: int) -> LoadedDocument:
    """Load one file; raises SkipDocument for anything unreadable, empty or malformed."""
    suffix = path.suffix.lower()
    loader = _LOADERS.get(suffix)
    if loader is None:
        raise SkipDocument(f"unsupported file type {suffix!r}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SkipDocument(f"unreadable: {exc.strerror or exc}") from exc
    if not data.strip():
        raise SkipDocument("empty file")
    try:
        segments, metadata = loader(data)
        metadata = validate_metadata(metadata)
    except SkipDocument:
        raise
    except MetadataError as exc:
        raise SkipDocument(f"{path.name}: {exc}") from None
    except Exception as exc:  # a corrupt file of any format: report it, keep going
        raise SkipDocument(f"corrupt or unreadable {suffix[1:].upper()}: {type(exc).__name__}: {exc}") from exc
    metadata = {**metadata, **_sidecar_metadata(path)}
    segments = [(page, text) for page, text in segments if text.strip()]
    if not segments:
        raise SkipDocument("no text content")
    longest = max(len(line) for _, text in segments for line in text.splitlines() or [""])
    if longest > max_line_chars:
        raise SkipDocument(f"a line of {longest:,} characters (limit {max_line_chars:,}): not a readable document")
    return LoadedDocument(doc_id=doc_id, path=path, fmt=suffix.lstrip("."), segments=segments, metadata=metadata)


def _decode_text(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise SkipDocument("binary content in a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SkipDocument(f"not UTF-8 text (byte {exc.start})") from exc


def _load_markdown(data: bytes) -> tuple[list[tuple[int | None, str]], dict]:
    metadata, body = read_front_matter(_decode_text(data))
    return [(None, body)], metadata


def _load_html(data: bytes) -> tuple[list[tuple[int | None, str]], dict]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_decode_text(data), "lxml")
    metadata: dict = {}
    if soup.title and soup.title.string:
        metadata["title"] = soup.title.string.strip()
    for meta in soup.find_all("meta"):
        name, content = meta.get("name"), meta.get("content")
        if isinstance(name, str) and name and isinstance(content, str):  # neither is a multi-valued attribute
            metadata[name.strip().lower().replace("-", "_")] = content.strip()
    for tag in soup.find_all(HTML_BOILERPLATE):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    return [(None, _html_to_markdown(root))], metadata


def _html_to_markdown(root) -> str:
    """Headings, paragraphs, list items and tables, in document order."""
    blocks: list[str] = []
    for el in root.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "table", "pre", "blockquote", "dt", "dd"]):
        if el.find_parent(["table", "li"]) is not None and el.name != "table":
            continue  # rendered by its container
        if el.name == "table":
            if el.find_parent("table") is None:
                rows = [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in el.find_all("tr")]
                blocks.append(markdown_table(rows))
        elif el.name[0] == "h" and el.name[1:].isdigit():
            blocks.append("#" * int(el.name[1:]) + " " + el.get_text(" ", strip=True))
        elif el.name == "li":
            blocks.append("- " + el.get_text(" ", strip=True))
        else:
            blocks.append(el.get_text(" ", strip=True))
    return "\n\n".join(b for b in blocks if b.strip("#- "))


def markdown_table(rows: list[list[str]]) -> str:
    """Rows (the first is the header) as a pipe table."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    rows = [[c.replace("|", "/").replace("\n", " ").strip() for c in r] + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines)


def _load_pdf(data: bytes) -> tuple[list[tuple[int | None, str]], dict]:
    from bot.ingest.pdf import EncryptedPdf, read_pdf

    try:
        pages, metadata = read_pdf(data, markdown_table)
    except EncryptedPdf:
        raise SkipDocument("encrypted PDF (password required)") from None
    if not any(text.strip() for _, text in pages):
        raise SkipDocument("PDF has no extractable text (scanned image?)")
    return pages, metadata


def _load_docx(data: bytes) -> tuple[list[tuple[int | None, str]], dict]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    blocks: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            table = Table(child, document)
            blocks.append(markdown_table([[cell.text for cell in row.cells] for row in table.rows]))
        elif tag == "p":
            para = Paragraph(child, document)
            text, style = para.text.strip(), (para.style.name if para.style is not None else "") or ""
            if not text:
                continue
            if style == "Title":
                blocks.append("# " + text)
            elif style.startswith("Heading") and style[7:].strip().isdigit():
                blocks.append("#" * min(int(style[7:]), 6) + " " + text)
            elif "List" in style:
                blocks.append("- " + text)
            else:
                blocks.append(text)
    props = document.core_properties
    metadata = {k: v for k, v in {"title": props.title, "subject": props.subject}.items() if v}
    return [(None, "\n\n".join(blocks))], metadata


def _sidecar_metadata(path: Path) -> dict:
    """`<file>.meta.yaml` beside a binary document carries its front matter."""
    sidecar = path.with_name(path.name + ".meta.yaml")
    if not sidecar.exists():
        return {}
    try:
        return validate_metadata(read_yaml_metadata(sidecar.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError) as exc:
        raise SkipDocument(f"{sidecar.name}: unreadable metadata sidecar: {exc}") from exc
    except MetadataError as exc:
        raise SkipDocument(f"{sidecar.name}: {exc}") from None


_LOADERS: dict[str, Callable[[bytes], tuple[list[tuple[int | None, str]], dict]]] = {
    ".md": _load_markdown,
    ".markdown": _load_markdown,
    ".txt": _load_markdown,
    ".html": _load_html,
    ".htm": _load_html,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
}
