"""Which language a short text is in (py3langid, offline), when the detector is sure."""

from __future__ import annotations

import threading

LANGUAGE_CONFIDENCE = 0.8  # py3langid normalised probability; short English phrases score lower
MIN_WORDS = 3  # shorter texts ("PTO?", "hi") are too short to tell

_identifier = None
_lock = threading.Lock()


def language_of(text: str) -> str | None:
    """The ISO 639-1 code of `text` when the detector is sure, else None."""
    global _identifier
    if len(text.split()) < MIN_WORDS:
        return None
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    language, probability = _identifier.classify(text)
    return str(language) if probability >= LANGUAGE_CONFIDENCE else None
