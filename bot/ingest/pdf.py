"""PDF pages as text with tables as pipe tables, in reading order (pdfplumber).

Headings are found by font size, as a reader sees them: a short line set larger than the body text
(the document's most common size) becomes a Markdown heading, the largest size `#`, the next `##`, and
so on; the chunker then files each passage under its real section ("Hours of Work"), not under the last
numbered line it saw. A table keeps its header row, so the answerer quotes each row with its column names, as for
Markdown tables. A table continued on the next page is one table, on the page where it starts: its rows after the
page break join the rows before it (a repeated header row is dropped), so it is chunked, retrieved and quoted
whole, with its lead-in.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable

from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

Rows = list[list[str]]
ToTable = Callable[[Rows], str]
FURNITURE_LINES = 2  # at most this many lines (page header/footer) between a table and the page edge
# a heading is set at least this much larger than the body text: 11 pt body -> 13 pt and up. Bold body-size lines
# are not headings here (run-in labels such as "Procedures:" and emphasised words are bold too).
HEADING_RATIO = 1.15
HEADING_MAX_WORDS = 15
_SENTENCE_END = re.compile(r"[.,;]$")


class EncryptedPdf(Exception):
    """The PDF needs a password."""


def read_pdf(data: bytes, to_table: ToTable) -> tuple[list[tuple[int | None, str]], dict]:
    """(page number, text) per page and the title/subject metadata.

    `to_table(rows) -> str` renders rows (the first is the header) as a pipe table. Raises
    `EncryptedPdf`, or pdfplumber/pdfminer errors for a corrupt file.
    """
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        if exc.args and isinstance(exc.args[0], PDFPasswordIncorrect):
            raise EncryptedPdf from None
        raise
    with pdf:
        pages: list[tuple[int, list[str | Rows]]] = []
        open_table: Rows | None = None  # the table that ends the previous page, which this page may continue
        levels = heading_levels(pdf.pages)
        for page in pdf.pages:
            blocks, open_table = _page_blocks(page, open_table, levels)
            pages.append((page.page_number, blocks))
        info = pdf.metadata or {}
    metadata = {key.lower(): str(info[key]) for key in ("Title", "Subject") if info.get(key)}
    return [(number, _render(blocks, to_table)) for number, blocks in pages], metadata


def _render(blocks: list[str | Rows], to_table: ToTable) -> str:
    return "\n".join(
        block if isinstance(block, str) else to_table(block)
        for block in blocks
        if block and (not isinstance(block, str) or block.strip())
    )


def heading_levels(pages) -> dict[int, int]:
    """Font size (pt, rounded) -> heading level (1-6) for the sizes set larger than the body text; the body's
    size is the one most characters of the document have."""
    sizes = Counter(round(c["size"]) for page in pages for c in page.chars if not c["text"].isspace())
    if not sizes:
        return {}
    body = sizes.most_common(1)[0][0]
    larger = sorted((size for size in sizes if size >= body * HEADING_RATIO), reverse=True)
    return {size: min(i + 1, 6) for i, size in enumerate(larger)}


def _page_blocks(page, open_table: Rows | None, levels: dict[int, int]) -> tuple[list[str | Rows], Rows | None]:
    """Text bands and tables (rows) of one page, top to bottom, and the table that ends the page, if any. A first
    table that continues `open_table` is not among the blocks: its rows are added to `open_table`.

    A table continues the previous page's last table when nothing but page furniture separates them and it has
    as many columns: the usual shape of a table a page break cut, with or without a repeated header row.
    """
    tables = sorted(page.find_tables(), key=lambda table: table.bbox[1])
    boxes = [table.bbox for table in tables]
    text_only = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes))
    blocks: list[str | Rows] = []
    top = 0.0
    last: Rows | None = None
    for i, table in enumerate(tables):
        band = _band_text(text_only, top, table.bbox[1], levels)
        blocks.append(band)
        rows: Rows = [[cell or "" for cell in row] for row in table.extract()]
        top = table.bbox[3]
        if i == 0 and open_table and rows and _only_furniture(band) and len(rows[0]) == len(open_table[0]):
            open_table.extend(rows[1:] if rows[0] == open_table[0] else rows)
            last = open_table
            continue
        blocks.append(rows)
        last = rows or None
    tail = _band_text(text_only, top, page.height, levels)
    blocks.append(tail)
    return blocks, (last if _only_furniture(tail) else None)


def _only_furniture(text: str) -> bool:
    return len([line for line in text.splitlines() if line.strip()]) <= FURNITURE_LINES


# pdfplumber's default (3 pt) glues words of tightly set PDFs ("valuesthat", "ascanned copy", "allowed10"): quotes
# then miss the words asked about and answers the phrase. 2 pt splits them and leaves our own PDFs unchanged.
WORD_GAP = 2


def _band_text(page, top: float, bottom: float, levels: dict[int, int]) -> str:
    """The text between two heights, a line per line; heading lines as `#` lines (a heading wrapped over two
    lines of the same size is one heading)."""
    if bottom - top < 1:
        return ""
    lines: list[str] = []
    last_level = 0
    for line in page.crop((0, top, page.width, bottom), strict=False).extract_text_lines(x_tolerance=WORD_GAP):
        text, level = line["text"], _heading_level(line, levels)
        if level and level == last_level:
            lines[-1] += " " + text
        else:
            lines.append("#" * level + " " + text if level else text)
        last_level = level
    return "\n".join(lines)


def _heading_level(line: dict, levels: dict[int, int]) -> int:
    """The line's heading level, or 0 for text: every character set in a heading size, short, not a sentence."""
    text = line["text"].strip()
    sizes = {round(c["size"]) for c in line["chars"] if not c["text"].isspace()}
    if not sizes or not sizes <= levels.keys() or len(text.split()) > HEADING_MAX_WORDS or _SENTENCE_END.search(text):
        return 0
    if not any(ch.isalpha() for ch in text):
        return 0
    return min(levels[size] for size in sizes)


def _inside(obj: dict, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    return (
        x0 - 1 <= obj.get("x0", -1)
        and obj.get("x1", 1e9) <= x1 + 1
        and top - 1 <= obj.get("top", -1)
        and obj.get("bottom", 1e9) <= bottom + 1
    )
