"""Heading-aware chunking sized for the embedding model's 256 word-piece window.

Each chunk is one section's consecutive blocks (paragraphs, list items, table rows). Its text
starts with a context line "Title › Section path" so that both searches see where it comes from;
tables that don't fit are split by rows with the header repeated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from langchain_core.documents import Document

from bot.core.chunks import LIST_ITEM

TokenCounter = Callable[[str], int]
SECTION_SEP = " › "
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


@dataclass
class _Block:
    text: str
    is_table: bool = False


def chunk_document(
    segments: list[tuple[int | None, str]],
    doc_meta: dict,
    *,
    count_tokens: TokenCounter,
    max_tokens: int,
) -> list[Document]:
    """Split a cleaned document into chunks carrying title, section path, page and metadata."""
    title = doc_meta["title"]
    base_meta = {k: v for k, v in doc_meta.items() if v not in ("", [], None)}
    base_meta["supersedes"] = ",".join(doc_meta.get("supersedes") or [])
    chunks: list[Document] = []
    for section, page, blocks in _sections(segments, title):
        header = title + (SECTION_SEP + section if section else "")
        budget = max(32, max_tokens - count_tokens(header))
        for body in _pack(blocks, budget, count_tokens):
            meta = {**base_meta, "section": section, "chunk_index": len(chunks)}
            if page is not None:
                meta["page"] = page
            chunks.append(Document(page_content=f"{header}\n{body}", metadata=meta))
    return chunks


def _sections(segments: list[tuple[int | None, str]], title: str) -> Iterator[tuple[str, int | None, list[_Block]]]:
    """(section path, page, blocks) in order; a page break starts a new group of blocks."""
    path: list[tuple[int, str]] = []
    for page, text in segments:
        blocks: list[_Block] = []
        for raw in re.split(r"\n\s*\n", text):
            lines = raw.strip().splitlines()
            while lines and _HEADING.match(lines[0]):
                if blocks:
                    yield _path_text(path, title), page, blocks
                    blocks = []
                level, heading = _HEADING.match(lines.pop(0)).groups()  # type: ignore[union-attr]
                path = [p for p in path if p[0] < len(level)] + [(len(level), heading.strip())]
            if lines:
                blocks.extend(_blocks("\n".join(lines)))
        if blocks:
            yield _path_text(path, title), page, blocks


def _path_text(path: list[tuple[int, str]], title: str) -> str:
    names = [name for _, name in path]
    # a top-level heading that is the document's title, or part of it, is not a section: "Policy and Procedure
    # Template" set on a PDF's cover under the title "HR Guide: Policy and Procedure Template"
    first, whole = (names[0].strip().lower(), title.strip().lower()) if names else ("", "")
    if first and whole and (first == whole or (path[0][0] == 1 and (first in whole or whole in first))):
        names = names[1:]
    return SECTION_SEP.join(names)


def _blocks(text: str) -> list[_Block]:
    """Tables stay whole blocks; list items become one block each; other text is a paragraph."""
    lines = text.splitlines()
    if all(ln.lstrip().startswith("|") for ln in lines):
        return [_Block(text, is_table=True)]
    out: list[_Block] = []
    for line in lines:
        starts_item = re.match(r"^\s*([-*•]|\d+[.)])\s+", line) is not None  # Markdown's own markers
        if out and not starts_item and not out[-1].is_table:
            out[-1].text += " " + line.strip()
        else:
            out.append(_Block(line.strip()))
    return out


def _pack(blocks: list[_Block], budget: int, count_tokens: TokenCounter) -> Iterator[str]:
    """Greedy packing of consecutive blocks; oversized blocks are split first. A sentence introducing a list or
    a table ("…per the following:") starts a new chunk rather than be cut from what it introduces, when the
    two fit one chunk together."""
    parts: list[str] = []
    used = 0
    for i, block in enumerate(blocks):
        group = _introduced_tokens(blocks, i, count_tokens)
        if parts and group and used + group > budget >= group:
            yield "\n".join(parts)
            parts, used = [], 0
        for piece in _fit(block, budget, count_tokens):
            n = count_tokens(piece)
            if parts and used + n > budget:
                yield "\n".join(parts)
                parts, used = [], 0
            parts.append(piece)
            used += n
    if parts:
        yield "\n".join(parts)


def _introduced_tokens(blocks: list[_Block], i: int, count_tokens: TokenCounter) -> int:
    """Tokens of block `i` with the list items or the table it introduces (0: it introduces none)."""
    block = blocks[i]
    if block.is_table or not block.text.rstrip().endswith(":"):
        return 0
    following = []
    for nxt in blocks[i + 1 :]:
        if nxt.is_table:
            following.append(nxt)
            break
        if not LIST_ITEM.match(nxt.text):
            break
        following.append(nxt)
    return count_tokens("\n".join(b.text for b in [block, *following])) if following else 0


def _fit(block: _Block, budget: int, count_tokens: TokenCounter) -> list[str]:
    if count_tokens(block.text) <= budget:
        return [block.text]
    if block.is_table:
        return _split_table(block.text, budget, count_tokens)
    pieces: list[str] = []
    for sentence in _SENTENCE.split(block.text):
        if count_tokens(sentence) <= budget:
            pieces.append(sentence)
        else:
            words = sentence.split()
            step = max(8, len(words) * budget // max(1, count_tokens(sentence)))
            pieces.extend(" ".join(words[i : i + step]) for i in range(0, len(words), step))
    return _merge(pieces, budget, count_tokens, sep=" ")


def _split_table(text: str, budget: int, count_tokens: TokenCounter) -> list[str]:
    lines = text.splitlines()
    header, rows = lines[:2], lines[2:]
    head = "\n".join(header)
    groups: list[str] = []
    current: list[str] = []
    for row in rows:
        candidate = "\n".join([head, *current, row])
        if current and count_tokens(candidate) > budget:
            groups.append("\n".join([head, *current]))
            current = []
        current.append(row)
    if current:
        groups.append("\n".join([head, *current]))
    return groups


def _merge(pieces: list[str], budget: int, count_tokens: TokenCounter, sep: str) -> list[str]:
    merged: list[str] = []
    for piece in pieces:
        if merged and count_tokens(merged[-1] + sep + piece) <= budget:
            merged[-1] += sep + piece
        else:
            merged.append(piece)
    return merged
