"""Text cleaning: unicode and whitespace normalisation, PDF page furniture, PDF headings."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS = re.compile(r"\n{3,}")
_DIGITS = re.compile(r"\d+")
_MARKED_HEADING = re.compile(r"^#{1,6} ")
_NUMBERED_HEADING = re.compile(r"^(\d+(?:\.\d+){0,3})\.?\s+([A-Z][^.!?:;]{1,70})$")


def normalise_text(text: str) -> str:
    """NFKC, no zero-width or soft hyphens, single spaces, at most one blank line in a row."""
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def strip_page_furniture(pages: list[tuple[int | None, str]]) -> list[tuple[int | None, str]]:
    """Drop header/footer lines repeated across PDF pages ("Page 3 of 9" counts as repeated).

    A line (digits ignored) among the first or last three lines of at least half the pages is
    furniture, not content.
    """
    if len(pages) < 2:
        return pages
    edge_counts: Counter[str] = Counter()
    for _, text in pages:
        lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("|")]  # tables are content
        edge_counts.update({_DIGITS.sub("#", ln) for ln in lines[:3] + lines[-3:]})
    threshold = max(2, (len(pages) + 1) // 2)
    furniture = {key for key, n in edge_counts.items() if n >= threshold}
    cleaned = []
    for page, text in pages:
        lines = [ln for ln in text.splitlines() if ln.startswith("|") or _DIGITS.sub("#", ln.strip()) not in furniture]
        cleaned.append((page, "\n".join(lines)))
    return cleaned


def mark_pdf_headings(pages: list[tuple[int | None, str]]) -> list[tuple[int | None, str]]:
    """Turn numbered heading lines ("2.1 Scope") into Markdown headings for the chunker, in a PDF whose
    loader found no headings by font size (in one that has them, "5. Meetings" is an item of a list)."""
    if any(_MARKED_HEADING.match(line) for _, text in pages for line in text.splitlines()):
        return pages
    return [(page, _numbered_headings(text)) for page, text in pages]


def _numbered_headings(text: str) -> str:
    out = []
    for line in text.splitlines():
        match = _NUMBERED_HEADING.match(line.strip())
        if match and not line.strip().endswith(","):
            level = match.group(1).count(".") + 2  # "1" -> ##, "1.2" -> ###; the title is #
            out.append("#" * min(level, 6) + " " + line.strip())
        else:
            out.append(line)
    return "\n".join(out)


def paragraphs_and_tables(text: str) -> str:
    """One PDF line per paragraph block, except that a table's lines stay together as one block."""
    blocks: list[str] = []
    for line in (ln for ln in text.splitlines() if ln.strip()):
        if blocks and line.startswith("|") and blocks[-1].startswith("|"):
            blocks[-1] += "\n" + line
        else:
            blocks.append(line)
    return "\n\n".join(blocks)


# a line ending in one of these words stops mid-clause, whatever the next line starts with
# ("…the Human Resource Policies and" / "Procedures.", "…applies to all" / "Foundation personnel.")
_DANGLING_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "or",
        "nor",
        "the",
        "of",
        "to",
        "for",
        "with",
        "in",
        "on",
        "at",
        "by",
        "from",
        "as",
        "that",
        "which",
        "who",
        "whose",
        "is",
        "are",
        "was",
        "were",
        "be",
        "will",
        "shall",
        "may",
        "must",
        "can",
        "their",
        "his",
        "her",
        "its",
        "our",
        "your",
        "all",
        "any",
        "each",
        "every",
        "such",
        "than",
    ]
)


def _dangling(line: str) -> bool:
    words = line.rsplit(None, 1)
    return bool(words) and words[-1].lower() in _DANGLING_WORDS


def _continues(prev: str, line: str) -> bool:
    """Whether PDF line `line` continues the sentence of the line before it, `prev`."""
    return bool(
        prev
        and line
        and not line.startswith(("#", "|", "- ", "• "))
        and not prev.startswith(("#", "|"))
        and not prev.endswith((".", ":", "!", "?"))
        and (line[0].islower() or line[0].isdigit() or line[0] in "($" or _dangling(prev))
    )


def join_wrapped_lines(text: str) -> str:
    """PDF text wraps mid-sentence; rejoin lines that continue a paragraph (run after `mark_pdf_headings`,
    so that a numbered heading is never glued onto the line before it, such as the title)."""
    out: list[str] = []
    for line in text.splitlines():
        if out and _continues(out[-1], line):
            out[-1] += " " + line
        else:
            out.append(line)
    return "\n".join(out)


CARRIED_LINES = 6  # at most this many lines of a sentence cut by a page break are carried back to its start


def join_cut_sentences(pages: list[tuple[int | None, str]]) -> list[tuple[int | None, str]]:
    """A sentence cut by a page break is put together again on the page where it starts: "If an intermittent or
    reduced leave is" / (page 23) "requested on this basis, the Foundation may require…" were two chunks, each
    quoting half a clause. The next page's lines up to the sentence's end move back (at most CARRIED_LINES). Run
    after `strip_page_furniture` (a footer between the halves is gone) and `mark_pdf_headings`."""
    out = list(pages)
    for i in range(1, len(out)):
        (before_page, before), (page, text) = out[i - 1], out[i]
        lines = text.split("\n")
        start = next((n for n, line in enumerate(lines) if line.strip()), None)
        last = before.rstrip().rsplit("\n", 1)[-1].strip()
        if start is None or not _continues(last, lines[start].strip()):
            continue
        end = start
        while end < min(len(lines), start + CARRIED_LINES) - 1 and not lines[end].rstrip().endswith((".", ":", "!", "?")):
            end += 1
        out[i - 1] = (before_page, before.rstrip() + "\n" + "\n".join(lines[start : end + 1]))
        out[i] = (page, "\n".join(lines[end + 1 :]))
    return out
