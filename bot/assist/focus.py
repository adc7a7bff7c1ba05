"""The question inside a long message.

People paste an email or tell the background first and ask at the end ("…so, can I expense it?").
The embedding model reads only its first 256 word pieces, so searching with the whole message
searches with the background. For a message longer than `FOCUS_WORDS` words we search with its
last question (the last sentence ending in "?") and the sentence before it, which usually carries
the subject the question refers to; without a "?", with its last two sentences.
"""

from __future__ import annotations

import re

FOCUS_WORDS = 60  # shorter messages are searched whole (the golden set's longest question has 31 words)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def focus(text: str) -> str:
    """`text` itself, or for a long message its last question with the sentence before it."""
    if len(text.split()) <= FOCUS_WORDS:
        return text
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    asked = [i for i, s in enumerate(sentences) if s.rstrip().endswith("?")]
    last = asked[-1] if asked else len(sentences) - 1
    picked = " ".join(sentences[max(0, last - 1) : last + 1])
    words = picked.split()
    return " ".join(words[-FOCUS_WORDS:]) if len(words) > FOCUS_WORDS else picked
