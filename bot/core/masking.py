"""The masking port: what the question workflow and the surfaces need from the PII masker
(`bot.governance.pii.PiiMasker` implements it)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

# a typed placeholder the masker leaves in indexed text ("<PERSON>", "<EMAIL>", "<BANK_ACCOUNT>")
PLACEHOLDER = re.compile(r"<[A-Z][A-Z_]*>")


class Masker(Protocol):
    def mask(self, text: str) -> str:
        """`text` with personal data replaced by typed placeholders ("<EMAIL>")."""
        ...

    def add_names(self, names: Iterable[str]) -> None:
        """Register people's names to mask from now on."""
        ...
