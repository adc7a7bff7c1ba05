"""The English NER model is not run on questions in another language (it tags ordinary words as people)."""

from __future__ import annotations

from bot.config import Settings
from bot.governance.pii import get_masker


def test_spanish_question_keeps_its_words_and_english_names_are_still_masked() -> None:
    masker = get_masker(Settings(_env_file=None))
    spanish = "¿Cuántos días de vacaciones anuales me corresponden?"
    assert masker.mask(spanish) == spanish
    english = masker.mask("Hi, I am Maria Gonzalez (maria.gonzalez@gmail.com), how do I claim mileage?")
    assert "Maria Gonzalez" not in english and "<PERSON>" in english and "<EMAIL>" in english
